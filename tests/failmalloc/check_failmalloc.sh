#!/usr/bin/env bash
# Usage: check_failmalloc.sh PLAYER PRELOAD MEDIA [STEP [FIRST [LAST]]]
# Plays MEDIA headless (pictures and sound, both hashed) once per allocation the run makes, the
# N-th allocation after main() failing in run N (tests/failmalloc/failmalloc.c). PRELOAD is the
# shim to LD_PRELOAD, or "" when PLAYER has it linked in (the ASan build). By default N goes from
# 1 to the count of a run without failures, plus a margin, since threads make the count vary a
# little; STEP (default 1) takes every STEP-th N only, and FIRST and LAST narrow the range.
#
# Every run must end in one of two ways:
#   - a clean finish: exit 0;
#   - a clean error: exit 1 with "framepipe: FILE: reason" ending the last line of stderr.
# Never a signal, a hang (FP_FAILMALLOC_TIMEOUT, 60 s), or a sanitizer report: in the ASan
# build LeakSanitizer checks every run for leaks, and ASan every access and free.
#
# One exception: FFmpeg 5.1 itself crashes, asserts or leaks on some of its own allocation
# failures. A crash, or a leak of objects that FFmpeg's code allocated, counts as FFmpeg's only
# when the failed allocation's call site, inside an FFmpeg library, is listed in
# ffmpeg-known.txt; those runs are counted and listed apart.
set -uo pipefail
player=$1 preload=$2 media=$3
step=${4:-1}
first=${5:-1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
[ -n "${FP_FAILMALLOC_KEEP:-}" ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT
jobs=$(nproc)
# Sanitizer findings get exit codes of their own, so that they cannot pass for a clean error.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=87"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}exitcode=88"
args=(--headless --framemd5 --audio-md5 "$media")

env ${preload:+LD_PRELOAD=$preload} FP_FAILMALLOC_REPORT="$work/count" "$player" "${args[@]}" \
    >/dev/null 2>"$work/count.err" || { echo "the run without failures failed:"; cat "$work/count.err"; exit 1; }
total=$(sed -n 's/^allocations=\([0-9]*\).*/\1/p' "$work/count")
last=${6:-$((total + 50))}
echo "a whole run makes $total allocations; failing N = $first..$last step $step in turn," \
    "$jobs at a time"

# One process per job forks a child per N (failmalloc.c's sweep), sparing the library loading.
start=$(date +%s)
for ((j = 0; j < jobs; j++)); do
    env ${preload:+LD_PRELOAD=$preload} \
        FP_FAILMALLOC_SWEEP="$((first + j * step)):$last:$((jobs * step)):$work" \
        "$player" "${args[@]}" &
done
wait

# The first frame of the failed allocation's stack that is not libavutil's or libc's: the code
# that asked for the memory, as "library(+offset)".
call_site() {
    awk '/^failmalloc: allocation failed here/ {on = 1; next}
         on && !/\(.*\)\[0x[0-9a-f]+\]$/ {exit}
         on {print}' "$1" |
        grep -v 'libavutil\.so\|libc\.so' |
        grep -v '(\(malloc\|calloc\|realloc\|reallocarray\|memalign\|aligned_alloc\|posix_memalign\|valloc\|pvalloc\|strdup\|strndup\)+0x' |
        head -1 | sed 's|^.*/||; s|\[0x[0-9a-f]*\]$||'
}

# A leak report in which every leaked object was allocated by FFmpeg's code on its own behalf:
# the first frame above the allocator is in an FFmpeg library, in every stack.
ffmpeg_leak() {
    grep -q 'ERROR: LeakSanitizer' "$1" && ! grep -q 'ERROR: AddressSanitizer\|runtime error' "$1" &&
        ! grep '^    #1 ' "$1" | grep -qv 'lib\(av[a-z]*\|sw[a-z]*\)\.so'
}
known=$(grep -v '^#' "$here/ffmpeg-known.txt" | awk 'NF {print $1}')

declare -A tally
bad=() ffmpeg=()
for ((n = first; n <= last; n += step)); do
    err=$work/$n.err
    status=$(cat "$work/$n.status" 2>/dev/null || echo missing)
    # ASan reports a plain crash (SEGV, FPE) like any other; everything else it says is a finding.
    if grep -q 'ERROR: AddressSanitizer: \(SEGV\|FPE\|BUS\|ILL\) ' "$err" 2>/dev/null &&
        ! grep -q 'LeakSanitizer\|runtime error' "$err"; then
        verdict=crash
    elif grep -q 'Sanitizer\|runtime error' "$err" 2>/dev/null; then
        verdict=sanitizer
    elif [ "$status" = "exit 0" ]; then
        verdict=finish
    elif [ "$status" = "exit 1" ] && tail -1 "$err" | grep -v 'warning:' | grep -q 'framepipe: '; then
        verdict=error
    else
        verdict=${status// /-}
    fi
    if [ "$verdict" = finish ] && ! grep -q "failed=$n\$" "$work/$n.report" 2>/dev/null; then
        verdict=not-reached
    fi
    case $verdict in
    finish | error | not-reached) ;;
    *)
        site=$(call_site "$err")
        if [ "$verdict" = sanitizer ] && ffmpeg_leak "$err"; then
            verdict=leak
        fi
        if [ "$verdict" != sanitizer ] && [ "$verdict" != timeout ] && [ -n "$site" ] &&
            grep -qxF "$site" <<<"$known"; then
            verdict=ffmpeg
            ffmpeg+=("$n:$site")
        else
            bad+=("$n")
            echo "--- N=$n: $verdict (allocation from ${site:-?})"
            grep -v '^/\|^build' "$err" | tail -30
        fi
        ;;
    esac
    tally[$verdict]=$((${tally[$verdict]:-0} + 1))
done
for v in "${!tally[@]}"; do printf '  %-12s %d\n' "$v" "${tally[$v]}"; done | sort
if [ ${#ffmpeg[@]} -gt 0 ]; then
    echo "FFmpeg's own crashes (ffmpeg-known.txt): ${ffmpeg[*]}"
fi
covered=$(( ${tally[finish]:-0} + ${tally[error]:-0} + ${tally[ffmpeg]:-0} ))
echo "$covered allocation points failed one at a time in $(( $(date +%s) - start )) s"
if [ ${#bad[@]} -gt 0 ]; then
    echo "FAILED: ${#bad[@]} runs: ${bad[*]}"
    exit 1
fi
echo "every run ended cleanly"
