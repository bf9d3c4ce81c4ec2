#!/usr/bin/env bash
# Real-time windowed playback of a 10 s clip (1080p60 H.264 unless --set says otherwise) under Xvfb:
# framepipe against mpv --vo=x11 and ffplay. For each run: CPU time of the
# player plus CPU time of the X server during the run, and dropped frames.
#
# usage: bench/realtime-1080p60.sh [--rounds N] [--player PATH] [--clip PATH] [--set NAME]
#                                  [--display :N] [--no-mpv] [--no-ffplay] [--variants] [--floor]
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$script_dir/lib.sh"

rounds=3
player="$repo_root/build/framepipe"
clip=""
set_name=h264-1080p60
display=":5"
use_mpv=1
use_ffplay=1
variants=0
floor=0
osd=0
inspector=0

usage() {
    cat <<EOF
usage: ${0##*/} [options]

Plays a 1080p60 H.264 clip in real time in a window on an Xvfb display with
framepipe, mpv --vo=x11 and ffplay, alternating, and reports the median CPU
time (player + X server) and dropped frames of each, and framepipe/mpv ratios.

  --rounds N      rounds over all players, order rotated each round (default: $rounds)
  --player PATH   framepipe binary (default: $repo_root/build/framepipe)
  --clip PATH     play this file instead of the generated test clip
  --set NAME      which generated clip: h264-1080p60 (default), h264-2160p30,
                  hevc-1080p60, or h264-1080p60-sound (with AAC; the players'
                  sound goes to SDL's dummy driver and mpv's --ao=null, both paced)
  --display :N    X display (default: $display). A number below 10: mpv treats
                  :10 and above as remote and then does without shared memory.
                  Xvfb is started there (1920x1080x24) unless a server runs
                  already, and stopped at the end if this script started it.
  --no-mpv        leave out mpv
  --no-ffplay     leave out ffplay
  --osd           also run framepipe with the on-screen display shown: the timeline
                  pinned, the frame panel ('i') and the GOP strip ('g')
  --inspector     also run framepipe with the frame inspector ('e') shown, which
                  reads every frame's bitstream headers while it plays
  --variants      also run framepipe with SDL_RENDER_DRIVER=opengl, framepipe
                  with --step-history-mb 16, with --decoder-threads 1, and with
                  both, and ffplay with SDL's software renderer presenting
                  through XShm as framepipe does
                  (SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0)
  --floor         also run the ffmpeg CLI paced at the clip's rate (-re), decoding
                  and converting to the window's pixel format (bgr0) with nothing
                  shown, on libavcodec's automatic threads and on one: what any
                  player pays before a picture reaches the X server
  -h, --help      show this help

The generated clip is cached in \${XDG_CACHE_HOME:-\$HOME/.cache}/framepipe-bench/.
EOF
}

die() { bench_die "$@"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) bench_need_arg "$@"; rounds=$2; shift 2 ;;
        --rounds=*) rounds=${1#*=}; shift ;;
        --player) bench_need_arg "$@"; player=$2; shift 2 ;;
        --player=*) player=${1#*=}; shift ;;
        --clip) bench_need_arg "$@"; clip=$2; shift 2 ;;
        --clip=*) clip=${1#*=}; shift ;;
        --set) bench_need_arg "$@"; set_name=$2; shift 2 ;;
        --set=*) set_name=${1#*=}; shift ;;
        --display) bench_need_arg "$@"; display=$2; shift 2 ;;
        --display=*) display=${1#*=}; shift ;;
        --no-mpv) use_mpv=0; shift ;;
        --no-ffplay) use_ffplay=0; shift ;;
        --variants) variants=1; shift ;;
        --floor) floor=1; shift ;;
        --osd) osd=1; shift ;;
        --inspector) inspector=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) printf '%s: unknown argument: %s\n' "${0##*/}" "$1" >&2; usage >&2; exit 2 ;;
    esac
done

