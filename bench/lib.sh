# shellcheck shell=bash
# Shared helpers for the scripts in bench/. Source it, do not run it:
#
#   . "$script_dir/lib.sh"
#
# Messages are prefixed with the name of the script that sources this file.

# Where generated clips and their reference checksums are kept (outside the
# repository, reused across runs).
bench_cache_dir() {
    printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/framepipe-bench"
}

bench_die() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# bench_clip: prints the path of the benchmark clip, generating it first if it
# is not cached yet: 10 s of 1080p60 H.264 (600 frames of testsrc2, libx264
# preset medium, yuv420p, GOP 250, B-frames), no audio. Generation takes about
# a minute; it writes to a temporary name and renames, so an interrupted run
# leaves no half-written clip behind.
# bench_need_arg OPTION [VALUE ...]: an option that takes a value must have one. Uses the
# calling script's usage function.
bench_need_arg() {
    [[ $# -ge 2 ]] || { printf '%s: %s needs an argument\n' "${0##*/}" "$1" >&2; usage >&2; exit 2; }
}

# bench_cached_clip NAME WHAT FFMPEG_ARGS...: prints the path of NAME in the cache, made first
# with ffmpeg (FFMPEG_ARGS, then the output file) if it is not there; WHAT describes it.
bench_cached_clip() {
    local dir file part name=$1 what=$2
    shift 2
    dir=$(bench_cache_dir)
    file="$dir/$name"
    if [[ ! -s $file ]]; then
        command -v ffmpeg >/dev/null 2>&1 || bench_die "ffmpeg not found in PATH (apt-get install ffmpeg)"
        mkdir -p -- "$dir" || bench_die "cannot create $dir"
        printf 'generating %s (%s; takes about a minute) ...\n' "$file" "$what" >&2
        part="$file.part.$$.mp4"
        if ! ffmpeg -nostdin -hide_banner -loglevel error -y "$@" "$part"; then
            rm -f -- "$part"
            bench_die "could not generate $name with ffmpeg"
        fi
        mv -f -- "$part" "$file"
    fi
    printf '%s\n' "$file"
}

bench_clip() {
    bench_cached_clip testsrc2-1920x1080p60-600f-x264-medium-g250.mp4 \
        "600 frames of 1080p60 H.264" \
        -f lavfi -i "testsrc2=s=1920x1080:r=60" -frames:v 600 \
        -c:v libx264 -preset medium -pix_fmt yuv420p -g 250 -an
}

# bench_clip_set NAME: prints the path of one of the real-time benchmark's clips, generated
# first if it is not cached: h264-1080p60 (bench_clip), h264-2160p30 (300 frames of 2160p30
# H.264, libx264 preset fast), hevc-1080p60 (600 frames of 1080p60 HEVC, libx265 preset fast),
# h264-1080p60-sound (bench_clip with 10 s of 48 kHz stereo AAC beside it).
bench_clip_set() {
    case $1 in
        h264-1080p60) bench_clip ;;
        h264-2160p30)
            bench_cached_clip testsrc2-3840x2160p30-300f-x264-fast-g250.mp4 \
                "300 frames of 2160p30 H.264" \
                -f lavfi -i "testsrc2=s=3840x2160:r=30" -frames:v 300 \
                -c:v libx264 -preset fast -pix_fmt yuv420p -g 250 -an ;;
        hevc-1080p60)
            bench_cached_clip testsrc2-1920x1080p60-600f-x265-fast-g250.mp4 \
                "600 frames of 1080p60 HEVC" \
                -f lavfi -i "testsrc2=s=1920x1080:r=60" -frames:v 600 \
                -c:v libx265 -preset fast -x265-params log-level=error -pix_fmt yuv420p \
                -g 250 -tag:v hvc1 -an ;;
        h264-1080p60-sound)
            local video
            video=$(bench_clip) || exit 1
            bench_cached_clip testsrc2-1920x1080p60-600f-x264-medium-g250-aac.mp4 \
                "the 1080p60 H.264 clip with 48 kHz stereo AAC" \
                -i "$video" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=10" \
                -map 0:v -map 1:a -c:v copy -c:a aac -ac 2 -b:a 128k -shortest ;;
        *) bench_die "unknown clip set '$1' (h264-1080p60, h264-2160p30, hevc-1080p60, h264-1080p60-sound)" ;;
    esac
}

