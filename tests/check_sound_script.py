#!/usr/bin/env python3
"""Usage: check_sound_script.py FRAMEPIPE ASSETS_DIR

Sound alone (sound_only_aac_2s.m4a: a 440 Hz tone with a louder beep at the start of each
second) in a plain window, driven by a script, with SDL's disk audio driver recording what the
device plays:

    wait 0.3, pause, wait 0.4, step, md5, info, headers, gop, pixel 1 1, loop 0.5 1,
    loop off, play, wait 0.3, seek 0, wait 0.3, seek +0.2, wait 0.2, quit

Pass: exit 0; each command about the picture ('step' to 'loop 0.5 1', 7 of them) is refused
with one line (there is no picture) and 'loop off' is not; the
recording holds a silence of at least 0.3 s (the pause), the beep twice (at the start and
after 'seek 0'), and about 1.1 s of sound in all, since the quit ends the file before its 2 s.
Headless, where the null sink consumes the sound at once, the script is not run: a warning
says so, and the run exits 0.
"""
import os
import struct
import subprocess
import sys
import tempfile

player, assets = sys.argv[1:3]
media = os.path.join(assets, "sound_only_aac_2s.m4a")
RATE = 48000
WINDOW = 480  # 10 ms
failed = 0


def fail(msg):
    global failed
    failed += 1
    print(f"FAIL: {msg}")


with tempfile.TemporaryDirectory() as work:
    script = os.path.join(work, "script")
    raw = os.path.join(work, "out.raw")
    with open(script, "w") as f:
        f.write("wait 0.3\npause\nwait 0.4\nstep\nmd5\ninfo\nheaders\ngop\npixel 1 1\n"
                "loop 0.5 1\nloop off\nplay\nwait 0.3\nseek 0\nwait 0.3\n"
                "seek +0.2\nwait 0.2\nquit\n")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="disk",
               SDL_DISKAUDIOFILE=raw)
    run = subprocess.run([player, "--script", script, media], env=env, timeout=60,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    refused = [l for l in run.stderr.splitlines()
               if l.startswith("cannot ") and l.endswith(": there is no picture")]
    if run.returncode != 0 or len(refused) != 7:
        fail(f"windowed: exit {run.returncode}, {len(refused)} refusals:\n{run.stderr}")
    else:
        with open(raw, "rb") as f:
            data = f.read()
        left = struct.unpack(f"<{len(data) // 2}h", data[: len(data) // 2 * 2])[0::2]
        levels = [max(abs(s) for s in left[i:i + WINDOW])
                  for i in range(0, len(left) - WINDOW + 1, WINDOW)]
        tone = sorted(levels)[len(levels) * 3 // 4]  # the tone's level, beeps aside
        sounding = sum(1 for l in levels if l > tone / 2) * WINDOW / RATE
        beeps, in_beep = 0, False
        for l in levels:
            if l > 2 * tone and not in_beep:
                beeps += 1
            in_beep = l > 2 * tone
        # The longest silence between the first and the last sound: the pause.
        loud = [i for i, l in enumerate(levels) if l > tone / 2]
        longest = max((b - a - 1 for a, b in zip(loud, loud[1:])), default=0) * WINDOW / RATE
        if not (0.95 <= sounding <= 1.3) or beeps != 2 or longest < 0.3:
            fail(f"windowed: {sounding:.2f} s of sound (want about 1.1), {beeps} beeps (want 2), "
                 f"longest silence {longest:.2f} s (want 0.3 or more)")
        else:
            print(f"ok   windowed: {sounding:.2f} s of sound, {beeps} beeps, a {longest:.2f} s "
                  f"pause; step and md5 refused")

    run = subprocess.run([player, "--headless", "--script", script, media], timeout=60,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = [l for l in run.stderr.splitlines() if l.startswith("framepipe:")]
    if run.returncode != 0 or len(lines) != 1 or "the script is not run" not in lines[0]:
        fail(f"headless: exit {run.returncode}:\n{run.stderr}")
    else:
        print(f"ok   headless: exit 0: {lines[0]}")

sys.exit(1 if failed else 0)
