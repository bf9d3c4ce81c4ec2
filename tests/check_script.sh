#!/usr/bin/env bash
# Usage: check_script.sh [--numbered] FRAMEPIPE MEDIA REF SCRIPT [--window] [PLAYER OPTIONS...]
# Runs SCRIPT headless on MEDIA, or with --window in a window (and an audio device, for sound). Every 'md5' line of the script carries the index of the frame
# it must print, as a comment: 'md5  # expect 25'. Each printed MD5 must equal the MD5 column
# of that line of REF (ffmpeg's framemd5, frames counted from 0 in presentation order), and the
# frame number it prints (n=N, from the frame index) must be that index, where it is known
# (n=? while the index counts, or where a stream has no timestamps to number by). With
# --numbered, every frame after the first must be numbered (the script waits for the index).
set -euo pipefail
numbered_only=0
if [ "${1:-}" = --numbered ]; then
    numbered_only=1
    shift
fi
player=$1 media=$2 ref=$3 script=$4
shift 4
mode=--headless
if [ "${1:-}" = --window ]; then
    mode=
    shift
fi
# A script that begins with 'pause' means its first frame: start paused, or a slow start (a
# loaded machine) could play on before the script's first line arrives.
first=$(awk '{ sub(/#.*/, "") } NF { print $1; exit }' "$script")
[ "$first" = pause ] && mode="$mode --paused"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout 600 "$player" $mode --script "$script" "$@" "$media" >"$out"
mapfile -t ref_md5 < <(grep -v '^#' "$ref" | awk -F', *' '{print $6}')
mapfile -t expect < <(sed -n 's/^ *md5 *# *expect *\([0-9][0-9]*\).*/\1/p' "$script")
mapfile -t got < <(sed -n 's/^frame time=.* md5=\([0-9a-f]*\)$/\1/p' "$out")
mapfile -t numbers < <(sed -n 's/^frame time=.* n=\([0-9?]*\) md5=.*$/\1/p' "$out")
if [ ${#got[@]} -ne ${#expect[@]} ]; then
    echo "expected ${#expect[@]} md5 lines, got ${#got[@]}"
    cat "$out"
    exit 1
fi
failures=0
for i in "${!expect[@]}"; do
    want=${ref_md5[${expect[$i]}]:-none}
    if [ "${got[$i]}" != "$want" ]; then
        actual=-1
        for j in "${!ref_md5[@]}"; do [ "${ref_md5[$j]}" = "${got[$i]}" ] && actual=$j && break; done
        echo "md5 #$((i + 1)): expected frame ${expect[$i]}, got frame $actual ($(sed -n "$((i + 1))p" <(grep '^frame' "$out")))"
        failures=$((failures + 1))
    elif [ "$numbered_only" = 1 ] && [ "$i" -gt 0 ] && [ "${numbers[$i]:-?}" = "?" ]; then
        echo "md5 #$((i + 1)): frame ${expect[$i]} has no number"
        failures=$((failures + 1))
    elif [ "${numbers[$i]:-?}" != "?" ] && [ "${numbers[$i]}" != "${expect[$i]}" ]; then
        echo "md5 #$((i + 1)): frame ${expect[$i]} printed as n=${numbers[$i]}"
        failures=$((failures + 1))
    fi
    [ "${numbers[$i]:-?}" = "?" ] || numbered=$((${numbered:-0} + 1))
done
[ "$failures" -eq 0 ] || exit 1
echo "${#expect[@]} frames as expected, ${numbered:-0} of them numbered by the index"
