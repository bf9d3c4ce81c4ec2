#!/usr/bin/env bash
# Usage: check_audio.sh FRAMEPIPE MEDIA AUDIOMD5_REF
# 1. Headless, --audio-md5 equals 'ffmpeg -i F -map 0:a:0 -f s16le - | md5sum' (the REF file).
# 2. In a window (SDL's offscreen video and dummy audio drivers, which play in real time), the
#    picture follows the audio clock: --stats' av_drift_max_ms is at most 20 over the clip,
#    with no frame dropped. The measure is taken in real time on a shared machine, so the
#    better of two runs counts.
# 3. -an plays no sound.
set -euo pipefail
player=$1 media=$2 ref=$3
got=$("$player" --headless --audio-md5 "$media")
want=$(cat "$ref")
[ "$got" = "$want" ] || { echo "audio md5 $got, expected $want"; exit 1; }
echo "audio md5 matches: $got"

in_sync=
for run in 1 2; do
    stats=$(SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout 60 "$player" --stats "$media" 2>&1 |
            grep '^stats:')
    echo "run $run: $stats"
    max=$(sed -n 's/.*av_drift_max_ms=\([0-9.]*\).*/\1/p' <<<"$stats")
    [ -n "$max" ] || { echo "no drift was measured"; exit 1; }
    if awk -v m="$max" 'BEGIN { exit !(m <= 20) }' && grep -q 'dropped=0 ' <<<"$stats"; then
        in_sync=1
        break
    fi
done
[ -n "$in_sync" ] || { echo "drift over 20 ms or frames dropped, in both runs"; exit 1; }

"$player" --headless --stats -an "$media" 2>&1 | grep -q 'audio=no' || { echo "-an still decoded sound"; exit 1; }
echo "sync within 20 ms (max $max ms), no frame dropped, -an silent"
