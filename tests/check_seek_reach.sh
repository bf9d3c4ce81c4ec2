#!/usr/bin/env bash
# Usage: check_seek_reach.sh FRAMEPIPE MEDIA REF SCRIPT JUMPS IN_REACH
# Runs SCRIPT through check_script.sh (every landing exact, every frame numbered) and then
# checks what the seeks asked of the reader: --stats must count JUMPS seeks and IN_REACH
# seeks within reach, which showed a frame the step history held or decoded on to their
# target without a jump. A build that jumps for every seek lands on the same frames, so only
# the counts tell it apart.
set -euo pipefail
player=$1 media=$2 ref=$3 script=$4 jumps=$5 in_reach=$6
here=$(cd "$(dirname "$0")" && pwd)
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$here/check_script.sh" --numbered "$player" "$media" "$ref" "$script" --stats 2>"$err" ||
    { cat "$err" >&2; exit 1; }
stats=$(grep '^stats:' "$err") || { echo "no stats line:"; cat "$err"; exit 1; }
got_jumps=$(sed -n 's/.* seeks=\([0-9]*\) .*/\1/p' <<<"$stats")
got_reach=$(sed -n 's/.* seeks_in_reach=\([0-9]*\) .*/\1/p' <<<"$stats")
if [ "$got_jumps" != "$jumps" ] || [ "$got_reach" != "$in_reach" ]; then
    echo "seeks=$got_jumps seeks_in_reach=$got_reach, expected $jumps and $in_reach: $stats"
    exit 1
fi
echo "every landing exact; $jumps seeks jumped and $in_reach were within reach"
