#!/usr/bin/env bash
# Write ffprobe's packet list of the picture track of every media file in assets/:
#
#   tests/ref/packets/<file>.csv  one line a packet of the video track the player shows, in file
#                                 (decode) order, as ffprobe reads it:
#                                 stream_index,pts,dts,duration,size,pos,flags
#                                 N/A: no pts or dts (AV_NOPTS_VALUE), duration 0, pos -1.
#                                 flags: K for a keyframe, D for a packet to decode and discard.
#                                 A second comment line gives the stream's time base:
#                                 '# time_base 1/15360'.
#
# test_index compares the frame index with these, field by field. The first column is the
# stream's index in the file, so the test also checks that the index read the same track.
# The track is ffprobe's v:0, except in *alpha_first*, whose first video track is an alpha
# plane: there it is v:1, the picture, as in make-refs.sh. Files without video get no list.
#
# Usage: tests/ref/make-packet-refs.sh       (any working directory)
set -euo pipefail

REF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ASSETS_DIR="$(cd "$REF_DIR/../../assets" && pwd)"
OUT_DIR="$REF_DIR/packets"
FFPROBE="${FFPROBE:-ffprobe}"

die() { printf 'make-packet-refs.sh: %s\n' "$*" >&2; exit 1; }
command -v "$FFPROBE" >/dev/null 2>&1 || die "ffprobe not found (set FFPROBE=...)"
mkdir -p "$OUT_DIR"

tmp=""
trap '[[ -z "$tmp" ]] || rm -f "$tmp"' EXIT

# shellcheck source=assets.sh
. "$REF_DIR/assets.sh"
count=0
while read -r F <&3; do
    name="$(basename "$F")"
    out="$OUT_DIR/$name.csv"
    vsel=v:$(picture_track "$name")
    has_video="$("$FFPROBE" -v error -select_streams "$vsel" \
        -show_entries stream=index -of csv=p=0 "$F" | awk -F, 'NF { print $1; exit }')"
    if [[ -z "$has_video" ]]; then
        rm -f "$out"
        continue
    fi
    printf '  %s\n' "$name"
    tmp="$out.tmp"
    {
        echo "# stream_index,pts,dts,duration,size,pos,flags"
        echo "# time_base $("$FFPROBE" -v error -select_streams "$vsel" -show_entries stream=time_base \
            -of default=nw=1:nk=1 "$F" | head -n 1)"
        # ffprobe prints each packet's side data (MPEG-TS stream ids) as an empty section: an
        # empty line and a trailing comma in CSV. Neither is a field.
        "$FFPROBE" -v error -select_streams "$vsel" \
            -show_entries packet=stream_index,pts,dts,duration,size,pos,flags -of csv=p=0 "$F" \
            | awk 'NF { sub(/,$/, ""); print }'
    } > "$tmp"
    # Every line names the one stream selected.
    awk -F, -v want="$has_video" '!/^#/ && $1 != want { exit 1 }' "$tmp" \
        || die "$name: packets of a stream other than $has_video"
    mv -f "$tmp" "$out"
    size=$(wc -c < "$out")
    [[ $size -le 102400 ]] || printf '  note: %s is %d bytes\n' "$out" "$size"
    count=$((count + 1))
done 3< <(media_assets "$ASSETS_DIR")

[[ $count -gt 0 ]] || die "no media files with video found in $ASSETS_DIR"
echo "Wrote packet lists for $count file(s) in $OUT_DIR"
