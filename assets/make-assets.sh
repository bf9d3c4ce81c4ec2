#!/usr/bin/env bash
# Generate the small synthetic test clips in this directory with the ffmpeg CLI.
#
# All sources are lavfi generators (testsrc2, sine), so no input media is needed.
# Encoders run single-threaded with bitexact flags and no copied metadata so that
# re-running the script with the same FFmpeg/x264/x265/libvpx/libopus builds
# reproduces byte-identical files.
#
# Usage: assets/make-assets.sh        (any working directory)
# Needs: ffmpeg with libx264, libx265, libvpx, libopus, drawtext (libfreetype),
#        and the DejaVu fonts (Debian package fonts-dejavu-core).
set -euo pipefail

ASSETS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FFMPEG="${FFMPEG:-ffmpeg}"
FONT="${FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf}"

die() { printf 'make-assets.sh: %s\n' "$*" >&2; exit 1; }

command -v "$FFMPEG" >/dev/null 2>&1 || die "ffmpeg not found (set FFMPEG=...)"
[[ -r "$FONT" ]] || die "font $FONT not found (install fonts-dejavu-core or set FONT=...)"
filters="$("$FFMPEG" -hide_banner -filters 2>/dev/null)"
encoders="$("$FFMPEG" -hide_banner -encoders 2>/dev/null)"
[[ "$filters" == *" drawtext "* ]] || die "ffmpeg has no drawtext filter (needs libfreetype)"
for enc in libx264 libx265 libvpx-vp9 libopus aac mpeg2video mp2 png; do
    [[ "$encoders" == *" $enc "* ]] || die "ffmpeg has no $enc encoder"
done

# Work in a private temp dir inside assets/ and move finished files into place,
# so an interrupted run never leaves a truncated clip behind.
TMP_DIR="$(mktemp -d "$ASSETS_DIR/.make-assets.XXXXXX")"
trap 'rm -rf "$TMP_DIR"' EXIT

# Frame number (0-based, as counted by the filter graph) in big digits on a box.
framenum() {
    printf "drawtext=fontfile=%s:text='%%{frame_num}':fontsize=%s:fontcolor=white:box=1:boxcolor=black:boxborderw=6:x=(w-tw)/2:y=(h-th)/2" \
        "$FONT" "$1"
}

# 440 Hz tone with a short 4x-pitch beep at the start of every second (A/V sync aid).
tone() { # tone RATE DURATION
    printf 'sine=frequency=440:beep_factor=4:sample_rate=%s:duration=%s' "$1" "$2"
}

# run OUTPUT_NAME ffmpeg-args...  (output file name is appended by this function)
run() {
    local name="$1"; shift
    printf '  %s\n' "$name"
    "$FFMPEG" -nostdin -hide_banner -loglevel error -y "$@" \
        -map_metadata -1 -map_chapters -1 \
        -fflags +bitexact -flags +bitexact -threads 1 \
        -sws_flags bicubic+accurate_rnd+bitexact \
        "$TMP_DIR/$name"
    mv -f "$TMP_DIR/$name" "$ASSETS_DIR/$name"
}

echo "Generating assets in $ASSETS_DIR"

# 1. H.264 High with B-frames (b-pyramid) + AAC-LC stereo 48 kHz in MP4.
#    320x240, 30 fps, 3 s = 90 frames, keyframe every 30 frames.
run h264_bframes_aac_320x240_30fps.mp4 \
    -f lavfi -i "testsrc2=size=320x240:rate=30:duration=3" \
    -f lavfi -i "$(tone 48000 3)" \
    -map 0:v -map 1:a \
    -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p \
    -crf 20 -g 30 -keyint_min 30 -sc_threshold 0 -bf 3 \
    -c:a aac -b:a 96k -ac 2 -ar 48000 \
    -movflags +faststart -f mp4

# 2. VP9 profile 0 + Opus stereo 48 kHz in WebM. 320x240, 30 fps, 3 s.
#    Two-pass so that libvpx emits alt-ref (hidden, never displayed) frames, which
#    it packs with the next shown frame into superframes. One-pass libvpx 1.12
#    produces none.
VP9_OPUS_SRC="testsrc2=size=320x240:rate=30:duration=3"
VP9_OPUS_OPTS=(-c:v libvpx-vp9 -pix_fmt yuv420p -deadline good -cpu-used 2
    -b:v 0 -crf 32 -g 30 -row-mt 0 -tile-columns 0 -frame-parallel 0
    -auto-alt-ref 1 -lag-in-frames 25 -passlogfile "$TMP_DIR/vp9pass")