[[ $rounds =~ ^[1-9][0-9]*$ ]] || { printf '%s: --rounds wants a positive integer, not "%s"\n' "${0##*/}" "$rounds" >&2; exit 2; }
[[ $display =~ ^:[0-9]$ ]] || { printf '%s: --display wants :0 ... :9, not "%s"\n' "${0##*/}" "$display" >&2; exit 2; }
dnum=${display#:}

# --- tools and clip ---------------------------------------------------------

player=$(bench_player "$player" "$repo_root")
command -v ffmpeg >/dev/null 2>&1 || die "ffmpeg not found in PATH (apt-get install ffmpeg)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
if ((use_mpv)) && ! command -v mpv >/dev/null 2>&1; then
    printf '%s: mpv not found; leaving it out\n' "${0##*/}" >&2
    use_mpv=0
fi
if ((use_ffplay)) && ! command -v ffplay >/dev/null 2>&1; then
    printf '%s: ffplay not found; leaving it out\n' "${0##*/}" >&2
    use_ffplay=0
fi

if [[ -n $clip ]]; then
    clip=$(bench_user_clip "$clip")
else
    clip=$(bench_clip_set "$set_name")
fi
# Sound, where the clip has it, goes to a paced output that plays nothing: SDL's dummy driver.
has_sound=0
[[ -n $(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 "$clip" 2>/dev/null) ]] &&
    has_sound=1
cat -- "$clip" >/dev/null # page cache

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/framepipe-bench.XXXXXX")
xvfb_pid="" xvfb_started=0
cleanup() {
    if ((xvfb_started)) && [[ -n $xvfb_pid ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf -- "$tmpdir"
}
trap cleanup EXIT

# --- X server ---------------------------------------------------------------

lock=/tmp/.X$dnum-lock
sock=/tmp/.X11-unix/X$dnum
server_pid() {
    local pid
    [[ -r $lock ]] || return 1
    pid=$(tr -dc '0-9' <"$lock")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

if xvfb_pid=$(server_pid); then
    xvfb_note="already running (pid $xvfb_pid)"
else
    [[ -e $sock ]] && die "$sock exists but no live server owns $lock; pick another --display"
    command -v Xvfb >/dev/null 2>&1 || die "Xvfb not found (apt-get install xvfb)"
    Xvfb "$display" -noreset -screen 0 1920x1080x24 -nolisten tcp >"$tmpdir/xvfb.log" 2>&1 &
    xvfb_pid=$!
    xvfb_started=1
    for ((i = 0; i < 100; i++)); do
        [[ -S $sock ]] && break
        kill -0 "$xvfb_pid" 2>/dev/null || { cat "$tmpdir/xvfb.log" >&2; die "Xvfb $display did not start"; }
        sleep 0.1
    done
    [[ -S $sock ]] || die "Xvfb $display did not open $sock"
    xvfb_note="started by this script (pid $xvfb_pid)"
fi
screen="unknown size"
if command -v xdpyinfo >/dev/null 2>&1; then
    screen=$(DISPLAY=$display xdpyinfo 2>/dev/null | awk '/dimensions:/ && !n++ { print $2 }')
    depth=$(DISPLAY=$display xdpyinfo 2>/dev/null | awk '/depth of root window:/ && !n++ { print $5 }')
    [[ -n $screen ]] || die "cannot talk to the X server on $display"
    screen="${screen}x${depth:-?}"
    if [[ ${screen%x*} != 1920x1080 ]]; then
        printf '%s: WARNING: the screen of %s is %s, not 1920x1080: windows are sized differently\n' \
            "${0##*/}" "$display" "$screen" >&2
        printf '%s: for each player and the results are not comparable; try --display :6\n' "${0##*/}" >&2
    fi
fi
if ((!xvfb_started)); then
    printf '%s: note: the X server on %s was already running; its CPU time includes any other clients\n' \
        "${0##*/}" "$display" >&2
fi

hz=$(getconf CLK_TCK)
x_ticks() { awk '{ print $14 + $15 }' "/proc/$xvfb_pid/stat"; }

# --- one run ----------------------------------------------------------------

# run_one NAME: plays the clip once with player NAME; prints
# "CPU_PLAYER CPU_X DROPPED WALL PEAK_MIB DETAIL" (PEAK_MIB: the player's peak resident memory).
run_one() {
    local name=$1 err="$tmpdir/$1.err" tfile="$tmpdir/$1.time" x0 x1 status=0 dropped detail
    local -a envs=(env -u SDL_VIDEODRIVER -u SDL_RENDER_DRIVER -u SDL_FRAMEBUFFER_ACCELERATION
                   -u SDL_VIDEO_X11_NODIRECTCOLOR "DISPLAY=$display" SDL_AUDIODRIVER=dummy)
    local -a cmd sound=(-an)
    ((has_sound)) && sound=()
    # the comma and the ${...} in mpv's options are mpv's own syntax
    # shellcheck disable=SC2054,SC2016
    case $name in
        framepipe) cmd=("$player" --stats "$clip") ;;
        framepipe-opengl) envs+=(SDL_RENDER_DRIVER=opengl); cmd=("$player" --stats "$clip") ;;
        framepipe-hist16) cmd=("$player" --stats --step-history-mb 16 "$clip") ;;
        framepipe-t1) cmd=("$player" --stats --decoder-threads 1 "$clip") ;;
        framepipe-t1-hist16) cmd=("$player" --stats --decoder-threads 1 --step-history-mb 16 "$clip") ;;
        framepipe-osd) cmd=("$player" --stats --script "$tmpdir/osd.fpscript" "$clip") ;;
        framepipe-inspector) cmd=("$player" --stats --script "$tmpdir/inspector.fpscript" "$clip") ;;
        mpv-x11) cmd=(mpv --no-config --vo=x11 --ao=null --untimed=no
                      '--term-status-msg=mpv-dropped vo=${frame-drop-count} decoder=${decoder-frame-drop-count}'
                      --msg-level=all=no,statusline=status "$clip") ;;
        ffplay) cmd=(ffplay -autoexit "${sound[@]}" -loglevel error -stats "$clip") ;;
        ffplay-software) envs+=(SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0); cmd=(ffplay -autoexit "${sound[@]}" -loglevel error -stats "$clip") ;;
        ffmpeg-floor) cmd=(ffmpeg -nostdin -v error -re -i "$clip" -map 0:v:0 -pix_fmt bgr0 -f null -) ;;
        ffmpeg-floor-t1) cmd=(ffmpeg -nostdin -v error -threads 1 -re -i "$clip" -map 0:v:0 -pix_fmt bgr0 -f null -) ;;
        *) die "unknown player $name" ;;
    esac
    x0=$(x_ticks)
    /usr/bin/time -f '%e %U %S %M' -o "$tfile" "${envs[@]}" "${cmd[@]}" >/dev/null 2>"$err" </dev/null || status=$?
    x1=$(x_ticks)
    if ((status != 0)); then
        printf '%s: %s exited with status %d:\n' "${0##*/}" "$name" "$status" >&2
        tr '\r' '\n' <"$err" | tail -n 20 >&2
        exit 1
    fi
    case $name in
        framepipe*)
            detail=$(grep '^stats:' "$err" | tail -n 1 || true)
            dropped=$(sed -n 's/.*[[:space:]:]dropped=\([0-9][0-9]*\).*/\1/p' <<<"$detail")
            detail=$(grep -o 'displayed=[0-9]*\|render=[^ ]*\|av_drift_max_ms=[^ ]*' <<<"$detail" | tr '\n' ' ')
            ;;
        mpv*)
            detail=$(tr '\r' '\n' <"$err" | grep -o 'mpv-dropped vo=[0-9]* decoder=[0-9]*' | tail -n 1 || true)
            dropped=$(awk '{ split($2, a, "="); split($3, b, "="); if (a[2] != "") print a[2] + b[2] }' <<<"$detail")
            detail=${detail#mpv-dropped }
            ;;
        ffmpeg*)
            dropped=0 detail="nothing shown"
            ;;
        ffplay*)
            detail=$(tr '\r' '\n' <"$err" | grep -o 'fd= *[0-9]*' | tail -n 1 || true)
            dropped=$(tr -dc '0-9' <<<"$detail")
            detail="fd=$dropped (last status line)"
            ;;
    esac
    [[ -n $dropped ]] || { tr '\r' '\n' <"$err" | tail -n 5 >&2; die "no dropped-frame count from $name"; }
    awk -v t="$(tail -n 1 "$tfile")" -v x="$((x1 - x0))" -v hz="$hz" -v d="$dropped" -v det="$detail" 'BEGIN {
        split(t, a, " "); printf "%.2f %.2f %d %.2f %.1f %s\n", a[2] + a[3], x / hz, d, a[1], a[4] / 1024, det }'
}

