#!/usr/bin/env bash
# Step and seek latency: framepipe (--headless --script -) against mpv (JSON IPC)
# on the 1080p60 H.264 clip.
#
# usage: bench/step-latency.sh [--rounds N] [--player PATH] [--clip PATH] [--no-mpv]
#                              [--back N] [--refills N] [--seeks N] [--steps N]
#                              [--refill-history-mb N] [--seed N]
#
# Measures, for each player, the time from sending a command until it has
# completed: back-steps inside framepipe's step history, back-steps that need
# a refill (seek to the keyframe and decode forward), exact seeks to random
# frames and forward steps. Every framepipe command is followed by 'md5' and
# timed until the md5 line arrives; the md5 proves that the right frame is on
# screen (checked against ffmpeg's framemd5 of the clip). mpv's commands are
# timed until 'playback-restart' (seeks, back-steps) or until time-pos changes
# (forward steps); its time-pos proves the frame.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$script_dir/lib.sh"

rounds=3
player="$repo_root/build/framepipe"
clip=""
use_mpv=1
n_back=30
n_refill=10
n_seek=12
n_step=30
n_md5=15
refill_mb=7
seed=1
save=""
mpv_opts=()

usage() {
    cat <<EOF
usage: ${0##*/} [options]

Times back-steps, exact seeks and forward steps in framepipe (driven through
'--headless --script -') and in mpv (driven through its JSON IPC), each until
the command has completed, on a 1080p60 H.264 clip, and checks that every
frame landed on is the exact one.

  --rounds N             rounds of (framepipe, mpv), alternating order (default: $rounds)
  --player PATH          framepipe binary (default: $repo_root/build/framepipe)
  --clip PATH            use this file instead of the generated test clip
  --no-mpv               measure framepipe only
  --mpv-opt OPT          pass OPT to mpv (repeatable), e.g. --mpv-opt=--hr-seek-framedrop=no
  --back N               consecutive back-steps inside the history (default: $n_back)
  --refills N            back-steps that need a refill (default: $n_refill)
  --seeks N              exact seeks to random frames (default: $n_seek)
  --steps N              forward steps (default: $n_step)
  --refill-history-mb N  framepipe's --step-history-mb for the refill test
                         (default: $refill_mb: two 1080p frames, so each back-step
                         refills; 0..4 leave framepipe on the same frame)
  --seed N               seed for the random seek targets (default: $seed)
  --save DIR             keep the plans and per-command timings in DIR
  -h, --help             show this help

The generated clip and ffmpeg's framemd5 of it are cached in
\${XDG_CACHE_HOME:-\$HOME/.cache}/framepipe-bench/.
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
        --no-mpv) use_mpv=0; shift ;;
        --mpv-opt) bench_need_arg "$@"; mpv_opts+=("$2"); shift 2 ;;
        --mpv-opt=*) mpv_opts+=("${1#*=}"); shift ;;
        --back) bench_need_arg "$@"; n_back=$2; shift 2 ;;
        --back=*) n_back=${1#*=}; shift ;;
        --refills) bench_need_arg "$@"; n_refill=$2; shift 2 ;;
        --refills=*) n_refill=${1#*=}; shift ;;
        --seeks) bench_need_arg "$@"; n_seek=$2; shift 2 ;;
        --seeks=*) n_seek=${1#*=}; shift ;;
        --steps) bench_need_arg "$@"; n_step=$2; shift 2 ;;
        --steps=*) n_step=${1#*=}; shift ;;
        --refill-history-mb) bench_need_arg "$@"; refill_mb=$2; shift 2 ;;
        --refill-history-mb=*) refill_mb=${1#*=}; shift ;;
        --seed) bench_need_arg "$@"; seed=$2; shift 2 ;;
        --seed=*) seed=${1#*=}; shift ;;
        --save) bench_need_arg "$@"; save=$2; shift 2 ;;
        --save=*) save=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) printf '%s: unknown argument: %s\n' "${0##*/}" "$1" >&2; usage >&2; exit 2 ;;
    esac
