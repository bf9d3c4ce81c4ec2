#!/usr/bin/env bash
# Usage: check_bad_input.sh FRAMEPIPE ASSETS_DIR
# Every kind of bad input ends at once with the promised exit status: 1 and exactly one line
# 'framepipe: PATH: reason' for files that cannot be played, 0 with the decodable part played
# for damaged ones, 2 for bad usage. Never a crash, a hang or a sanitizer report.
set -uo pipefail
player=$1 assets=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS NAME ARGS...: runs the player headless with a time limit.
expect() {
    local want=$1 name=$2
    shift 2
    timeout 30 "$player" --headless --stats "$@" >"$dir/out" 2>"$dir/err"
    local got=$?
    if [ "$got" -eq 124 ]; then
        fail "$name: hung"
    elif [ "$got" -ne "$want" ]; then
        fail "$name: exit $got, expected $want"; sed 's/^/    /' "$dir/err" | head -5
    else
        echo "ok   $name: exit $got: $(grep -v '^stats:' "$dir/err" | tail -1)"
    fi
}

# expect_open_error NAME PATH: exit 1 with the single error line and nothing else.
expect_open_error() {
    local name=$1 path=$2
    expect 1 "$name" "$path"
    local lines
    lines=$(wc -l <"$dir/err")
    # --stats adds its line only when a player was opened; an open failure prints just the error.
    if [ "$lines" -ne 1 ] || ! grep -q "^framepipe: $path: " "$dir/err"; then
        fail "$name: expected one line 'framepipe: $path: reason', got:"; sed 's/^/    /' "$dir/err"
    fi
}

# expect_partial NAME PATH: exit 0 having shown at least one frame.
expect_partial() {
    expect 0 "$1" "$2"
    grep -Eq '^stats: .*displayed=[1-9]' "$dir/err" || fail "$1: no frame was shown"
}

perl -e 'srand(7); print map { chr(int(rand(256))) } 1 .. 200000' >"$dir/noise"
: >"$dir/empty.mp4"
printf 'This is a text file, not a video.\n' >"$dir/text.mp4"
mkdir "$dir/folder.mp4"
ts="$assets/mpeg2_mp2_framenum_320x240_25fps.ts"
webm="$assets/vp9_opus_320x240_30fps.webm"
head -c $(($(stat -c %s "$ts") / 2)) "$ts" >"$dir/truncated.ts"
head -c $(($(stat -c %s "$webm") / 2)) "$webm" >"$dir/truncated.webm"
mp4="$assets/h264_framenum_320x240_25fps.mp4"
head -c $(($(stat -c %s "$mp4") * 45 / 100)) "$mp4" >"$dir/truncated.mp4"
# Flip bytes all over the second half of the TS: packets survive, their payloads do not.
perl -e 'local $/; my $d = <STDIN>; srand(3);
         for (1 .. 400) { my $p = int(length($d) / 2 + rand(length($d) / 2)); substr($d, $p, 1) = chr(int(rand(256))); }
         print $d' <"$ts" >"$dir/corrupt.ts"

expect_open_error "missing file" "$dir/missing.mp4"
expect_open_error "directory" "$dir/folder.mp4"
expect_open_error "empty file" "$dir/empty.mp4"
expect_open_error "random bytes" "$dir/noise"
expect_open_error "text named .mp4" "$dir/text.mp4"
expect_partial "truncated MPEG-TS" "$dir/truncated.ts"
expect_partial "truncated WebM" "$dir/truncated.webm"
expect_partial "truncated MP4" "$dir/truncated.mp4" # its last packet is cut: the drain must not hang
expect_partial "corrupted bitstream" "$dir/corrupt.ts"

# A sound track no decoder knows: the picture plays (all of it decoded; in a window a late
# frame may be dropped), in a window too, with one warning.
perl -pe 's/A_OPUS/A_NOPE/' <"$webm" >"$dir/unknown-audio.webm"
for mode in --headless ""; do
    # shellcheck disable=SC2086
    SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout 30 \
        "$player" $mode --stats "$dir/unknown-audio.webm" >/dev/null 2>"$dir/err"
    got=$? warning="framepipe: $dir/unknown-audio.webm: warning: no sound: no decoder for the audio codec"
    if [ "$got" -ne 0 ] || [ "$(grep -c "^$warning" "$dir/err")" -ne 1 ] ||
        [ "$(grep -vc '^stats:' "$dir/err")" -ne 1 ] ||
        ! grep -Eq '^stats: decoded=90 displayed=[1-9].*audio=no' "$dir/err"; then
        fail "unknown audio codec ${mode:-windowed}: exit $got"; sed 's/^/    /' "$dir/err"
    else
        echo "ok   unknown audio codec ${mode:-windowed}: $(head -1 "$dir/err")"
    fi
done

# Output that cannot be written: --framemd5 into a full disk or a closed pipe ends the run at
# once, exit 1, with one line naming the sink and the frame, never a silent loss of lines.
if [ -c /dev/full ]; then
    timeout 30 "$player" --headless --framemd5 "$ts" >/dev/full 2>"$dir/err"
    got=$?
    if [ "$got" -ne 1 ] || [ "$(wc -l <"$dir/err")" -ne 1 ] ||
        ! grep -q "^framepipe: $ts: framemd5: cannot show the frame at 0.000 s: " "$dir/err"; then
        fail "framemd5 into /dev/full: exit $got"; sed 's/^/    /' "$dir/err"
    else
        echo "ok   framemd5 into /dev/full: $(cat "$dir/err")"
    fi
else
    echo "skip framemd5 into /dev/full: no /dev/full here (the closed pipe below fails the write too)"
fi
# A reader that goes away after ten lines: the player ends at once, by SIGPIPE as 'yes | head'
# does (141), or with the write error when the signal is ignored (1); it does not play on unheard.
for sigpipe in default ignored; do
    if [ $sigpipe = ignored ]; then trap '' PIPE; fi
    timeout 30 "$player" --headless --framemd5 "$ts" 2>"$dir/err" | head -n 10 >/dev/null
    status=("${PIPESTATUS[@]}")
    trap - PIPE
    want=141 && [ $sigpipe = ignored ] && want=1
    if [ "${status[0]}" -ne $want ] ||
        { [ $want = 1 ] && ! grep -q "framemd5: cannot show the frame" "$dir/err"; }; then
        fail "framemd5 into a closed pipe, SIGPIPE $sigpipe: exit ${status[0]}, expected $want"
        sed 's/^/    /' "$dir/err"
    else
        echo "ok   framemd5 into a closed pipe, SIGPIPE $sigpipe: exit ${status[0]} $(tail -1 "$dir/err")"
    fi
done

# Bad usage: exit 2, no file is opened.
for args in "" "--bogus $ts" "--loglevel nonsense $ts" "$ts $ts"; do
    # shellcheck disable=SC2086
    timeout 10 "$player" $args >/dev/null 2>"$dir/err"
    got=$?
    [ "$got" -eq 2 ] && echo "ok   usage '$args': exit 2" || fail "usage '$args': exit $got, expected 2"
done
# Into files, not into 'grep -q', which may close the pipe while the help is still written.
timeout 10 "$player" --help >"$dir/help" && grep -q '^usage: framepipe' "$dir/help" || fail "--help"
timeout 10 "$player" --version >"$dir/version" && grep -q '^framepipe [0-9]' "$dir/version" ||
    fail "--version"

[ "$failures" -eq 0 ] && echo "all bad-input cases passed" && exit 0
echo "$failures bad-input case(s) failed"
exit 1
