#!/usr/bin/env bash
# Usage: check_sync_video.sh FRAMEPIPE MEDIA
# --sync video makes the video clock lead while sound plays. MEDIA (with sound) plays in a
# window with SDL's disk audio driver slowed down to a third of real time (SDL_DISKAUDIODELAY:
# 64 ms for each 21 ms buffer), and a script prints the frame on screen after 'wait 2'.
# By default the picture follows the sound, so it has reached only about 0.7 s; with
# --sync video it keeps its own time and has reached about 2 s. Pass: at most 1.2 s by
# default, and 1.6 s to 2.6 s with --sync video.
set -euo pipefail
player=$1 media=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'wait 2\nmd5\nquit\n' >"$work/script"

# shown_at [OPTIONS...]: the time of the frame on screen after 'wait 2'.
shown_at() {
    SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$work/out.raw" \
        SDL_DISKAUDIODELAY=64 "$player" --stats --script "$work/script" "$@" "$media" \
        >"$work/out" 2>"$work/err" || { echo "the player failed:"; cat "$work/err"; exit 1; }
    grep -q 'audio=yes' "$work/err" || { echo "no sound was played:"; cat "$work/err"; exit 1; }
    sed -n 's/^frame time=\([0-9.]*\) .*/\1/p' "$work/out"
}
audio=$(shown_at)
video=$(shown_at --sync video)
echo "after 2 s with the sound at a third of real time: frame at $audio s following the sound," \
    "at $video s with --sync video"
[ -n "$audio" ] && [ -n "$video" ] || { echo "no md5 line"; exit 1; }
awk -v a="$audio" 'BEGIN { exit !(a <= 1.2) }' \
    || { echo "FAIL: by default the picture did not follow the slow sound"; exit 1; }
awk -v v="$video" 'BEGIN { exit !(v >= 1.6 && v <= 2.6) }' \
    || { echo "FAIL: with --sync video the picture did not keep its own time"; exit 1; }
echo "--sync video: the picture keeps its own clock"
