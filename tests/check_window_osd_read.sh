#!/usr/bin/env bash
# Usage: check_window_osd_read.sh FRAMEPIPE OSD_READ ASSETS_DIR REFS_DIR
# The on-screen display as a person sees it: a real X11 window (a private Xvfb), grabbed with
# `import`, its text read back by osd_read glyph by glyph with the display's own font.
#   info   On three frames of two assets (B-frames in MP4, MPEG-2 in TS), the 'i' panel says
#          what the script's 'info' line says: frame number, total, picture type, key flag,
#          pts, dts, time base, packet size and position.
#   gop    With 'g', the GOP strip's boxes, read left to right as type and number over decode
#          number, are a run of what the script's 'gop' prints, the frame on screen among them.
#   inspector  With 'e', paused, the frame number, the packet line and the picture type say
#          what 'info' says, and the header lines after "headers" are, in order, lines of what
#          'headers' prints (the window's lines broken to fit are joined, runs of spaces closed
#          up). While playing, the inspector shows frames one after another, each as 'info'
#          and 'headers' say of it afterwards.
#   loupe  With 'z', the pointer over each of the 20 pixels of tests/ref/pixel/ (corners, the
#          last row and column, odd places) of an 8-bit 4:2:0 and a 10-bit 4:2:2 picture in a
#          window twice their size, and a 10-bit 4:4:4 one at its size: the loupe names that pixel and
#          gives the ffmpeg CLI's raw code values for it, and its "screen=" is the colour of
#          the window under the pointer in the same grab (where the timeline, which the
#          pointer near the bottom brings up, does not cover the picture).
# FP_OSD_READ_QUICK=1 (the sanitizer builds, where a grab and its reading are slow) checks the
# panels on the middle one of the three frames and the loupe on every other pixel.
# KEEP_WORK=1 keeps the grabs.
set -euo pipefail
player=$(realpath "$1") reader=$(realpath "$2") assets=$(realpath "$3") refs=$(realpath "$4")
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
window_test Xvfb xdotool import convert
start_xvfb "$work" 1600x1200

# start MEDIA W H [OPTION]: the player on MEDIA, paused (or with OPTION instead, such as -an),
# driven by send (window_find.sh), its window resized to W x H; sets $window and $font_px, the
# display's text size there.
start() {
    start_scripted "$1" -an "${4:---paused}"
    # At the screen's corner: a window partly off the screen has its pointer clamped and its
    # grab cut there.
    xdotool windowmove --sync "$window" 0 0 || xdotool windowmove "$window" 0 0
    xdotool windowsize --sync "$window" "$2" "$3" || xdotool windowsize "$window" "$2" "$3"
    font_px=$(($3 / 32 < 12 ? 12 : $3 / 32 > 40 ? 40 : $3 / 32))
}
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

# --- the 'i' panel, the GOP strip and the inspector against the script's lines -------------
# script_says N: goes to frame N and sets $info to the script's 'info' line for it, and
# $work/headers to what 'headers' printed (its line count is in its first line).
script_says() {
    send "frame $1" info headers
    wait_out "^headers n=$1 "
    info=$(grep -a "^info n=$1 " "$work/out" | tail -1)
    local count
    count=$(grep -a "^headers n=$1 " "$work/out" | tail -1 | sed 's/.*lines=//')
    grep -a -A "$count" "^headers n=$1 " "$work/out" | tail -n "$count" >"$work/headers"
}
# inspector.py TEXT HEADERS INFO: the inspector read from the window (TEXT) names the frame
# that the script's INFO line is about, its packet line says what INFO says, and its header
# lines are, in order, lines of what 'headers' printed for it (HEADERS).
cat >"$work/inspector.py" <<'PY'
import re, sys
squeeze = lambda s: " ".join(s.split())
lines = []
for line in open(sys.argv[1]).read().splitlines():
    words = line.partition(": ")[2]
    if words.startswith("  ") and lines:
        lines[-1] += " " + words.strip()  # the rest of a line broken to fit
    else:
        lines.append(words)
