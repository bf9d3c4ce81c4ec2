#!/usr/bin/env bash
# Usage: check_io_errors.sh FRAMEPIPE FAIL_READ_SHIM ASSETS_DIR REFS_DIR
# The input misbehaves while it plays:
#   - reads start failing with EIO part-way (FAIL_READ_SHIM, an LD_PRELOAD over read()): what was
#     read plays, then exit 1 with one line 'framepipe: PATH: read error at byte N: ...';
#   - the file is truncated while a script steps and seeks through it: a clean end, exit 0;
#   - standard input and a named pipe: the picture plays bit-exact, steps forward and back inside
#     the step history work, and every seek is refused with one line instead of hanging.
# Never a hang (each run has a time limit), a crash or a sanitizer report.
set -uo pipefail
player=$1 shim=$2 assets=$3 refs=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

ts=mpeg2_mp2_framenum_320x240_25fps.ts
mp4=h264_framenum_320x240_25fps.mp4
md5_of_frame() { grep -v '^#' "$refs/$1.framemd5" | awk -F', *' -v n="$2" 'NR == n + 1 {print $6}'; }
frame_of_md5() { grep -v '^#' "$refs/$1.framemd5" | awk -F', *' -v m="$2" '$6 == m {print NR - 1; exit}'; }
got_md5s() { sed -n 's/^frame time=.* md5=\([0-9a-f]*\)$/\1/p' "$1"; }
data_columns() { grep -v '^#' "$1" | awk -F', *' '{print $5, $6}'; }

# run_failing NAME MEDIA BYTES [OPTIONS...]: plays a copy of MEDIA whose reads fail after BYTES.
run_failing() {
    local name=$1 media=$2 bytes=$3
    shift 3
    cp "$assets/$media" "$dir/failing-$media"
    FP_FAIL_READ_PATH="failing-$media" FP_FAIL_READ_AFTER=$bytes LD_PRELOAD=$shim \
        timeout 30 "$player" --headless --stats "$@" "$dir/failing-$media" >"$dir/out" 2>"$dir/err"
    status=$?
    [ "$status" -ne 124 ] || fail "$name: hung"
}

# 1. Reads fail part-way through: the frames read before play, then one error line and exit 1.
for media in $ts $mp4; do
    size=$(stat -c %s "$assets/$media")
    run_failing "EIO at 45% of $media" "$media" $((size * 45 / 100))
    # libavformat's and libavcodec's own complaints about the broken last packet ('[h264 @ ...')
    # may come first; framepipe's verdict is one line.
    errors=$(grep -v -e '^stats:' -e '^\[' "$dir/err")
    shown=$(sed -n 's/^stats: .*displayed=\([0-9]*\).*/\1/p' "$dir/err")
    frames=$(grep -vc '^#' "$refs/$media.framemd5")
    if [ "$status" -ne 1 ] || [ "$(printf '%s\n' "$errors" | wc -l)" -ne 1 ] ||
        ! printf '%s\n' "$errors" | grep -q "^framepipe: $dir/failing-$media: read error at byte [0-9]*: Input/output error$"; then
        fail "EIO at 45% of $media: exit $status, expected 1 and one line; stderr:"
        sed 's/^/    /' "$dir/err"
    elif [ -z "$shown" ] || [ "$shown" -lt 1 ] || [ "$shown" -ge "$frames" ]; then
        fail "EIO at 45% of $media: $shown of $frames frames shown, expected some but not all"
    else
        ok "EIO at 45% of $media: exit 1, $shown of $frames frames shown: $errors"
    fi
done

# 2. Reads fail while the file is still being opened: one line, exit 1.
run_failing "EIO while opening" $ts 3000
lines=$(grep -v -e '^stats:' -e '^\[' "$dir/err" | wc -l)
if [ "$status" -ne 1 ] || [ "$lines" -ne 1 ] || ! grep -q "^framepipe: $dir/failing-$ts: " "$dir/err"; then
    fail "EIO while opening: exit $status, expected 1 and one line; stderr:"
    sed 's/^/    /' "$dir/err"
else
    ok "EIO while opening: exit 1: $(grep '^framepipe:' "$dir/err")"
fi

# 3. Reads fail, and a script goes on stepping and seeking over the failure, then quits: exit 0.
printf 'pause\nstep 200\nmd5\nseek 0.5\nmd5\nback 3\nmd5\nseek 3.5\nmd5\nquit\n' >"$dir/over.fpscript"
run_failing "EIO under a script" $ts $(($(stat -c %s "$assets/$ts") / 2)) \
    --script "$dir/over.fpscript" --step-history-mb 1
if [ "$status" -ne 0 ] || [ "$(got_md5s "$dir/out" | wc -l)" -ne 4 ]; then
    fail "EIO under a script: exit $status with $(got_md5s "$dir/out" | wc -l) md5 lines, expected 0 and 4"
    sed 's/^/    /' "$dir/err" | head -10
else
    ok "EIO under a script: exit 0, 4 md5 lines"
fi

