#!/usr/bin/env bash
# Usage: check_window_osd_read.sh FRAMEPIPE OSD_READ ASSETS_DIR REFS_DIR
# The on-screen display as a person sees it: a real X11 window (a private Xvfb), grabbed with
# `import`, its text read back by osd_read glyph by glyph with the display's own font.
#   info   On three frames of two assets (B-frames in MP4, MPEG-2 in TS), the 'i' panel says
#          what the script's 'info' line says: frame number, total, picture type, key flag,
#          pts, dts, time base, packet size and position.
#   loupe  With 'z', the pointer over each of the 20 pixels of tests/ref/pixel/ (corners, the
#          last row and column, odd places) of an 8-bit 4:2:0, a 10-bit 4:2:2 and a 10-bit
#          4:4:4 picture, the window twice the picture's size: the loupe names that pixel and
#          gives the ffmpeg CLI's raw code values for it, and its "screen=" is the colour of
#          the window under the pointer in the same grab (where the timeline, which the
#          pointer near the bottom brings up, does not cover the picture).
# KEEP_WORK=1 keeps the grabs.
set -euo pipefail
player=$(realpath "$1") reader=$(realpath "$2") assets=$(realpath "$3") refs=$(realpath "$4")
for tool in Xvfb xdotool import convert; do
    command -v "$tool" >/dev/null || { echo "missing $tool (third_party/install-deps.sh installs it)"; exit 1; }
done
work=$(mktemp -d)
xvfb_pid= player_pid=
cleanup() {
    local status=$?
    set +e
    exec 4>&- 2>/dev/null
    [ -n "$player_pid" ] && kill "$player_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
    exit $status
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -s "$work/err" ] && { echo "player stderr:"; tail -20 "$work/err"; }; exit 1; }
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
start_xvfb "$work" 1600x1200

# start MEDIA W H: the player on MEDIA reading its script from a pipe (fd 4 writes to it), its
# window resized to W x H; sets $window. send CMD...: one script line each.
start() {
    rm -f "$work/script"
    mkfifo "$work/script"
    "$player" -an --paused --script "$work/script" "$1" >"$work/out" 2>"$work/err" &
    player_pid=$!
    exec 4>"$work/script"
    find_window "$1"
    # At the screen's corner: a window partly off the screen has its pointer clamped and its
    # grab cut there.
    xdotool windowmove --sync "$window" 0 0 || xdotool windowmove "$window" 0 0
    xdotool windowsize --sync "$window" "$2" "$3" || xdotool windowsize "$window" "$2" "$3"
    font_px=$(($3 / 32))
    [ "$font_px" -lt 12 ] && font_px=12
    [ "$font_px" -gt 40 ] && font_px=40
    width=$2 height=$3
}
send() { printf '%s\n' "$@" >&4; }
stop() {
    send quit
    exec 4>&-
    wait "$player_pid" || fail "the player exited with status $?"
    player_pid=
}
# wait_out PATTERN: waits up to 10 s for a line of the player's stdout matching PATTERN.
wait_out() {
    for _ in $(seq 100); do grep -q -- "$1" "$work/out" && return; sleep 0.1; done
    fail "no line matching '$1' from the script; stdout: $(tail -3 "$work/out")"
}
grabs=0
# read_window: grabs the window into $work/grab.ppm and reads its boxes of text into $work/text.
read_window() {
    grabs=$((grabs + 1))
    import -window "$window" -depth 8 "$work/grab.ppm"
    [ -n "${KEEP_WORK:-}" ] && cp "$work/grab.ppm" "$work/grab$grabs.ppm"
    "$reader" "$font_px" "$work/grab.ppm" >"$work/text" || fail "osd_read failed"
}
# read_until PATTERN: reads the window again (up to 5 s) until a line of text matches PATTERN.
read_until() {
    for _ in $(seq 25); do
        read_window
        grep -q -- "$1" "$work/text" && return
        sleep 0.2
    done
    echo "the window's text, last read (KEEP_WORK=1 keeps it as grab$grabs.ppm):"
    sed 's/^/  /' "$work/text"
    fail "no text matching '$1' in the window"
}
# pixel_at PPM X Y: "R,G,B" of that pixel of a binary PPM.
pixel_at() {
    python3 - "$@" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
fields, at = [], 0
while len(fields) < 4:  # P6, width, height, maxval: each ends at one whitespace byte
    while data[at:at + 1].isspace():
        at += 1
    end = at
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[at:end])
    at = end
