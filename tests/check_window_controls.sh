#!/usr/bin/env bash
# Usage: check_window_controls.sh FRAMEPIPE TEST_PICTURE ASSETS_DIR PICTURE_REFS_DIR
# Window behaviour in a real X11 window (a private Xvfb server with the openbox window
# manager, which does fullscreen as desktop window managers do), driven with xdotool as a
# user would:
#   - 'f' and a double-click switch to fullscreen and back, to the same size;
#   - a window resized to another shape letterboxes the picture: black bars, the picture
#     at its own aspect in the middle, compared with its reference;
#   - a still image (JPEG) played without --paused stays on screen, steps both ways,
#     and quits on 'q' with status 0;
#   - the first window has the display size (aspect and rotation applied), shrunk to fit
#     a smaller screen;
#   - 'i' puts the time, frame number and picture type in the title, and it follows
#     arrow keys and steps; 'c' saves framepipe-<seconds>.png in the working directory.
set -euo pipefail
player=$(realpath "$1") compare=$(realpath "$2") assets=$(realpath "$3") refs=$(realpath "$4")
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
window_test Xvfb openbox xdotool import convert

# start_x WxH: a private X server with that screen, and openbox on it (any earlier one stops).
start_x() {
    [ -n "$wm_pid" ] && kill "$wm_pid" 2>/dev/null && wait "$wm_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    start_xvfb "$work" "$1"
    start_wm "$work"
}
start_x 1920x1080

# start MEDIA [OPTIONS...]: runs the player, sets $window once its window is visible.
start() {
    local media=$1
    shift
    "$player" "$@" "$media" 2>"$work/err" &
    player_pid=$!
    find_window "$media"
    xdotool windowfocus --sync "$window"
    sleep 0.5 # the first frame reaches the window
}
# Keys go through XTEST to the focused window, the player's: a key sent to a window with
# --window is lost on its way up when the window is gone, and stays down in the server.
# quit: 'q', then the player must exit with status 0 within 5 s.
quit() {
    xdotool key q
    for _ in $(seq 50); do kill -0 "$player_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$player_pid" 2>/dev/null && fail "the player did not quit on 'q'"
    wait "$player_pid" || fail "the player exited with status $?"
    player_pid=
}
# size: the window's size as WxH.
size() {
    eval "$(xdotool getwindowgeometry --shell "$window")"
    echo "${WIDTH}x${HEIGHT}"
}
# wait_size WxH: up to 5 s for the window to take that size.
wait_size() {
    for _ in $(seq 50); do [ "$(size)" = "$1" ] && return 0; sleep 0.1; done
    fail "the window is $(size), not $1 ($(xprop -id "$window" _NET_WM_STATE))"
}
# max_level PNG GEOMETRY: the brightest channel value in that part of the picture.
max_level() {
    convert "$1" -crop "$2" +repage -format '%[fx:round(255*maxima)]' info:
}

echo "--- fullscreen: 'f' and double-click"
media=pic_bt709_1280x720.mp4
start "$assets/$media" --paused
wait_size 1280x720
xdotool key f
wait_size 1920x1080
sleep 0.3
import -window "$window" "$work/full.png"
"$compare" --compare "$work/full.png" "$refs/$media.png" || fail "the fullscreen picture"
xdotool key f
wait_size 1280x720
xdotool mousemove --window "$window" 200 200 click --repeat 2 --delay 60 1
wait_size 1920x1080
xdotool mousemove --window "$window" 200 200 click --repeat 2 --delay 60 1
wait_size 1280x720
echo "fullscreen and back, by key and by double-click"

echo "--- resize: letterbox"
# boxed WxH BAR BAR PICTURE: resizes the window to WxH; both BAR regions must be black and
# the PICTURE region (inside the picture, a pixel or two from its edges) must match the reference.
boxed() {
    xdotool windowsize "$window" "${1%x*}" "${1#*x}"
    wait_size "$1"
    sleep 0.5
    import -window "$window" "$work/boxed.png"
    local a b
    a=$(max_level "$work/boxed.png" "$2") b=$(max_level "$work/boxed.png" "$3")
    echo "$1: brightest level in the bars $a and $b"
    [ "$a" -le 2 ] && [ "$b" -le 2 ] || fail "$1: the bars are not black"
    convert "$work/boxed.png" -crop "$4" +repage "$work/boxed-picture.png"
    "$compare" --compare "$work/boxed-picture.png" "$refs/$media.png" || fail "$1: the picture"
}
# Wider than 16:9: the picture is 711x400 (or 712) in the middle, black beside it.
boxed 1000x400 140x400+0+0 140x400+860+0 709x396+146+2
# Taller: the picture is 600x338 (or 337) in the middle, black above and below.
boxed 600x900 600x270+0+0 600x270+0+630 596x334+2+283
quit

echo "--- a still image stays on screen"
media=pic_jpeg_640x480.jpg
start "$assets/$media"
sleep 1.5
kill -0 "$player_pid" 2>/dev/null || fail "the player exited on its own"
xdotool key period comma s space
sleep 0.5
kill -0 "$player_pid" 2>/dev/null || fail "the player exited after steps"
import -window "$window" "$work/still.png"
"$compare" --compare "$work/still.png" "$refs/$media.png" || fail "the still picture"
quit
echo "--- first window size: the display size, shrunk to fit the screen"
for case in pic_anamorphic_720x576.mkv:1024x576 pic_rotated90_320x240.mp4:240x320; do
    start "$assets/${case%%:*}" --paused
    wait_size "${case##*:}"
    quit
done
start_x 800x600
start "$assets/pic_bt709_1280x720.mp4" --paused
wait_size 800x450
quit
echo "anamorphic 1024x576, rotated 240x320, 1280x720 on an 800x600 screen 800x450"
start_x 1920x1080

echo "--- information line, seek and step keys, screenshot key"
media=h264_long_160x120_2fps_90s.mp4 # 2 fps: frame n at n / 2 s
# title_has TEXT: up to 5 s for the window title to contain TEXT.
title_has() {
    for _ in $(seq 50); do [[ "$(xdotool getwindowname "$window")" == *"$1"* ]] && return 0; sleep 0.1; done
    fail "the title is '$(xdotool getwindowname "$window")', without '$1'"
}
cd "$work" # where 'c' saves
start "$assets/$media" --paused
xdotool key i
title_has "0.000 s  frame 0/180  I"
xdotool key Right Right Left
title_has "5.000 s  frame 10/180  "
xdotool key period period comma
title_has "5.500 s  frame 11/180  "
xdotool key c
for _ in $(seq 50); do [ -s "$work/framepipe-5.500.png" ] && break; sleep 0.1; done
[ -s "$work/framepipe-5.500.png" ] || fail "'c' saved no framepipe-5.500.png"
echo "title: $(xdotool getwindowname "$window")"
quit
echo "all window controls passed"
