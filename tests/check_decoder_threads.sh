#!/usr/bin/env bash
# Usage: check_decoder_threads.sh FRAMEPIPE ASSETS REFS
# --decoder-threads: the pictures do not depend on the thread count. Each clip (H.264 with
# B-frames, HEVC 10-bit, MPEG-2 in TS, MPEG-4 Part 2 in AVI, VP9, AV1, Theora) is decoded
# headless on 1, 2 and 5 threads, and every frame's SIZE and MD5 must equal the ffmpeg CLI's
# framemd5 (tests/ref). --stats must say how many threads libavcodec runs and of which kind:
# one thread is "none"; H.264 on several is "frame"; Theora is "slice" or "none", never
# "frame" (framepipe keeps it off frame threads, see src/pipeline/decode.c). --loglevel verbose
# names the decoder and its threads. Values outside 0..64 are refused with one line and exit 2.
set -uo pipefail
player=$1 assets=$2 refs=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
columns() { grep -v '^#' "$1" | awk -F', *' '{print $5 ", " $6}'; }

clips=(h264_bframes_aac_320x240_30fps.mp4 hevc_main10_320x240_25fps.mp4
    mpeg2_mp2_framenum_320x240_25fps.ts mpeg4_avi_160x120_25fps.avi vp9_odd_321x241_25fps.webm
    av1_alpha_first_160x120.mp4 theora_ogg_160x120_30fps.ogv)
for clip in "${clips[@]}"; do
    for threads in 1 2 5; do
        if ! "$player" --headless --framemd5 --stats --decoder-threads "$threads" \
            "$assets/$clip" >"$dir/out" 2>"$dir/err"; then
            fail "$clip, $threads threads: exit $? ($(tail -1 "$dir/err"))"
            continue
        fi
        if ! diff <(columns "$refs/$clip.framemd5") <(columns "$dir/out") >"$dir/diff"; then
            fail "$clip, $threads threads: framemd5 differs from ffmpeg's:"
            head -6 "$dir/diff"
        fi
        stats=$(grep '^stats:' "$dir/err")
        got=$(sed -n 's/.* decoder_threads=\([0-9]*\) decoder_thread_type=\([a-z]*\).*/\1 \2/p' \
            <<<"$stats")
        case "$clip,$threads,$got" in
        *,1,"1 none") ;;
        h264_*,[25],"$threads frame") ;;
        theora_*,[25],*" slice" | theora_*,[25],*" none") ;;
        h264_* | theora_* | *,1,*) fail "$clip, $threads threads: --stats says '$got'" ;;
        *,[25],[1-9]*" "[a-z]*) ;; # libavcodec's choice of kind for the other codecs
        *) fail "$clip, $threads threads: --stats says '$got'" ;;
        esac
    done
    echo "$clip: $(columns "$dir/out" | wc -l) frames match on 1, 2 and 5 threads"
done

# --loglevel verbose names the decoder and what it runs on.
line=$("$player" --headless --loglevel verbose --decoder-threads 3 \
    "$assets/h264_bframes_aac_320x240_30fps.mp4" 2>&1 >/dev/null | grep '^decoder:')
[ "$line" = "decoder: h264 on 3 frame threads" ] || fail "--loglevel verbose says '$line'"
line=$("$player" --headless --loglevel verbose --decoder-threads 1 \
    "$assets/vp9_odd_321x241_25fps.webm" 2>&1 >/dev/null | grep '^decoder:')
[ "$line" = "decoder: vp9 on 1 thread" ] || fail "--loglevel verbose says '$line'"

# The automatic count is recorded too: above 1 on a machine with more than one core.
"$player" --headless --stats "$assets/h264_bframes_aac_320x240_30fps.mp4" 2>"$dir/err" >/dev/null
auto=$(sed -n 's/.* decoder_threads=\([0-9]*\) .*/\1/p' "$dir/err")
if [ "$(nproc)" -gt 1 ] && ! [ "${auto:-0}" -gt 1 ]; then
    fail "automatic threads on $(nproc) cores: --stats says '${auto}'"
fi

for bad in -1 65 two ''; do
    "$player" --headless --decoder-threads "$bad" "$assets/h264_bframes_aac_320x240_30fps.mp4" \
        >/dev/null 2>"$dir/err"
    rc=$?
    if [ "$rc" != 2 ] || [ "$(wc -l <"$dir/err")" != 1 ] ||
        ! grep -q -- '--decoder-threads takes 0 (automatic) to 64' "$dir/err"; then
        fail "--decoder-threads '$bad': exit $rc, '$(cat "$dir/err")'"
    fi
done
[ "$status" = 0 ] && echo "all thread counts decode every frame as ffmpeg does"
exit "$status"
