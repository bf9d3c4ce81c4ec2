#!/usr/bin/env bash
# Soak: one player, driven for a long time (10 minutes by default) by random play, exact
# seeks, steps and back-steps through a script pipe, with its resident memory sampled.
# Reports the memory's slope after the warm-up in KiB/min (a leak shows as a steady climb
# once the step history is full), and checks every frame whose position is known (after an
# exact seek while paused, and the steps and back-steps that follow) against ffmpeg's
# framemd5, the last one at the very end.
#
# Usage: bench/soak.sh [--duration S] [--warmup S] [--interval S] [--seed N]
#                      [--history-mb N] [--player PATH] [--clip PATH] [--csv PATH]
# Needs ffmpeg (to make the clip and its reference once; both are cached).
set -euo pipefail
script_dir=$(cd -- "$(dirname -- "$0")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
. "$script_dir/lib.sh"

usage() {
    sed -n '2,11s/^# \{0,1\}//p' "$0"
}

duration=600 warmup=120 interval=5 seed=1 history_mb=64
player="$repo_root/build/framepipe" clip="" csv=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --duration) bench_need_arg "$@"; duration=$2; shift 2 ;;
    --warmup) bench_need_arg "$@"; warmup=$2; shift 2 ;;
    --interval) bench_need_arg "$@"; interval=$2; shift 2 ;;
    --seed) bench_need_arg "$@"; seed=$2; shift 2 ;;
    --history-mb) bench_need_arg "$@"; history_mb=$2; shift 2 ;;
    --player) bench_need_arg "$@"; player=$2; shift 2 ;;
    --clip) bench_need_arg "$@"; clip=$2; shift 2 ;;
    --csv) bench_need_arg "$@"; csv=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'soak.sh: unknown option %s\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done
player=$(bench_player "$player" "$repo_root")

