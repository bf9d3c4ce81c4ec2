#!/usr/bin/env bash
# Generate the small synthetic test clips in this directory with the ffmpeg CLI.
#
# All sources are lavfi generators (testsrc2, sine), so no input media is needed.
# Encoders run single-threaded with bitexact flags and no copied metadata so that
# re-running the script with the same FFmpeg/x264/x265/libvpx/libopus builds
# reproduces byte-identical files.
#
# The pic_* clips are picture-correctness clips: a few frames of still or slow
# content (SMPTE colour bars, testsrc2) whose first frame is compared with a
# reference picture (tests/ref/make-picture-refs.sh). Their sources are rendered
# as rgb24 and converted to Y'CbCr with an explicit matrix and range that match
# the colour tags written into the file.
#
# Usage: assets/make-assets.sh        (any working directory)
# Needs: ffmpeg with libx264, libx265, libvpx, libopus, libaom, drawtext (libfreetype),
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
for enc in libx264 libx265 libvpx-vp9 libopus aac mpeg2video mp2 png \
        mjpeg ffv1 gif apng libaom-av1; do
    [[ "$encoders" == *" $enc "* ]] || die "ffmpeg has no $enc encoder"
done
for filt in smptebars smptehdbars geq palettegen paletteuse; do
    [[ "$filters" == *" $filt "* ]] || die "ffmpeg has no $filt filter"
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

# SMPTE colour bars as full-range rgb24 (75% bars = 191). smptebars and
# smptehdbars write fixed limited-range Y'CbCr values (BT.601 and BT.709
# respectively) into frames that carry no colour tags, so decode them with the
# matrix they were made with before converting to the clip's own colour space.
bars_rgb() { # bars_rgb smptebars|smptehdbars SIZE RATE
    local matrix=bt601
    [[ "$1" == smptehdbars ]] && matrix=bt709
    printf '%s=size=%s:rate=%s,scale=in_color_matrix=%s:in_range=tv:out_range=full,format=rgb24' \
        "$1" "$2" "$3" "$matrix"
}

# RGB -> Y'CbCr with an explicit matrix and range (the tags written by the
# encoder options must say the same).
to_yuv() { # to_yuv MATRIX tv|pc PIX_FMT
    printf 'scale=out_color_matrix=%s:out_range=%s,format=%s' "$1" "$2" "$3"
}

# Colour tags (encoder options) for limited-range BT.709 and BT.601 (525-line).
TAGS_709=(-colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv)
TAGS_601=(-colorspace smpte170m -color_primaries smpte170m -color_trc smpte170m -color_range tv)

# libx264 settings of the pic_* H.264 clips: high quality, every 5th frame a
# keyframe, no B-frames (so frame 0 is also the first packet).
X264_PIC=(-c:v libx264 -preset medium -profile:v high -crf 16 -g 5 -bf 0)

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

# 8a. A long clip for seeking by keys (arrows move 5 s, up/down 60 s) and for long
#     runs of steps with sound: H.264 in MP4, frame numbers, 160x120 at 2 fps for
#     90 s = 180 frames, GOP 20 (10 s) with B-frames; AAC mono 48 kHz at 16 kb/s
#     (4219 packets, more than the audio packet queue holds). Low rates keep it small.
run h264_long_160x120_2fps_90s.mp4 \
    -f lavfi -i "testsrc2=size=160x120:rate=2:duration=90,$(framenum 48)" \
    -f lavfi -i "$(tone 48000 90)" \
    -map 0:v -map 1:a \
    -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p \
    -crf 36 -g 20 -keyint_min 20 -sc_threshold 0 -bf 2 \
    -c:a aac -b:a 16k -ac 1 \
    -movflags +faststart -f mp4

# 8b. Sound alone: AAC in MP4, 2 s of a 440 Hz tone that beeps each second.
run sound_only_aac_2s.m4a \
    -f lavfi -i "$(tone 48000 2)" \
    -ac 2 -c:a aac -b:a 96k \
    -movflags +faststart -f mp4