done

for v in rounds n_back n_refill n_seek n_step; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { printf '%s: %s wants a positive integer, not "%s"\n' "${0##*/}" "$v" "${!v}" >&2; exit 2; }
done
[[ $refill_mb =~ ^[0-9]+$ ]] || { printf '%s: --refill-history-mb wants an integer\n' "${0##*/}" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { printf '%s: --seed wants an integer\n' "${0##*/}" >&2; exit 2; }

# --- tools, clip, reference -------------------------------------------------

player=$(bench_player "$player" "$repo_root")
command -v ffmpeg >/dev/null 2>&1 || die "ffmpeg not found in PATH (apt-get install ffmpeg)"
command -v ffprobe >/dev/null 2>&1 || die "ffprobe not found in PATH (apt-get install ffmpeg)"
if ((use_mpv)); then
    if ! command -v mpv >/dev/null 2>&1; then
        printf '%s: mpv not found; measuring framepipe only\n' "${0##*/}" >&2
        use_mpv=0
    elif ! command -v python3 >/dev/null 2>&1; then
        printf '%s: python3 not found (needed for mpv IPC); measuring framepipe only\n' "${0##*/}" >&2
        use_mpv=0
    fi
fi

if [[ -n $clip ]]; then
    clip=$(bench_user_clip "$clip")
else
    clip=$(bench_clip)
fi
ref=$(bench_framemd5_ref "$clip")

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/framepipe-bench.XXXXXX")
cleanup() {
    if [[ -n ${FP_PID:-} ]]; then
        kill "$FP_PID" 2>/dev/null || true
    fi
    rm -rf -- "$tmpdir"
}
trap cleanup EXIT

# Frame k of the reference: its MD5 and its time from the first frame.
declare -A ref_index=()
frame_time=()
while read -r idx secs md5; do
    ref_index[$md5]=$idx
    frame_time[idx]=$secs
done < <(awk -F', *' '
    /^#tb 0: / { split($0, a, /[: \/]+/); num = a[3]; den = a[4] }
    /^#/ { next }
    # Times to the microsecond, rounded down: rounded to the nearest, 139/60 s is written as
    # 2.316667, after frame 139, and an exact seek to it rightly shows frame 140.
    $1 == 0 { if (n == 0) first = $3; t = ($3 - first) * num / den
              printf "%d %.6f %s\n", n, int(t * 1000000) / 1000000, $6; n++ }' "$ref")
nframes=${#frame_time[@]}
((nframes >= 4)) || die "the reference $ref lists only $nframes frames"

# Keyframes as frame numbers in presentation order.
keyframes=$(ffprobe -v error -select_streams v:0 -show_entries packet=pts,flags -of csv=p=0 "$clip" |
    sort -t, -k1,1n | awk -F, '$2 ~ /K/ { printf "%s%d", (c++ ? " " : ""), NR - 1 }')

# --- positions --------------------------------------------------------------
#
# (a) seek to frame a0 (5.0 s on the default clip), step forward to a_top, then
#     n_back back-steps from there: all inside the history, and on the default
#     clip frames 340 -> 310, inside the GOP 250-499.
# (b) from a_top, one untimed back-step, then n_refill timed back-steps, with a
#     history of two frames, so that each one refills.
# (c) n_seek exact seeks to random frames (fixed seed, same for both players).
# (d) seek to frame d0 (1.0 s), then n_step forward steps.

clampf() { local v=$1; ((v < 0)) && v=0; ((v > nframes - 1)) && v=$((nframes - 1)); printf '%d\n' "$v"; }
a0=$(clampf $((nframes / 2 < 300 ? nframes / 2 : 300)))
a_top=$(clampf $((a0 + n_back + 10)))
((a_top - n_back >= 0)) || die "the clip is too short for $n_back back-steps"
((a_top - 1 - n_refill >= 1)) || die "the clip is too short for $n_refill refills"
d0=$(clampf $((nframes / 10 < 60 ? nframes / 10 : 60)))
((d0 + n_step <= nframes - 1)) || die "the clip is too short for $n_step forward steps"

gop_of() { # the first keyframe at or before frame $1
    local k best=0
    for k in $keyframes; do ((k <= $1)) && best=$k; done
    printf '%d\n' "$best"
}
same_gop=no
[[ $(gop_of "$a_top") == "$(gop_of $((a_top - n_back)))" ]] && same_gop=yes

# plan line: PHASE CMD ARG EXPECT_SECONDS EXPECT_FRAME
pl() { printf '%s %s %s %s %s\n' "$1" "$2" "$3" "${frame_time[$4]}" "$4"; }

{
    pl - seek "${frame_time[d0 * 2]}" $((d0 * 2))   # warm-up
    printf -- '- sleep 0.3 - -\n'
    pl - md5 - $((d0 * 2))
    for ((i = 0; i < n_md5; i++)); do pl md5 md5 - $((d0 * 2)); done

    pl - seek "${frame_time[a0]}" "$a0"
    for ((k = a0 + 1; k <= a_top; k++)); do pl - step - "$k"; done
    printf -- '- sleep 0.3 - -\n'
    for ((k = a_top - 1; k >= a_top - n_back; k--)); do pl back_in back - "$k"; done

    pl - seek "${frame_time[d0]}" "$d0"
    printf -- '- sleep 0.3 - -\n'
    for ((k = d0 + 1; k <= d0 + n_step; k++)); do pl step step - "$k"; done

    RANDOM=$seed
    for ((i = 0; i < n_seek; i++)); do
        k=$(( (RANDOM * 32768 + RANDOM) % nframes ))
        printf -- '- sleep 0.3 - -\n'
        pl seek seek "${frame_time[k]}" "$k"
    done
} >"$tmpdir/plan-main"

{
    pl - seek "${frame_time[a_top]}" "$a_top"
    printf -- '- sleep 0.3 - -\n'
    pl - back - $((a_top - 1)) # may still come from the two frames the seek left in the history
    for ((k = a_top - 2; k >= a_top - 1 - n_refill; k--)); do pl back_out back - "$k"; done
} >"$tmpdir/plan-refill"

# --- framepipe driver -------------------------------------------------------

# fp_plan PLAN OUT [PLAYER OPTION...]: runs PLAN through one framepipe process;
# appends 'PHASE MICROSECONDS OK FRAME' lines for timed commands to OUT.
fp_plan() {
    local plan=$1 out=$2 phase cmd arg expect line md5 got ok t0 t1 input
    shift 2
    coproc FP { exec "$player" --headless --paused --script - "$@" "$clip" 2>"$tmpdir/fp.err"; }
    while read -r phase cmd arg _ expect; do
        case $cmd in
            sleep) sleep "$arg"; continue ;;
            seek) input=$'seek '"$arg"$'\nmd5\n' ;;
            step) input=$'step\nmd5\n' ;;
            back) input=$'back\nmd5\n' ;;
            md5) input=$'md5\n' ;;
            *) die "unknown plan command $cmd" ;;
        esac
        t0=${EPOCHREALTIME/[.,]/}
        printf '%s' "$input" >&"${FP[1]}"
        if ! read -r -t 60 line <&"${FP[0]}"; then
            tail -n 20 "$tmpdir/fp.err" >&2 || true
            die "framepipe gave no md5 line within 60 s after: ${input%%$'\n'*}"
        fi
        t1=${EPOCHREALTIME/[.,]/}
        md5=${line##*md5=}
        got=${ref_index[$md5]:--1}
        ok=0
        [[ $got == "$expect" ]] && ok=1
        if [[ $phase != - ]]; then
            printf '%s %d %d %d\n' "$phase" $((t1 - t0)) "$ok" "$got" >>"$out"
        elif ((!ok)); then
            printf '%s: warning: framepipe %s %s landed on frame %s, not %s\n' "${0##*/}" "$cmd" "$arg" "$got" "$expect" >&2
        fi
    done <"$plan"
    printf 'quit\n' >&"${FP[1]}"
    local status=0
    wait "$FP_PID" || status=$?
    FP_PID=
    if ((status != 0)); then
        tail -n 20 "$tmpdir/fp.err" >&2 || true
        die "framepipe exited with status $status"
    fi
}

