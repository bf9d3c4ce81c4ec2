#!/usr/bin/env bash
# Usage: check_window_live.sh FRAMEPIPE TEST_PICTURE ASSETS_DIR PICTURE_REFS_DIR CASE
# A real X11 window (a private Xvfb server with the openbox window manager), driven as a desktop
# drives it. CASE is one of:
#   wm_close        the window manager closes the window, as its close button does: wmctrl asks
#                   openbox (_NET_CLOSE_WINDOW), and openbox sends the player a WM_DELETE_WINDOW
#                   client message. Playing with sound, and paused, the player must exit with
#                   status 0 within FP_CLOSE_BOUND seconds (default 3).
#   resize_playing  while a clip plays: the window is resized to a wider and a taller shape,
#                   made fullscreen with 'f' and back, and resized again. After each, a grab
#                   must show the picture letterboxed at its own aspect (black bars, the picture
#                   matching its reference). The clip must then play to its end and exit 0, every
#                   frame displayed or dropped, at most FP_DROP_BOUND (default 8, a tenth)
#                   dropped (--stats). The clip runs at 10 fps, so only a stall of 100 ms drops
#                   a frame: a fullscreen switch, where SDL waits for the window manager, has
#                   cost 0 to 2 under load.
set -euo pipefail
player=$(realpath "$1") compare=$(realpath "$2") assets=$(realpath "$3") refs=$(realpath "$4")
case=$5
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
window_test Xvfb openbox xdotool wmctrl xprop import convert

start_xvfb "$work" 1920x1080
start_wm "$work"

# start MEDIA [OPTIONS...]: runs the player, sets $window once its window is visible.
start() {
    local media=$1
    shift
    "$player" "$@" "$media" 2>"$work/err" &
    player_pid=$!
    find_window "$media"
    xdotool windowfocus --sync "$window"
}
alive() { kill -0 "$player_pid" 2>/dev/null; }
# wait_exit SECONDS: the player must exit within SECONDS, with status 0.
wait_exit() {
    local tenths=$(($1 * 10))
    for _ in $(seq "$tenths"); do alive || break; sleep 0.1; done
    alive && fail "the player still runs $1 s later"
    local status=0
    wait "$player_pid" || status=$?
    player_pid=
    [ "$status" -eq 0 ] || fail "the player exited with status $status"
}
size() {
    eval "$(xdotool getwindowgeometry --shell "$window")"
    echo "${WIDTH}x${HEIGHT}"
}
# wait_size WxH: up to 5 s for the window to take that size.
wait_size() {
    for _ in $(seq 50); do [ "$(size)" = "$1" ] && return 0; sleep 0.1; done
    fail "the window is $(size), not $1 ($(xprop -id "$window" _NET_WM_STATE))"
}

if [ "$case" = wm_close ]; then
    bound=${FP_CLOSE_BOUND:-3}
    # Playing, with sound (90 s long, so only the close can end it), then paused.
    for run in "h264_long_160x120_2fps_90s.mp4" "pic_bt709_1280x720.mp4 --paused"; do
        read -r media options <<<"$run"
        # shellcheck disable=SC2086 # options are words
        start "$assets/$media" $options
        sleep 1
        alive || fail "$media: the player exited before the close"
        # The close reaches SDL as WM_DELETE_WINDOW only if the window takes part in that protocol.
        protocols=$(xprop -id "$window" WM_PROTOCOLS)
        [[ "$protocols" == *WM_DELETE_WINDOW* ]] ||
            fail "$media: the window does not take WM_DELETE_WINDOW ($protocols)"
        closed_at=$(date +%s.%N)
        wmctrl -i -c "$window"
        wait_exit "$bound"
        echo "$media ${options:-playing}: closed by the window manager, exit 0 in" \
            "$(awk -v a="$closed_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
    done
    exit 0
fi

[ "$case" = resize_playing ] || { echo "unknown case $case"; exit 2; }
media=pic_bt709_playing_640x360_8s.mp4 frames=80 drop_bound=${FP_DROP_BOUND:-8}
ref=$refs/$media.png
# max_level PNG GEOMETRY: the brightest channel value in that part of the picture.
max_level() {
    convert "$1" -crop "$2" +repage -format '%[fx:round(255*maxima)]' info:
}
# grab WxH BAR BAR PICTURE: the window must be WxH; a grab is kept for check_grab, after the
# run, so that comparing does not take the CPU from the playing clip.
grabs=0
grab() {
    wait_size "$1"
    sleep 0.4 # a frame or two at the new size
    alive || fail "$1: the clip ended before the grab (the machine is too slow for this test)"
    grabs=$((grabs + 1))
    import -window "$window" "$work/grab$grabs.png"
    echo "$*" >>"$work/grabs"
}
# check_grab N WxH BAR BAR PICTURE: both BAR regions of grab N must be black and its PICTURE
# region (inside the picture, a pixel or two from its edges) must match the reference. BAR is
# '-' for none (the picture fills the window).
check_grab() {
    local shot=$work/grab$1.png a b
    shift
    if [ "$2" != - ]; then
        a=$(max_level "$shot" "$2") b=$(max_level "$shot" "$3")
        echo "$1: brightest level in the bars $a and $b"
        [ "$a" -le 2 ] && [ "$b" -le 2 ] || fail "$1: the bars are not black"
    fi
    convert "$shot" -crop "$4" +repage "$work/picture.png"
    "$compare" --compare "$work/picture.png" "$ref" || fail "$1: the picture"
}
start "$assets/$media" --stats
wait_size 640x360
# Wider than 16:9: the picture 533x300 (or 534) in the middle, black beside it.
xdotool windowsize "$window" 900 300
grab 900x300 180x300+0+0 180x300+720+0 529x296+185+2
# Taller: the picture 400x225 in the middle, black above and below.
xdotool windowsize "$window" 400 600
grab 400x600 400x185+0+0 400x185+0+415 396x221+2+190
# Fullscreen: 1920x1080 is 16:9, no bars. Then back to 400x600.
xdotool key f
grab 1920x1080 - - 1916x1076+2+2
xdotool key f
grab 400x600 400x185+0+0 400x185+0+415 396x221+2+190
# The last resize: 1000x400, the picture 711x400 (or 712) in the middle.
xdotool windowsize "$window" 1000 400
grab 1000x400 140x400+0+0 140x400+860+0 707x396+146+2
wait_exit 20
n=0
while read -r geometry; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # the geometry is words
    check_grab "$n" $geometry
done <"$work/grabs"
echo "letterboxed after every resize and fullscreen, while playing"
stats=$(grep '^stats:' "$work/err") || fail "no --stats line"
echo "$stats"
displayed=$(sed -n 's/.* displayed=\([0-9]*\).*/\1/p' <<<"$stats")
dropped=$(sed -n 's/.* dropped=\([0-9]*\).*/\1/p' <<<"$stats")
[ $((displayed + dropped)) -eq "$frames" ] ||
    fail "displayed $displayed + dropped $dropped is not the clip's $frames frames"
[ "$dropped" -le "$drop_bound" ] || fail "$dropped frames dropped, more than $drop_bound"
echo "played to the end: $displayed frames displayed, $dropped dropped"