# 8c. Tiny: 3 frames of H.264 (one B-frame) and 0.1 s of AAC, for the allocation-failure test,
#     which plays the whole clip once per allocation it makes.
run tiny_h264_aac_3frames_64x48.mp4 \
    -f lavfi -i "testsrc2=size=64x48:rate=25:duration=0.12" \
    -f lavfi -i "$(tone 48000 0.1)" \
    -map 0:v -map 1:a \
    -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -bf 1 -g 3 \
    -c:a aac -b:a 64k -ac 2 -ar 48000 \
    -movflags +faststart -f mp4

# Picture-correctness clips (pic_*). 5 frames at 5 fps unless noted; the first
# frame is the one compared with tests/ref/picture/<file>.png.

# 9. BT.709 limited range, tagged, HD bars (smptehdbars) in H.264/MP4.
run pic_bt709_1280x720.mp4 \
    -f lavfi -i "$(bars_rgb smptehdbars 1280x720 5),$(to_yuv bt709 tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p "${TAGS_709[@]}" \
    -movflags +faststart -f mp4

# 10. BT.601 (smpte170m) limited range, tagged, SD bars (smptebars) in H.264/MP4.
run pic_bt601_640x480.mp4 \
    -f lavfi -i "$(bars_rgb smptebars 640x480 5),$(to_yuv bt601 tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p "${TAGS_601[@]}" \
    -movflags +faststart -f mp4

# 11. Same picture as 9 (BT.709 limited range) but with no colour tags at all:
#     players are expected to guess BT.709 for untagged HD.
run pic_untagged_hd_1280x720.mp4 \
    -f lavfi -i "$(bars_rgb smptehdbars 1280x720 5),$(to_yuv bt709 tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p \
    -movflags +faststart -f mp4

# 12. BT.709 full range, tagged, HD bars, H.264 in Matroska. Encoded from yuv420p
#     with -color_range pc (VUI video_full_range_flag=1), not from yuvj420p;
#     FFmpeg's H.264 decoder reports such frames as yuvj420p.
run pic_fullrange_bt709_1280x720.mkv \
    -f lavfi -i "$(bars_rgb smptehdbars 1280x720 5),$(to_yuv bt709 pc yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p \
    -colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range pc \
    -f matroska

# 12b-12c. The matrices SDL has no conversion for, which go through libswscale: BT.2020
#     (non-constant luminance) and SMPTE 240M, limited range, tagged, HD bars at 640x360.
run pic_bt2020_640x360.mp4 \
    -f lavfi -i "$(bars_rgb smptehdbars 640x360 5),$(to_yuv bt2020 tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p \
    -colorspace bt2020nc -color_primaries bt2020 -color_trc bt2020-10 -color_range tv \
    -movflags +faststart -f mp4
run pic_smpte240m_640x360.mp4 \
    -f lavfi -i "$(bars_rgb smptehdbars 640x360 5),$(to_yuv smpte240m tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p \
    -colorspace smpte240m -color_primaries smpte240m -color_trc smpte240m -color_range tv \
    -movflags +faststart -f mp4

# 12d. The same HD bars as 9, at 640x360, tagged BT.709, but 8 s at 10 fps (80 frames, a
#     keyframe every 20): a still picture that plays, for resizing and fullscreen while
#     playing. Every frame looks like the first, so a grab at any moment has a reference.
#     At 10 fps a frame is dropped only after a stall of 100 ms.
run pic_bt709_playing_640x360_8s.mp4 \
    -f lavfi -i "$(bars_rgb smptehdbars 640x360 10),$(to_yuv bt709 tv yuv420p)" \
    -frames:v 80 -c:v libx264 -preset medium -profile:v high -crf 16 -g 20 -bf 0 \
    -pix_fmt yuv420p "${TAGS_709[@]}" \
    -movflags +faststart -f mp4

# 13. Baseline JPEG image: yuvj420p, full-range BT.601 (JFIF), SD bars.
run pic_jpeg_640x480.jpg \
    -f lavfi -i "$(bars_rgb smptebars 640x480 1),$(to_yuv bt601 pc yuvj420p)" \
    -frames:v 1 -update 1 -c:v mjpeg -pix_fmt yuvj420p -q:v 2 \
    -f image2

