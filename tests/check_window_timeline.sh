#!/usr/bin/env bash
# Usage: check_window_timeline.sh FRAMEPIPE ASSETS_DIR REFS_DIR MEDIA...
# Clicks on the timeline of a real X11 window (a private Xvfb server), with xdotool as a
# person clicks, and checks where the player lands. For each MEDIA, paused, with the timeline
# pinned by the script's 'timeline':
#   - a left click at 25 %, 50 % and 90 % of the track must show the frame under the
#     pointer exactly (frame n of N covers n/N to (n+1)/N of the track, a pixel column its
#     centre's place): its MD5 equals ffmpeg's framemd5 line for it;
#   - a drag from 10 % to 60 %, let go there, must show the frame at 60 % exactly;
#   - a right click at 50 % seeks to half the duration: the frame shown is within one of the
#     middle frame (give or take what a pixel column covers);
#   - typing Enter, a frame number and Enter (the go-to-frame prompt) shows that frame.
# The timeline's geometry is the one src/output/osd_sdl.h documents: a band of 1/12 of the
# height (28 to 96 pixels) along the bottom, the track inset by 1/8 of the band (at least 4).
# KEEP_WORK=1 keeps the player's output and a window grab.
set -euo pipefail
player=$(realpath "$1") assets=$(realpath "$2") refs=$(realpath "$3")
shift 3
# shellcheck source=tests/window_find.sh
. "$(dirname "$0")/window_find.sh"
window_test Xvfb xdotool import
start_xvfb "$work"

# last_line PREFIX: the newest line of the player's output that starts with PREFIX.
last_line() { grep "^$1" "$work/out" | tail -1 || true; }
# shown: the frame number the newest 'md5' line gives, after asking for one.
ask_md5() {
    local before
    before=$(grep -c '^frame ' "$work/out" || true)
    send md5
    for _ in $(seq 50); do
        [ "$(grep -c '^frame ' "$work/out" || true)" -gt "$before" ] && break
        sleep 0.1
    done
    last_line 'frame '
}
# ref_md5 MEDIA N: the MD5 of frame N in ffmpeg's framemd5.
ref_md5() { grep -v '^#' "$refs/$1.framemd5" | sed -n "$(($2 + 1))p" | awk -F', *' '{print $6}'; }
# wait_for_frame N: up to 10 s for an 'md5' line of frame N; prints the last line seen.
wait_for_frame() {
    local line
    for _ in $(seq 40); do
        line=$(ask_md5)
        [[ "$line" == *" n=$1 "* ]] && { echo "$line"; return 0; }
        sleep 0.2
    done
    echo "$line"
    return 1
}

check_media() {
    local media=$1 total line W H band margin track_w y n x slack
    start_scripted "$assets/$media" --paused
    send timeline
    # The timeline places frames by the index: wait until it has counted them.
    for _ in $(seq 100); do
        send info
        sleep 0.1
        total=$(last_line 'info ' | sed -n 's/.* total=\([0-9][0-9]*\) .*/\1/p')
        [ -n "$total" ] && break
    done
    [ -n "$total" ] || fail "$media: the index never counted the frames: $(last_line 'info ')"
    eval "$(xdotool getwindowgeometry --shell "$window")"
    W=$WIDTH H=$HEIGHT
    band=$((H / 12)); [ $band -lt 28 ] && band=28; [ $band -gt 96 ] && band=96
    margin=$((band / 8)); [ $margin -lt 4 ] && margin=4
    track_w=$((W - 2 * margin))
    y=$((H - band / 2))
    echo "$media: $total frames, window ${W}x${H}, track from x=$margin, $track_w wide, y=$y"
    # at P: the pixel column P percent along the track; frame_at X: the frame under column X.
    at() { echo $((margin + track_w * $1 / 100)); }
    frame_at() { echo $(((2 * ($1 - margin) + 1) * total / (2 * track_w))); }

    for percent in 25 50 90; do
        x=$(at $percent)
        n=$(frame_at "$x")
        xdotool mousemove --window "$window" "$x" "$y" click 1
        line=$(wait_for_frame $n) || fail "$media: a click at $percent % (x=$x) should show frame $n: $line"
        [[ "$line" == *"md5=$(ref_md5 "$media" $n)"* ]] ||
            fail "$media: frame $n after a click is not ffmpeg's: $line"
        echo "  click at $percent % (x=$x): frame $n, $(echo "$line" | sed 's/.*md5=//')"
    done

    n=$(frame_at "$(at 60)")
    xdotool mousemove --window "$window" "$(at 10)" "$y" mousedown 1
    for step in 20 30 40 50; do
        xdotool mousemove --window "$window" "$(at $step)" "$y"
        sleep 0.05
    done
    xdotool mousemove --window "$window" "$(at 60)" "$y" mouseup 1
    line=$(wait_for_frame $n) || fail "$media: a drag let go at 60 % should show frame $n: $line"
    [[ "$line" == *"md5=$(ref_md5 "$media" $n)"* ]] ||
        fail "$media: frame $n after a drag is not ffmpeg's: $line"
    echo "  drag from 10 % to 60 %: frame $n"

    [ -n "${KEEP_WORK:-}" ] && import -window "$window" "$work/$media.png"
    xdotool mousemove --window "$window" "$(at 50)" "$y" click 3
    sleep 1
    line=$(ask_md5)
    n=$(echo "$line" | sed -n 's/.* n=\([0-9][0-9]*\) .*/\1/p')
    # Half the duration, give or take the pixel column (its centre) and a frame.
    slack=$((total / track_w + 1))
    [ -n "$n" ] && [ $((n - total / 2)) -ge -$slack ] && [ $((n - total / 2)) -le $slack ] ||
        fail "$media: a right click at 50 % should seek to about frame $((total / 2)): $line"
    echo "  right click at 50 %: frame $n"

    # The go-to-frame prompt: Enter, the number, Enter.
    n=$((total * 2 / 3))
    xdotool windowfocus --sync "$window"
    xdotool key Return $(echo "$n" | sed 's/./& /g') Return
    line=$(wait_for_frame $n) || fail "$media: Enter $n Enter should show frame $n: $line"
    [[ "$line" == *"md5=$(ref_md5 "$media" $n)"* ]] ||
        fail "$media: frame $n from the prompt is not ffmpeg's: $line"
    echo "  typed Enter $n Enter: frame $n"

    send quit
    exec 4>&-
    for _ in $(seq 100); do kill -0 "$player_pid" 2>/dev/null || break; sleep 0.1; done
    wait "$player_pid" || fail "$media: the player exited with status $?"
    player_pid=
}

for media in "$@"; do
    check_media "$media"
done
echo "PASS: the timeline lands on the frame under the pointer on $# inputs"