mpv_plan() {
    local plan=$1 out=$2
    python3 "$script_dir/mpv-plan.py" "$plan" "$clip" ${mpv_opts[@]+"${mpv_opts[@]}"} >>"$out" ||
        die "the mpv run failed"
}

# --- rounds -----------------------------------------------------------------

fp_out="$tmpdir/fp.results" mpv_out="$tmpdir/mpv.results"
: >"$fp_out"
: >"$mpv_out"

phase_summary() { # FILE PHASE -> "median_ms n_ok/n"
    awk -v ph="$2" '$1 == ph { print $2 / 1000 }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
        if (!NR) { print "- 0/0"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'
    printf ' %s\n' "$(awk -v ph="$2" '$1 == ph { n++; ok += $3 } END { printf "%d/%d", ok, n }' "$1")"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'clip: %s, %d frames, keyframes at %s; load average %s\n' "$clip" "$nframes" "$keyframes" "$load_start" >&2
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order=(fp mpv); else order=(mpv fp); fi
    for who in "${order[@]}"; do
        if [[ $who == fp ]]; then
            fp_plan "$tmpdir/plan-main" "$fp_out.$r"
            fp_plan "$tmpdir/plan-refill" "$fp_out.$r" --step-history-mb "$refill_mb"
            cat "$fp_out.$r" >>"$fp_out"
            f=$fp_out.$r name=framepipe
        else
            ((use_mpv)) || continue
            mpv_plan "$tmpdir/plan-main" "$mpv_out.$r"
            mpv_plan "$tmpdir/plan-refill" "$mpv_out.$r"
            cat "$mpv_out.$r" >>"$mpv_out"
            f=$mpv_out.$r name=mpv
        fi
        printf 'round %d/%d %-9s' "$r" "$rounds" "$name" >&2
        for ph in back_in back_out seek step; do
            read -r m e < <(phase_summary "$f" "$ph")
            printf ' %s=%sms(%s)' "$ph" "$m" "$e" >&2
        done
        printf ' back_in_total=%sms\n' "$(awk '$1 == "back_in" { s += $2 } END { printf "%.0f", s / 1000 }' "$f")" >&2
    done
done

if [[ -n $save ]]; then
    mkdir -p -- "$save" && cp -- "$tmpdir"/plan-* "$tmpdir"/*.results* "$save"/ ||
        printf '%s: could not save the timings to %s\n' "${0##*/}" "$save" >&2
fi

# --- report -----------------------------------------------------------------

totals() { # FILE -> per-round totals of back_in in ms
    local r
    for ((r = 1; r <= rounds; r++)); do
        [[ -s $1.$r ]] && awk '$1 == "back_in" { s += $2 } END { printf "%.1f\n", s / 1000 }' "$1.$r"
    done
}

read -r fp_bi fp_bi_ok < <(phase_summary "$fp_out" back_in)
read -r fp_bo fp_bo_ok < <(phase_summary "$fp_out" back_out)
read -r fp_sk fp_sk_ok < <(phase_summary "$fp_out" seek)
read -r fp_st fp_st_ok < <(phase_summary "$fp_out" step)
read -r fp_md _ < <(phase_summary "$fp_out" md5)
mapfile -t fp_tot < <(totals "$fp_out")
fp_tot_med=$(bench_median "${fp_tot[@]}")
fp_tot_max=$(printf '%s\n' "${fp_tot[@]}" | sort -g | tail -n 1)
if ((use_mpv)); then
    read -r mp_bi mp_bi_ok < <(phase_summary "$mpv_out" back_in)
    read -r mp_bo mp_bo_ok < <(phase_summary "$mpv_out" back_out)
    read -r mp_sk mp_sk_ok < <(phase_summary "$mpv_out" seek)
    read -r mp_st mp_st_ok < <(phase_summary "$mpv_out" step)
    mapfile -t mp_tot < <(totals "$mpv_out")
    mp_tot_med=$(bench_median "${mp_tot[@]}")
    mpv_version=$(mpv --no-config --version 2>/dev/null | awk 'NR == 1 { print $2 }')
else
    mp_bi=- mp_bi_ok=- mp_bo=- mp_bo_ok=- mp_sk=- mp_sk_ok=- mp_st=- mp_st_ok=- mp_tot_med=-
    mpv_version="not measured"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "-" || a == "-" || b + 0 <= 0) print "-"; else printf "%.3f\n", a / b }'; }

