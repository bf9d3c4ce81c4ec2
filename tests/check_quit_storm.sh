#!/usr/bin/env bash
# Usage: check_quit_storm.sh FRAMEPIPE ASSETS_DIR
# A storm of quits at random moments: during paced playback (headless and in an offscreen
# window), during seeks and back-steps that refill the history, during steps, and while the
# decoder drains at the end; by SIGINT (Ctrl-C), by SIGTERM, or by a script 'quit' at a random
# line. Every run must exit with status 0 within FP_QUIT_BOUND seconds (default 1) of its quit,
# and under the sanitizers with no report (a leak makes the exit status non-zero). At least 90 %
# of the runs must be real quits, delivered while the player ran: a run that ended before its
# signal passes for nothing, and a player whose pid cannot be found fails the storm.
#
# FP_QUIT_STORM_RUNS (default 200) and FP_QUIT_STORM_SEED (default 1) set the storm; a longer
# one: FP_QUIT_STORM_RUNS=2000 ctest -R quit_storm --timeout 7200
set -uo pipefail
player=$1 assets=$2
runs=${FP_QUIT_STORM_RUNS:-${FP_QUIT_STORM_DEFAULT_RUNS:-200}}
seed=${FP_QUIT_STORM_SEED:-1}
bound=${FP_QUIT_BOUND:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
RANDOM=$seed
failures=0
slowest=0
delivered=0
declare -A counts

# player_of RUNNER: the pid of the player that timeout(1) started: from the kernel's list of
# children where it keeps one, else from pgrep. Prints nothing while there is none yet.
player_of() {
    local pid=""
    read -r pid _ <"/proc/$1/task/$1/children" 2>/dev/null
    [ -n "$pid" ] || pid=$(pgrep -P "$1" 2>/dev/null | head -1)
    echo "$pid"
}
if [ ! -r "/proc/self/task/$$/children" ] && ! command -v pgrep >/dev/null; then
    echo "FAIL: neither /proc/PID/task/PID/children nor pgrep: no signal could be sent"
    exit 1
fi

clips=("$assets/mpeg2_mp2_framenum_320x240_25fps.ts" "$assets/h264_bframes_aac_320x240_30fps.mp4"
       "$assets/vp9_opus_320x240_30fps.webm" "$assets/h264_framenum_320x240_25fps.mp4")

# Seeks that need reseeks and history refills, then steps: the script outlasts any run.
for i in $(seq 300); do
    case $((i % 5)) in
    0) echo "seek $((RANDOM % 40)).$((RANDOM % 10))" ;;
    1) echo "back $((1 + RANDOM % 30))" ;;
    2) echo "seek -$((RANDOM % 2)).$((RANDOM % 10))" ;;
    3) echo "step $((1 + RANDOM % 20))" ;;
    4) echo "md5" ;;
    esac
done >"$dir/seeks.fpscript"
# Steps and back-steps, with short pauses between them so that the script lasts about 2 s.
for i in $(seq 300); do
    case $((i % 3)) in
    0) echo "step $((1 + RANDOM % 4))" ;;
    1) echo "back $((1 + RANDOM % 4))" ;;
    2) echo "wait 0.02" ;;
    esac
done >"$dir/steps.fpscript"

# How long an unpaced headless run of each clip decodes here, in ms: the drain runs quit between
# 30 and 80 % of that, late in the run where the decoder drains, yet while the player still runs
# (a quit after the end proves nothing). Measured, since a fixed delay that reaches the drain
# on a busy machine comes after the end on an idle one.
# A run of one packet is the start-up and teardown around it, which come before the delay
# (it counts from the moment the player blocks the signals) and after the end.
declare -A run_ms
elapsed_ms() {
    local begun=${EPOCHREALTIME/[.,]/}
    "$player" --headless "$@" >/dev/null 2>&1
    echo $(( (${EPOCHREALTIME/[.,]/} - begun) / 1000 ))
}
for clip in "${clips[@]}"; do
    whole=$(elapsed_ms "$clip")
    base=$(elapsed_ms --max-packets 1 "$clip")
    run_ms[$clip]=$((whole > base + 10 ? whole - base : 10))
done

