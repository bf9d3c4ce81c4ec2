#!/usr/bin/env bash
# Usage: check_start.sh FRAMEPIPE ASSETS_DIR REFS_DIR
# --start T opens at the first frame at or after T, as 'seek T' lands: the first frame shown
# (the first --framemd5 line) is that frame of ffmpeg's framemd5, also between two frames of a
# coarse time base; past the end it is the last frame; on a pipe, which cannot seek, a line
# says so and playback starts at the beginning.
set -uo pipefail
player=$1 assets=$2 refs=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# ref_md5 MEDIA N: the MD5 of frame N in ffmpeg's framemd5.
ref_md5() { grep -v '^#' "$refs/$1.framemd5" | sed -n "$(($2 + 1))p" | awk -F', *' '{print $6}'; }
first_md5() { grep -v '^#' | head -1 | awk -F', *' '{print $6}'; }

# case MEDIA T FRAME: --start T must show FRAME first.
case_at() {
    local media=$1 t=$2 frame=$3 got
    got=$("$player" --headless --start "$t" --framemd5 "$assets/$media" | first_md5)
    if [ -n "$got" ] && [ "$got" = "$(ref_md5 "$media" "$frame")" ]; then
        echo "ok   $media --start $t: frame $frame first"
    else
        fail "$media --start $t: the first frame is not frame $frame ($got)"
    fi
}
case_at h264_framenum_320x240_25fps.mp4 1.23 31  # between 30 (1.20) and 31 (1.24)
case_at h264_framenum_320x240_25fps.mp4 1.2 30   # exactly on a frame
case_at h264_tb8_160x120_8fps.mp4 5.01 41        # time base 1/8: 5.000 is 40, 5.125 is 41
case_at mpeg4_avi_160x120_25fps.avi 3.999 100    # 1/25
case_at h264_framenum_320x240_25fps.mp4 100 59   # past the end: the last frame
lines=$("$player" --headless --start 100 --framemd5 "$assets/h264_framenum_320x240_25fps.mp4" |
    grep -vc '^#')
[ "$lines" = 1 ] && echo "ok   --start past the end shows the last frame alone" ||
    fail "--start past the end showed $lines frames"

media=h264_framenum_320x240_25fps.mp4
err=$("$player" --headless --start 1 --framemd5 - <"$assets/$media" 2>&1 >"${TMPDIR:-/tmp}/start.$$")
got=$(first_md5 <"${TMPDIR:-/tmp}/start.$$")
rm -f "${TMPDIR:-/tmp}/start.$$"
if [ "$got" = "$(ref_md5 "$media" 0)" ] && [ "$err" = "cannot start at 1 s: the input is not seekable" ]; then
    echo "ok   a pipe: '$err', from frame 0"
else
    fail "a pipe: '$err', first frame $got"
fi
for bad in -1 x ""; do
    "$player" --headless --start "$bad" "$assets/$media" >/dev/null 2>&1
    [ $? = 2 ] || fail "--start '$bad' is not refused as bad usage"
done

[ $failures = 0 ] && echo "all --start cases passed" && exit 0
exit 1
