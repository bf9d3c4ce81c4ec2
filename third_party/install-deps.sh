#!/usr/bin/env bash
# Installs what framepipe needs to build, test and benchmark, from the distribution's packages
# (Debian 12 or Ubuntu 22.04 and later). Uses sudo only when not already root.
set -euo pipefail

packages=(
    # build
    build-essential cmake pkg-config
    libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libsdl2-dev
    # the overlay's text: SDL_ttf and a monospaced font
    libsdl2-ttf-dev fonts-dejavu-core
    # tests: a second compiler and its sanitizer runtimes, valgrind, and a real X server
    clang libclang-rt-dev valgrind perl python3
    # windowed tests: an X server, a way to find and drive the window, and to grab it
    xvfb xdotool imagemagick openbox wmctrl x11-utils
    # the A/V sync test's watcher (tests/avsync/avwatch.c) is an Xlib client
    libx11-dev
    # the trace viewer's test renders the page in headless Chromium
    chromium
    # assets, reference files and benchmarks are made with the ffmpeg CLI
    ffmpeg
    # installing (tests/check_install.sh, check_deb.sh): the man page, the desktop entry, completion
    man-db desktop-file-utils bash-completion
    # the Debian packages: building them and checking them against Debian's policy
    dpkg-dev debhelper lintian
)

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-deps: run as root, or install sudo" >&2
    exit 1
fi

# Debian 12 names the clang runtime after its version; pick whichever this release has.
if ! apt-cache show libclang-rt-dev >/dev/null 2>&1; then
    "${as_root[@]}" apt-get update -q
    updated=1
    if ! apt-cache show libclang-rt-dev >/dev/null 2>&1; then
        version=$(apt-cache depends clang 2>/dev/null | sed -n 's/.*Depends: clang-\([0-9]*\)$/\1/p' | head -1)
        packages=("${packages[@]/libclang-rt-dev/libclang-rt-${version:-14}-dev}")
    fi
fi
[ -n "${updated:-}" ] || "${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
