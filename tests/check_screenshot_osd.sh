#!/usr/bin/env bash
# Usage: check_screenshot_osd.sh FRAMEPIPE ASSETS_DIR
# --screenshot-osd: 'screenshot' saves the window as seen. With the timeline pinned, the saved
# picture is the window's size, its middle equals the plain screenshot's (the picture), and
# its bottom band differs from it (the timeline is in it). Without the option the same
# command saves the picture alone. Uses SDL's offscreen video driver: no X server needed.
set -euo pipefail
player=$1 assets=$2
for tool in convert compare; do
    command -v "$tool" >/dev/null || { echo "missing $tool (third_party/install-deps.sh installs it)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
media=$assets/h264_bframes_aac_320x240_30fps.mp4
export SDL_VIDEODRIVER=offscreen
printf 'frame 40\ntimeline\nscreenshot %s/osd.png\nquit\n' "$work" |
    "$player" -an --screenshot-osd --script - "$media"
printf 'frame 40\ntimeline\nscreenshot %s/plain.png\nquit\n' "$work" |
    "$player" -an --script - "$media"
size() { convert "$1" -format '%wx%h' info:; }
# differing A B GEOMETRY: pixels of that region whose brightness differs by more than 10 %
# (brightness: SDL and libswscale upsample 4:2:0 chroma differently at colour edges).
differing() {
    convert "$1" -crop "$3" +repage -colorspace gray "$work/a.png"
    convert "$2" -crop "$3" +repage -colorspace gray "$work/b.png"
    compare -metric AE -fuzz 10% "$work/a.png" "$work/b.png" null: 2>&1 || true
}
[ "$(size "$work/osd.png")" = 320x240 ] || { echo "FAIL: --screenshot-osd saved $(size "$work/osd.png"), not the 320x240 window"; exit 1; }
middle=$(differing "$work/osd.png" "$work/plain.png" 320x120+0+60)
bottom=$(differing "$work/osd.png" "$work/plain.png" 320x24+0+216)
echo "pixels that differ from the plain screenshot: $middle in the middle, $bottom in the bottom band"
[ "$middle" -lt 100 ] || { echo "FAIL: the picture in the window's screenshot is not the frame's"; exit 1; }
[ "$bottom" -gt 2000 ] || { echo "FAIL: the pinned timeline is not in the window's screenshot"; exit 1; }
echo "PASS: --screenshot-osd saves the window as seen"
