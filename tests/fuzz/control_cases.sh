#!/usr/bin/env bash
# Usage: control_cases.sh FUZZ_CONTROL_REPLAY ASSETS_DIR
# Runs fuzz_control's harness (built without libFuzzer) on inputs made here from assets/, whole
# or cut short, each followed by the eight command bytes the harness runs as a script (see
# tests/fuzz/fuzz_player.c), and on the inputs kept in regressions/control/ if any. Each
# input must end cleanly: no crash, no sanitizer report, no leak, no hang.
set -euo pipefail
replay=$1 assets=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One command byte: the low 3 bits pick the command, the high 5 its argument.
step() { echo $(((($1 - 1) << 3) | 0)); }           # step N, 1 to 4
back() { echo $(((($1 - 1) << 3) | 1)); }           # back N, 1 to 8
seek() { echo $(((($1) << 3) | 2)); }               # seek Q/4 s, Q 0 to 31
seek_by() { echo $(((($1 + 16) << 3) | 3)); }       # seek by Q/4 s, Q -16 to 15
seek_key() { echo $(((($1) << 3) | 4)); }           # seek Q/4 s key
play() { echo $(((($1) << 3) | 5)); }               # play, wait Q * 0.05 s, Q 0 to 3
pause() { echo 6; }
toggle() { echo 7; }

# make NAME ASSET BYTES(0: whole) COMMAND...: the input NAME.
make() {
    local name=$1 asset=$2 bytes=$3
    shift 3
    [ $# -eq 8 ] || { echo "$name: $# commands, not 8" >&2; exit 2; }
    if [ "$bytes" -gt 0 ]; then
        head -c "$bytes" "$assets/$asset" >"$work/$name"
    else
        cp "$assets/$asset" "$work/$name"
    fi
    for byte in "$@"; do
        printf "\\$(printf '%03o' "$byte")" >>"$work/$name"
    done
}

# Size and pixel-format changes, raw H.264: seeks restart from byte 0 and walk forward.
make sizechange h264_sizechange_fmtchange.h264 0 \
    "$(seek 4)" "$(back 3)" "$(step 2)" "$(seek_by -2)" "$(play 3)" "$(seek_key 2)" \
    "$(back 8)" "$(toggle)"
make sizechange-cut h264_sizechange_fmtchange.h264 30000 \
    "$(seek 6)" "$(back 8)" "$(step 4)" "$(seek_by -4)" "$(play 3)" "$(back 8)" \
    "$(seek_key 4)" "$(toggle)"
# Time that jumps back and forth (spliced MPEG-TS), cut short.
make tsjumps-cut mpeg2_tsjumps_320x240_25fps.ts 65536 \
    "$(seek 8)" "$(back 5)" "$(seek 1)" "$(step 4)" "$(play 3)" "$(seek_by 4)" \
    "$(back 2)" "$(seek 31)"
# Raw HEVC, cut short.
make hevc-cut hevc_raw_framenum_320x240_25fps.hevc 32768 \
    "$(back 1)" "$(seek 4)" "$(back 4)" "$(step 1)" "$(seek_key 0)" "$(play 3)" \
    "$(pause)" "$(back 8)"
# Three frames and a little sound: past both ends.
make tiny tiny_h264_aac_3frames_64x48.mp4 0 \
    "$(step 3)" "$(back 2)" "$(play 3)" "$(seek 0)" "$(back 1)" "$(seek_by 15)" \
    "$(back 8)" "$(step 4)"
# WebM, and MP4 with B-frames, cut short: the index names packets that are not there.
make vp9-cut vp9_opus_320x240_30fps.webm 16384 \
    "$(seek 4)" "$(seek_by -8)" "$(play 2)" "$(back 3)" "$(seek_key 2)" "$(step 2)" \
    "$(toggle)" "$(back 1)"
make bframes-cut h264_bframes_aac_320x240_30fps.mp4 16384 \
    "$(seek 8)" "$(back 8)" "$(play 3)" "$(seek 3)" "$(back 2)" "$(seek_key 12)" \
    "$(step 1)" "$(back 4)"

inputs=("$work"/*)
for kept in "$here"/regressions/control/*; do
    [ -e "$kept" ] && inputs+=("$kept")
done
"$replay" "${inputs[@]}"
echo "${#inputs[@]} inputs ran to a clean end"
