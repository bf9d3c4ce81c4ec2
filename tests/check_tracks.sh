#!/usr/bin/env bash
# Usage: check_tracks.sh FRAMEPIPE ASSETS_DIR REFS_DIR
# Track choice. By default the picture, not an alpha plane that comes first and has the higher
# bit rate (av_find_best_stream's pick); --vid N shows the N-th video track, --aid N plays the
# N-th audio track (its samples equal ffmpeg's -map 0:a:N-1), 'no' turns either off, and a
# track the file lacks is one line and exit 1.
set -uo pipefail
player=$1 assets=$2 refs=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

# md5_column FRAMEMD5: the data columns, headers left out.
md5_column() { grep -v '^#' | cut -d, -f5-; }

alpha=av1_alpha_first_160x120.mp4
got=$("$player" --headless --framemd5 "$assets/$alpha" | md5_column)
[ "$got" = "$(md5_column <"$refs/$alpha.framemd5")" ] &&
    ok "$alpha: the picture (track 2), not the alpha plane before it" ||
    fail "$alpha: the default track is not the picture"
got=$("$player" --headless --vid 1 --framemd5 "$assets/$alpha" | grep -v '^#' | head -1 | cut -d, -f5)
[ "$(echo $got)" = 19200 ] && ok "$alpha --vid 1: the alpha plane, one 160x120 component" ||
    fail "$alpha --vid 1: a frame of $got bytes, expected 19200"

two=h264_2audio_160x120_25fps.mkv
for n in 1 2; do
    ref="$refs/$two.audiomd5"
    [ $n = 1 ] || ref="$refs/$two.aid$n.md5"
    got=$("$player" --headless --aid $n --audio-md5 "$assets/$two")
    [ "$got" = "$(cat "$ref")" ] && ok "$two --aid $n: ffmpeg's -map 0:a:$((n - 1))" ||
        fail "$two --aid $n: audio md5 $got, expected $(cat "$ref")"
done
"$player" --headless --aid no --stats "$assets/$two" 2>&1 | grep -q 'audio=no' &&
    ok "$two --aid no: no sound" || fail "$two --aid no: sound was played"
got=$("$player" --headless --vid no --audio-md5 "$assets/$two")
[ "$got" = "$(cat "$refs/$two.audiomd5")" ] && ok "$two --vid no: sound alone" ||
    fail "$two --vid no: audio md5 $got"

for args in "--aid 3:no audio track 3: the input has 2" "--vid 2:no video track 2: the input has 1"; do
    opt=${args%%:*} want=${args#*:}
    # shellcheck disable=SC2086
    err=$("$player" --headless $opt "$assets/$two" 2>&1 >/dev/null)
    status=$?
    [ $status = 1 ] && [ "$err" = "framepipe: $assets/$two: $want" ] && ok "$opt: $err" ||
        fail "$opt: exit $status, '$err'"
done
for bad in 0 -1 x; do
    "$player" --headless --vid $bad "$assets/$two" >/dev/null 2>&1
    [ $? = 2 ] && ok "--vid $bad: bad usage" || fail "--vid $bad: not refused as bad usage"
done

[ $failures = 0 ] && echo "all track cases passed" && exit 0
exit 1