# The clip: 5 minutes of 640x360 at 25 fps, H.264 with B-frames and a GOP of 50, and AAC sound,
# so that the sound's queues and decoder are soaked too.
soak_clip() {
    bench_cached_clip soak-testsrc2-640x360p25-300s-x264-aac.mp4 "5 minutes of 640x360" \
        -f lavfi -i "testsrc2=s=640x360:r=25:d=300" \
        -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=300" \
        -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 50 -bf 3 \
        -c:a aac -b:a 96k -movflags +faststart
}
if [[ -n $clip ]]; then clip=$(bench_user_clip "$clip"); else clip=$(soak_clip); fi
ref=$(bench_framemd5_ref "$clip")
mapfile -t ref_md5 < <(grep -v '^#' "$ref" | awk -F', *' '{print $6}')
frames=${#ref_md5[@]}
rate=$(ffprobe -v error -select_streams v:0 -show_entries stream=avg_frame_rate -of csv=p=0 "$clip")
fps_num=${rate%/*} fps_den=${rate#*/}
[[ $frames -gt 0 && $fps_num -gt 0 ]] || bench_die "cannot read the clip's frames and rate"
last=$((frames - 1))

work=$(mktemp -d)
trap 'exec 7>&- 2>/dev/null || true; [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkfifo "$work/commands"
"$player" --headless --step-history-mb "$history_mb" --script "$work/commands" "$clip" \
    >"$work/out" 2>"$work/err" &
pid=$!
exec 7>"$work/commands"
[[ -n $csv ]] || csv="$work/rss.csv"
echo "seconds,rss_kib" >"$csv"
start=$(bench_now)
elapsed() { awk -v a="$(bench_now)" -v b="$start" 'BEGIN { printf "%d", a - b }'; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0; }

# Sample the resident memory in the background.
(
    while kill -0 "$pid" 2>/dev/null; do
        printf '%s,%s\n' "$(elapsed)" "$(rss_kib)" >>"$csv"
        sleep "$interval"
    done
) &
sampler=$!

RANDOM=$seed
md5_lines=0 checked=0 wrong=0 known=-1
declare -A done_count=()
# send COMMANDS...: writes them, ends with 'md5', and waits until the player has run them all.
send() {
    printf '%s\n' "$@" md5 >&7
    md5_lines=$((md5_lines + 1))
    while [[ $(grep -c '^frame' "$work/out") -lt $md5_lines ]]; do
        kill -0 "$pid" 2>/dev/null || bench_die "the player died; stderr: $(tail -5 "$work/err")"
        sleep 0.02
    done
    local got
    got=$(grep '^frame' "$work/out" | sed -n "${md5_lines}s/.* md5=//p")
    if [[ $known -ge 0 ]]; then
        checked=$((checked + 1))
        if [[ $got != "${ref_md5[$known]}" ]]; then
            wrong=$((wrong + 1))
            printf 'frame %d expected after "%s", got %s\n' "$known" "$*" \
                "$(grep '^frame' "$work/out" | sed -n "${md5_lines}p")" >&2
        fi
    fi
}
clamp() { local i=$1; ((i < 0)) && i=0; ((i > last)) && i=$last; echo "$i"; }

printf 'soak: %s for %d s (warm-up %d s), %d frames at %s fps, step history %d MiB\n' \
    "$(basename "$clip")" "$duration" "$warmup" "$frames" "$rate" "$history_mb"
send pause
known=0
while [[ $(elapsed) -lt $duration ]]; do
    r=$((RANDOM % 100))
    if ((r < 15)); then                         # play for a while: position unknown after
        wait_cs=$((50 + RANDOM % 400))
        known=-1
        send play "wait $((wait_cs / 100)).$(printf '%02d' $((wait_cs % 100)))" pause
        done_count[play]=$((${done_count[play]:-0} + 1))
    elif ((r < 45)); then                       # exact seek anywhere, a little past the end too
        cs=$((RANDOM * 32768 + RANDOM))
        cs=$((cs % ((frames * fps_den * 100 / fps_num) + 100)))
        known=$(clamp $(((cs * fps_num + 100 * fps_den - 1) / (100 * fps_den))))
        send "seek $((cs / 100)).$(printf '%02d' $((cs % 100)))"
        done_count[seek]=$((${done_count[seek]:-0} + 1))
    elif ((r < 70)); then
        k=$((1 + RANDOM % 40))
        [[ $known -ge 0 ]] && known=$(clamp $((known + k)))
        send "step $k"
        done_count[step]=$((${done_count[step]:-0} + 1))
    else                                        # back-steps, often beyond the history
        k=$((1 + RANDOM % 120))
        [[ $known -ge 0 ]] && known=$(clamp $((known - k)))
        send "back $k"
        done_count[back]=$((${done_count[back]:-0} + 1))
    fi
done
# The end: one more exact seek, whose frame must be right.
final_cs=$(( (RANDOM % (frames * fps_den * 100 / fps_num)) ))
known=$(clamp $(((final_cs * fps_num + 100 * fps_den - 1) / (100 * fps_den))))
wrong_before=$wrong
send "seek $((final_cs / 100)).$(printf '%02d' $((final_cs % 100)))"
final_ok=$([[ $wrong -eq $wrong_before ]] && echo yes || echo NO)
printf 'quit\n' >&7
exec 7>&-
status=0
wait "$pid" || status=$?
pid=""
wait "$sampler" 2>/dev/null || true

# Least-squares slope of RSS against time, over the samples after the warm-up.
read -r slope first_kib last_kib max_kib samples < <(awk -F, -v w="$warmup" '
    NR > 1 && $1 >= w && $2 > 0 { n++; x[n] = $1 / 60; y[n] = $2; sx += x[n]; sy += y[n]
                                  if ($2 > max) max = $2 }
    END { if (n < 2) { print "nan 0 0 0", n; exit }
          mx = sx / n; my = sy / n
          for (i = 1; i <= n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
          printf "%.1f %d %d %d %d\n", sxy / sxx, y[1], y[n], max, n }' "$csv")
printf 'commands: seek=%d step=%d back=%d play=%d; md5 checks: %d of %d exact; final seek exact: %s\n' \
    "${done_count[seek]:-0}" "${done_count[step]:-0}" "${done_count[back]:-0}" \
    "${done_count[play]:-0}" $((checked - wrong)) "$checked" "$final_ok"
printf 'rss after warm-up (%d samples): first %d KiB, last %d KiB, max %d KiB; slope %s KiB/min\n' \
    "$samples" "$first_kib" "$last_kib" "$max_kib" "$slope"
printf 'player exit status: %d\n' "$status"
bench_machine
[[ $status -eq 0 && $wrong -eq 0 ]]
