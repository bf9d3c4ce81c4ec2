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
# ffmpeg-known.txt; those runs are counted and listed apart. So are runs in which the failure
# hit ASan's own start-up of a thread (ASan aborts on a CHECK): that allocation is ASan's.
set -uo pipefail
player=$1 preload=$2 media=$3
step=${4:-1}
first=${5:-1}
here=$(cd "$(dirname "$0")" && pwd)
# FP_FAILMALLOC_KEEP=1 keeps the runs' output; FP_FAILMALLOC_DIR=DIR judges the runs kept there.
reuse=${FP_FAILMALLOC_DIR:-}
work=${reuse:-$(mktemp -d)}
[ -n "${FP_FAILMALLOC_KEEP:-}$reuse" ] && echo "runs in $work" ||
    trap 'rm -rf "$work"' EXIT
jobs=$(nproc)
# Sanitizer findings get exit codes of their own, so that they cannot pass for a clean error.
# Whole allocation stacks (not the frame-pointer unwinder, which stops in FFmpeg), to tell whose
# a leaked object is.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86:fast_unwind_on_malloc=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=87"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}exitcode=88"
args=(--headless --framemd5 --audio-md5 "$media")

# The run without failures prints the whole of what a run that exits 0 must print.
[ -n "$reuse" ] ||
    env ${preload:+LD_PRELOAD=$preload} FP_FAILMALLOC_REPORT="$work/count" "$player" "${args[@]}" \
        >"$work/count.out" 2>"$work/count.err" ||
    { echo "the run without failures failed:"; cat "$work/count.err"; exit 1; }
total=$(sed -n 's/^allocations=\([0-9]*\).*/\1/p' "$work/count")
last=${6:-$((total + 50))}
echo "a whole run makes $total allocations; failing N = $first..$last step $step in turn," \
    "$jobs at a time"

