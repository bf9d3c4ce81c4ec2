#!/usr/bin/env bash
# Usage: check_window_keys.sh FRAMEPIPE TEST_PICTURE ASSETS_DIR PICTURE_REFS_DIR CASE
# What three keys and an option do to a real X11 window (a private Xvfb server), keys sent
# with xdotool as a user types them. CASE is one of:
#   screenshot  'c' on the rotated clip, paused on its first frame, saves framepipe-0.000.png
#               in the working directory: at the display size (240x320, rotation applied)
#               and equal to FFmpeg's rendering of the frame by test_picture's rule, as the
#               'screenshot' command's test (check_screenshot.sh) requires.
#   overlay     'o' puts a box of white text on a darkened part of the picture, at its top
#               left; the rest of the window stays the picture, and a second 'o' takes the
#               box away. Compared with window grabs without the overlay, and with the
#               reference.
#   keep_open   with --keep-open, the end of a 2.4 s clip leaves its last frame on screen,
#               paused ('i' puts "frame 59/60" and "paused" in the title; the window grab,
#               with 'i' off again so that its panel is not drawn over the picture,
#               matches frame 59, not 58), back-steps still work, and the player runs until
#               'q', then exits 0. Without it, the player exits 0 at the end by itself.
# KEEP_WORK=1 keeps the window grabs and screenshots for a look.
set -euo pipefail
player=$(realpath "$1") compare=$(realpath "$2") assets=$(realpath "$3") refs=$(realpath "$4")
case=$5
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
window_test Xvfb xdotool import convert compare
start_xvfb "$work"

# start MEDIA [OPTIONS...]: runs the player in $work, sets $window once its window is visible
# and has the keyboard focus.
start() {
    local media=$1
    shift
    (cd "$work" && exec "$player" "$@" "$media") 2>"$work/err" &
    player_pid=$!
    find_window "$media"
    xdotool windowfocus --sync "$window"
    sleep 0.5 # the first frame reaches the window
}
# finish SECONDS: the player must exit with status 0 within SECONDS.
finish() {
    for _ in $(seq $(($1 * 10))); do kill -0 "$player_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$player_pid" 2>/dev/null && fail "the player is still running after $1 s"
    wait "$player_pid" || fail "the player exited with status $?"
    player_pid=
}
# grab NAME: the window's picture as $work/NAME.png.
grab() {
    sleep 0.3 # the key's effect reaches the window
    import -window "$window" "$work/$1.png"
}
# differing A B: how many pixels of two same-size PNGs differ in brightness by more than 10 %.
# Brightness, since SDL and libswscale upsample the chroma of 4:2:0 differently at colour edges.
differing() {
    convert "$1" -colorspace gray "$work/a-gray.png"
    convert "$2" -colorspace gray "$work/b-gray.png"
    compare -metric AE -fuzz 10% "$work/a-gray.png" "$work/b-gray.png" null: 2>&1 || true
}
# title_has TEXT [SECONDS]: up to SECONDS (5) for the window title to contain TEXT.
title_has() {
    for _ in $(seq $((${2:-5} * 10))); do
        kill -0 "$player_pid" 2>/dev/null || fail "the player exited before the title had '$1'"
        [[ "$(xdotool getwindowname "$window" 2>/dev/null)" == *"$1"* ]] && return 0
        sleep 0.1
    done
    fail "the title is '$(xdotool getwindowname "$window")', without '$1'"
}

case $case in
screenshot)
    media=pic_rotated90_320x240.mp4
    start "$assets/$media" --paused
    xdotool key c
    shot=$work/framepipe-0.000.png
    for _ in $(seq 50); do [ -s "$shot" ] && break; sleep 0.1; done
    sleep 0.2 # the file appears on open: let the encoder finish writing it
    [ -s "$shot" ] || fail "'c' saved no framepipe-0.000.png ($(ls "$work"))"
    xdotool key q
    finish 5
    size=$(convert "$shot" -format '%wx%h' info:)
    echo "'c' saved framepipe-0.000.png, $size"
    [ "$size" = 240x320 ] || fail "the screenshot is $size, not the display size 240x320"
    "$compare" --compare "$shot" "$refs/$media.png" || fail "the screenshot is not the frame as shown"
    ;;
