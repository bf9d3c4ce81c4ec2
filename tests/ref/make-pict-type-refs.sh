#!/usr/bin/env bash
# Write the decoder's picture type of every frame of the picture track of every media file in
# assets/:
#
#   tests/ref/pict_types/<file>.txt  the track's codec on a comment line ('# codec h264'), then
#                                    one line a decoded frame, in the order the decoder outputs
#                                    them (display order): AVFrame.pict_type as ffprobe
#                                    -show_frames prints it (I, P, B, S, i, p, b; ? for none).
#
# test_index compares the frame index's picture types, which libavcodec's parsers read from the
# packets without decoding, with these, frame by frame, so that the test needs no ffprobe. The
# track is the one make-packet-refs.sh lists (assets.sh). Files without video get no list.
#
# Usage: tests/ref/make-pict-type-refs.sh       (any working directory)
set -euo pipefail

REF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ASSETS_DIR="$(cd "$REF_DIR/../../assets" && pwd)"
OUT_DIR="$REF_DIR/pict_types"
FFPROBE="${FFPROBE:-ffprobe}"

die() { printf 'make-pict-type-refs.sh: %s\n' "$*" >&2; exit 1; }
command -v "$FFPROBE" >/dev/null 2>&1 || die "ffprobe not found (set FFPROBE=...)"
mkdir -p "$OUT_DIR"

tmp=""
trap '[[ -z "$tmp" ]] || rm -f "$tmp"' EXIT

# shellcheck source=assets.sh
. "$REF_DIR/assets.sh"
count=0
while read -r F <&3; do
    name="$(basename "$F")"
    out="$OUT_DIR/$name.txt"
    vsel=v:$(picture_track "$name")
    # Side data prints as an empty section: an empty line, or a trailing comma in CSV.
    codec="$("$FFPROBE" -v error -select_streams "$vsel" -show_entries stream=codec_name \
        -of csv=p=0 "$F" | awk 'NF { sub(/,+$/, ""); print; exit }')"
    if [[ -z "$codec" ]]; then
        rm -f "$out"
        continue
    fi
    printf '  %s\n' "$name"
    tmp="$out.tmp"
    {
        echo "# codec $codec"
        "$FFPROBE" -v error -select_streams "$vsel" -show_entries frame=pict_type -of csv=p=0 \
            "$F" | awk 'NF { sub(/,+$/, ""); if ($0 != "") print }'
    } > "$tmp"
    # Every line but the first is one picture type letter.
    awk 'NR > 1 && !/^[IPBSipb?]$/ { exit 1 }' "$tmp" || die "$name: not a picture type list"
    mv -f "$tmp" "$out"
    count=$((count + 1))
done 3< <(media_assets "$ASSETS_DIR")

[[ $count -gt 0 ]] || die "no media files with video found in $ASSETS_DIR"
echo "Wrote picture type lists for $count file(s) in $OUT_DIR"
