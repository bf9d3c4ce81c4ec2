#!/usr/bin/env bash
# Usage: check_audio_control.sh FRAMEPIPE MEDIA
# In a window with a sound device (SDL's offscreen video and dummy audio drivers, which play
# in real time), playback control keeps the picture on the audio clock: a pause, an exact
# seek back, forward steps then play, and back-steps then play. --stats' av_drift_max_ms,
# |audio clock - frame time| each time playback shows a frame, must stay at most 20 over the
# whole run. The measure is taken in real time on a shared machine, so the better of two
# runs counts.
set -euo pipefail
player=$1 media=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/script" <<'SCRIPT'
wait 0.6
pause
wait 0.3
play
wait 0.6
seek 0.4
wait 0.6
step
step
play
wait 0.5
back 4
play
wait 0.8
quit
SCRIPT
best=
for run in 1 2; do
    SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout 60 \
        "$player" --stats --script "$work/script" "$media" 2>"$work/err" >/dev/null ||
        { echo "the player failed:"; cat "$work/err"; exit 1; }
    stats=$(grep '^stats:' "$work/err")
    echo "run $run: $stats"
    max=$(sed -n 's/.*av_drift_max_ms=\([0-9.]*\).*/\1/p' <<<"$stats")
    [ -n "$max" ] || { echo "no drift was measured"; exit 1; }
    grep -q ' seeks=0 seeks_in_reach=0 ' <<<"$stats" && { echo "the seek did not happen"; exit 1; }
    if awk -v m="$max" 'BEGIN { exit !(m <= 20) }'; then
        echo "in sync through pause, seek, steps and back-steps: max drift $max ms"
        exit 0
    fi
done
echo "drift over 20 ms in both runs"
exit 1
