#!/usr/bin/env bash
# Usage: check_screenshot.sh FRAMEPIPE TEST_PICTURE MEDIA REF_PNG [PLAYER OPTIONS...]
# The script command 'screenshot' saves the picture as shown: at the display size, with the
# sample aspect ratio and (unless --no-autorotate) the display matrix applied. The PNG is
# compared with REF_PNG by test_picture's rule (aspect within 1 %, median worst-channel
# error at most 3), and its size must be the reference's exactly.
set -euo pipefail
player=$1 compare=$2 media=$3 ref=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'screenshot %s/shot.png\nquit\n' "$work" >"$work/script"
"$player" --headless --script "$work/script" "$@" "$media"
# The PNG's size from its IHDR chunk (bytes 16-23: width and height, big-endian).
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }
shot_size=$(png_size "$work/shot.png") ref_size=$(png_size "$ref")
echo "screenshot $shot_size, reference $ref_size"
[ "$shot_size" = "$ref_size" ] || { echo "the screenshot is not at the display size"; exit 1; }
"$compare" --compare "$work/shot.png" "$ref"
