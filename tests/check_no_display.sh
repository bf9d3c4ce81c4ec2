#!/usr/bin/env bash
# Usage: check_no_display.sh FRAMEPIPE ASSETS_DIR
# With no display to open a window on, the player must say so in one line and exit 1 at once,
# not play to the end in a window nobody sees (SDL 2 falls back to its offscreen driver when
# every real one fails). Asked for by name, the offscreen driver still plays.
set -euo pipefail
player=$1 media=$2/tiny_h264_aac_3frames_64x48.mp4
fail() { echo "FAIL: $*"; exit 1; }

# refused EXPECTED ENV...: the player, under env ENV..., exits 1 within 20 s printing EXPECTED.
refused() {
    local expected=$1 out status=0
    shift
    # No Wayland either: wl_display_connect() would find a compositor's socket by
    # XDG_RUNTIME_DIR on a desktop.
    out=$(env -u WAYLAND_DISPLAY -u XDG_RUNTIME_DIR -u SDL_VIDEODRIVER "$@" \
        timeout 20 "$player" "$media" 2>&1) || status=$?
    [ "$status" -eq 1 ] || fail "$*: exit status $status, not 1: $out"
    grep -qF "framepipe: $media: cannot open a window: $expected" <<<"$out" ||
        fail "$*: no '$expected' in: $out"
    echo "refused ($*): $(grep -F 'cannot open a window' <<<"$out")"
}

refused "no display (DISPLAY is not set)" -u DISPLAY
# A display number nobody serves: no lock file, no socket.
n=907
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
refused "the display :$n did not accept a connection" DISPLAY=:$n

out=$(env -u DISPLAY SDL_VIDEODRIVER=offscreen timeout 20 "$player" "$media" 2>&1) ||
    fail "SDL_VIDEODRIVER=offscreen: exit status $?: $out"
echo "SDL_VIDEODRIVER=offscreen plays"
echo "PASS: no display is refused in one line; the offscreen driver asked for by name plays"
