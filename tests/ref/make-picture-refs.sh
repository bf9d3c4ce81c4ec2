#!/usr/bin/env bash
# Write reference pictures for the picture-correctness clips (assets/pic_*):
#
#   tests/ref/picture/<file>.png  the first video frame as FFmpeg itself shows
#                                 it, as 8-bit full-range RGB (rgb24 PNG):
#     - at the display size: the display matrix is applied (the ffmpeg CLI's
#       autorotate, on by default, inserts transpose/hflip/vflip), and the sample
#       aspect ratio is applied by scaling the width to round(width * SAR), so
#       the picture has square pixels (720x576 at SAR 64:45 -> 1024x576);
#     - Y'CbCr -> RGB with the matrix and range the frame is tagged with
#       (swscale in_color_matrix=auto, in_range=auto), bicubic, accurate
#       rounding, full chroma interpolation;
#     - formats with alpha are composited over black (colour premultiplied by
#       alpha, then alpha dropped).
#   tests/ref/picture/<file>.noautorotate.png  for a clip with a display
#                                 matrix: the same, as stored (ffmpeg -noautorotate),
#                                 what --no-autorotate shows.
#   The PNGs carry no colour tags (no gAMA/cHRM chunks): the RGB values are
#   what a player puts on an sRGB screen without colour management.
#
# Untagged Y'CbCr: swscale's in_color_matrix=auto uses BT.601 for a frame whose
# colorspace is unspecified, whatever its size, while players (mpv, for example)
# guess BT.709 for untagged pictures taller than 576 lines. The references follow
# the players: such clips (pic_untagged_hd_1280x720.mp4) are converted with
# in_color_matrix=bt709. Tagged and full-range clips need nothing special:
# "auto" follows the frame's colorspace (bt709, smpte170m, bt470bg) and range
# (pc for the full-range H.264 and the JPEG, which both decode as yuvj420p).
#
# Usage: tests/ref/make-picture-refs.sh       (any working directory)
set -euo pipefail

REF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ASSETS_DIR="$(cd "$REF_DIR/../../assets" && pwd)"
OUT_DIR="$REF_DIR/picture"
FFMPEG="${FFMPEG:-ffmpeg}"
FFPROBE="${FFPROBE:-ffprobe}"
SWS_FLAGS="bicubic+accurate_rnd+full_chroma_int"

die() { printf 'make-picture-refs.sh: %s\n' "$*" >&2; exit 1; }
command -v "$FFMPEG" >/dev/null 2>&1 || die "ffmpeg not found (set FFMPEG=...)"
command -v "$FFPROBE" >/dev/null 2>&1 || die "ffprobe not found (set FFPROBE=...)"

# Pixel formats with a given ffprobe flag, as " name name ... ".
fmts_with() { # fmts_with FLAG
    printf ' %s ' "$("$FFPROBE" -v error -show_pixel_formats -of compact \
        | sed -n "s/^pixel_format|name=\([^|]*\)|.*flags:$1=1.*/\1/p" | tr '\n' ' ')"
}
# With an alpha channel (pal8 counts: its palette has alpha); RGB or paletted.
alpha_fmts="$(fmts_with alpha)"
rgb_fmts="$(fmts_with rgb)$(fmts_with palette)"
[[ "$alpha_fmts" == *" rgba "* && "$rgb_fmts" == *" bgr0 "* ]] ||
    die "cannot read pixel format flags from ffprobe"

# probe FILE KEY: one field of the first video stream as ffprobe reports it.
probe() {
    "$FFPROBE" -v error -select_streams v:0 -show_entries "stream=$2" \
        -of default=noprint_wrappers=1:nokey=1 "$1"
}

# probe_rotation FILE: the display matrix's rotation of the first video stream, empty if none.
probe_rotation() {
    "$FFPROBE" -v error -select_streams v:0 -show_entries stream_side_data=rotation \
        -of default=noprint_wrappers=1:nokey=1 "$1"
}

# write_ref FILE FILTERS OUT [INPUT OPTIONS...]: the first frame through FILTERS as an rgb24 PNG.
write_ref() {
    local file=$1 vf=$2 out=$3
    shift 3
    tmp="$out.tmp"
    "$FFMPEG" -nostdin -hide_banner -loglevel error -y "$@" -i "$file" \
        -map 0:v:0 -vf "$vf" -sws_flags "$SWS_FLAGS" \
        -frames:v 1 -update 1 -c:v png -pix_fmt rgb24 \
        -map_metadata -1 -fflags +bitexact -flags +bitexact \
        -f image2 "$tmp"
    mv -f "$tmp" "$out"
}

mkdir -p "$OUT_DIR"
tmp=""
trap '[[ -z "$tmp" ]] || rm -f "$tmp"' EXIT

shopt -s nullglob
count=0
for F in "$ASSETS_DIR"/pic_*; do
    name="$(basename "$F")"
    [[ -f "$F" ]] || continue

    pix_fmt="$(probe "$F" pix_fmt)"
    height="$(probe "$F" height)"
    colorspace="$(probe "$F" color_space)"
    [[ -n "$pix_fmt" && -n "$height" ]] || die "$name: no video stream"

    matrix=auto
    note=""
    if [[ "$rgb_fmts" != *" $pix_fmt "* ]] &&
        [[ "$colorspace" == unknown || -z "$colorspace" ]] && ((height > 576)); then
        # Untagged HD: "auto" would pick BT.601; use the players' guess.
        matrix=bt709
        note=" (untagged, height $height > 576: in_color_matrix=bt709)"
    fi

    # Display size and colour conversion in one swscale pass. Autorotation has
    # already happened when this runs, so iw/ih/sar are the rotated ones.
    vf="scale=w='round(iw*sar)':h=ih:in_color_matrix=$matrix:in_range=auto"
    vf+=":out_range=full:flags=$SWS_FLAGS,setsar=1"
    if [[ "$alpha_fmts" == *" $pix_fmt "* ]]; then
        # Over black: out = colour * alpha (premultiply maps alpha 255 to x1).
        vf+=",format=gbrap,premultiply=inplace=1"
        note+=" (alpha $pix_fmt: composited over black)"
    fi
    vf+=",format=rgb24"
    # Drop the source's colour tags so the PNG gets no gAMA/cHRM chunks.
    vf+=",setparams=range=pc:color_primaries=unknown:color_trc=unknown:colorspace=unknown"

    printf '  %s%s\n' "$name" "$note"
    write_ref "$F" "$vf" "$OUT_DIR/$name.png"
    # With a display matrix, also the picture as stored (--no-autorotate).
    if [[ -n "$(probe_rotation "$F")" ]]; then
        printf '  %s (as stored, -noautorotate)\n' "$name"
        write_ref "$F" "$vf" "$OUT_DIR/$name.noautorotate.png" -noautorotate
    fi
    count=$((count + 1))
done

[[ $count -gt 0 ]] || die "no pic_* files found in $ASSETS_DIR"
echo "Wrote $count reference picture(s) in $OUT_DIR"
