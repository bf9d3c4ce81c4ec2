#!/usr/bin/env bash
# Usage: check_sound_only.sh FRAMEPIPE MEDIA AUDIOMD5_REF
# A file with sound and no picture plays: headless its samples equal ffmpeg's and it exits 0;
# in a window (offscreen video, dummy audio: real time) it plays to the end and exits 0.
set -euo pipefail
player=$1 media=$2 ref=$3
got=$("$player" --headless --audio-md5 "$media")
[ "$got" = "$(cat "$ref")" ] || { echo "audio md5 $got, expected $(cat "$ref")"; exit 1; }
start=$(date +%s.%N)
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout 30 "$player" "$media"
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "audio md5 matches; played in a window for $elapsed s and exited 0"