# The signals arrive once main() has blocked them for its watcher thread; before that, the
# default action would kill the process, as it would any program still being loaded.
# Returns 0 once they are blocked, 2 if the player has already ended, 1 if it never blocks them.
wait_until_watching() {
    local pid=$1 key value
    for _ in $(seq 2500); do
        [ -r "/proc/$pid/status" ] || return 2
        while read -r key value; do
            [ "$key" = "SigBlk:" ] && [ $((16#$value & 2)) -ne 0 ] && return 0
        done <"/proc/$pid/status" 2>/dev/null
        sleep 0.002
    done
    return 1
}

for run in $(seq "$runs"); do
    clip=${clips[RANDOM % ${#clips[@]}]}
    mode=$(( RANDOM % 6 ))
    signal=$([ $((RANDOM % 2)) -eq 0 ] && echo INT || echo TERM)
    delay_ms=$((RANDOM % 800))
    args=(--headless)
    env=()
    case $mode in
    0) name=play args+=(--realtime) ;;
    1) name=window args=() ;;
    2) name=seek args+=(--step-history-mb 1 --script "$dir/seeks.fpscript") ;;
    3) name=step args+=(--step-history-mb 1 --script "$dir/steps.fpscript") ;;
    4) name=drain delay_ms=$((run_ms[$clip] * (30 + RANDOM % 50) / 100)) ;;
    5) name=script-quit signal=none
       head -n $((RANDOM % 60)) "$dir/seeks.fpscript" >"$dir/quit.fpscript"
       echo quit >>"$dir/quit.fpscript"
       args+=(--step-history-mb 1 --script "$dir/quit.fpscript") ;;
    esac
    counts[$name]=$((${counts[$name]:-0} + 1))
    # timeout ends a run that is stuck far beyond its bound; the signals go to the player itself.
    timeout -s KILL $((bound + 30)) "$player" "${args[@]}" "$clip" >/dev/null 2>"$dir/err" &
    runner=$!
    pid=""
    for _ in $(seq 2500); do
        pid=$(player_of "$runner")
        [ -n "$pid" ] && break
        kill -0 "$runner" 2>/dev/null || break # it ended already
        sleep 0.002
    done
    if [ "$signal" != none ] && [ -z "$pid" ] && kill -0 "$runner" 2>/dev/null; then
        echo "run $run ($name): the player's pid cannot be found: no signal can be sent"
        failures=$((failures + 1))
    fi
    if [ "$signal" != none ] && [ -n "$pid" ]; then
        wait_until_watching "$pid"
        case $? in
        1) echo "run $run ($name): the player never blocked SIGINT"
           failures=$((failures + 1)) ;;
        2) signal=none ;; # it ended before any quit: its exit status still counts
        esac
    fi
    if [ "$signal" != none ] && [ -n "$pid" ]; then
        sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
        sent=$EPOCHREALTIME
        kill -s "$signal" "$pid" 2>/dev/null && delivered=$((delivered + 1))
    else
        sent=$EPOCHREALTIME
        [ "$name" = script-quit ] && delivered=$((delivered + 1)) # it pauses at the end: the quit comes
    fi
    wait "$runner"
    status=$?
    ended=$EPOCHREALTIME
    took_ms=$(( (${ended/./} - ${sent/./}) / 1000 ))
    [ "$signal" = none ] || [ "$took_ms" -le "$slowest" ] || slowest=$took_ms
    if [ "$status" -ne 0 ] || { [ "$signal" != none ] && [ "$took_ms" -gt $((bound * 1000)) ]; }; then
        echo "run $run ($name, SIG$signal after ${delay_ms} ms, $(basename "$clip")): exit $status, ${took_ms} ms after the quit"
        sed 's/^/    /' "$dir/err" | head -20
        failures=$((failures + 1))
    fi
done

summary=""
for name in "${!counts[@]}"; do summary+=" $name=${counts[$name]}"; done
echo "$runs runs:$summary; $delivered real quits; slowest exit after a signal: ${slowest} ms (bound ${bound} s)"
if [ $((delivered * 10)) -lt $((runs * 9)) ]; then
    echo "only $delivered of $runs runs were real quits (at least 90 % must be)"
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "all quits clean" && exit 0
echo "$failures of $runs runs failed"
exit 1
