#!/usr/bin/env bash
# Usage: check_signals.sh FRAMEPIPE ASSETS_DIR
# Ctrl-C (SIGINT) quits the way 'q' does; a second one ends the process at once with status
# 130, for a player the first cannot reach:
#   - playing a file (headless, paced), one SIGINT ends the run with status 0 and the --stats
#     line that an orderly exit prints;
#   - playing standard input whose writer stalls without closing it, after the whole clip,
#     one SIGINT ends the run with status 0 within 2 s: the reader waits for the pipe in
#     slices that a quit ends (src/pipeline/pipe_io.c), not in a read() nothing interrupts;
#   - opening a named pipe whose writer never writes, the first SIGINT cannot reach the
#     player (it is still running 1 s later); the second ends it with status 130 and
#     "framepipe: interrupted", without the --stats line.
set -euo pipefail
player=$1 assets=$2
work=$(mktemp -d)
player_pid= writer_pid=
cleanup() {
    local status=$?
    set +e
    [ -n "$player_pid" ] && kill -KILL "$player_pid" 2>/dev/null
    [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -s "$work/err" ] && { echo "player stderr:"; cat "$work/err"; }; exit 1; }
# wait_exit SECONDS: waits up to SECONDS for the player to end; sets $status to its exit status.
wait_exit() {
    for _ in $(seq $(($1 * 10))); do kill -0 "$player_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$player_pid" 2>/dev/null && fail "the player is still running $1 s after the signal"
    status=0
    wait "$player_pid" || status=$?
    player_pid=
}

"$player" --headless --realtime --stats "$assets/h264_long_160x120_2fps_90s.mp4" 2>"$work/err" &
player_pid=$!
sleep 1
kill -INT "$player_pid"
wait_exit 10
[ "$status" = 0 ] || fail "playing, one SIGINT: exit status $status, not 0"
grep -q '^stats: ' "$work/err" || fail "playing, one SIGINT: no stats line"
echo "playing, one SIGINT: exit status 0, with the stats line"

mkfifo "$work/stdin"
{ cat "$assets/mpeg2_mp2_framenum_320x240_25fps.ts"; exec sleep 60; } >"$work/stdin" &
writer_pid=$!
"$player" --headless --realtime --stats - <"$work/stdin" 2>"$work/err" &
player_pid=$!
sleep 6 # the clip is 4 s: the reader now waits for more
kill -0 "$player_pid" 2>/dev/null || fail "the player on a stalled pipe ended by itself"
kill -INT "$player_pid"
wait_exit 2
[ "$status" = 0 ] || fail "a stalled pipe, one SIGINT: exit status $status, not 0"
grep -q '^stats: ' "$work/err" || fail "a stalled pipe, one SIGINT: no stats line"
kill "$writer_pid" 2>/dev/null
writer_pid=
echo "playing a stalled pipe, one SIGINT: exit status 0, with the stats line"

mkfifo "$work/fifo"
sleep 60 >"$work/fifo" & # holds the pipe open for writing, and never writes
writer_pid=$!
"$player" --headless --stats "$work/fifo" 2>"$work/err" &
player_pid=$!
sleep 1
kill -INT "$player_pid"
sleep 1
kill -0 "$player_pid" 2>/dev/null || fail "the first SIGINT ended the player opening a silent pipe"
kill -INT "$player_pid"
wait_exit 5
[ "$status" = 130 ] || fail "opening a silent pipe, two SIGINTs: exit status $status, not 130"
grep -qx 'framepipe: interrupted' "$work/err" || fail "no 'framepipe: interrupted' line"
grep -q '^stats: ' "$work/err" && fail "the second SIGINT did not end the process at once"
echo "opening a silent pipe: the first SIGINT waits, the second exits 130 at once"
