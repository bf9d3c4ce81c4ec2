#!/usr/bin/env bash
# Usage: check_version.sh FRAMEPIPE VERSION
# --version names framepipe's VERSION, then each library twice: the version it was built against,
# which must be what pkg-config reports for the headers here, and the one it runs with, which
# must be the one the dynamic loader resolves (the same files on a machine that built it).
set -u
player=$1 version=$2
status=0
fail() { echo "FAIL: $*"; status=1; }
out=$("$player" --version) || fail "--version exited with status $?"
[ "$(echo "$out" | head -1)" = "framepipe $version" ] || fail "first line is not 'framepipe $version'"
for pair in libavformat:libavformat libavcodec:libavcodec libavutil:libavutil \
    libswscale:libswscale libswresample:libswresample SDL:sdl2 SDL_ttf:SDL2_ttf; do
    name=${pair%%:*} module=${pair#*:}
    line=$(echo "$out" | grep -E "^$name +[0-9]") || { fail "no line for $name"; continue; }
    built=$(echo "$line" | sed -E 's/^[^ ]+ +//; s/ \/ .*//; s/ //g')
    running=$(echo "$line" | sed -E 's/.* \/ //; s/ //g')
    want=$(pkg-config --modversion "$module")
    [ "$built" = "$want" ] || fail "$name: built against '$built', pkg-config says '$want'"
    [ "$running" = "$want" ] || fail "$name: running with '$running', expected '$want'"
done
[ $status -eq 0 ] && echo "ok: --version names framepipe $version and 7 libraries, built against and running with"
exit $status