# 14. 10-bit 4:4:4: HEVC Main 4:4:4 10 (yuv444p10le), BT.601 limited, SD bars, in
#     Matroska.
run pic_yuv444p10_640x480.mkv \
    -f lavfi -i "$(bars_rgb smptebars 640x480 5),$(to_yuv bt601 tv yuv444p10le)" \
    -frames:v 5 -c:v libx265 -preset medium -profile:v main444-10 \
    -pix_fmt yuv444p10le -crf 16 -g 5 -bf 0 "${TAGS_601[@]}" \
    -x265-params "pools=none:frame-threads=1:lookahead-threads=0:scenecut=0:log-level=error" \
    -f matroska

# 15. Anamorphic 16:9 PAL: 720x576 stored, SAR 64:45, displayed 1024x576. testsrc2
#     is rendered at the display size with a white ring (a circle at display
#     size, an ellipse in the stored picture) and squeezed to 720 wide. BT.601
#     625-line tags (bt470bg), H.264 in Matroska.
RING="hypot(X-W/2,Y-H/2)"
RING="between($RING,H/3-8,H/3)"
run pic_anamorphic_720x576.mkv \
    -f lavfi -i "testsrc2=size=1024x576:rate=5,format=rgb24,geq=r='if($RING,255,r(X,Y))':g='if($RING,255,g(X,Y))':b='if($RING,255,b(X,Y))',scale=w=720:h=576,$(to_yuv bt601 tv yuv420p),setsar=64/45" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p \
    -colorspace bt470bg -color_primaries bt470bg -color_trc smpte170m -color_range tv \
    -f matroska