"$FFMPEG" -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "$VP9_OPUS_SRC" "${VP9_OPUS_OPTS[@]}" -pass:v 1 \
    -an -fflags +bitexact -flags +bitexact -threads 1 -f null -
run vp9_opus_320x240_30fps.webm \
    -f lavfi -i "$VP9_OPUS_SRC" \
    -f lavfi -i "$(tone 48000 3)" \
    -map 0:v -map 1:a \
    "${VP9_OPUS_OPTS[@]}" -pass:v 2 \
    -c:a libopus -b:a 64k -ac 2 -ar 48000 \
    -f webm

# 3. 10-bit: H.265/HEVC Main 10 (yuv420p10le) in MP4 ('hvc1' tag), video only.
#    320x240, 25 fps, 3 s, keyframe every 25 frames, B-frames.
run hevc_main10_320x240_25fps.mp4 \
    -f lavfi -i "testsrc2=size=320x240:rate=25:duration=3" \
    -c:v libx265 -preset medium -profile:v main10 -pix_fmt yuv420p10le \
    -crf 24 -g 25 -bf 3 -tag:v hvc1 \
    -x265-params "pools=none:frame-threads=1:lookahead-threads=0:scenecut=0:log-level=error" \
    -movflags +faststart -f mp4

# 4. Odd frame size 321x241 (4:2:0, chroma planes 161x121): VP9 in WebM, video only.
#    25 fps, 2 s. testsrc2 rounds its size down to the chroma grid when it outputs
#    4:2:0 directly, so render it as rgb24 and convert to yuv420p afterwards.
run vp9_odd_321x241_25fps.webm \
    -f lavfi -i "testsrc2=size=321x241:rate=25:duration=2,format=rgb24" \
    -c:v libvpx-vp9 -pix_fmt yuv420p -deadline good -cpu-used 2 \
    -b:v 0 -crf 32 -g 25 -row-mt 0 -tile-columns 0 -frame-parallel 0 \
    -f webm

# 5. Frame numbers burnt into the picture: H.264 in MP4, video only.
#    320x240, 25 fps, 60 frames, GOP 25 with B-frames.
run h264_framenum_320x240_25fps.mp4 \
    -f lavfi -i "testsrc2=size=320x240:rate=25,$(framenum 120)" \
    -frames:v 60 \
    -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p \
    -crf 20 -g 25 -keyint_min 25 -sc_threshold 0 -bf 3 \
    -movflags +faststart -f mp4

# 6. MPEG-2 video (GOP 12, 2 B-frames) + MP2 stereo 48 kHz in MPEG-TS, with frame
#    numbers. 320x240, 25 fps, 4 s = 100 frames.
run mpeg2_mp2_framenum_320x240_25fps.ts \
    -f lavfi -i "testsrc2=size=320x240:rate=25:duration=4,$(framenum 120)" \
    -f lavfi -i "$(tone 48000 4)" \
    -map 0:v -map 1:a \
    -c:v mpeg2video -pix_fmt yuv420p -g 12 -bf 2 -q:v 16 -dct int \
    -c:a mp2 -b:a 128k -ac 2 -ar 48000 \
    -f mpegts

# 7. MPEG-2 video (GOP 12, 2 B-frames) + MP2 mono 44.1 kHz in MPEG-2 Program
#    Stream (.mpg, VOB-style pack headers), with frame numbers. 320x240, 25 fps, 4 s.
run mpeg2_mp2_framenum_320x240_25fps.mpg \
    -f lavfi -i "testsrc2=size=320x240:rate=25:duration=4,$(framenum 120)" \
    -f lavfi -i "$(tone 44100 4)" \
    -map 0:v -map 1:a \
    -c:v mpeg2video -pix_fmt yuv420p -g 12 -bf 2 -q:v 16 -dct int \
    -c:a mp2 -b:a 96k -ac 1 -ar 44100 \
    -f vob

# 8. Still image: one RGB PNG, 200x150, first frame of testsrc2.
run still_testsrc2_200x150.png \
    -f lavfi -i "testsrc2=size=200x150:rate=1,format=rgb24" \
    -frames:v 1 -update 1 -c:v png -pix_fmt rgb24 \
    -f image2

echo "Done."
