#!/usr/bin/env bash
# Headless decode benchmark: framepipe --headless against the ffmpeg CLI
# decoding the same 1080p60 H.264 clip to a null output.
#
# usage: bench/headless-decode.sh [--runs N] [--player PATH] [--clip PATH]
#
# Prints the median wall time and median peak RSS of each tool over N
# alternating rounds, and the framepipe/ffmpeg ratios (< 1: framepipe is
# faster / uses less memory).
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$script_dir/lib.sh"

runs=7
player="$repo_root/build/framepipe"
clip=""

usage() {
    cat <<EOF
usage: ${0##*/} [--runs N] [--player PATH] [--clip PATH]

Decodes a 1080p60 H.264 clip with 'framepipe --headless' and with
'ffmpeg -f null', alternating, and prints median wall time, median peak RSS
and the framepipe/ffmpeg ratios.

  --runs N       rounds of (framepipe, ffmpeg) to time (default: 7)
  --player PATH  framepipe binary (default: $repo_root/build/framepipe)
  --clip PATH    decode this file instead of the generated test clip
  -h, --help     show this help

The generated clip is cached in \${XDG_CACHE_HOME:-\$HOME/.cache}/framepipe-bench/.
EOF
}

die() { bench_die "$@"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) bench_need_arg "$@"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --player) bench_need_arg "$@"; player=$2; shift 2 ;;
        --player=*) player=${1#*=}; shift ;;
        --clip) bench_need_arg "$@"; clip=$2; shift 2 ;;
        --clip=*) clip=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) printf '%s: unknown argument: %s\n' "${0##*/}" "$1" >&2; usage >&2; exit 2 ;;
    esac
done

[[ $runs =~ ^[1-9][0-9]*$ ]] || { printf '%s: --runs wants a positive integer, not "%s"\n' "${0##*/}" "$runs" >&2; exit 2; }

# --- tools ------------------------------------------------------------------

player=$(bench_player "$player" "$repo_root")

command -v ffmpeg >/dev/null 2>&1 || die "ffmpeg not found in PATH (apt-get install ffmpeg)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time); it measures peak RSS"

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/framepipe-bench.XXXXXX")
trap 'rm -rf -- "$tmpdir"' EXIT

# --- clip -------------------------------------------------------------------

if [[ -n $clip ]]; then
    clip=$(bench_user_clip "$clip")
else
    clip=$(bench_clip)
fi

# --- timing helpers ---------------------------------------------------------

# run_timed NAME CMD...: runs CMD under /usr/bin/time, prints
# "WALL_S PEAK_RSS_KIB CPU_S" (CPU = user + system, all threads).
# stdout of CMD is discarded, its stderr kept in $tmpdir/NAME.err for errors.
run_timed() {
    local name=$1; shift
    local tfile="$tmpdir/$name.time" efile="$tmpdir/$name.err"
    local t0 t1 status=0 rss cpu
    t0=$(bench_now)
    /usr/bin/time -f '%e %M %U %S' -o "$tfile" "$@" >/dev/null 2>"$efile" </dev/null || status=$?
    t1=$(bench_now)
    if [[ $status -ne 0 ]]; then
        printf '%s: %s exited with status %d:\n' "${0##*/}" "$name" "$status" >&2
        tail -n 20 -- "$efile" >&2
        exit 1
    fi
    read -r _ rss cpu < <(tail -n 1 -- "$tfile" | awk '{ print $1, $2, $3 + $4 }')
    awk -v a="$t0" -v b="$t1" -v r="$rss" -v c="$cpu" 'BEGIN { printf "%.4f %d %.2f\n", b - a, r, c }'
}

fp_cmd=("$player" --headless "$clip")
ff_cmd=(ffmpeg -nostdin -hide_banner -loglevel error -i "$clip" -map 0:v:0 -f null -)

# --- same frame count (also warms the page cache) ---------------------------

printf 'checking frame counts ...\n' >&2
fp_stats=$("$player" --headless --stats "$clip" 2>&1 >/dev/null </dev/null) \
    || { printf '%s\n' "$fp_stats" >&2; die "framepipe failed on $clip"; }
