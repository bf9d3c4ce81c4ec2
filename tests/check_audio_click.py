#!/usr/bin/env python3
"""Usage: check_audio_click.py FRAMEPIPE MEDIA

A pause must not click. The player runs MEDIA (a stereo 48 kHz tone) in a window with SDL's
disk audio driver, which writes what the device would play to a file in real time, and is
paused twice by a script. Sound cut off mid-wave, or started mid-wave, clicks; framepipe
ramps it down before a pause and up after it, over 256 samples. Pass: the output holds the
pauses (runs of at least 50 ms of silence), and within 64 samples of either edge of each the
sound stays under half its level in the 20 ms beyond (where a ramp reaches at most a quarter).
A tone cut off without a ramp is at its full level there: a 440 Hz wave lasts 109 samples.
"""
import os
import struct
import subprocess
import sys
import tempfile

player, media = sys.argv[1:3]
RATE = 48000
with tempfile.TemporaryDirectory() as work:
    script = os.path.join(work, "script")
    raw = os.path.join(work, "out.raw")
    with open(script, "w") as f:
        f.write("wait 0.5\npause\nwait 0.3\nplay\nwait 0.5\npause\nwait 0.2\nquit\n")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="disk",
               SDL_DISKAUDIOFILE=raw)
    run = subprocess.run([player, "--script", script, media], env=env, timeout=60,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        sys.exit(f"the player failed ({run.returncode}):\n{run.stderr}")
    with open(raw, "rb") as f:
        data = f.read()

samples = struct.unpack(f"<{len(data) // 2}h", data[: len(data) // 2 * 2])
loudest = max(abs(s) for s in samples)
if loudest < 1000:
    sys.exit(f"the device played no sound (loudest sample {loudest})")
EDGE = 64
left = samples[0::2]
silences, run_len, loud_edges = [], 0, []
for i, s in enumerate(left + (1,)):  # a last non-zero ends a final run
    if s == 0:
        run_len += 1
        continue
    if run_len >= RATE // 20:  # 50 ms of silence ends at i
        start = i - run_len
        if start > 0:  # not the device's silence before the first sound
            silences.append(start / RATE)
            level = lambda a, b: max((abs(x) for x in left[max(a, 0):max(b, 0)]), default=0)
            loud_edges.append((level(start - EDGE, start), level(start - EDGE - 960, start - EDGE),
                               start / RATE, "into"))
            if i < len(left):  # not the end of the run
                loud_edges.append((level(i, i + EDGE), level(i + EDGE, i + EDGE + 960), i / RATE,
                                   "out of"))
    run_len = 0
print(f"{len(left) / RATE:.2f} s played, loudest {loudest}, pauses heard at "
      + ", ".join(f"{t:.3f} s" for t in silences))
for edge, beyond, t, way in loud_edges:
    print(f"  {way} the pause at {t:.3f} s: {edge} at the edge, {beyond} beyond")
if len(silences) < 2:
    sys.exit("the pauses were not heard as silence")
if any(edge > beyond / 2 for edge, beyond, _, _ in loud_edges):
    sys.exit("a pause or resume clicks")
print("no click")