at += 1
x, y, w = int(sys.argv[2]), int(sys.argv[3]), int(fields[1])
print(",".join(str(b) for b in data[at + (y * w + x) * 3:at + (y * w + x) * 3 + 3]))
PY
}
# field NAME LINE: the value of NAME=... in a key=value line.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -1; }

# --- the 'i' panel against 'info' ---------------------------------------------------------
panels=0
for spec in h264_bframes_aac_320x240_30fps.mp4:0,37,70 mpeg2_mp2_framenum_320x240_25fps.ts:1,26,49; do
    media=$assets/${spec%%:*}
    start "$media" 640 480
    send show-info
    frames=${spec#*:}
    for frame in ${frames//,/ }; do
        send "frame $frame" info
        wait_out "^info n=$frame "
        info=$(grep -a "^info n=$frame " "$work/out" | tail -1)
        read_until "^[0-9]*,[0-9]*: frame $frame / "
        panel=$(sed -n 's/^[0-9]*,[0-9]*: //p' "$work/text")
        total=$(field total "$info") type=$(field type "$info") key=$(field key "$info")
        pts=$(field pts "$info") dts=$(field dts "$info") tb=$(field time_base "$info")
        size=$(field size "$info") pos=$(field pos "$info")
        keyword=
        [ "$key" = 1 ] && keyword="  key"
        want=("frame $frame / $total   $type$keyword" "pts $pts  dts $dts  (time base $tb)"
              "packet $size bytes at byte $pos")
        for line in "${want[@]}"; do
            grep -qxF -- "$line" <<<"$panel" || {
                echo "info: $info"
                echo "the panel reads:"
                sed 's/^/  /' <<<"$panel"
                fail "${media##*/} frame $frame: the 'i' panel does not say '$line'"
            }
        done
        panels=$((panels + 1))
    done
    stop
done
echo "the 'i' panel read from the window says what 'info' says on $panels frames"

# --- the loupe against the ffmpeg CLI's bytes ----------------------------------------------
pixels=0 screens=0
for asset in h264_framenum_320x240_25fps.mp4 pic_yuv422p10_320x240.mkv pic_yuv444p10_640x480.mkv; do
    ref=$refs/pixel/$asset.txt
    read -r _ fmt w h <"$ref"
    start "$assets/$asset" $((2 * w)) $((2 * h))
    send "frame 0" info
    wait_out "^info n=0 "
    xdotool key --window "$window" z
    # The pointer this near the bottom brings up the timeline, over the picture there.
    band=$((2 * h / 12))
    [ "$band" -lt 28 ] && band=28
    [ "$band" -gt 96 ] && band=96
    while read -r x y want_y want_u want_v; do
        # Pixel x covers window columns 2x and 2x + 1.
        xdotool mousemove --window "$window" $((2 * x)) $((2 * y))
        read_until ": x=$x y=$y fmt=$fmt "
        values=$(grep -A1 ": x=$x y=$y fmt=$fmt " "$work/text" | tail -1 | sed 's/^[0-9]*,[0-9]*: //')
        screen=$(grep -A2 ": x=$x y=$y fmt=$fmt " "$work/text" | tail -1 | sed -n 's/^[0-9]*,[0-9]*: screen=//p')
        got="$(field Y "$values") $(field U "$values") $(field V "$values")"
        [ "$got" = "$want_y $want_u $want_v" ] ||
            fail "$asset ($x, $y): the loupe reads Y U V = $got, the ffmpeg CLI's bytes $want_y $want_u $want_v"
        if [ $((2 * y)) -lt $((2 * h - 2 * band)) ]; then
            seen=$(pixel_at "$work/grab.ppm" $((2 * x)) $((2 * y)))
            [ "$screen" = "$seen" ] ||
                fail "$asset ($x, $y): the loupe says screen=$screen, the window shows $seen there"
            screens=$((screens + 1))
        fi
        pixels=$((pixels + 1))
    done < <(tail -n +2 "$ref")
    stop
done
echo "the loupe read from the window gives the ffmpeg CLI's values for $pixels pixels, the window's colour for $screens"
[ "$panels" -eq 6 ] && [ "$pixels" -eq 60 ] && [ "$screens" -ge 40 ] ||
    fail "checked $panels panels, $pixels pixels and $screens colours, not 6, 60 and at least 40"
echo "PASS: the on-screen display, read back from a real window, says what it must"