# bench_abspath PATH: PATH made absolute, symlinked directories resolved.
bench_abspath() {
    printf '%s\n' "$(cd -- "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
}

# bench_user_clip PATH: checks a clip given with --clip and prints its absolute path.
bench_user_clip() {
    [[ -f $1 && -r $1 ]] || bench_die "clip not found or not readable: $1"
    bench_abspath "$1"
}

# bench_player PATH REPO_ROOT: checks that PATH is an executable framepipe and
# prints its absolute path; otherwise explains how to build one and exits.
bench_player() {
    local player=$1 repo_root=$2
    if [[ ! -x $player ]]; then
        {
            printf '%s: framepipe binary not found or not executable: %s\n' "${0##*/}" "$player"
            printf 'Build it first:\n'
            printf '  cd %q && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2\n' "$repo_root"
            printf 'or point --player at an existing build.\n'
        } >&2
        exit 1
    fi
    bench_abspath "$player"
}

# bench_framemd5_ref CLIP: prints the path of ffmpeg's framemd5 of CLIP's first
# video stream (one line per frame in presentation order, as
# 'ffmpeg -i CLIP -map 0:v:0 -fps_mode passthrough -f framemd5 -' writes it),
# computing it first if it is not cached. The reference sits next to the clip
# when the clip is in the cache directory; for other clips it goes into the
# cache directory under a name made from the clip's path, size and mtime.
bench_framemd5_ref() {
    local clip=$1 dir ref key part
    dir=$(bench_cache_dir)
    if [[ $(dirname -- "$clip") == "$(cd -- "$dir" 2>/dev/null && pwd -P)" || $(dirname -- "$clip") == "$dir" ]]; then
        ref="$clip.framemd5"
    else
        key=$(printf '%s %s' "$clip" "$(stat -c '%s %Y' -- "$clip")" | md5sum | cut -c1-12)
        ref="$dir/$(basename -- "$clip").$key.framemd5"
    fi
    if [[ ! -s $ref ]]; then
        mkdir -p -- "$(dirname -- "$ref")" || bench_die "cannot create $(dirname -- "$ref")"
        printf 'computing the reference framemd5 %s ...\n' "$ref" >&2
        part="$ref.part.$$"
        if ! ffmpeg -nostdin -hide_banner -loglevel error -i "$clip" -map 0:v:0 \
                -fps_mode passthrough -f framemd5 - >"$part"; then
            rm -f -- "$part"
            bench_die "ffmpeg could not compute the framemd5 of $clip"
        fi
        mv -f -- "$part" "$ref"
    fi
    printf '%s\n' "$ref"
}

# bench_median X...: the median of the numbers (mean of the middle two for an
# even count).
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_minmax X...: "MIN-MAX" with three decimals.
bench_minmax() {
    printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'
}

# bench_machine: the 'machine:' line the scripts print with their tables.
bench_machine() {
    local cpu_model ff_version
    cpu_model=$(awk -F': *' '/^(model name|Hardware|cpu model|Processor)[[:space:]]*:/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    ff_version=$(ffmpeg -hide_banner -version 2>/dev/null | awk 'NR == 1 { print $3 }')
    printf 'machine: nproc=%s cpu="%s" kernel=%s ffmpeg=%s date=%s\n' \
        "$(nproc)" "${cpu_model:-unknown}" "$(uname -r)" "${ff_version:-unknown}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

# bench_now: wall clock in seconds with microseconds.
bench_now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        printf '%s\n' "${EPOCHREALTIME/,/.}"
    else
        date +%s.%N
    fi
}
