#!/usr/bin/env python3
"""Usage: check_loops.py FRAMEPIPE ASSETS_DIR REFS_DIR

Loops, headless, against ffmpeg's framemd5 (tests/ref):

  --ab-loop-a/-b/-count  unpaced, so that nothing can be dropped: the frames shown are the
                         first frames up to B, then the frames from A (the first at or after
                         it) up to B (the last before it) 100 times over, then the rest to the
                         end, each MD5 ffmpeg's; on inputs with B-frames, coarse time bases
                         and MPEG-TS, with A and B between frames.
  loop A B (script)      paced: every pass starts on A's frame and stays within A..B.
  --loop                 paced: the input plays again from frame 0, several times.
  a seek while playing   the clock restarts at the frame landed on: 0.6 s after 'seek 0.2'
                         the frame shown is near 0.8 s (not 0.6 s past where playback was).
"""
import os
import re
import subprocess
import sys
from fractions import Fraction

player, assets, refs = sys.argv[1:4]
failures = []


def fail(what):
    failures.append(what)


def ref_frames(media):
    """[(seconds from the first frame, md5)] in display order, from the framemd5 reference."""
    tb, rows = None, []
    with open(os.path.join(refs, media + ".framemd5")) as f:
        for line in f:
            m = re.match(r"#tb 0: (\d+)/(\d+)", line)
            if m:
                tb = Fraction(int(m.group(1)), int(m.group(2)))
            if line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split(",")]
            rows.append((int(cols[2]), cols[5]))
    first = rows[0][0]
    return [((pts - first) * tb, md5) for pts, md5 in rows]


def shown(args, script=None, timeout=120):
    run = subprocess.run([player, "--headless", "--framemd5"] + args,
                         input=script, capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0:
        fail(f"{' '.join(args)}: exit {run.returncode}: {run.stderr.strip()[-300:]}")
        return []
    return [l.split(",")[5].strip() for l in run.stdout.splitlines() if not l.startswith("#")]


def ab_loop(media, a, b, count):
    frames = ref_frames(media)
    a_f, b_f = Fraction(a), Fraction(b)
    head = [md5 for t, md5 in frames if t < b_f]
    loop = [md5 for t, md5 in frames if a_f <= t < b_f]
    tail = [md5 for t, md5 in frames if t >= b_f]
    want = head + loop * count + tail
    got = shown(["--ab-loop-a", a, "--ab-loop-b", b, "--ab-loop-count", str(count),
                 os.path.join(assets, media)])
    if got != want:
        at = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
        fail(f"{media} A={a} B={b} x{count}: {len(got)} frames shown, {len(want)} expected; "
             f"first difference at {at}")
    else:
        print(f"{media}: A-B loop {a}-{b} s, {len(loop)} frames, {count} times: {len(got)} "
              "frames, each ffmpeg's")


def index_of(frames, md5s):
    where = {md5: i for i, (_, md5) in enumerate(frames)}
    return [where.get(m, -1) for m in md5s]


ab_loop("h264_framenum_320x240_25fps.mp4", "0.03", "0.2", 100)
ab_loop("h264_bframes_aac_320x240_30fps.mp4", "1.01", "1.49", 100)
ab_loop("h264_tb8_160x120_8fps.mp4", "1.1", "2.3", 100)
ab_loop("mpeg2_mp2_framenum_320x240_25fps.ts", "0.5", "1.21", 100)
ab_loop("vp9_opus_320x240_30fps.webm", "0", "0.5", 50)

# The script's loop, paced: passes may drop a late frame, but each starts on A's frame.
media = "h264_framenum_320x240_25fps.mp4"
frames = ref_frames(media)
got = index_of(frames, shown(["--script", "-", os.path.join(assets, media)],
                             "loop 0.1 0.3\nwait 2\nquit\n"))
after = got[got.index(3):] if 3 in got else []
passes = [i for i in range(1, len(after)) if after[i] < after[i - 1]]
if len(passes) < 4 or any(after[i] != 3 for i in passes) or not all(3 <= n < 8 for n in after):
    fail(f"'loop 0.1 0.3' should go back to frame 3 after frame 7, again and again: {got}")
else:
    print(f"{media}: 'loop 0.1 0.3' went back to frame 3 {len(passes)} times in 2 s")

# --loop, paced: from the last frame back to the first.
media = "h264_framenum_320x240_25fps.mp4"  # 2.4 s
frames = ref_frames(media)
got = index_of(frames, shown(["--loop", "--script", "-", os.path.join(assets, media)],
                             "wait 5.4\nquit\n"))
backs = [i for i in range(1, len(got)) if got[i] < got[i - 1]]
if len(backs) < 2 or any(got[i] != 0 or got[i - 1] != len(frames) - 1 for i in backs):
    fail(f"--loop should play the {len(frames)} frames again and again: {got}")
else:
    print(f"{media}: --loop played it {len(backs) + 1} times")

# A seek while playing: the clock goes with it.
media = "h264_framenum_320x240_25fps.mp4"
run = subprocess.run([player, "--headless", "--script", "-", os.path.join(assets, media)],
                     input="wait 1.5\nseek 0.2\nwait 0.6\nmd5\nquit\n", capture_output=True,
                     text=True, timeout=60)
m = re.search(r" n=(\d+) ", run.stdout)
if not m or not 15 <= int(m.group(1)) <= 28:
    fail(f"0.6 s of play after 'seek 0.2' should show a frame near 0.8 s (n=20): {run.stdout}")
else:
    print(f"0.6 s of play after 'seek 0.2': frame {m.group(1)}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
