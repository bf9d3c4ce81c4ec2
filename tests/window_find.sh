# shellcheck shell=bash
# Sourced by the window tests. find_window MEDIA: sets $window to the visible window of the
# player $player_pid playing MEDIA, waiting up to 20 s; fails (the caller's fail) when the
# player exits first, or when none appears.
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
    fail "no window for $1"
}
