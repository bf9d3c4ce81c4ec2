#!/usr/bin/env bash
# Usage: check_seek_storm.sh FRAMEPIPE MEDIA REF FPS COUNT SEED [PLAYER OPTIONS...]
# A storm of COUNT random exact seeks (absolute and relative, some past either end), steps,
# back-steps of up to 30 frames and 'frame N' (some past the end), each followed by 'md5'. A model of a constant-frame-rate clip
# predicts the frame each command must land on; check_script.sh compares every MD5 with REF.
set -euo pipefail
player=$1 media=$2 ref=$3 fps=$4 count=$5 seed=$6
shift 6
here=$(cd "$(dirname "$0")" && pwd)
frames=$(grep -vc '^#' "$ref")
script=$(mktemp)
trap 'rm -f "$script"' EXIT
awk -v fps="$fps" -v frames="$frames" -v count="$count" -v seed="$seed" '
function first_at_or_after(t,   i) {            # the exact-seek rule
    if (t < 0) t = 0
    i = int(t * fps + 0.999999)
    return i > frames - 1 ? frames - 1 : i
}
BEGIN {
    srand(seed)
    print "pause"
    idx = 0
    for (n = 0; n < count; n++) {
        r = rand()
        if (r < 0.3) {
            t = int(rand() * (frames / fps + 1) * 100) / 100        # up to 1 s past the end
            printf "seek %.2f\n", t
            idx = first_at_or_after(t)
        } else if (r < 0.5) {
            d = int((rand() * 4 - 2) * 100) / 100
            printf "seek %+.2f\n", d
            idx = first_at_or_after(idx / fps + d)
        } else if (r < 0.6) {
            k = int(rand() * (frames + 5))                          # some past the end
            printf "frame %d\n", k
            idx = k > frames - 1 ? frames - 1 : k
        } else if (r < 0.8) {
            k = 1 + int(rand() * 30)
            printf "step %d\n", k
            idx = idx + k > frames - 1 ? frames - 1 : idx + k
        } else {
            k = 1 + int(rand() * 30)
            printf "back %d\n", k
            idx = idx - k < 0 ? 0 : idx - k
        }
        printf "md5 # expect %d\n", idx
    }
}' >"$script"
"$here/check_script.sh" "$player" "$media" "$ref" "$script" "$@"