fp_stats=$(grep '^stats:' <<<"$fp_stats" | tail -n 1 || true)
fp_frames=$(sed -n 's/.*[[:space:]:]decoded=\([0-9][0-9]*\).*/\1/p' <<<"$fp_stats")
[[ -n $fp_frames ]] || die "no 'decoded=N' in framepipe --stats output: ${fp_stats:-<none>}"

ff_progress=$(ffmpeg -nostdin -hide_banner -loglevel error -nostats -progress pipe:1 \
    -i "$clip" -map 0:v:0 -f null - 2>"$tmpdir/ffcount.err" </dev/null) \
    || { cat -- "$tmpdir/ffcount.err" >&2; die "ffmpeg failed on $clip"; }
ff_frames=$(sed -n 's/^frame=[[:space:]]*\([0-9][0-9]*\).*/\1/p' <<<"$ff_progress" | tail -n 1)
[[ -n $ff_frames ]] || die "could not read ffmpeg's frame count"

if [[ $fp_frames != "$ff_frames" ]]; then
    die "frame counts differ: framepipe decoded=$fp_frames, ffmpeg frame=$ff_frames; not benchmarking"
fi
printf 'both decode %s frames; %s\n' "$fp_frames" "$fp_stats" >&2

# --- timed rounds, alternating order ----------------------------------------

fp_wall=() fp_rss=() fp_cpu=() ff_wall=() ff_rss=() ff_cpu=()
for ((i = 1; i <= runs; i++)); do
    if ((i % 2)); then order=(fp ff); else order=(ff fp); fi
    for who in "${order[@]}"; do
        if [[ $who == fp ]]; then
            res=$(run_timed framepipe "${fp_cmd[@]}")
            read -r w m c <<<"$res"
            fp_wall+=("$w") fp_rss+=("$m") fp_cpu+=("$c")
        else
            res=$(run_timed ffmpeg "${ff_cmd[@]}")
            read -r w m c <<<"$res"
            ff_wall+=("$w") ff_rss+=("$m") ff_cpu+=("$c")
        fi
        printf 'round %d/%d %-9s wall=%ss peak_rss=%sKiB cpu=%ss\n' "$i" "$runs" \
            "$([[ $who == fp ]] && echo framepipe || echo ffmpeg)" "$w" "$m" "$c" >&2
    done
done

fp_wall_med=$(bench_median "${fp_wall[@]}")
ff_wall_med=$(bench_median "${ff_wall[@]}")
fp_rss_med=$(bench_median "${fp_rss[@]}")
ff_rss_med=$(bench_median "${ff_rss[@]}")
fp_cpu_med=$(bench_median "${fp_cpu[@]}")
ff_cpu_med=$(bench_median "${ff_cpu[@]}")

# --- report -----------------------------------------------------------------

frames=$fp_frames

echo
printf 'headless decode: %s (%s frames), %d alternating rounds\n' "$clip" "$frames" "$runs"
bench_machine
echo
awk -v fw="$fp_wall_med" -v cw="$ff_wall_med" -v fm="$fp_rss_med" -v cm="$ff_rss_med" \
    -v fc="$fp_cpu_med" -v cc="$ff_cpu_med" -v n="$frames" \
    -v fr="$(bench_minmax "${fp_wall[@]}")" -v cr="$(bench_minmax "${ff_wall[@]}")" 'BEGIN {
    printf "%-10s %13s %14s %8s %13s %14s\n", "", "median wall s", "wall min-max s", "fps", "median cpu s", "median RSS MiB"
    printf "%-10s %13.3f %14s %8.1f %13.2f %14.1f\n", "framepipe", fw, fr, (fw > 0 ? n / fw : 0), fc, fm / 1024
    printf "%-10s %13.3f %14s %8.1f %13.2f %14.1f\n", "ffmpeg", cw, cr, (cw > 0 ? n / cw : 0), cc, cm / 1024
    printf "%-10s %13.3f %14s %8s %13.3f %14.3f\n", "fp/ffmpeg", (cw > 0 ? fw / cw : 0), "", "", (cc > 0 ? fc / cc : 0), (cm > 0 ? fm / cm : 0)
}'
echo '(fp/ffmpeg = framepipe / ffmpeg; < 1 means framepipe is faster / uses less CPU / less memory;'
echo ' RSS is peak resident set size; cpu is user + system time over all threads)'