# --- rounds -----------------------------------------------------------------

players=(framepipe)
((use_mpv)) && players+=(mpv-x11)
((use_ffplay)) && players+=(ffplay)
printf 'timeline\nshow-info\nshow-gop\n' >"$tmpdir/osd.fpscript"
printf 'show-inspector\n' >"$tmpdir/inspector.fpscript"
if ((osd)); then
    players+=(framepipe-osd)
fi
if ((inspector)); then
    players+=(framepipe-inspector)
fi
if ((variants)); then
    players+=(framepipe-opengl framepipe-hist16 framepipe-t1 framepipe-t1-hist16)
    ((use_ffplay)) && players+=(ffplay-software)
fi
if ((floor)); then
    players+=(ffmpeg-floor ffmpeg-floor-t1)
fi
np=${#players[@]}
declare -A cpu_p=() cpu_x=() cpu_t=() drop=() wall=() peak=()

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'X server %s on %s: %s; load average %s\n' "$screen" "$display" "$xvfb_note" "$load_start" >&2
for ((r = 0; r < rounds; r++)); do
    for ((j = 0; j < np; j++)); do
        name=${players[(j + r) % np]}
        res=$(run_one "$name")
        read -r cp cx d w m det <<<"$res"
        cpu_p[$name]+="$cp " cpu_x[$name]+="$cx " drop[$name]+="$d " wall[$name]+="$w " peak[$name]+="$m "
        cpu_t[$name]+="$(awk -v a="$cp" -v b="$cx" 'BEGIN { printf "%.2f", a + b }') "
        printf 'round %d/%d %-16s cpu=%ss x=%ss dropped=%s wall=%ss peak=%sMiB %s\n' $((r + 1)) \
            "$rounds" "$name" "$cp" "$cx" "$d" "$w" "$m" "$det" >&2
    done
done

# --- report -----------------------------------------------------------------

med() { read -ra v <<<"$1"; bench_median "${v[@]}"; }
range() { read -ra v <<<"$1"; printf '%s\n' "${v[@]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip" 2>/dev/null || echo "?")
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$clip" 2>/dev/null || echo "?")

label() {
    case $1 in
        framepipe) echo "framepipe" ;;
        framepipe-opengl) echo "framepipe (opengl)" ;;
        framepipe-hist16) echo "framepipe (hist 16MB)" ;;
        framepipe-t1) echo "framepipe (1 thread)" ;;
        framepipe-t1-hist16) echo "framepipe (1 th, 16MB)" ;;
        ffmpeg-floor) echo "floor: ffmpeg -re" ;;
        ffmpeg-floor-t1) echo "floor: ffmpeg -re, 1 th" ;;
        framepipe-osd) echo "framepipe (OSD shown)" ;;
        framepipe-inspector) echo "framepipe (inspector)" ;;
        mpv-x11) echo "mpv --vo=x11" ;;
        ffplay) echo "ffplay" ;;
        ffplay-software) echo "ffplay (sw, XShm)" ;;
    esac
}