# 4. The file shrinks while it is read. The script comes through a pipe, so that the truncation
#    happens between two commands: after the first frames were shown, before the steps and seeks
#    that need what was cut off.
for keep in 30 0; do
    cp "$assets/$ts" "$dir/shrinking.ts"
    rm -f "$dir/commands"
    mkfifo "$dir/commands"
    timeout 30 "$player" --headless --step-history-mb 1 --script "$dir/commands" \
        "$dir/shrinking.ts" >"$dir/out" 2>"$dir/err" &
    pid=$!
    exec 7>"$dir/commands"
    printf 'pause\nstep 5\nmd5\n' >&7
    for _ in $(seq 100); do grep -q '^frame' "$dir/out" && break; sleep 0.1; done
    truncate -s $(($(stat -c %s "$dir/shrinking.ts") * keep / 100)) "$dir/shrinking.ts"
    printf 'step 95\nmd5\nseek 3\nmd5\nback 40\nmd5\nseek 1\nmd5\nplay\nwait 0.5\nquit\n' >&7
    exec 7>&-
    wait "$pid"
    status=$?
    md5s=$(got_md5s "$dir/out" | wc -l)
    first=$(frame_of_md5 $ts "$(got_md5s "$dir/out" | head -1)")
    if [ "$status" -ne 0 ] || [ "$md5s" -ne 5 ] || [ "$first" != 5 ]; then
        fail "truncated to $keep% while playing: exit $status, $md5s md5 lines (first frame $first), expected 0, 5 and frame 5"
        sed 's/^/    /' "$dir/err" | head -10
    else
        ok "truncated to $keep% while playing: exit 0, frames $(for m in $(got_md5s "$dir/out"); do printf '%s ' "$(frame_of_md5 $ts "$m")"; done)"
    fi
done

# 5. Standard input: bit-exact, and nothing seeks.
cat "$assets/$ts" | timeout 30 "$player" --headless --framemd5 - >"$dir/out" 2>"$dir/err"
status=$?
if [ "$status" -ne 0 ] || ! diff -q <(data_columns "$refs/$ts.framemd5") <(data_columns "$dir/out") >/dev/null; then
    fail "standard input: exit $status, or its framemd5 differs from the reference"
else
    ok "standard input: exit 0, $(data_columns "$dir/out" | wc -l) frames bit-exact"
fi

# The step history (1 MiB) holds about eight of these frames. Expected frames, in order:
# 5, 3, 3 (seek refused), 33, at most 8 back from 33 (back-step beyond the history refused),
# the same (relative seek refused), then the one after it.
cat >"$dir/pipe.fpscript" <<'EOF'
pause
step 5
md5
back 2
md5
seek 2
md5
step 30
md5
back 20
md5
seek -1
md5
step
md5
quit
EOF
check_unseekable() {
    local name=$1
    local -a got frames
    mapfile -t got < <(got_md5s "$dir/out")
    frames=()
    for m in "${got[@]}"; do frames+=("$(frame_of_md5 $ts "$m")"); done
    local refused back_refused lines
    refused=$(grep -c '^cannot seek: the input is not seekable$' "$dir/err")
    back_refused=$(grep -c '^cannot step back further: ' "$dir/err")
    lines=$(wc -l <"$dir/err")
    if [ "$status" -ne 0 ] || [ "${#frames[@]}" -ne 7 ] || [ "${frames[0]}" != 5 ] ||
        [ "${frames[1]}" != 3 ] || [ "${frames[2]}" != 3 ] || [ "${frames[3]}" != 33 ] ||
        [ "${frames[4]:-0}" -lt 25 ] || [ "${frames[4]:-0}" -ge 33 ] ||
        [ "${frames[5]}" != "${frames[4]}" ] || [ "${frames[6]}" != $((frames[4] + 1)) ] ||
        [ "$refused" -ne 2 ] || [ "$back_refused" -ne 1 ] || [ "$lines" -ne 3 ]; then
        fail "$name: exit $status, frames ${frames[*]}, $refused seeks and $back_refused back-steps refused in $lines lines"
        sed 's/^/    /' "$dir/err"
    else
        ok "$name: frames ${frames[*]}; 2 seeks and 1 back-step refused, one line each"
    fi
}
cat "$assets/$ts" | timeout 30 "$player" --headless --step-history-mb 1 \
    --script "$dir/pipe.fpscript" - >"$dir/out" 2>"$dir/err"
status=$?
check_unseekable "standard input, stepping and seeking"

# 6. A named pipe as the input: the same.
rm -f "$dir/input.ts"
mkfifo "$dir/input.ts"
cat "$assets/$ts" >"$dir/input.ts" &
timeout 30 "$player" --headless --step-history-mb 1 --script "$dir/pipe.fpscript" \
    "$dir/input.ts" >"$dir/out" 2>"$dir/err"
status=$?
wait
check_unseekable "named pipe, stepping and seeking"

# 7. Both the input and the script on standard input: bad usage.
timeout 10 "$player" --headless --script - - </dev/null >/dev/null 2>"$dir/err"
status=$?
[ "$status" -eq 2 ] && ok "input and script both '-': exit 2" ||
    fail "input and script both '-': exit $status, expected 2"

[ "$failures" -eq 0 ] && echo "all I/O cases passed" && exit 0
echo "$failures I/O case(s) failed"
exit 1
