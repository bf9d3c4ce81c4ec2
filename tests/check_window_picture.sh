#!/usr/bin/env bash
# Usage: check_window_picture.sh FRAMEPIPE TEST_PICTURE MEDIA REF_PNG
# Shows MEDIA in a real X11 window (a private Xvfb server), grabs the window with ImageMagick's
# 'import', and compares the grab with REF_PNG by test_picture's rule (aspect within 1 %,
# median worst-channel error at most 3).
set -euo pipefail
player=$1 compare=$2 media=$3 ref=$4
for tool in Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "missing $tool (third_party/install-deps.sh installs it)"; exit 1; }
done
work=$(mktemp -d)
xvfb_pid= player_pid=
cleanup() {
    # Keep the script's own status: a server that already went away, or a directory that
    # openbox still writes into while it dies, is not a failure of the test (set -e would
    # make it one here).
    local status=$?
    set +e
    [ -n "$player_pid" ] && kill "$player_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
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
