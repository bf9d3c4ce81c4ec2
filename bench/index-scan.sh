#!/usr/bin/env bash
# How long frame numbers take on a long file: framepipe's frame index against
# ffprobe listing the same packets.
#
# usage: bench/index-scan.sh [--rounds N] [--player PATH] [--copies N] [--no-cold]
#
# The clip is the real-time benchmark's 10 s of 1080p60 H.264 copied N times
# end to end without re-encoding (-stream_loop, -c copy): by default 100 copies,
# 1.07 GB, 60,000 frames, 16 min 40 s. It is written as MP4 and as Matroska.
#
# framepipe: the time from starting 'framepipe --headless --script -' to the
# answer of 'frame 59999' (which waits for the index, then shows that frame).
# That is opening the input twice, reading all of it once on the index's thread,
# ordering the frames, and one exact seek.
# ffprobe: 'ffprobe -select_streams v:0 -show_entries packet=pts,dts,flags' of
# the same file, which reads every packet through the same parser and prints
# one line each.
#
# Each is timed with the file in the page cache (hot) and, when this script may
# write /proc/sys/vm/drop_caches (as root), after dropping the cache (cold),
# which reads the file from the disk.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd -- "$script_dir/.." && pwd -P)
# shellcheck source=bench/lib.sh
. "$script_dir/lib.sh"

rounds=3
player="$repo_root/build/framepipe"
copies=100
cold=1

usage() {
    cat <<EOF
usage: ${0##*/} [--rounds N] [--player PATH] [--copies N] [--no-cold]

Times how long framepipe takes to know every frame's number in a long MP4 and
Matroska file, against ffprobe listing the same packets, and prints medians and
ratios (framepipe / ffprobe).

  --rounds N     rounds, alternating which program goes first (default: $rounds)
  --player PATH  framepipe binary (default: $repo_root/build/framepipe)
  --copies N     copies of the 10 s 1080p60 clip end to end (default: $copies)
  --no-cold      time with the file in the page cache only
EOF
}

while [[ $# -gt 0 ]]; do
    case $1 in
    --rounds) bench_need_arg "$@"; rounds=$2; shift 2 ;;
    --player) bench_need_arg "$@"; player=$2; shift 2 ;;
    --copies) bench_need_arg "$@"; copies=$2; shift 2 ;;
    --no-cold) cold=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
player=$(bench_player "$player" "$repo_root")
command -v ffprobe >/dev/null 2>&1 || bench_die "ffprobe not found in PATH (apt-get install ffmpeg)"
if [[ $cold == 1 ]] && ! { sync && echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
    echo "cannot drop the page cache (not root?): timing hot only" >&2
    cold=0
fi

clip=$(bench_clip)
mp4=$(bench_cached_clip "testsrc2-1920x1080p60-x${copies}-copy.mp4" "$copies copies of the 1080p60 clip" \
    -stream_loop $((copies - 1)) -i "$clip" -c copy -f mp4)
mkv=$(bench_cached_clip "testsrc2-1920x1080p60-x${copies}-copy.mkv" "the same in Matroska" \
    -i "$mp4" -c copy -f matroska)

printf '%s\n' "$(bench_machine)"
for f in "$mp4" "$mkv"; do
    printf 'clip: %s (%s bytes)\n' "$f" "$(stat -c %s "$f")"
done

python3 - "$player" "$rounds" "$cold" "$mp4" "$mkv" <<'EOF'
import statistics, subprocess, sys, time

player, rounds, cold = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
files = sys.argv[4:]

def drop_cache():
    subprocess.run(["sync"], check=True)
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")

def frames(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                          "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout
    return int(out.strip())

def framepipe(path, last):
    start = time.monotonic()
    p = subprocess.Popen([player, "--headless", "--script", "-", path], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, bufsize=1)
    p.stdin.write(f"pause\nframe {last}\nmd5\n")
    p.stdin.flush()
    out = p.stdout.readline()
    took = time.monotonic() - start
    if f"n={last} " not in out:
        sys.exit(f"{path}: 'frame {last}' printed {out!r}")
    p.stdin.write("quit\n")
    p.stdin.close()
    if p.wait() != 0:
        sys.exit(f"{path}: framepipe exit {p.returncode}")
    return took

def ffprobe(path, last):
    start = time.monotonic()
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts,dts,flags", "-of", "csv", path],
                         check=True, capture_output=True, text=True).stdout
    took = time.monotonic() - start
    if out.count("\n") != last + 1:
        sys.exit(f"{path}: ffprobe listed {out.count(chr(10))} packets, not {last + 1}")
    return took

modes = ["hot", "cold"] if cold else ["hot"]
results = {}
for path in files:
    last = frames(path) - 1
    framepipe(path, last)  # warm the page cache, and check the answer once
    for r in range(rounds):
        runs = [("framepipe", framepipe), ("ffprobe", ffprobe)]
        if r % 2:
            runs.reverse()
        for mode in modes:
            for name, run in runs:
                if mode == "cold":
                    drop_cache()
                results.setdefault((path, mode, name), []).append(run(path, last))

print(f"\n{rounds} rounds; framepipe: start to the answer of 'frame <last>'; ffprobe: list every "
      "video packet")
print(f"{'file':<10} {'cache':<6} {'framepipe s':>12} {'ffprobe s':>10} {'ratio':>7}")
for path in files:
    kind = "MP4" if path.endswith(".mp4") else "Matroska"
    for mode in modes:
        a = statistics.median(results[(path, mode, "framepipe")])
        b = statistics.median(results[(path, mode, "ffprobe")])
        print(f"{kind:<10} {mode:<6} {a:12.3f} {b:10.3f} {a / b:7.2f}")
EOF
