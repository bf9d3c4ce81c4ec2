# shellcheck shell=bash
# Sourced by the window tests.

# start_xvfb DIR: a private Xvfb (1280x1024) on a free display, which -displayfd writes to
# DIR/display once the server is ready; exports DISPLAY, sets $xvfb_pid (the caller's cleanup
# kills it) and leaves SDL to choose its X11 driver.
start_xvfb() {
    exec 3>"$1/display"
    Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    exec 3>&-
    for _ in $(seq 100); do [ -s "$1/display" ] && break; sleep 0.1; done
    export DISPLAY=:$(cat "$1/display")
    unset SDL_VIDEODRIVER
}

# find_window MEDIA [try]: sets $window to the visible window of the player $player_pid
# playing MEDIA, waiting up to 20 s; fails (the caller's fail) when the player exits first, or
# when none appears. With "try", a window that never appears returns 1 instead, after saying
# what the X server and the player were doing (a rare "no window" whose cause is not known yet:
# the player runs to its end with a window no search lists).
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
    [ "${2:-}" = try ] && return 1
    fail "no window for $1"
}