lines = [squeeze(l) for l in lines]
info = dict(w.split("=", 1) for w in sys.argv[3].split()[1:])
named = f"inspector: frame {info['n']} / {info['total']}"
packet = f"packet pts {info['pts']} dts {info['dts']} size {info['size']} pos {info['pos']}"
heads = [squeeze(l) for l in open(sys.argv[2]).read().splitlines()]
# (a message at the top right, such as "frame N", may end the first line)
ok = any(l == named or l.startswith(named + " ") for l in lines) and \
    any(l == packet or l.startswith(packet + " ") for l in lines) and \
    any(l.startswith(f"picture {info['type']} ") for l in lines)
start = lines.index("headers ('headers' prints them all):") + 1 if ok else len(lines)
shown = lines[start:]
first = heads.index(shown[0]) if shown and shown[0] in heads else -1
ok = ok and first >= 0 and len(shown) >= 10 and heads[first:first + len(shown)] == shown
print(f"inspector: {len(shown)} header lines from the window, from '{shown[0] if shown else ''}'")
if not ok:
    print("window:", *lines, sep="\n  ")
sys.exit(0 if ok else 1)
PY
panels=0 strips=0 inspected=0
for spec in h264_bframes_aac_320x240_30fps.mp4:0,37,70 mpeg2_mp2_framenum_320x240_25fps.ts:1,26,49; do
    media=$assets/${spec%%:*}
    start "$media" 640 480
    send show-info
    frames=${spec#*:}
    [ -n "${FP_OSD_READ_QUICK:-}" ] && frames=$(cut -d, -f2 <<<"$frames")
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
    # The GOP strip, at the bottom, with the panel gone.
    send show-info show-gop
    for frame in ${frames//,/ }; do
        send "frame $frame" gop
        wait_out "\[[A-Z?]$frame(d"
        gop=$(grep -a "\[[A-Z?]$frame(d" "$work/out" | tail -1)
        read_until "^[0-9]*,[0-9]*: GOP in display order"
        python3 - "$work/text" "$gop" <<'PY' || fail "${media##*/} frame $frame: the GOP strip in the window is not what 'gop' says"
import re, sys
text, gop = open(sys.argv[1]).read().splitlines(), sys.argv[2]
boxes = {}
for line in text:
    where, _, words = line.partition(": ")
    boxes.setdefault(where, []).append(words)
shown = sorted((int(w.split(",")[0]), f"{b[0]}({b[1]})") for w, b in boxes.items()
               if len(b) == 2 and re.fullmatch(r"[A-Z?]\d+", b[0]) and re.fullmatch(r"d\d+", b[1]))
shown = [s for _, s in shown]
want = gop.partition(": ")[2].replace("[", "").replace("]", "").split()
current = re.search(r"\[(\S+)\]", gop).group(1)
runs = [want[i:i + len(shown)] for i in range(len(want) - len(shown) + 1)]
print(f"strip: {len(shown)} boxes {' '.join(shown[:3])} ... {' '.join(shown[-2:])}")
ok = len(shown) >= min(len(want), 5) and shown in runs and current in shown
if not ok:
    print(f"gop: {gop}")
sys.exit(0 if ok else 1)
PY
        strips=$((strips + 1))
    done
    # The inspector, paused, with the strip gone.
    send show-gop show-inspector
    for frame in ${frames//,/ }; do
        script_says "$frame"
        read_until "^[0-9]*,[0-9]*: packet   pts $(field pts "$info")  dts $(field dts "$info")"
        python3 "$work/inspector.py" "$work/text" "$work/headers" "$info" ||
            fail "${media##*/} frame $frame: the inspector in the window is not what 'info' and 'headers' say"
        inspected=$((inspected + 1))
    done
    stop
done
echo "(${SECONDS} s) read from the window: the 'i' panel says what 'info' says on $panels frames, the GOP strip what 'gop' says on $strips, the inspector what 'info' and 'headers' say on $inspected"

# --- the inspector while playing: a few times a second it shows a frame, and what it shows of
# that frame (number, packet, type, headers) is what the script says of it, paused ----------
media=$assets/h264_bframes_aac_320x240_30fps.mp4
start "$media" 640 480 -an
send show-inspector
playing=()
for i in $(seq 8); do
    read_window
    n=$(sed -n 's/^[0-9]*,[0-9]*: inspector: frame \([0-9]*\) \/ .*/\1/p' "$work/text" | head -1)
    if [ -n "$n" ] && grep -qF "headers ('headers' prints them all):" "$work/text"; then
        cp "$work/text" "$work/playing$i"
        playing+=("$i:$n")
    fi
    sleep 0.2
done
send pause
distinct=$(printf '%s\n' "${playing[@]#*:}" | sort -u | wc -l)
[ "${#playing[@]}" -ge 4 ] && [ "$distinct" -ge 3 ] ||
    fail "while playing, the inspector showed headers in ${#playing[@]} of 8 grabs, of $distinct frames (${playing[*]})"
for grab in "${playing[@]}"; do
    frame=${grab#*:}
    script_says "$frame"
    python3 "$work/inspector.py" "$work/playing${grab%%:*}" "$work/headers" "$info" ||
        fail "while playing, the inspector's frame $frame is not what 'info' and 'headers' say of it"
done
stop
echo "(${SECONDS} s) while playing, the inspector showed frames ${playing[*]#*:}, each as 'info' and 'headers' say"

# --- the loupe against the ffmpeg CLI's bytes ----------------------------------------------
pixels=0 screens=0
for asset in h264_framenum_320x240_25fps.mp4 pic_yuv422p10_320x240.mkv pic_yuv444p10_640x480.mkv; do
    ref=$refs/pixel/$asset.txt
    read -r _ fmt w h <"$ref"
    # Twice the picture's size (a picture pixel is 2 x 2 window pixels), or its own size for
    # the larger picture: a grab of that many pixels is slow to read under a sanitizer.
    k=2
    [ "$w" -gt 320 ] && k=1
    start "$assets/$asset" $((k * w)) $((k * h))
    send "frame 0" info
    wait_out "^info n=0 "
    xdotool key --window "$window" z
    # The pointer this near the bottom brings up the timeline, over the picture there.
    band=$((k * h / 12))
    [ "$band" -lt 28 ] && band=28
    [ "$band" -gt 96 ] && band=96
    while read -r x y want_y want_u want_v; do
        # Pixel x covers window columns k x to k x + k - 1.
        xdotool mousemove --window "$window" $((k * x)) $((k * y))
        read_until ": x=$x y=$y fmt=$fmt "
        values=$(grep -A1 ": x=$x y=$y fmt=$fmt " "$work/text" | tail -1 | sed 's/^[0-9]*,[0-9]*: //')
        screen=$(grep -A2 ": x=$x y=$y fmt=$fmt " "$work/text" | tail -1 | sed -n 's/^[0-9]*,[0-9]*: screen=//p')
        got="$(field Y "$values") $(field U "$values") $(field V "$values")"
        [ "$got" = "$want_y $want_u $want_v" ] ||
            fail "$asset ($x, $y): the loupe reads Y U V = $got, the ffmpeg CLI's bytes $want_y $want_u $want_v"
        if [ $((k * y)) -lt $((k * h - 2 * band)) ]; then
            seen=$(pixel_at "$work/grab.ppm" $((k * x)) $((k * y)))
            [ "$screen" = "$seen" ] ||
                fail "$asset ($x, $y): the loupe says screen=$screen, the window shows $seen there"
            screens=$((screens + 1))
        fi
        [ -n "${VERBOSE:-}" ] && echo "(${SECONDS} s) $asset ($x, $y) after $grabs grabs"
        pixels=$((pixels + 1))
    done < <(tail -n +2 "$ref" | awk -v quick="${FP_OSD_READ_QUICK:-}" '!quick || NR % 2')
    stop
done
echo "(${SECONDS} s) the loupe read from the window gives the ffmpeg CLI's values for $pixels pixels, the window's colour for $screens"
frames=6 want_pixels=60
[ -n "${FP_OSD_READ_QUICK:-}" ] && frames=2 want_pixels=30
[ "$panels" -eq $frames ] && [ "$strips" -eq $frames ] && [ "$inspected" -eq $frames ] &&
    [ "$pixels" -eq $want_pixels ] && [ "$screens" -ge $((want_pixels * 2 / 3)) ] ||
    fail "checked $panels panels, $strips strips, $inspected inspectors, $pixels pixels and $screens colours"
echo "PASS: the on-screen display, read back from a real window, says what it must"
