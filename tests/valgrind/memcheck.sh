#!/usr/bin/env bash
# Usage: memcheck.sh SHIM FRAMEPIPE MEDIA REF
# One headless run of the real player under valgrind memcheck: no memory error, nothing
# definitely or indirectly lost, and still the right frames (SIZE and MD5 columns equal REF).
set -euo pipefail
shim=$1 player=$2 media=$3 ref=$4
out=$(mktemp)
log=$(mktemp)
trap 'rm -f "$out" "$log"' EXIT
# The shim keeps libhwy's start-up code away from an instruction valgrind cannot run (see the shim).
if ! LD_PRELOAD=$shim valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        "$player" --headless --framemd5 "$media" >"$out" 2>"$log"; then
    echo "valgrind reported errors or the player failed:"
    cat "$log"
    exit 1
fi
columns() { grep -v '^#' "$1" | awk -F', *' '{print $5 ", " $6}'; }
diff <(columns "$ref") <(columns "$out") >/dev/null || { echo "framemd5 differs under valgrind"; exit 1; }
echo "memcheck clean over $(columns "$out" | wc -l) frames of $(basename "$media")"