overlay)
    media=pic_bt601_640x480.mp4 # SD colour bars: bright everywhere in the top left
    start "$assets/$media" --paused
    grab plain
    "$compare" --compare "$work/plain.png" "$refs/$media.png" || fail "the picture without overlay"
    xdotool key o
    grab overlay
    xdotool key o
    grab again
    xdotool key q
    finish 5
    # Where the overlay changed the picture: the bounding box of the pixels that differ.
    box=$(convert "$work/plain.png" "$work/overlay.png" -compose difference -composite \
        -threshold 10% -format '%@' info:)
    echo "the overlay covers ${box} of the 640x480 window"
    [[ "$box" =~ ^([0-9]+)x([0-9]+)\+([0-9]+)\+([0-9]+)$ ]] || fail "the overlay changed nothing"
    w=${BASH_REMATCH[1]} h=${BASH_REMATCH[2]} x=${BASH_REMATCH[3]} y=${BASH_REMATCH[4]}
    # Four lines of 13 px text in a box 6 px from the top left corner.
    [ "$x" -le 8 ] && [ "$y" -le 8 ] && [ "$w" -ge 150 ] && [ "$w" -le 600 ] \
        && [ "$h" -ge 50 ] && [ "$h" -le 120 ] \
        || fail "the changed region $box is not a text box at the top left"
    # Inside the box the bars are darkened under white glyphs: mostly dark pixels, and some
    # near-white ones, which the bars darkened (at most 75 % white, times 0.31) cannot be.
    read -r dark white < <(convert "$work/overlay.png" -crop "$box" +repage -colorspace gray \
        -depth 8 txt:- | awk -F'(' 'NR > 1 { v = $2 + 0; n++; if (v < 100) d++; if (v > 200) w++ }
                                         END { printf "%.3f %.3f\n", d / n, w / n }')
    echo "in the box: ${dark} of the pixels dark, ${white} near white (the text)"
    awk -v d="$dark" -v w="$white" 'BEGIN { exit !(d > 0.5 && w > 0.02 && w < 0.4) }' \
        || fail "the box is not white text on a darkened picture"
    # Outside the box the picture is untouched, and a second 'o' removes the box.
    convert "$work/overlay.png" -fill black -draw "rectangle $x,$y $((x + w - 1)),$((y + h - 1))" \
        "$work/overlay-masked.png"
    convert "$work/plain.png" -fill black -draw "rectangle $x,$y $((x + w - 1)),$((y + h - 1))" \
        "$work/plain-masked.png"
    outside=$(differing "$work/plain-masked.png" "$work/overlay-masked.png")
    removed=$(differing "$work/plain.png" "$work/again.png")
    echo "pixels changed outside the box: $outside; after the second 'o': $removed"
    [ "$outside" = 0 ] || fail "the overlay changed the picture outside its box"
    [ "$removed" = 0 ] || fail "a second 'o' did not remove the overlay"
    ;;
keep_open)
    media=h264_framenum_320x240_25fps.mp4 # 60 frames at 25 fps, numbers drawn in: 2.4 s
    # The expected pictures of frames 58 and 59, saved by the 'screenshot' command.
    printf 'frame 58\nscreenshot %s/frame58.png\nframe 59\nscreenshot %s/frame59.png\nquit\n' \
        "$work" "$work" | "$player" --headless --script - "$assets/$media" 2>"$work/err" \
        || fail "the screenshots of frames 58 and 59"
    start "$assets/$media" --keep-open
    xdotool key i
    title_has "frame 59/60" 10
    title_has "paused"
    sleep 1 # past the end
    kill -0 "$player_pid" 2>/dev/null || { wait "$player_pid" || true; player_pid=; fail "with --keep-open the player exited at the end"; }
    echo "at the end: $(xdotool getwindowname "$window")"
    xdotool key i # the frame's panel off, for a grab of the picture alone
    grab end
    xdotool key i
    to59=$(differing "$work/end.png" "$work/frame59.png")
    to58=$(differing "$work/end.png" "$work/frame58.png")
    echo "pixels of the window that differ from frame 59: $to59; from frame 58: $to58"
    [ "$to59" -lt 200 ] && [ "$to58" -gt 1000 ] || fail "the window does not show the last frame"
    xdotool key comma
    title_has "frame 58/60"
    xdotool key q
    finish 5
    echo "kept open on frame 59, paused, stepped back to 58, quit on 'q' with status 0"
    # Without it the player ends by itself: no window to find first (a slow start, under a
    # sanitizer, can take longer than the 2.4 s clip before a search sees the window).
    "$player" "$assets/$media" 2>"$work/err" &
    player_pid=$!
    finish 10
    echo "without --keep-open: exited 0 at the end"
    ;;
*)
    echo "unknown case '$case' (screenshot, overlay, keep_open)"
    exit 2
    ;;
esac
echo "$case passed"