echo
printf 'step latency: %s (%d frames, keyframes at frames %s), %d alternating rounds\n' \
    "$clip" "$nframes" "$keyframes" "$rounds"
bench_machine
printf 'load average (1/5/15 min): %s at the start, %s at the end\n' "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'players: framepipe %s --headless --paused --script - (each command followed by md5)\n' "$player"
mpv_extra=""
((${#mpv_opts[@]} == 0)) || mpv_extra=$(printf ' %s' "${mpv_opts[@]}")
printf '         mpv %s --no-config --pause --vo=null --ao=null%s (JSON IPC)\n' "$mpv_version" "$mpv_extra"
echo
printf '%-44s %10s %10s %8s %10s %10s\n' "" framepipe mpv fp/mpv "fp exact" "mpv exact"
row() { printf '%-44s %10s %10s %8s %10s %10s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4" "$5"; }
row "(a) back-step in history, median ms" "$fp_bi" "$mp_bi" "$fp_bi_ok" "$mp_bi_ok"
row "(a) $n_back back-steps $a_top->$((a_top - n_back)), total ms" "$fp_tot_med" "$mp_tot_med" "" ""
row "(b) back-step needing a refill, median ms" "$fp_bo" "$mp_bo" "$fp_bo_ok" "$mp_bo_ok"
row "(c) exact seek, random frame, median ms" "$fp_sk" "$mp_sk" "$fp_sk_ok" "$mp_sk_ok"
row "(d) forward step, median ms" "$fp_st" "$mp_st" "$fp_st_ok" "$mp_st_ok"
printf '%-44s %10s\n' "md5 alone (second of two), median ms" "$fp_md"
echo
echo "framepipe: time from writing 'CMD\\nmd5\\n' to its script until the md5 line arrives;"
echo "  every figure includes one md5 (the 'md5 alone' row), nothing is subtracted."
echo "mpv: time from sending the command until 'playback-restart' (seek, back-step) or"
echo "  until time-pos changes (forward step). (b) for framepipe uses --step-history-mb $refill_mb;"
echo "  mpv keeps no decoded frames, so its back-steps always decode from the keyframe."
echo "exact: frames landed on as the reference (framepipe: md5 = ffmpeg framemd5; mpv: time-pos)."
echo "fp/mpv < 1: framepipe is faster. Medians over all rounds; the total is the median of the"
echo "  per-round totals."
echo
verdict="met"
all_ok=$(awk '$1 == "back_in" && !$3 { bad++ } END { print bad ? 0 : 1 }' "$fp_out")
awk -v t="$fp_tot_max" 'BEGIN { exit !(t <= 1000) }' || verdict="NOT met"
((all_ok)) || verdict="NOT met"
[[ $same_gop == yes ]] || verdict="$verdict (note: frames $a_top->$((a_top - n_back)) span more than one GOP)"
printf 'target: %d back-steps inside one GOP in <= 1000 ms in all, each exact: %s\n' "$n_back" "$verdict"
printf '  framepipe totals per round: %s ms (worst %s ms); exact %s\n' "${fp_tot[*]}" "$fp_tot_max" "$fp_bi_ok"