# One process per job forks a child per N (failmalloc.c's sweep), sparing the library loading.
start=$(date +%s)
for ((j = 0; j < jobs && ${#reuse} == 0; j++)); do
    env ${preload:+LD_PRELOAD=$preload} \
        FP_FAILMALLOC_SWEEP="$((first + j * step)):$last:$((jobs * step)):$work" \
        "$player" "${args[@]}" &
done
wait

# Every run's facts in one pass, one line per N: N, status, last line of stderr is our error,
# allocation N was reached, the failed allocation's call site (the first frame of its stack
# that is not libavutil's, libc's or the shim's: the code that asked for the memory), and what
# the sanitizers said: none, crash (a plain SEGV or FPE), asan-runtime (ASan's own start-up of
# a thread failed on the injected failure), ffmpeg-leak (every leaked object allocated by
# FFmpeg's code: its stack's first frame past the allocator is in an FFmpeg library) or finding.
facts() {
    seq "$first" "$step" "$last" | awk -v dir="$work" '
        {
            n = $0; status = "missing"; ours = 0; reached = 0; site = ""; san = ""; leak = 0
            whole = system("cmp -s " dir "/" n ".out " dir "/count.out") == 0; warned = 0
            ffmpeg_leak = 1; in_alloc = 0; in_stack = 0; last_line = ""
            if ((getline line < (dir "/" n ".status")) > 0) { status = line; gsub(/ /, "-", status) }
            close(dir "/" n ".status")
            while ((getline line < (dir "/" n ".report")) > 0)
                if (line ~ ("failed=" n "$")) reached = 1
            close(dir "/" n ".report")
            while ((getline line < (dir "/" n ".err")) > 0) err_line(line)
            close(dir "/" n ".err")
            if (san == "" && leak) san = ffmpeg_leak ? "ffmpeg-leak" : "finding"
            printf "%s|%s|%s|%s|%s|%s|%s\n", n, status, ours, reached, site == "" ? "?" : site,
                san == "" ? "none" : san, whole warned
        }
        function err_line(l) {
            if (l ~ /^failmalloc: allocation failed here/) { in_alloc = 1; return }
            if (in_alloc) {
                if (l !~ /\(.*\)\[0x[0-9a-f]+\]$/) in_alloc = 0
                else if (site == "" && l !~ /libavutil\.so|libc\.so/ &&
                         l !~ /\((malloc|calloc|realloc|reallocarray|memalign|aligned_alloc|posix_memalign|valloc|pvalloc|strdup|strndup)\+0x/) {
                    site = l; sub(/^.*\//, "", site); sub(/\[0x[0-9a-f]+\]$/, "", site)
                }
            }
            if (l ~ /ERROR: AddressSanitizer: (SEGV|FPE|BUS|ILL) /) { if (san == "") san = "crash" }
            else if (l ~ /AddressSanitizer: CHECK failed: .*pthread_getattr_np/) { if (san == "") san = "asan-runtime" }
            else if (l ~ /ERROR: LeakSanitizer/) leak = 1
            else if (l ~ /Sanitizer|runtime error/ && l !~ /^SUMMARY|DEADLYSIGNAL|ABORTING|can not provide/) san = "finding"
            if (l ~ /^(Direct|Indirect) leak/) { in_stack = 1; return }
            if (in_stack && l ~ /^    #[0-9]+ / && l !~ /__interceptor_|failmalloc\.c|libavutil\.so/) {
                if (l !~ /lib(av|sw)[a-z]*\.so/) ffmpeg_leak = 0
                in_stack = 0
            }
            if (l ~ /^framepipe: .*: warning: .* could not be (decoded|converted)/) warned = 1
            if (l != "") last_line = l
            ours = (last_line ~ /framepipe: / && last_line !~ /warning:/)
        }'
}
known=$(grep -v '^#' "$here/ffmpeg-known.txt" | awk 'NF {print $1}')

declare -A tally
bad=() ffmpeg=() runtime=()
while IFS='|' read -r n status ours reached site san output; do
    case $san/$status in
    finding/* | ffmpeg-leak/*) verdict=${san} ;;
    asan-runtime/*) verdict=asan-runtime ;;
    crash/* | */signal-*) verdict=crash ;;
    # Exit 0 is a promise that all of the output is there, the framemd5 lines and the sound's
    # MD5, unless a warning said that some of it could not be decoded (libavcodec reports an
    # allocation that failed inside a decoder as invalid data, as a damaged file's would be).
    none/exit-0) verdict=finish; [ "$reached" = 1 ] || verdict=not-reached
        case $output in 1?) ;; 01) verdict=warned ;; *) verdict=truncated ;; esac ;;
    none/exit-1) verdict=error; [ "$ours" = 1 ] || verdict=bad-message ;;
    *) verdict=$status ;;
    esac
    case $verdict in
    finish | error | not-reached | warned) ;;
    asan-runtime) runtime+=("$n") ;;
    crash | ffmpeg-leak | truncated)
        if grep -qxF "$site" <<<"$known"; then
            ffmpeg+=("$n:$site")
            verdict=ffmpeg
        else
            bad+=("$n")
        fi
        ;;
    *) bad+=("$n") ;;
    esac
    [ "$verdict" = ffmpeg ] || [ "$verdict" = finish ] || [ "$verdict" = error ] ||
        [ "$verdict" = warned ] ||
        [ "$verdict" = not-reached ] || [ "$verdict" = asan-runtime ] ||
        { echo "--- N=$n: $verdict (allocation from $site)"; grep -v '^/\|^build\|^    #' "$work/$n.err" | tail -15; }
    tally[$verdict]=$((${tally[$verdict]:-0} + 1))
done < <(facts)
for v in "${!tally[@]}"; do printf '  %-12s %d\n' "$v" "${tally[$v]}"; done | sort
[ ${#ffmpeg[@]} -eq 0 ] || echo "FFmpeg's own crashes and leaks (ffmpeg-known.txt): ${ffmpeg[*]}"
[ ${#runtime[@]} -eq 0 ] ||
    echo "ASan's own thread start-up met the failure (not framepipe's): ${runtime[*]}"
covered=$((${tally[finish]:-0} + ${tally[error]:-0} + ${tally[warned]:-0} + ${tally[ffmpeg]:-0}))
echo "$covered allocation points failed one at a time in $(($(date +%s) - start)) s"
if [ ${#bad[@]} -gt 0 ]; then
    echo "FAILED: ${#bad[@]} runs: ${bad[*]}"
    exit 1
fi
echo "every run ended cleanly"
