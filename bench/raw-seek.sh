#!/usr/bin/env bash
# Seeking in a raw H.264 stream against the MP4 it came from.
#
# usage: bench/raw-seek.sh [--rounds N] [--player PATH] [--minutes N]
#
# A raw .h264 file has no timestamps and no index: libavformat cannot seek it by
# time. framepipe's frame index finds its IDR pictures' byte positions, and a
# seek reads from the one before the target. This script makes an N-minute
# 640x360 H.264 clip in MP4 (GOP 250, B-frames), copies its stream out as Annex B
# (h264_mp4toannexb, no re-encoding), and times exact seeks near the end, in the
# middle and back near the start in both, each until its frame's md5 line
# arrives. Both files must land on the same frames (same MD5s and frame
# numbers). 'frame 0' first waits for the frame index; its time is reported
# apart (the index of the raw stream is built by reading the whole file).
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$script_dir/lib.sh"

rounds=5
player="$repo_root/build/framepipe"
minutes=5

usage() {
    cat <<EOF
usage: ${0##*/} [--rounds N] [--player PATH] [--minutes N]

Times exact seeks in a raw H.264 stream and in the MP4 it came from, with
framepipe, and prints the medians and their ratio (raw / MP4).

  --rounds N     rounds, alternating which file goes first (default: $rounds)
  --player PATH  framepipe binary (default: $repo_root/build/framepipe)
  --minutes N    length of the clip (default: $minutes)
EOF
}

while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) bench_need_arg "$@"; rounds=$2; shift 2 ;;
    --player) bench_need_arg "$@"; player=$2; shift 2 ;;
    --minutes) bench_need_arg "$@"; minutes=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
[[ -x $player ]] || bench_die "$player is not built (cmake --build build)"

seconds=$((minutes * 60))
mp4=$(bench_cached_clip "testsrc2-640x360p25-${minutes}min-x264-g250.mp4" \
    "$minutes minutes of 640x360 H.264" \
    -f lavfi -i "testsrc2=s=640x360:r=25:d=$seconds" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 250 -bf 3 -an -f mp4)
raw="${mp4%.mp4}.h264"
if [[ ! -s $raw ]]; then
    ffmpeg -nostdin -hide_banner -loglevel error -y -i "$mp4" -map 0:v:0 -c copy \
        -bsf:v h264_mp4toannexb -f h264 "$raw.part.$$" || bench_die "could not copy out $raw"
    mv -f -- "$raw.part.$$" "$raw"
fi

# Targets between frames and far from keyframes (every 10 s): near the end, the middle, near
# the start, near the end again.
targets="$(awk -v s="$seconds" 'BEGIN { printf "%.3f %.3f %.3f %.3f", s - 5.01, s / 2 + 4.013, 7.021, s - 1.007 }')"

printf 'machine: %s, %s cores, load %s\n' "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'clip: %s (%s minutes; raw copy %s bytes)\n' "$mp4" "$minutes" "$(stat -c %s "$raw")"

python3 - "$player" "$mp4" "$raw" "$rounds" $targets <<'EOF'
import statistics, subprocess, sys, time

player, mp4, raw, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
targets = sys.argv[5:]

def run(path):
    """Seconds for the index ('frame 0') and for each seek, and the md5 lines."""
    p = subprocess.Popen([player, "--headless", "--script", "-", path], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, bufsize=1)
    def command(line):
        start = time.monotonic()
        p.stdin.write(line + "\nmd5\n")
        p.stdin.flush()
        out = p.stdout.readline()
        if not out.startswith("frame "):
            sys.exit(f"{path}: '{line}' printed {out!r}")
        return time.monotonic() - start, out.split(" ", 1)[1].strip()
    p.stdin.write("pause\n")
    index, _ = command("frame 0")
    seeks, lines = [], []
    for t in targets:
        took, line = command(f"seek {t}")
        seeks.append(took)
        lines.append(line.split(" ", 2)[2])  # n=... md5=...: the same frame in both files
    p.stdin.write("quit\n")
    p.stdin.close()
    if p.wait() != 0:
        sys.exit(f"{path}: exit {p.returncode}")
    return index, seeks, lines

times = {mp4: [], raw: []}
index = {mp4: [], raw: []}
for r in range(rounds):
    order = (mp4, raw) if r % 2 == 0 else (raw, mp4)
    got = {}
    for path in order:
        i, s, lines = run(path)
        index[path].append(i)
        times[path].append(s)
        got[path] = lines
    if got[mp4] != got[raw]:
        sys.exit(f"round {r + 1}: the raw stream landed elsewhere:\n  mp4 {got[mp4]}\n  raw {got[raw]}")

print(f"{rounds} rounds, seeks to {', '.join(targets)} s; every landing the same frame in both")
print(f"{'seek to':>10} {'MP4 ms':>9} {'raw ms':>9} {'raw / MP4':>10}")
for k, t in enumerate(targets):
    a = statistics.median(x[k] for x in times[mp4]) * 1e3
    b = statistics.median(x[k] for x in times[raw]) * 1e3
    print(f"{t:>10} {a:9.1f} {b:9.1f} {b / a:10.2f}")
a = statistics.median(x for s in times[mp4] for x in s) * 1e3
b = statistics.median(x for s in times[raw] for x in s) * 1e3
print(f"{'all':>10} {a:9.1f} {b:9.1f} {b / a:10.2f}")
print(f"index ready ('frame 0'), median: MP4 {statistics.median(index[mp4]) * 1e3:.0f} ms, "
      f"raw {statistics.median(index[raw]) * 1e3:.0f} ms")
EOF
