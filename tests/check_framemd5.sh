#!/usr/bin/env bash
# Usage: check_framemd5.sh FRAMEPIPE MEDIA REF
# Decodes MEDIA headless with --framemd5 and compares every frame line's SIZE and MD5 columns
# with REF, made by the ffmpeg CLI (tests/ref/make-refs.sh). Header lines are skipped: they
# name library versions.
set -euo pipefail
player=$1 media=$2 ref=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$player" --headless --framemd5 "$media" >"$out"
columns() { grep -v '^#' "$1" | awk -F', *' '{print $5 ", " $6}'; }
if ! diff <(columns "$ref") <(columns "$out") >/dev/null; then
    echo "framemd5 of $media differs from $ref:"
    diff <(columns "$ref") <(columns "$out") | head -20
    exit 1
fi
echo "$(columns "$out" | wc -l) frames match $(basename "$ref")"
