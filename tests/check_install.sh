#!/usr/bin/env bash
# Usage: check_install.sh BUILD_DIR SOURCE_DIR MEDIA REF
# cmake --install into a temporary DESTDIR, then, from what was installed:
#   - every file is where GNUInstallDirs puts it; the shared library has its soname and exports
#     every function of the installed headers;
#   - examples/count_frames.c builds against the installed library through pkg-config and
#     through find_package(framepipe), links libframepipe.so.0 from the DESTDIR, and counts as
#     many frames of MEDIA as REF (ffmpeg's framemd5) has;
#   - the installed binary plays MEDIA headless, bit-exact against REF (check_framemd5.sh);
#   - the man page, the desktop entry and the bash completion pass their own checks.
set -euo pipefail # no '| grep -q' below: grep's early exit would fail the pipe
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) media=$3 ref=$4
tests=$src/tests
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
fail() { echo "FAIL: $*"; exit 1; }

DESTDIR=$root cmake --install "$build" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
usr=$root$prefix
[ -d "$usr" ] || fail "nothing under DESTDIR$prefix"
for f in bin/framepipe "$libdir/libframepipe.so.0" "$libdir/libframepipe.so" "$libdir/libframepipe.a" \
    include/framepipe/packet_queue.h include/framepipe/frame_queue.h include/framepipe/player.h \
    "$libdir/pkgconfig/framepipe.pc" "$libdir/cmake/framepipe/framepipeConfig.cmake" \
    share/man/man1/framepipe.1 share/applications/framepipe.desktop \
    share/icons/hicolor/scalable/apps/framepipe.svg share/bash-completion/completions/framepipe; do
    [ -e "$usr/$f" ] || fail "not installed: $prefix/$f"
done
so=$usr/$libdir/libframepipe.so.0
grep -q 'SONAME.*\[libframepipe\.so\.0\]' <<<"$(readelf -d "$so")" || fail "libframepipe.so.0 has no soname libframepipe.so.0"
declared=$(grep -ho '\bfp_[a-z_0-9]*(' "$usr"/include/framepipe/*.h | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
[ -z "$missing" ] || fail "declared in include/framepipe/ but not exported: $missing"
extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
[ -z "$extra" ] || fail "exported but not in include/framepipe/: $extra"

want_frames=$(grep -vc '^#' "$ref")
run_example() { # run_example NAME BINARY
    local out
    grep -q 'NEEDED.*\[libframepipe\.so\.0\]' <<<"$(readelf -d "$2")" || fail "$1: does not link libframepipe.so.0"
    out=$(LD_LIBRARY_PATH=$usr/$libdir "$2" "$media")
    grep -q "libframepipe.so.0 => $usr/$libdir/" <<<"$(LD_LIBRARY_PATH=$usr/$libdir ldd "$2")" ||
        fail "$1: libframepipe.so.0 does not come from the DESTDIR"
    [ "$out" = "$media: $want_frames frames" ] || fail "$1: '$out', expected $want_frames frames"
    echo "ok: example through $1: $out"
}

# pkg-config: the sysroot maps the installed .pc file's paths into the DESTDIR.
cc_flags=$(PKG_CONFIG_PATH=$usr/$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
    pkg-config --cflags --libs framepipe) || fail "pkg-config framepipe"
cc -std=c11 -Wall -Werror "$src/examples/count_frames.c" $cc_flags -pthread -o "$tmp/count_pc"
run_example pkg-config "$tmp/count_pc"

# find_package(framepipe), through CMAKE_PREFIX_PATH.
cmake -S "$src/examples" -B "$tmp/example" -DCMAKE_PREFIX_PATH="$usr" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS="-Wall -Werror" >"$tmp/example.log" || { cat "$tmp/example.log"; fail "find_package"; }
cmake --build "$tmp/example" >>"$tmp/example.log" || { cat "$tmp/example.log"; fail "example build"; }
run_example find_package "$tmp/example/count_frames"

"$tests/check_framemd5.sh" "$usr/bin/framepipe" "$media" "$ref"
python3 "$tests/check_manpage.py" "$usr/bin/framepipe" "$usr/share/man/man1/framepipe.1"
desktop-file-validate "$usr/share/applications/framepipe.desktop" || fail "desktop-file-validate"
echo "ok: desktop-file-validate accepts framepipe.desktop"
"$tests/check_completion.sh" "$usr/share/bash-completion/completions/framepipe" "$usr/bin/framepipe"
