#!/usr/bin/env bash
# Usage: check_window_picture.sh FRAMEPIPE TEST_PICTURE MEDIA REF_PNG
# Shows MEDIA in a real X11 window (a private Xvfb server), grabs the window with ImageMagick's
# 'import', and compares the grab with REF_PNG by test_picture's rule (aspect within 1 %,
# median worst-channel error at most 3).
set -euo pipefail
player=$1 compare=$2 media=$3 ref=$4
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
window_test Xvfb xdotool import
start_xvfb "$work" 1920x1080

"$player" --paused "$media" 2>"$work/err" &
player_pid=$!
window=$(timeout 20 xdotool search --sync --onlyvisible --name "$(basename "$media")" | head -1)
sleep 0.5 # let the first frame reach the window
import -window "$window" "$work/shot.png"
# The key-up may find the window gone already: the player quits on key-down.
xdotool key --window "$window" q 2>/dev/null || true
for _ in $(seq 50); do kill -0 "$player_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$player_pid" 2>/dev/null; then
    echo "the player did not quit on 'q'"
    exit 1
fi
wait "$player_pid" || { echo "the player failed:"; cat "$work/err"; exit 1; }
player_pid=
"$compare" --compare "$work/shot.png" "$ref"
