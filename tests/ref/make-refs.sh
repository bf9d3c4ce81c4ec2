#!/usr/bin/env bash
# Write decoder reference checksums for every media file in assets/:
#
#   tests/ref/<file>.framemd5  per-frame MD5 of the first video stream, decoded
#                              frames in native pixel format, no scaling, no
#                              frame-rate conversion (ffmpeg's framemd5 muxer).
#   tests/ref/<file>.audiomd5  one line: MD5 of the first audio stream decoded to
#                              interleaved s16le at its native rate/channel count.
#                              Only written for files that have an audio stream.
#
# Usage: tests/ref/make-refs.sh       (any working directory)
set -euo pipefail

REF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ASSETS_DIR="$(cd "$REF_DIR/../../assets" && pwd)"
FFMPEG="${FFMPEG:-ffmpeg}"
FFPROBE="${FFPROBE:-ffprobe}"

die() { printf 'make-refs.sh: %s\n' "$*" >&2; exit 1; }
command -v "$FFMPEG" >/dev/null 2>&1 || die "ffmpeg not found (set FFMPEG=...)"
command -v "$FFPROBE" >/dev/null 2>&1 || die "ffprobe not found (set FFPROBE=...)"

tmp=""
trap '[[ -z "$tmp" ]] || rm -f "$tmp"' EXIT

# shellcheck source=assets.sh
. "$REF_DIR/assets.sh"
count=0
while read -r F <&3; do
    name="$(basename "$F")"

    printf '  %s\n' "$name"
    out="$REF_DIR/$name.framemd5"
    tmp="$out.tmp"
    has_video="$("$FFPROBE" -v error -select_streams v:0 \
        -show_entries stream=index -of csv=p=0 "$F")"
    if [[ -n "$has_video" && "$name" == *fmtchange*.h264 ]]; then
        # The CLI converts every frame after a pixel-format change to the first
        # format; framepipe shows them as decoded. Decode each piece (from one
        # SPS to the next; each starts a closed GOP) on its own instead.
        pieces="$(mktemp -d)"
        perl -e 'local $/; my $d = <STDIN>; my @at;
                 while ($d =~ /\x00\x00\x00\x01\x67/g) { push @at, pos($d) - 5 }
                 push @at, length $d;
                 for my $i (0 .. $#at - 1) {
                     open my $o, ">", sprintf("%s/%04d.h264", $ARGV[0], $i) or die;
                     print $o substr($d, $at[$i], $at[$i + 1] - $at[$i]);
                 }' "$pieces" <"$F"
        for piece in "$pieces"/*.h264; do
            "$FFMPEG" -nostdin -hide_banner -loglevel error -i "$piece" \
                -map 0:v:0 -fps_mode passthrough -autoscale 0 -f framemd5 -
        done | awk '/^#/ && seen { next } { print } !/^#/ { seen = 1 }' > "$out.tmp"
        rm -rf "$pieces"
        mv -f "$out.tmp" "$out"
    elif [[ -n "$has_video" ]]; then
        # The picture a person expects (assets.sh).
        vmap=0:v:$(picture_track "$name")
        "$FFMPEG" -nostdin -hide_banner -loglevel error -noautorotate -i "$F" \
            -map "$vmap" -fps_mode passthrough -autoscale 0 -f framemd5 - > "$out.tmp"
        mv -f "$out.tmp" "$out"
    fi

    out="$REF_DIR/$name.audiomd5"
    has_audio="$("$FFPROBE" -v error -select_streams a:0 \
        -show_entries stream=index -of csv=p=0 "$F")"
    # The A/V sync clip is the avsync test's alone: an .audiomd5 would make each audio_* test
    # play its 8 s in real time too.
    [[ "$name" == avsync_* ]] && has_audio=
    if [[ -n "$has_audio" ]]; then
        # pipefail (inherited by the command substitution) makes a decode error fatal.
        sum="$("$FFMPEG" -nostdin -loglevel error -i "$F" -map 0:a:0 -f s16le - \
            | md5sum | cut -d' ' -f1)"
        [[ "$sum" =~ ^[0-9a-f]{32}$ ]] || die "bad audio checksum for $name"
        tmp="$out.tmp"
        printf '%s\n' "$sum" > "$out.tmp"
        mv -f "$out.tmp" "$out"
    else
        rm -f "$out"
    fi
    # Every further audio track, for --aid N: NAME.aidN.md5.
    tracks="$("$FFPROBE" -v error -select_streams a -show_entries stream=index -of csv=p=0 "$F" | awk NF | sort -u | wc -l)"
    for ((n = 2; n <= tracks; n++)); do
        sum="$("$FFMPEG" -nostdin -loglevel error -i "$F" -map "0:a:$((n - 1))" -f s16le - \
            | md5sum | cut -d' ' -f1)"
        [[ "$sum" =~ ^[0-9a-f]{32}$ ]] || die "bad audio checksum for $name track $n"
        printf '%s\n' "$sum" > "$REF_DIR/$name.aid$n.md5"
    done
    count=$((count + 1))
done 3< <(media_assets "$ASSETS_DIR")

[[ $count -gt 0 ]] || die "no media files found in $ASSETS_DIR"
echo "Wrote references for $count file(s) in $REF_DIR"
