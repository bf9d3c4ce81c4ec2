#!/usr/bin/env bash
# Write the pixel probe's references (tests/test_pixel.c):
#
#   tests/ref/pixel/<file>.txt  20 pixels of the first video frame of assets/<file>, with
#                               the code value of each component as the ffmpeg CLI stores it:
#                               ffmpeg -i FILE -frames:v 1 -f rawvideo -pix_fmt <native> -
#
# The raw bytes are taken apart here by a table of the few layouts below, written from the
# formats' definitions, not with libavutil's pixel format descriptors that framepipe reads
# with: planes one after another with no padding, chroma planes ceil(w / 2^sx) x
# ceil(h / 2^sy), 16-bit samples little-endian, NV12's U and V interleaved, a pal8 frame
# followed by its 256-entry palette of uint32 0xAARRGGBB in native (here little-endian) order.
#
# A file has a header line "fmt NAME WIDTH HEIGHT", then one line per pixel: "x y" and the
# components in the order Y U V [A], R G B [A], or for pal8 the index and its R G B A.
# The pixels: the four corners, their inner neighbours, the last row and column, odd
# coordinates, and a few more from a fixed pseudo-random sequence.
#
# Usage: tests/ref/make-pixel-refs.sh       (any working directory)
set -euo pipefail

REF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ASSETS_DIR="$(cd "$REF_DIR/../../assets" && pwd)"
OUT_DIR="$REF_DIR/pixel"
FFMPEG="${FFMPEG:-ffmpeg}"
FFPROBE="${FFPROBE:-ffprobe}"
PYTHON3="${PYTHON3:-python3}"

# The assets, one per layout the probe must read (their native formats in the comments).
ASSETS=(
    h264_framenum_320x240_25fps.mp4 # yuv420p
    vp9_odd_321x241_25fps.webm      # yuv420p at an odd size: a chroma sample for one pixel
    pic_jpeg_640x480.jpg            # yuvj420p (full range)
    hevc_main10_320x240_25fps.mp4   # yuv420p10le
    pic_yuv422p_320x240.mkv         # yuv422p
    pic_yuv422p10_320x240.mkv       # yuv422p10le
    pic_yuv444p10_640x480.mkv       # yuv444p10le
    pic_yuv410p_320x240.mkv         # yuv410p
    pic_nv12_320x240.nut            # nv12
    pic_rgb_odd_321x241.mkv         # bgr0 at an odd size
    pic_pal8_320x240.png            # pal8
    pic_alpha_320x240.apng          # rgba
)

die() { printf 'make-pixel-refs.sh: %s\n' "$*" >&2; exit 1; }
command -v "$FFMPEG" >/dev/null 2>&1 || die "ffmpeg not found (set FFMPEG=...)"
command -v "$FFPROBE" >/dev/null 2>&1 || die "ffprobe not found (set FFPROBE=...)"
command -v "$PYTHON3" >/dev/null 2>&1 || die "python3 not found (set PYTHON3=...)"

# probe FILE KEY: one field of the first video stream as ffprobe reports it.
probe() {
    "$FFPROBE" -v error -select_streams v:0 -show_entries "stream=$2" \
        -of default=noprint_wrappers=1:nokey=1 "$1"
}

mkdir -p "$OUT_DIR"
raw="$(mktemp)"
tmp=""
trap 'rm -f "$raw"; [[ -z "$tmp" ]] || rm -f "$tmp"' EXIT

for name in "${ASSETS[@]}"; do
    F="$ASSETS_DIR/$name"
    [[ -f "$F" ]] || die "$name: not in $ASSETS_DIR"
    fmt="$(probe "$F" pix_fmt)"
    width="$(probe "$F" width)"
    height="$(probe "$F" height)"
    printf '  %s (%s %sx%s)\n' "$name" "$fmt" "$width" "$height"
    "$FFMPEG" -nostdin -hide_banner -loglevel error -noautorotate -i "$F" -map 0:v:0 \
        -frames:v 1 -fps_mode passthrough -f rawvideo -pix_fmt "$fmt" - >"$raw"
    out="$OUT_DIR/$name.txt"
    tmp="$out.tmp"
    "$PYTHON3" - "$raw" "$fmt" "$width" "$height" "$name" >"$tmp" <<'EOF'
import struct, sys

raw_path, fmt, w, h, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
data = open(raw_path, "rb").read()

# name: (bytes per sample, log2 chroma w, log2 chroma h) of a planar Y'CbCr format.
PLANAR = {"yuv420p": (1, 1, 1), "yuvj420p": (1, 1, 1), "yuv420p10le": (2, 1, 1),
          "yuv422p": (1, 1, 0), "yuv422p10le": (2, 1, 0), "yuv444p10le": (2, 0, 0),
          "yuv410p": (1, 2, 2)}
# name: bytes per pixel and the byte of R, G, B[, A] in a pixel of a packed RGB format.
PACKED = {"bgr0": (4, (2, 1, 0)), "rgba": (4, (0, 1, 2, 3))}

def ceil_shift(v, s):
    return -((-v) >> s)

def sample(offset, size):
    return data[offset] if size == 1 else struct.unpack_from("<H", data, offset)[0]

def pixel(x, y):
    if fmt in PLANAR:
        size, sx, sy = PLANAR[fmt]
        cw, ch = ceil_shift(w, sx), ceil_shift(h, sy)
        u_at, v_at = w * h * size, w * h * size + cw * ch * size
        c = (y >> sy) * cw + (x >> sx)
        return [sample((y * w + x) * size, size), sample(u_at + c * size, size),
                sample(v_at + c * size, size)]
    if fmt == "nv12":
        cw = ceil_shift(w, 1)
        c = w * h + ((y >> 1) * cw + (x >> 1)) * 2
        return [data[y * w + x], data[c], data[c + 1]]
    if fmt in PACKED:
        size, order = PACKED[fmt]
        return [data[(y * w + x) * size + i] for i in order]
    if fmt == "pal8":
        index = data[y * w + x]
        argb = struct.unpack_from("=I", data, w * h + 4 * index)[0]
        return [index, (argb >> 16) & 255, (argb >> 8) & 255, argb & 255, argb >> 24]
    sys.exit(f"make-pixel-refs.sh: {name}: no layout for {fmt}")

# The layout is the one assumed only if the frame is exactly as long as it says.
if fmt in PLANAR:
    size, sx, sy = PLANAR[fmt]
    expected = (w * h + 2 * ceil_shift(w, sx) * ceil_shift(h, sy)) * size
elif fmt == "nv12":
    expected = w * h + 2 * ceil_shift(w, 1) * ceil_shift(h, 1)
elif fmt in PACKED:
    expected = w * h * PACKED[fmt][0]
else:
    expected = w * h + 1024
if len(data) != expected:
    sys.exit(f"make-pixel-refs.sh: {name}: {len(data)} bytes, expected {expected}")

points = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (1, 1), (w - 2, 1), (1, h - 2),
          (w - 2, h - 2), (w - 1, h // 2 | 1), (w // 2 | 1, h - 1), (3, 5), (w // 2, h // 2),
          (w // 2 + 1, h // 2 + 1)]
seed = 12345
while len(points) < 20:
    seed = (seed * 1103515245 + 12345) % 2**31
    point = (seed >> 8) % w, (seed >> 4) % h
    if point not in points:
        points.append(point)

print(f"fmt {fmt} {w} {h}")
for x, y in points:
    print(x, y, *pixel(x, y))
EOF
    mv -f "$tmp" "$out"
done
echo "Wrote ${#ASSETS[@]} pixel reference(s) in $OUT_DIR"
