#!/usr/bin/env bash
# Usage: check_trace_html.sh FRAMEPIPE MEDIA
# Traces MEDIA through seeks, steps and back-steps (so flushes, drops and the step history
# show up), turns the trace into a page with --trace-html, and has headless Chromium run it:
# the DOM the page's script built must hold the thread lanes, the queues and the objects,
# and its screenshot must be a real picture. CHROMIUM overrides the browser's path.
set -euo pipefail
player=$1 media=$2
chromium=${CHROMIUM:-/usr/bin/chromium}
min_objects=50

dir=$(mktemp -d)
ok=0
trap 'if [ $ok = 1 ]; then rm -rf "$dir"; else echo "check_trace_html: files kept in $dir"; fi' EXIT
fail() {
    echo "check_trace_html: $*"
    exit 1
}
[ -x "$chromium" ] || fail "no Chromium at $chromium (Debian: apt-get install chromium)"

# One browser run with a fresh profile; everything that could reach the network is off.
browse() {
    local profile
    profile=$(mktemp -d "$dir/profile.XXXXXX")
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --window-size=1400,900 --hide-scrollbars \
        --virtual-time-budget=5000 "$@" 2>>"$dir/chromium.log"
}

printf 'pause\nseek 1.5\nback 20\nstep 5\nseek 0.2\nplay\nwait 0.3\n' >"$dir/script"
"$player" --headless --script "$dir/script" --step-history-mb 1 \
    --trace-ownership "$dir/trace.jsonl" "$media" >/dev/null
for want in '"op":"flush"' '"op":"drop"' '"queue":"history"' '"op":"show"'; do
    grep -q "$want" "$dir/trace.jsonl" || fail "the trace has no $want event to draw"
done
events=$(wc -l <"$dir/trace.jsonl")
objects=$(grep -o '"kind":"[a-z]*","id":[0-9]*' "$dir/trace.jsonl" | sort -u | wc -l)

"$player" --trace-html "$dir/trace.html" "$dir/trace.jsonl" || fail "--trace-html failed"
page="$dir/trace.html"
# Self-contained: nothing is loaded from anywhere, the page carries its script and its data.
# (url(#id) names an element of the page itself.)
outside='<(script|link|img|iframe)[^>]*(src|href)=[^ >]*|@import[^;]*'
outside+='|url\(["'"'"']?[^#"'"'"')][^)]*\)'
if grep -Eiq "$outside" "$page"; then
    fail "the page loads something from outside: $(grep -Eio "$outside" "$page" | head -1)"
fi

browse --dump-dom "file://$page" >"$dir/dom.html" || fail "Chromium could not load the page"
body=$(grep -o '<body[^>]*>' "$dir/dom.html" | head -1)
attr() {
    sed -n "s/.* data-$1=\"\\([^\"]*\\)\".*/\\1/p" <<<"$body"
}
[ -z "$(attr error)" ] || fail "the page's script failed: $(attr error)"
[ "$(attr ready)" = 1 ] || fail "the page never said it was ready: $body"
[ "$(attr events)" = "$events" ] || fail "the page has $(attr events) events; the trace, $events"
[ "$(attr objects)" = "$objects" ] ||
    fail "the page has $(attr objects) objects; the trace, $objects"
for lane in reader video-dec render; do
    grep -q "<g class=\"band thread\" data-lane=\"$lane\"" "$dir/dom.html" ||
        fail "no lane for $lane"
done
for queue in video_packets video_frames history; do
    grep -q "<g class=\"band queue\" data-queue=\"$queue\"" "$dir/dom.html" ||
        fail "no band for $queue"
    grep -q "<path class=\"depth\" data-queue=\"$queue\" d=\"M" "$dir/dom.html" ||
        fail "no depth drawn for $queue"
done
packets=$(grep -o '<path class="obj packet" data-o=' "$dir/dom.html" | wc -l)
frames=$(grep -o '<path class="obj frame" data-o=' "$dir/dom.html" | wc -l)
[ "$((packets + frames))" = "$(attr drawn)" ] ||
    fail "$((packets + frames)) object shapes, but the page says it drew $(attr drawn)"
if [ "$((packets + frames))" -lt $min_objects ] || [ "$packets" = 0 ] || [ "$frames" = 0 ]; then
    fail "only $packets packets and $frames frames drawn"
fi
grep -q '<table class="events">' "$dir/dom.html" || fail "no object's events in the side panel"

browse --screenshot="$dir/shot.png" "file://$page" >/dev/null || fail "Chromium took no screenshot"
[ -s "$dir/shot.png" ] || fail "no screenshot"
# PNG signature, then IHDR's width and height as big-endian 32-bit numbers.
header=$(od -An -tx1 -N24 "$dir/shot.png" | tr -d ' \n')
[ "${header:0:16}" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
size="$((16#${header:32:8}))x$((16#${header:40:8}))"
[ "$size" = 1400x900 ] || fail "the screenshot is $size, not 1400x900"
# An empty or failed page compresses to a few KB; lanes, bars and text do not.
bytes=$(stat -c %s "$dir/shot.png")
[ "$bytes" -gt 40000 ] || fail "the screenshot is only $bytes bytes: the page drew next to nothing"

echo "trace_html: $events events, $objects objects; $packets packets and $frames frames drawn;" \
    "page $(($(stat -c %s "$page") / 1024)) KiB, screenshot $((bytes / 1024)) KiB"
ok=1