# 16. Display matrix: 320x240 testsrc2 (asymmetric), H.264/MP4 whose tkhd matrix
#     says "rotate 90 degrees clockwise for display" (ffprobe: rotation -90, like
#     a phone's portrait video), so it is shown as 240x320 with the original
#     top-left corner at the top right.
#     FFmpeg 5.1's CLI only turns "rotate" stream metadata into a display matrix
#     when stream-copying, and takes the value as a counterclockwise angle (the
#     sign ffprobe shows): rotate=-90 gives the clockwise display rotation
#     (rotate=90 would give rotation 90, counterclockwise). So encode first,
#     then remux with the metadata.
"$FFMPEG" -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=320x240:rate=5,format=rgb24,$(to_yuv bt601 tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p "${TAGS_601[@]}" \
    -map_metadata -1 -fflags +bitexact -flags +bitexact -threads 1 \
    -sws_flags bicubic+accurate_rnd+bitexact \
    -f mp4 "$TMP_DIR/rotated_src.mp4"
run pic_rotated90_320x240.mp4 \
    -i "$TMP_DIR/rotated_src.mp4" -map 0:v -c copy \
    -metadata:s:v:0 rotate=-90 \
    -movflags +faststart -f mp4

# 16b-16d. More display matrices: rotation by 180 degrees (rotate=180), 270 degrees
#     clockwise (rotate=90: ffprobe rotation 90, counterclockwise), and a horizontal mirror.
#     Not on testsrc2: its colour bars are vertical, so a picture flipped upside down (a
#     mirror shown as a rotation by 180, or 90 degrees shown as a transpose) still matches
#     its reference on most pixels. This picture is a ramp, red growing to the right and
#     green downwards, with a white box at the top left: every wrong turn or flip changes
#     most of its pixels by far more than the comparison allows.
#     FFmpeg 5.1's CLI cannot write a mirror (-display_hflip came in 6.0), so the mirror is
#     remuxed without metadata and the first element of its tkhd matrix (a, 16.16 fixed
#     point, 44 bytes after the box type of a version-0 tkhd) is changed from 1 to -1:
#     ffprobe then reads {-65536,0,0; 0,65536,0; 0,0,1<<30}, what av_display_matrix_flip(m,
#     1, 0) makes of the identity.
"$FFMPEG" -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "color=black:size=320x240:rate=5,format=rgb24,geq=r='255*X/W':g='255*Y/H':b=0,drawbox=x=8:y=8:w=48:h=32:color=white:t=fill,$(to_yuv bt601 tv yuv420p)" \
    -frames:v 5 "${X264_PIC[@]}" -pix_fmt yuv420p "${TAGS_601[@]}" \
    -map_metadata -1 -fflags +bitexact -flags +bitexact -threads 1 \
    -sws_flags bicubic+accurate_rnd+bitexact \
    -f mp4 "$TMP_DIR/ramp_src.mp4"
run pic_rotated180_320x240.mp4 \
    -i "$TMP_DIR/ramp_src.mp4" -map 0:v -c copy \
    -metadata:s:v:0 rotate=180 \
    -movflags +faststart -f mp4
run pic_rotated270_320x240.mp4 \
    -i "$TMP_DIR/ramp_src.mp4" -map 0:v -c copy \
    -metadata:s:v:0 rotate=90 \
    -movflags +faststart -f mp4
run pic_hflip_320x240.mp4 \
    -i "$TMP_DIR/ramp_src.mp4" -map 0:v -c copy \
    -movflags +faststart -f mp4
perl -e 'my $f = shift; open my $fh, "+<:raw", $f or die "$f: $!";
         local $/; my $d = <$fh>; my $at = index($d, "tkhd");
         $at >= 0 && substr($d, $at + 4, 1) eq "\0" or die "$f: no version-0 tkhd\n";
         substr($d, $at + 44, 4) eq pack("N", 0x10000) or die "$f: tkhd matrix is not the identity\n";
         seek $fh, $at + 44, 0; print $fh pack("N", 0xFFFF0000); close $fh or die' \
    "$ASSETS_DIR/pic_hflip_320x240.mp4"

# 17. Packed RGB at an odd size: FFV1 (lossless) bgr0 321x241 in Matroska. Rendered
#     as rgb24 so that testsrc2 keeps the odd size.
run pic_rgb_odd_321x241.mkv \
    -f lavfi -i "testsrc2=size=321x241:rate=5,format=rgb24" \
    -frames:v 5 -c:v ffv1 -pix_fmt bgr0 -g 5 \
    -f matroska

# 18. Paletted: animated GIF (pal8), testsrc2 320x240, 5 frames at 5 fps, one
#     256-colour palette generated from all frames, no transparent entry.
run pic_pal8_320x240.gif \
    -f lavfi -i "testsrc2=size=320x240:rate=5:duration=1,format=rgb24" \
    -vf "split[a][b];[a]palettegen=stats_mode=full:reserve_transparent=0[p];[b][p]paletteuse=dither=bayer:bayer_scale=3" \
    -c:v gif -loop 0 \
    -f gif

# 18b. Paletted for real: FFmpeg's GIF decoder outputs bgra, so a PNG with a
#      palette (pal8 out of the decoder) covers the paletted path.
run pic_pal8_320x240.png \
    -f lavfi -i "testsrc2=size=320x240:rate=5:duration=0.2,format=rgb24" \
    -vf "split[a][b];[a]palettegen=stats_mode=full:reserve_transparent=0[p];[b][p]paletteuse=dither=bayer:bayer_scale=3" \
    -frames:v 1 -update 1 -c:v png -pix_fmt pal8 \
    -f image2

# 20. The subsampling and layouts SDL cannot take, one frame each, BT.601 bars:
#     4:2:2, 4:1:1 and 4:1:0 in FFV1; NV12 as raw video in NUT. (No container
#     here stores raw P010; only hardware decoders output it.)
for fmt in yuv422p yuv411p yuv410p; do
    run "pic_${fmt}_320x240.mkv" \
        -f lavfi -i "$(bars_rgb smptebars 320x240 5),$(to_yuv bt601 tv "$fmt")" \
        -frames:v 1 -c:v ffv1 -pix_fmt "$fmt" "${TAGS_601[@]}" \
        -f matroska
done
for fmt in nv12; do
    run "pic_${fmt}_320x240.nut" \
        -f lavfi -i "$(bars_rgb smptebars 320x240 5),$(to_yuv bt601 tv "$fmt")" \
        -frames:v 1 -c:v rawvideo -pix_fmt "$fmt" "${TAGS_601[@]}" \
        -f nut
done

# 20b. 10-bit 4:2:2 (yuv422p10le), one frame of BT.601 bars in FFV1, for the pixel probe
#      (tests/test_pixel.c).
run pic_yuv422p10_320x240.mkv \
    -f lavfi -i "$(bars_rgb smptebars 320x240 5),$(to_yuv bt601 tv yuv422p10le)" \
    -frames:v 1 -c:v ffv1 -pix_fmt yuv422p10le "${TAGS_601[@]}" \
    -f matroska

# 21. An AVIF image sequence: AV1 (libaom) in the AVIF container (ISOBMFF, read
#     by the mov demuxer), 5 frames at 5 fps, BT.601 bars, limited range.
run pic_avif_320x240.avif \
    -f lavfi -i "$(bars_rgb smptebars 320x240 5),$(to_yuv bt601 tv yuv420p)" \
    -frames:v 5 -c:v libaom-av1 -cpu-used 6 -crf 16 -g 5 -pix_fmt yuv420p "${TAGS_601[@]}" \
    -f avif

# 19. Alpha: animated PNG (rgba), testsrc2 320x240, 5 frames at 5 fps. Top half
#     opaque; bottom half alpha ramps from 0 (left edge, fully transparent) to
#     255 (right edge).
run pic_alpha_320x240.apng \
    -f lavfi -i "testsrc2=size=320x240:rate=5,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(Y,H/2),255,round(255*X/(W-1)))'" \
    -frames:v 5 -c:v apng -pix_fmt rgba -plays 0 \
    -f apng

# Awkward streams (robustness). Small, frame numbers burnt in where a test steps or seeks.

# 21. Raw H.264 (Annex B, no container, no timestamps) whose picture changes
#     twice: 12 frames 320x240 yuv420p, 12 frames 176x144 yuv420p, 12 frames
#     320x240 yuv444p (High 4:4:4). Each piece starts with its own SPS and IDR.
#     The ffmpeg CLI converts frames after a pixel-format change to the first
#     format, so tests/ref/make-refs.sh decodes the pieces one by one.
for piece in "320x240 yuv420p high" "176x144 yuv420p high" "320x240 yuv444p high444"; do
    read -r size fmt profile <<<"$piece"
    "$FFMPEG" -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=$size:rate=25,$(framenum 60)" -frames:v 12 \
        -c:v libx264 -preset medium -profile:v "$profile" -pix_fmt "$fmt" -crf 24 \
        -g 6 -bf 2 -fflags +bitexact -flags +bitexact -threads 1 \
        -f h264 "$TMP_DIR/piece_${size}_$fmt.h264"
done
printf '  %s\n' h264_sizechange_fmtchange.h264
cat "$TMP_DIR/piece_320x240_yuv420p.h264" "$TMP_DIR/piece_176x144_yuv420p.h264" \
    "$TMP_DIR/piece_320x240_yuv444p.h264" >"$ASSETS_DIR/h264_sizechange_fmtchange.h264"

# 22. Raw HEVC (Annex B), no timestamps: 320x240, 25 fps, 50 frames, GOP 25.
run hevc_raw_framenum_320x240_25fps.hevc \
    -f lavfi -i "testsrc2=size=320x240:rate=25,$(framenum 120)" -frames:v 50 \
    -c:v libx265 -preset fast -crf 28 -g 25 -bf 2 \
    -x265-params "pools=none:frame-threads=1:lookahead-threads=0:scenecut=0:log-level=error" \
    -f hevc

# 23. Timestamps that jump: three 1 s MPEG-TS pieces (MPEG-2 + MP2) whose clocks
#     start at 10 s, 0 s and 6 s, concatenated. Time goes back 11 s, then
#     forward 5 s.
for offset in 10 0 6; do
    "$FFMPEG" -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=320x240:rate=25:duration=1,$(framenum 120)" \
        -f lavfi -i "$(tone 48000 1)" -map 0:v -map 1:a \
        -c:v mpeg2video -pix_fmt yuv420p -g 12 -bf 2 -q:v 16 -dct int \
        -c:a mp2 -b:a 64k -ac 2 -ar 48000 -output_ts_offset "$offset" \
        -fflags +bitexact -flags +bitexact -threads 1 -f mpegts "$TMP_DIR/jump_$offset.ts"
done
printf '  %s\n' mpeg2_tsjumps_320x240_25fps.ts
cat "$TMP_DIR/jump_10.ts" "$TMP_DIR/jump_0.ts" "$TMP_DIR/jump_6.ts" \
    >"$ASSETS_DIR/mpeg2_tsjumps_320x240_25fps.ts"

# 24. One frame: H.264 in MP4.
run h264_oneframe_320x240.mp4 \
    -f lavfi -i "testsrc2=size=320x240:rate=25,$(framenum 120)" -frames:v 1 \
    -c:v libx264 -preset medium -pix_fmt yuv420p -crf 20 \
    -movflags +faststart -f mp4

# 25. Sound in small frames: PCM in Matroska, 40 samples (5 ms) a frame at 8 kHz stereo, under
#     2 s of 64x48 H.264 at 10 fps. One device buffer (1024 samples) spans 26 frames, more
#     than the audio frame queue holds.
run pcm_smallframes_64x48_8khz_2s.mkv \
    -f lavfi -i "testsrc2=size=64x48:rate=10:duration=2" \
    -f lavfi -i "$(tone 8000 2)" -map 0:v -map 1:a \
    -af asetnsamples=n=40 \
    -c:v libx264 -preset medium -pix_fmt yuv420p -g 10 \
    -c:a pcm_s16le -ac 2 -ar 8000 -f matroska

# 26. Sound that starts late: 2 s of 64x48 H.264 at 25 fps, and AAC (mono, 48 kHz) that starts
#     0.3 s after the first picture.
run h264_lateaudio_64x48_25fps_2s.mp4 \
    -f lavfi -i "testsrc2=size=64x48:rate=25:duration=2" \
    -itsoffset 0.3 -f lavfi -i "$(tone 48000 1.7)" -map 0:v -map 1:a \
    -c:v libx264 -preset medium -pix_fmt yuv420p -g 25 \
    -c:a aac -b:a 32k -ac 1 -movflags +faststart -f mp4

# 27. Sound that starts 1.5 s after the first picture, over 3 s of H.264: a gap longer than
#     any splice would be in MPEG-TS, which outside TS is silence.
run h264_lateaudio15_64x48_25fps_3s.mp4 \
    -f lavfi -i "testsrc2=size=64x48:rate=25:duration=3" \
    -itsoffset 1.5 -f lavfi -i "$(tone 48000 1.5)" -map 0:v -map 1:a \
    -c:v libx264 -preset medium -pix_fmt yuv420p -g 25 \
    -c:a aac -b:a 32k -ac 1 -movflags +faststart -f mp4

# 28-30. Coarse time bases, where a seek target between two frames must not round down onto
#     the earlier one: H.264 at 8 fps in MP4 whose time base is 1/8 (a phone's slow clip),
#     MPEG-4 part 2 in AVI at 25 fps (time base 1/25, as old AVIs have), and Theora in Ogg
#     at 30 fps. Keyframes every 2 s; 12 s at 8 fps, 8 s otherwise, frame numbers drawn on every picture.
run h264_tb8_160x120_8fps.mp4 \
    -f lavfi -i "testsrc2=size=160x120:rate=8:duration=12,$(framenum 48)" \
    -c:v libx264 -preset medium -pix_fmt yuv420p -g 16 -keyint_min 16 -sc_threshold 0 \
    -video_track_timescale 8 -movflags +faststart -f mp4
run mpeg4_avi_160x120_25fps.avi \
    -f lavfi -i "testsrc2=size=160x120:rate=25:duration=8,$(framenum 48)" \
    -c:v mpeg4 -q:v 12 -g 50 -pix_fmt yuv420p -f avi
run theora_ogg_160x120_30fps.ogv \
    -f lavfi -i "testsrc2=size=160x120:rate=30:duration=8,$(framenum 48)" \
    -c:v libtheora -q:v 2 -g 60 -pix_fmt yuv420p -f ogg

# 31. An alpha plane before the picture: AV1 from libaom, a flat colour picture and a noisy alpha
#     plane (one component, so far the larger track), as an AVIF sequence makes them, then
#     remuxed into MP4 with the alpha track first and both marked default. libavformat's
#     av_find_best_stream() picks the alpha plane (the higher bit rate); the ffmpeg CLI and
#     mpv, and framepipe, show the picture.
run av1_alpha_src_160x120.avif \
    -f lavfi -i "testsrc2=size=160x120:rate=5:duration=1,format=rgba,geq=r='128':g='64':b='200':a='255*random(1)'" \
    -filter_complex "[0:v]split[v][c];[c]alphaextract[a]" -map "[v]" -map "[a]" \
    -c:v libaom-av1 -cpu-used 8 -pix_fmt:0 yuv420p -f avif
run av1_alpha_first_160x120.mp4 \
    -i "$ASSETS_DIR/av1_alpha_src_160x120.avif" -map 0:1 -map 0:0 -c copy \
    -disposition:0 default -disposition:1 default -f mp4
rm -f "$ASSETS_DIR/av1_alpha_src_160x120.avif"

# 32. Two audio tracks: 2 s of H.264 with AAC at 440 Hz (track 1) and Opus at 880 Hz (track 2)
#     in Matroska, for --aid.
run h264_2audio_160x120_25fps.mkv \
    -f lavfi -i "testsrc2=size=160x120:rate=25:duration=2" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=2" \
    -f lavfi -i "sine=frequency=880:sample_rate=48000:duration=2" \
    -map 0:v -map 1:a -map 2:a -c:v libx264 -preset medium -pix_fmt yuv420p -g 25 \
    -c:a:0 aac -b:a:0 64k -c:a:1 libopus -b:a:1 48k -f matroska

# 33-34. Raw streams long enough to seek in: Annex B with no container and no timestamps, closed
#     GOPs with an IDR picture every second and B-frames (H.264 with a B-pyramid; HEVC whose
#     IDR pictures have no leading pictures), 8 s at 25 fps, frame numbers drawn on every
#     picture. A seek goes to the byte position of an IDR picture that the frame index found.
run h264_raw_160x120_25fps.h264 \
    -f lavfi -i "testsrc2=size=160x120:rate=25:duration=8,$(framenum 48)" \
    -c:v libx264 -preset medium -pix_fmt yuv420p -g 25 -keyint_min 25 -sc_threshold 0 \
    -bf 3 -b_strategy 0 -x264-params b-pyramid=normal -f h264
run hevc_raw_160x120_25fps.hevc \
    -f lavfi -i "testsrc2=size=160x120:rate=25:duration=8,$(framenum 48)" \
    -c:v libx265 -preset fast -crf 28 -g 25 -bf 3 \
    -x265-params "pools=none:frame-threads=1:lookahead-threads=0:scenecut=0:open-gop=0:min-keyint=25:log-level=error" \
    -f hevc

# 35. A/V sync measured from outside (tests/avsync/check_avsync.py): 8 s of black and silence,
#     with a white flash and a 1 kHz beep starting together at frames AVSYNC_FLASHES (25 fps;
#     the same list is in check_avsync.py), each 2 frames (80 ms, 3840 samples) long. The gaps
#     between them (5 to 16 frames) are irregular: no shift of one against the other lines up
#     more than two flashes. The beeps start on their sample (aevalsrc counts samples in n);
#     FLAC keeps them exact, where AAC would smear an onset over its frame, in 50 KB. 48 kHz
#     stereo, as a player's device usually runs. A keyframe each second, for quick exact seeks.
AVSYNC_FLASHES=(5 12 23 28 37 50 56 66 81 89 101 106 120 127 137 143 154 170 178 187)
avsync_video="" avsync_audio=""
for n in "${AVSYNC_FLASHES[@]}"; do
    avsync_video+="+between(n,$n,$((n + 1)))"
    avsync_audio+="+between(n,$((n * 1920)),$(((n + 2) * 1920 - 1)))"
done
run avsync_flash_beep_160x120_25fps_8s.mkv \
    -f lavfi -i "color=c=black:size=160x120:rate=25:duration=8,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='${avsync_video#+}'" \
    -f lavfi -i "aevalsrc=exprs='0.5*sin(2*PI*1000*t)*gt(${avsync_audio#+},0)':channel_layout=stereo:sample_rate=48000:duration=8" \
    -map 0:v -map 1:a -c:v libx264 -preset medium -pix_fmt yuv420p -g 25 -keyint_min 25 \
    -sc_threshold 0 -bf 2 -c:a flac -sample_fmt s16 -f matroska

echo "Done."
