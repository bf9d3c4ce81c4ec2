#!/usr/bin/env bash
# Usage: replay.sh FRAMEPIPE DIR
# Plays every input in DIR (inputs the fuzzer once crashed, leaked or hung on) headless with the
# fuzzer's bounds. Each must end cleanly: exit 0, or exit 1 with a one-line "framepipe: " error;
# never a signal, a sanitizer report or a hang. FP_REPLAY_WRAP runs each under a tool, such as
# valgrind, which sees memory errors inside FFmpeg's own (uninstrumented) code too.
set -uo pipefail
player=$1 dir=$2
read -r -a wrap <<<"${FP_REPLAY_WRAP:-}"
failed=0 count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for input in "$dir"/*; do
    count=$((count + 1))
    timeout 120 "${wrap[@]}" "$player" --headless --framemd5 --audio-md5 --max-pixels 1048576 --max-packets 2048 \
        "$input" >/dev/null 2>"$log"
    status=$?
    if [ $status -eq 1 ] && ! tail -1 "$log" | grep -v 'warning:' | grep -q '^framepipe: '; then
        status=bad-message
    fi
    if [ "$status" != 0 ] && [ "$status" != 1 ]; then
        echo "FAIL $(basename "$input"): status $status"
        tail -20 "$log"
        failed=$((failed + 1))
    fi
done
echo "$count inputs replayed, $failed failed"
[ $failed -eq 0 ]