echo
printf 'real-time playback: %s (%s frames, %.1f s), %d rounds\n' "$clip" "$frames" "$duration" "$rounds"
printf 'X server: Xvfb %s %s, %s\n' "$display" "$screen" "$xvfb_note"
bench_machine
printf 'load average (1/5/15 min): %s at the start, %s at the end\n' "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo
# history NAME: the step history's budget in MiB that player NAME runs with (0: it has none).
history() {
    case $1 in
        framepipe-hist16 | framepipe-t1-hist16) echo 16 ;;
        framepipe*) echo 256 ;;
        *) echo 0 ;;
    esac
}
printf '%-22s %12s %9s %12s %8s %11s %8s %9s %9s\n' "" "cpu player s" "cpu X s" "cpu total s" dropped \
    "dropped rng" "wall s" "peak MiB" "- history"
for name in "${players[@]}"; do
    printf '%-22s %12.2f %9.2f %12.2f %8s %11s %8.2f %9.1f %9.1f\n' "$(label "$name")" \
        "$(med "${cpu_p[$name]}")" "$(med "${cpu_x[$name]}")" "$(med "${cpu_t[$name]}")" \
        "$(med "${drop[$name]}")" "$(range "${drop[$name]}")" "$(med "${wall[$name]}")" \
        "$(med "${peak[$name]}")" "$(awk -v m="$(med "${peak[$name]}")" -v h="$(history "$name")" \
        'BEGIN { print m - h }')"
