#!/usr/bin/env bash
# Usage: check_aid.sh FRAMEPIPE ASSETS_DIR REFS_DIR
# Switching audio tracks while playing ('aid N', 'aid next', 'aid no'; the '#' key is
# test_keys'). h264_2audio_160x120_25fps.mkv has two audio tracks (aac, opus) and keyframes at
# 0.021 s and 1.021 s. A switch seeks the reader back to the picture, so the new track starts at
# the keyframe before it. Headless, --audio-md5 hashes what the output of the track played last
# consumed: switched before 1.021 s, that is the whole track, and equals ffmpeg's -map 0:a:N-1.
#   - 'aid 2' at the start: the md5 of track 2;
#   - 'aid next' three times in the first half second (2, none, 1): the md5 of track 1, the
#     picture shows frames of the reference in order, none twice, up to the last, and exit 0;
#   - 'aid 2' at 1.3 s: the sound starts near the picture, not at 0: another md5, exit 0;
#   - 'aid next' on a file with one track: none, the track, none; 'aid 3' of 2 tracks and any
#     'aid' on a file without sound: one error line each, nothing changes, exit 0;
#   - sound alone (in a window, SDL's dummy drivers): 'aid no' is refused, 'aid next' stays.
set -uo pipefail
player=$1 assets=$2 refs=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

two=$assets/h264_2audio_160x120_25fps.mkv
ref1=$(cat "$refs/h264_2audio_160x120_25fps.mkv.audiomd5")
ref2=$(cat "$refs/h264_2audio_160x120_25fps.mkv.aid2.md5")

# run SCRIPT OPTIONS... FILE: stdout in $work/out, the player's messages in $work/said, $status.
run() {
    printf "$1" >"$work/script"
    shift
    timeout 120 "$player" --loglevel info --script "$work/script" "$@" >"$work/out" 2>"$work/err"
    status=$?
    grep -E '^(audio: |no audio track|cannot |framepipe: )' "$work/err" >"$work/said"
}
said() { paste -sd '|' "$work/said"; }

run 'aid 2\n' --headless --audio-md5 "$two"
[ $status = 0 ] && [ "$(cat "$work/out")" = "$ref2" ] &&
    [ "$(said)" = "audio: track 2/2 (opus, 48000 Hz mono)" ] &&
    ok "aid 2 at the start: track 2's md5, $(said)" ||
    fail "aid 2 at the start: exit $status, md5 $(cat "$work/out") (want $ref2), '$(said)'"

run 'wait 0.2\naid next\nwait 0.2\naid next\nwait 0.1\naid next\n' --headless --audio-md5 \
    --framemd5 "$two"
md5=$(grep -v '^#' "$work/out" | grep -E '^[0-9a-f]{32}$')
want="audio: track 2/2 (opus, 48000 Hz mono)|audio: off|audio: track 1/2 (aac, 48000 Hz mono)"
# The frames shown: each one of the reference, later than the one before, and the last one last.
in_order=$(awk -F', *' 'BEGIN { i = 0 } NR == FNR { if ($0 !~ /^#/) ref[n++] = $6; next }
    /^#/ || NF < 6 { next }
    { while (i < n && ref[i] != $6) i++; if (i == n) { print "no"; exit } shown++; last = i; i++ }
    END { if (!shown || last != n - 1) print "no" }' \
    "$refs/h264_2audio_160x120_25fps.mkv.framemd5" "$work/out")
[ $status = 0 ] && [ "$md5" = "$ref1" ] && [ "$(said)" = "$want" ] && [ -z "$in_order" ] &&
    ok "aid next x3 while playing: $(said); track 1's md5; the picture in order to its end" ||
    fail "aid next x3: exit $status, md5 '$md5' (want $ref1), '$(said)', picture in order: ${in_order:-yes}"

run 'wait 1.3\naid 2\n' --headless --audio-md5 "$two"
md5=$(cat "$work/out")
[ $status = 0 ] && [[ $md5 =~ ^[0-9a-f]{32}$ ]] && [ "$md5" != "$ref2" ] &&
    [ "$(said)" = "audio: track 2/2 (opus, 48000 Hz mono)" ] &&
    ok "aid 2 at 1.3 s: track 2 from the keyframe at 1.021 s ($md5)" ||
    fail "aid 2 at 1.3 s: exit $status, md5 '$md5' (not $ref2 expected), '$(said)'"

run 'aid next\naid next\naid next\n' --headless "$assets/h264_bframes_aac_320x240_30fps.mp4"
want="audio: off|audio: track 1/1 (aac, 48000 Hz stereo)|audio: off"
[ $status = 0 ] && [ "$(said)" = "$want" ] && ok "one track, aid next x3: $(said)" ||
    fail "one track, aid next x3: exit $status, '$(said)' (want '$want')"

run 'aid 3\n' --headless --audio-md5 "$two"
[ $status = 0 ] && [ "$(said)" = "no audio track 3: the input has 2" ] &&
    [ "$(cat "$work/out")" = "$ref1" ] && ok "aid 3 of 2: $(said); track 1 plays on" ||
    fail "aid 3 of 2: exit $status, '$(said)', md5 $(cat "$work/out")"

run 'aid next\naid 1\naid no\n' --headless "$assets/h264_framenum_320x240_25fps.mp4"
[ $status = 0 ] && [ "$(said)" = "no audio track|no audio track|no audio track" ] &&
    ok "no sound: $(said)" || fail "no sound: exit $status, '$(said)'"

run 'wait 0.2\naid no\naid next\nwait 0.2\nquit\n' "$assets/sound_only_aac_2s.m4a"
want="cannot turn the sound off: there is no picture|audio: track 1/1 (aac, 48000 Hz stereo)"
[ $status = 0 ] && [ "$(said)" = "$want" ] && ok "sound alone: $(said)" ||
    fail "sound alone: exit $status, '$(said)' (want '$want')"

[ $failures = 0 ] && echo "all audio track switch cases passed" && exit 0
exit 1
