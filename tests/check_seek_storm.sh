#!/usr/bin/env bash
# Usage: check_seek_storm.sh FRAMEPIPE MEDIA REF FPS COUNT SEED [PLAYER OPTIONS...]
# A storm of COUNT random exact seeks (absolute and relative, some past either end), keyframe
# seeks, steps, back-steps of up to 30 frames and 'frame N' (some past the end), each followed
# by 'md5'. A model of a constant-frame-rate clip predicts the frame each command must land on;
# check_script.sh compares every MD5 with REF, and every frame number: the storm starts with
# 'frame 0', which waits for the frame index, so every frame after it must be numbered.
# A keyframe seek must land on the last keyframe at or before its target: the keyframes' display
# numbers come from ffprobe's packet list (tests/ref/packets), by sorting the pts, or for a raw
# stream without any, in file order (its keyframes are IDR pictures, shown in decode order).
set -euo pipefail
player=$1 media=$2 ref=$3 fps=$4 count=$5 seed=$6
shift 6
here=$(cd "$(dirname "$0")" && pwd)
frames=$(grep -vc '^#' "$ref")
packets="$(dirname "$ref")/packets/$(basename "${ref%.framemd5}").csv"
# The display numbers of the keyframes, blank-separated; none when only some packets have a pts.
keys=$(awk -F, '!/^#/ && $7 !~ /D/ { n++; pts[n] = $2; key[n] = $7 ~ /K/; if ($2 == "N/A") na++ }
    END {
        if (na && na != n) exit
        for (i = 1; i <= n; i++) {
            if (!key[i]) continue
            rank = 0
            if (!na)
                for (j = 1; j <= n; j++)
                    rank += pts[j] + 0 < pts[i] + 0 || (pts[j] == pts[i] && j < i)
            printf "%d ", na ? i - 1 : rank
        }
    }' "$packets")
script=$(mktemp)
trap 'rm -f "$script"' EXIT
awk -v fps="$fps" -v frames="$frames" -v count="$count" -v seed="$seed" -v keys="$keys" '
function first_at_or_after(t,   i) {            # the exact-seek rule
    if (t < 0) t = 0
    i = int(t * fps + 0.999999)
    return i > frames - 1 ? frames - 1 : i
}
function key_at_or_before(t,   i, best) {   # the keyframe seek rule
    best = key[1]
    for (i = 1; i <= nkeys; i++)
        if (key[i] <= t * fps + 1e-6) best = key[i]
    return best
}
BEGIN {
    srand(seed)
    nkeys = split(keys, key, " ")
    print "pause"
    print "frame 0"
    print "md5 # expect 0"
    idx = 0
    for (n = 0; n < count; n++) {
        r = rand()
        if (r < 0.1 && nkeys) {
            t = int(rand() * (frames / fps + 1) * 100) / 100
            printf "seek %.2f key\n", t
            idx = key_at_or_before(t)
        } else if (r < 0.3) {
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
"$here/check_script.sh" --numbered "$player" "$media" "$ref" "$script" "$@"