done
if ((use_mpv)); then
    awk -v fp="$(med "${cpu_p[framepipe]}")" -v fx="$(med "${cpu_x[framepipe]}")" -v ft="$(med "${cpu_t[framepipe]}")" \
        -v mp="$(med "${cpu_p[mpv-x11]}")" -v mx="$(med "${cpu_x[mpv-x11]}")" -v mt="$(med "${cpu_t[mpv-x11]}")" 'BEGIN {
        r = "%-22s %12.3f %9.3f %12.3f\n"
        printf r, "fp/mpv-x11", (mp > 0 ? fp / mp : 0), (mx > 0 ? fx / mx : 0), (mt > 0 ? ft / mt : 0) }'
    for name in "${players[@]}"; do
        [[ $name == framepipe* ]] || continue
        awk -v n="$(label "$name")" -v f="$(med "${peak[$name]}")" -v h="$(history "$name")" \
            -v m="$(med "${peak[mpv-x11]}")" 'BEGIN {
            printf "memory, %s: (%.1f - %d) / %.1f MiB = %.3f of mpv-x11\n", n, f, h, m, (m > 0 ? (f - h) / m : 0) }'
    done
    for name in "${players[@]}"; do
        [[ $name == framepipe-* || $name == ffmpeg* ]] || continue
        awk -v n="$(label "$name")" -v f="$(med "${cpu_t[$name]}")" -v m="$(med "${cpu_t[mpv-x11]}")" 'BEGIN {
            printf "cpu total, %s: %.2f / %.2f s = %.3f of mpv-x11\n", n, f, m, (m > 0 ? f / m : 0) }'
    done
fi
echo
echo "cpu player: user + system time of the player process (all threads, /usr/bin/time);"
echo "peak MiB: the player's peak resident memory (/usr/bin/time %M); - history: less the step"
echo "  history's budget (framepipe's --step-history-mb: 256 by default), which the user sets;"
echo "cpu X: user + system time the X server spent during the run (/proc/PID/stat);"
echo "dropped: framepipe --stats dropped=, mpv frame-drop-count + decoder-frame-drop-count,"
echo "  ffplay fd= (early + late drops) from its status line. Medians over the rounds."
if ((use_mpv)); then
    fp_drop=$(med "${drop[framepipe]}")
    verdict=$(awk -v d="$fp_drop" -v ft="$(med "${cpu_t[framepipe]}")" -v mt="$(med "${cpu_t[mpv-x11]}")" \
        'BEGIN { printf "%s (framepipe dropped %s, cpu total %.2f s vs %.2f s: ratio %.3f)",
                 (d == 0 && ft <= 0.60 * mt) ? "met" : "NOT met", d, ft, mt, (mt > 0 ? ft / mt : 0) }')
    echo
    echo "target: 0 frames dropped with CPU (player + X) at most 0.60 of mpv --vo=x11's: $verdict"
fi
