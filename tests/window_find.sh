# shellcheck shell=bash
# Sourced by the window tests.

# window_test TOOL...: the common start of a window test. Exits 1 at once when a tool is
# missing; makes $work (kept with KEEP_WORK=1); on exit closes the script pipe (fd 4, if
# open) and stops the player ($player_pid), the window manager ($wm_pid) and the X server
# ($xvfb_pid). The exit status stays the script's own: a server that already went away, or a
# directory openbox still writes into while it dies, is not a failure of the test. Defines
# fail MESSAGE: says it, with the end of the player's stderr ($work/err), and exits 1.
window_test() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool (third_party/install-deps.sh installs it)"; exit 1; }
    done
    work=$(mktemp -d)
    xvfb_pid= player_pid= wm_pid=
    trap window_test_cleanup EXIT
    fail() { echo "FAIL: $*"; [ -s "$work/err" ] && { echo "player stderr:"; tail -20 "$work/err"; }; exit 1; }
}
window_test_cleanup() {
    local status=$?
    set +e
    exec 4>&- 2>/dev/null
    [ -n "$player_pid" ] && kill "$player_pid" 2>/dev/null
    [ -n "$wm_pid" ] && kill "$wm_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
    exit $status
}

# start_xvfb DIR [WxH]: a private Xvfb (1280x1024 unless given) on a free display, which
# -displayfd writes to DIR/display once the server is ready (waiting up to 30 s: a loaded
# machine can be slow); exports DISPLAY, sets $xvfb_pid (the caller's cleanup kills it) and
# leaves SDL to choose its X11 driver. -noreset: by default an X server resets when its last
# client leaves, and drops a client that connects meanwhile. A player started just after
# the previous one quit would then find no display.
start_xvfb() {
    rm -f "$1/display"
    exec 3>"$1/display"
    Xvfb -displayfd 3 -noreset -screen 0 "${2:-1280x1024}x24" -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    exec 3>&-
    for _ in $(seq 300); do [ -s "$1/display" ] && break; sleep 0.1; done
    [ -s "$1/display" ] || fail "Xvfb did not start in 30 s"
    export DISPLAY=:$(cat "$1/display")
    unset SDL_VIDEODRIVER
}

# wm_running: openbox manages the screen. The root window's property names its check window
# once it runs; before, xprop says "no such atom on any window" or "not found".
wm_running() { [[ "$(xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null)" == *"window id"* ]]; }

# start_wm DIR: openbox on $DISPLAY, its output in DIR/openbox.log; sets $wm_pid. Waits up to
# 30 s, starting it once more if it exits meanwhile; fails with its output when it never runs.
start_wm() {
    local attempt
    for attempt in 1 2; do
        HOME=$1 openbox --sm-disable >"$1/openbox.log" 2>&1 &
        wm_pid=$!
        for _ in $(seq 300); do
            wm_running && return
            kill -0 "$wm_pid" 2>/dev/null || break
            sleep 0.1
        done
        echo "openbox, attempt $attempt, did not start: $(xprop -root _NET_SUPPORTING_WM_CHECK 2>&1)"
        sed 's/^/  openbox: /' "$1/openbox.log" | head -20
        kill "$wm_pid" 2>/dev/null
        wait "$wm_pid" 2>/dev/null
    done
    fail "openbox did not start"
}

# start_scripted MEDIA OPTION...: the player ($player) on MEDIA with OPTIONs, in $work, reading
# its script from a pipe that fd 4 writes to, its stdout in $work/out and stderr in $work/err;
# sets $player_pid and, once it shows, $window. send LINE...: one script line each.
start_scripted() {
    local media=$1
    shift
    rm -f "$work/fifo" && mkfifo "$work/fifo"
    (cd "$work" && exec "$player" "$@" --script "$work/fifo" "$media") >"$work/out" 2>"$work/err" &
    player_pid=$!
    exec 4>"$work/fifo"
    find_window "$media"
}
send() { printf '%s\n' "$@" >&4; }

# find_window MEDIA: sets $window to the visible window of the player $player_pid playing
# MEDIA, waiting up to 20 s; fails (the caller's fail) when the player exits first, or when
# none appears, after saying what the X server and the player were doing.
find_window() {
    window=
    for _ in $(seq 200); do
        # By title, else by process: a search fails outright when a window it looks at goes
        # away meanwhile (SDL may replace its first window at start).
        window=$(xdotool search --onlyvisible --name "$(basename "$1")" 2>/dev/null | head -1) ||
            window=$(xdotool search --onlyvisible --pid "$player_pid" 2>/dev/null | head -1) || true
        [ -n "$window" ] && return
        kill -0 "$player_pid" 2>/dev/null || fail "the player exited before its window was found"
        sleep 0.1
    done
    echo "no window for $1 after 20 s. The X server's windows:"
    xwininfo -root -tree 2>&1 | grep -v 'has no name' | head -20 || true
    echo "windows of pid $player_pid, visible or not: $(xdotool search --pid "$player_pid" 2>&1 | tr '\n' ' ')"
    echo "player threads: $(ls "/proc/$player_pid/task" 2>/dev/null | wc -l), state: $(cut -d' ' -f3 "/proc/$player_pid/stat" 2>/dev/null), wchan: $(cat "/proc/$player_pid/wchan" 2>/dev/null)"
    fail "no window for $1"
}
