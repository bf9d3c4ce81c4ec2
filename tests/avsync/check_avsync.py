#!/usr/bin/env python3
"""Usage: check_avsync.py FRAMEPIPE AVWATCH SHIM MEDIA

A/V sync measured from outside the player, without trusting its own figure (--stats'
av_drift_max_ms). MEDIA (assets/avsync_flash_beep_160x120_25fps_8s.mkv) is black and silent
but for 20 white flashes and 1 kHz beeps that start together, 80 ms each, at irregular
intervals (FLASH_FRAMES): no shift of one against the other lines up more than two of them.

Each run plays MEDIA in a real X11 window (a private Xvfb server) with SDL's disk audio driver,
which writes what the player hands to the device into a file a device buffer at a time, and
sleeps a buffer's time between two. SHIM is preloaded so that the file is written unbuffered:
each device buffer reaches it at once (see unbuffered_shim.c). AVWATCH polls, every
millisecond, the pixel in the middle of the screen, where SDL centres the window (XGetImage,
1x1), and the file's size, and prints the CLOCK_MONOTONIC time of each dark to bright change
and of each growth. The harness follows its output, and sends on standard input (--script -)
four exact seeks, each just after a flash, then quits.

The device format is the one audio_device.c asks for, which SDL's disk driver takes as it is:
signed 16-bit native-endian, the file's rate and channels (at most 2), 48 kHz stereo here.
Each run checks it: the file grows 4096 bytes (1024 samples) at a time, and the gaps between
beeps are the clip's at 4 bytes a sample and 48 kHz. A beep's onset is its first sample above
1/16 of full scale after 100 ms of silence. It is heard one device buffer (21.3 ms) after the
buffer holding it reached the file, plus its place in that buffer. The driver takes a buffer
as the one before it would start playing, so a device that plays them without a gap holds one
while it plays the other: double buffering, as SDL's ALSA backend asks for, and the latency
that ffplay's audio clock and framepipe's assume. (Taken as heard the moment it reaches the
file, every offset would be 21.3 ms larger.) The raw figure printed beside each offset is
from the moment the onset's buffer reached the file, with no model at all.

Each flash is paired with the nearest beep (within 150 ms, each used once); its offset is
flash seen - beep heard (positive: the picture late). A run passes when:
  - every offset is within BOUND_MS (20 ms): at the start and after each seek;
  - at least 4 pairs at the start and 2 after each seek were judged. A pair whose flash or
    beep was seen more than UNCERTAIN_MS (4 ms) after the poll before is listed, not judged:
    the watch was held up, so its time is not known;
  - every flash has its beep and every beep its flash, except next to a seek, which may cut
    one off, and where the watch was held up for longer than a flash lasts;
  - the player's own figure agrees. At each flash, its drift (--loglevel trace prints
    'drift: frame F audio A' for every frame shown, with its audio clock; A - F) is within
    AGREE_MS (5 ms), plus the pair's two poll gaps, of the offset measured here. Both are
    "picture shown minus its sound heard": the player reads its audio clock, in whole
    milliseconds, just after the frame was presented (SDL's X11 framebuffer waits for the
    server); here the flash is seen within a poll of reaching the server, and the sound
    from the file's growth. --stats' av_drift_max_ms, over every frame and not only the
    flashes, is printed beside the worst offset.
The machine is shared and noisy: the test passes when NEED (4) of RUNS (5) runs pass, and
stops as soon as that is decided. A run whose only fault is too few judged pairs (the watch
was held up too often to time them) proves nothing either way: it is inconclusive, and up to
EXTRA_RUNS (3) more runs take the place of such runs. FP_AVSYNC_ALL=1 runs all of them;
FP_AVSYNC_KEEP=DIR keeps each run's files in DIR, and FP_AVSYNC_REPLAY=DIR analyses those
again without playing.
"""
import difflib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

player, avwatch, shim, media = sys.argv[1:5]
RUNS = int(os.environ.get("FP_AVSYNC_RUNS", "5"))
NEED = int(os.environ.get("FP_AVSYNC_NEED", "4"))
RUN_ALL = os.environ.get("FP_AVSYNC_ALL") == "1"
EXTRA_RUNS = 3
BOUND_MS = 20.0
AGREE_MS = 5.0
UNCERTAIN_MS = 4.0
PAIR_WINDOW = 0.150

# The clip (assets/make-assets.sh): 25 fps, each flash two frames, each beep as long.
FPS = 25
FLASH_FRAMES = [5, 12, 23, 28, 37, 50, 56, 66, 81, 89, 101, 106, 120, 127, 137, 143, 154, 170,
                178, 187]
FLASH_TIMES = [n / FPS for n in FLASH_FRAMES]
RATE, CHANNELS, BLOCK_SAMPLES = 48000, 2, 1024
BYTES_PER_SAMPLE = CHANNELS * 2
BYTES_PER_SECOND = RATE * BYTES_PER_SAMPLE
BLOCK = BLOCK_SAMPLES * CHANNELS * 2
ONSET_LEVEL = 32768 // 16
ONSET_SILENCE = RATE // 10

# What the harness sends, each once avwatch has seen so many flashes since the last command
# (or after FLASH_WAIT seconds without them): always just after a flash, before 320 ms or more
# of black, so that no flash from before a seek can come after it. Each seek lands 120 ms
# before a flash. The start shows 7 flashes (0.2 s to 2.24 s); then 4, 3, 4 and 3.
SCREEN_W, SCREEN_H = 640, 480
PLAN = [(7, "seek 4.96"), (4, "seek 0.8"), (3, "seek 3.12"), (4, "seek 6.68"), (3, "quit")]
FLASH_WAIT = 4.0
MIN_PAIRS = {"start": 4}
MIN_PAIRS_AFTER_SEEK = 2

for tool in ("Xvfb", "xdotool"):
    if not shutil.which(tool):
        sys.exit(f"missing {tool} (third_party/install-deps.sh installs it)")


def start_x():
    """A private X server with a black root window; returns it and its DISPLAY."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-screen", "0",
                               f"{SCREEN_W}x{SCREEN_H}x24", "-br", "-nolisten", "tcp"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        number = f.readline().strip()
    if not number:
        server.kill()
        sys.exit("Xvfb did not start")
    return server, ":" + number


def find_window(pid, env, until):
    """The player's visible window and its geometry (x, y, w, h), or None."""
    while time.monotonic() < until:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                               env=env, capture_output=True, text=True).stdout.split()
        if found:
            shell = subprocess.run(["xdotool", "getwindowgeometry", "--shell", found[0]],
                                   env=env, capture_output=True, text=True).stdout
            g = dict(line.split("=", 1) for line in shell.split() if "=" in line)
            if {"X", "Y", "WIDTH", "HEIGHT"} <= g.keys():
                return tuple(int(g[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
        time.sleep(0.05)
    return None


class Follower:
    """Reads avwatch's output as it is written."""

    def __init__(self, path):
        self.file = open(path)
        self.partial = ""

    def flashes(self):
        """How many new flashes avwatch printed since the last call."""
        self.partial += self.file.read()
        lines = self.partial.split("\n")
        self.partial = lines.pop()
        return sum(line.startswith("bright ") for line in lines)

    def wait(self, count, until, proc):
        """Waits for count more flashes, until that time or while proc runs."""
        seen = 0
        while seen < count and time.monotonic() < until and proc.poll() is None:
            seen += self.flashes()
            time.sleep(0.002)


def play(work, run, display):
    """One run: returns (commands [(time, text)], watch lines, raw samples, player stderr,
    window geometry or None, exit status, avwatch's summary)."""
    raw = os.path.join(work, f"run{run}.raw")
    watch_path = os.path.join(work, f"run{run}.watch")
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="disk",
               SDL_DISKAUDIOFILE=raw, LD_PRELOAD=shim)
    watch_env = dict(os.environ, DISPLAY=display)
    watch_out = open(watch_path, "w")
    watch_err = open(os.path.join(work, f"run{run}.watch_err"), "w+")
    err = open(os.path.join(work, f"run{run}.err"), "w+")
    # The watch starts first, on the root window's middle, where SDL centres the window.
    watcher = subprocess.Popen([avwatch, "root", str(SCREEN_W // 2), str(SCREEN_H // 2), raw],
                               env=watch_env, stdout=watch_out, stderr=watch_err)
    time.sleep(0.2)
    start = time.monotonic()
    proc = subprocess.Popen([player, "--stats", "--loglevel", "trace", "--script", "-", media],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=err, text=True)
    follow = Follower(watch_path)
    geometry = find_window(proc.pid, watch_env, start + 10)
    commands = [(start, "start")]
    for count, command in PLAN:
        # The start may take seconds on a loaded machine; a missed flash, no more than the wait.
        follow.wait(count, time.monotonic() + (10 if len(commands) == 1 else FLASH_WAIT), proc)
        if command == "quit":
            time.sleep(0.3)  # the last beep's device buffers reach the file
        commands.append((time.monotonic(), command))
        try:
            proc.stdin.write(command + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            break
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    try:
        status = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = "killed after 20 s"
    watcher.send_signal(signal.SIGTERM)
    watcher.wait(timeout=10)
    follow.file.close()
    watch_out.close()
    with open(watch_path) as f:
        watch = f.read().splitlines()
    with open(raw, "rb") as f:
        data = f.read()
    for f in (err, watch_err):
        f.seek(0)
    result = (commands, watch, data, err.read(), geometry, status, watch_err.read().strip())
    err.close()
    watch_err.close()
    with open(os.path.join(work, f"run{run}.json"), "w") as f:
        json.dump({"commands": commands, "geometry": geometry, "status": status,
                   "watch_note": result[6]}, f)
    return result


def replay(work, run):
    """A kept run (FP_AVSYNC_KEEP), read back for analyse()."""
    def text(name):
        with open(os.path.join(work, f"run{run}.{name}")) as f:
            return f.read()
    saved = json.loads(text("json"))
    with open(os.path.join(work, f"run{run}.raw"), "rb") as f:
        data = f.read()
    return ([tuple(c) for c in saved["commands"]], text("watch").splitlines(), data, text("err"),
            saved["geometry"], saved["status"], saved["watch_note"])


def beep_onsets(data):
    """Byte offsets in the file of each beep's first sample (left channel)."""
    frames = len(data) // (2 * CHANNELS)
    left = struct.unpack(f"{'<' if sys.byteorder == 'little' else '>'}{frames * CHANNELS}h",
                         data[:frames * CHANNELS * 2])[0::CHANNELS]
    onsets, quiet = [], ONSET_SILENCE
    for i, s in enumerate(left):
        if abs(s) > ONSET_LEVEL:
            if quiet >= ONSET_SILENCE:
                onsets.append(i * 2 * CHANNELS)
            quiet = 0
        else:
            quiet += 1
    return onsets


def analyse(run, commands, watch, data, stderr, geometry, status, watch_note):
    """Prints the run's pairs; returns ("pass", "fail" or "inconclusive", worst |offset| ms or
    None, the player's max)."""
    problems = []
    too_few = []  # segments with too few judged pairs: not a fault of the player's
    flashes, sizes, stalls = [], [], []
    for line in watch:
        f = line.split()
        if f[0] == "bright":
            flashes.append((float(f[1]), float(f[2])))
        elif f[0] == "stall":
            stalls.append((float(f[1]) - float(f[2]), float(f[1])))
        elif f[0] == "size":
            sizes.append((float(f[1]), float(f[2]), int(f[3])))
    if status != 0:
        problems.append(f"the player exited with {status}")
    if geometry is None:
        problems.append("no window was found")
    else:
        x, y, w, h = geometry
        if not (x <= SCREEN_W // 2 < x + w and y <= SCREEN_H // 2 < y + h):
            problems.append(f"the window {w}x{h}+{x}+{y} does not cover the watched pixel")

    # The device format. The file grows a device buffer at a time, and between two beeps
    # that played on without a seek lie the clip's samples between them: at least three such
    # gaps, within 2 %, at 48 kHz stereo S16 (4 bytes a sample). 44.1 kHz would be 8 % off,
    # mono half. (Within 2 %, not exact: a player that skips sound to catch up with its
    # picture must still be measured.)
    onsets = beep_onsets(data)
    steps = [b[2] - a[2] for a, b in zip(sizes, sizes[1:])]
    block = max(set(steps), key=steps.count) if steps else None
    gaps = [round((b - a) * RATE) for a, b in zip(FLASH_TIMES, FLASH_TIMES[1:])]
    matching = sum(any(abs((b - a) / BYTES_PER_SAMPLE - g) <= 0.02 * g for g in gaps)
                   for a, b in zip(onsets, onsets[1:]))
    if block != BLOCK or matching < 3:
        problems.append(f"the audio file grows {block} bytes at a time, and {matching} gaps "
                        f"between beeps are the clip's: not {BLOCK} and 48 kHz stereo S16")
    if sizes:
        elapsed = sizes[-1][0] - sizes[0][0]
        speed = f"the device took {(sizes[-1][2] - sizes[0][2]) / BYTES_PER_SECOND:.2f} s " \
            f"of sound in {elapsed:.2f} s"
    else:
        speed = "the device took no sound"

    # When each onset's buffer reached the file, and when it is heard.
    beeps = []  # (heard, reached file, uncertainty)
    for b in onsets:
        growth = next((g for g in sizes if g[2] > b), None)
        if growth is None:
            continue
        t, gap, size = growth
        block_start = b // BLOCK * BLOCK
        # A growth of more than one buffer (the watch was held up): the earlier ones came
        # within its gap, a buffer's time apart.
        later_blocks = (size - block_start) // BLOCK - 1
        reached = t - later_blocks * BLOCK / BYTES_PER_SECOND
        heard = reached + BLOCK / BYTES_PER_SECOND + (b - block_start) / BYTES_PER_SECOND
        beeps.append((heard, reached, gap))

    # Pairs: nearest first, each flash and beep used once.
    candidates = sorted((abs(f[0] - b[0]), i, j) for i, f in enumerate(flashes)
                        for j, b in enumerate(beeps) if abs(f[0] - b[0]) < PAIR_WINDOW)
    flash_pair, beep_pair = {}, {}
    for _, i, j in candidates:
        if i not in flash_pair and j not in beep_pair:
            flash_pair[i], beep_pair[j] = j, i

    def segment(t):
        """The command (the start or a seek) whose stretch of playing t is in."""
        return max(k for k, (at, c) in enumerate(commands)
                   if k == 0 or (at <= t and c.startswith("seek")))

    def near_seek(t):
        return any(at - 0.05 <= t <= at + 0.2 for at, c in commands if c.startswith("seek"))

    for i, f in enumerate(flashes):
        if i not in flash_pair and not near_seek(f[0]):
            problems.append(f"a flash at {f[0] - commands[0][0]:.3f} s has no beep")
    unseen = 0
    for j, b in enumerate(beeps):
        if j not in beep_pair and not near_seek(b[0]):
            # Its flash, within the bound, may have come and gone while the watch was held up.
            if any(a < b[0] + BOUND_MS / 1000 + 0.08 and z > b[0] - BOUND_MS / 1000
                   for a, z in stalls):
                unseen += 1
            else:
                problems.append(f"a beep heard at {b[0] - commands[0][0]:.3f} s has no flash")

    # Which flash of the clip each one is: the first after a seek is the first flash at or
    # after its target, the next ones follow by their spacing.
    labels = [None] * len(flashes)
    previous = None
    for i, f in enumerate(flashes):
        k = segment(f[0])
        if previous is None or segment(previous[0]) != k:
            target = 0.0 if k == 0 else float(commands[k][1].split()[1])
            guess = min((t for t in FLASH_TIMES if t >= target - 1e-6), default=None)
        else:
            guess = min(FLASH_TIMES,
                        key=lambda t: abs(t - (labels[i - 1] or 0) - (f[0] - previous[0])))
        labels[i] = guess
        previous = f

    # The player's own drift at each flash frame, in the order it showed them.
    own = []
    stats_max = None
    for line in stderr.splitlines():
        f = line.split()
        if line.startswith("drift: frame"):
            frame, audio = float(f[2]), float(f[4])
            if any(abs(frame - t) < 0.0015 for t in FLASH_TIMES):
                own.append((round(frame, 2), (audio - frame) * 1000))
        elif line.startswith("stats:"):
            for field in f:
                if field.startswith("av_drift_max_ms="):
                    stats_max = float(field.split("=")[1])
    # Each flash seen is one the player showed, in the same order: when the counts agree, the
    # two lists go side by side. Otherwise (the watch missed one while held up, or saw one the
    # player never reported) they are aligned by the clip times guessed above.
    own_at = {}
    if len(own) == len(flashes):
        for i, (frame, drift) in enumerate(own):
            labels[i] = frame
            own_at[i] = drift
    else:
        matcher = difflib.SequenceMatcher(a=[None if t is None else round(t, 2) for t in labels],
                                          b=[o[0] for o in own], autojunk=False)
        for a, b, n in matcher.get_matching_blocks():
            for k in range(n):
                own_at[a + k] = own[b + k][1]
    if not own:
        problems.append("the player printed no 'drift:' line (--loglevel trace)")

    # The pairs, by segment.
    counted = {}
    worst = None
    print(f"run {run}: segment, flash (clip time), offset heard (raw: from reaching the file), "
          f"the player's own, in ms")
    for i in sorted(flash_pair):
        f, b = flashes[i], beeps[flash_pair[i]]
        k = segment(f[0])
        name = "start" if k == 0 else f"after {commands[k][1]}"
        offset = (f[0] - b[0]) * 1000
        raw_offset = (f[0] - b[1]) * 1000
        uncertain = max(f[1], b[2]) * 1000 > UNCERTAIN_MS
        player_says = own_at.get(i)
        note = ""
        if uncertain:
            note = f"  (not judged: watched {max(f[1], b[2]) * 1000:.1f} ms late)"
        else:
            counted[k] = counted.get(k, 0) + 1
            worst = abs(offset) if worst is None else max(worst, abs(offset))
            if abs(offset) > BOUND_MS:
                problems.append(f"{name}: the flash at {labels[i]:.2f} s is {offset:+.1f} ms "
                                "from its beep")
            if player_says is not None and \
                    abs(player_says - offset) > AGREE_MS + (f[1] + b[2]) * 1000:
                problems.append(f"{name}: at {labels[i]:.2f} s the player says "
                                f"{player_says:+.1f} ms, measured {offset:+.1f} ms")
        label = f"{labels[i]:5.2f}" if labels[i] is not None else "    ?"
        own_text = f"{player_says:+6.1f}" if player_says is not None else "     ?"
        print(f"  {name:16} {label} s  {offset:+6.1f} (raw {raw_offset:+6.1f})  "
              f"player {own_text}{note}")
    for k, (_, command) in enumerate(commands):
        if command == "quit":
            continue
        name = "start" if k == 0 else f"after {command}"
        need = MIN_PAIRS.get(name, MIN_PAIRS_AFTER_SEEK)
        if counted.get(k, 0) < need:
            too_few.append(f"{name}: {counted.get(k, 0)} pairs measured, fewer than {need}")
    stats_text = f"{stats_max:.1f}" if stats_max is not None else "?"
    worst_text = f"{worst:.1f}" if worst is not None else "?"
    if unseen:
        print(f"  {unseen} beep(s) without a flash while the watch was held up: not judged")
    print(f"  worst offset {worst_text} ms; the player's av_drift_max_ms {stats_text}; "
          f"{speed}; {watch_note}")
    for p in problems:
        print(f"  FAIL: {p}")
    for p in too_few:
        print(f"  {'FAIL' if problems else 'INCONCLUSIVE'}: {p}")
    verdict = "fail" if problems else "inconclusive" if too_few else "pass"
    return verdict, worst, stats_max


def main():
    if os.environ.get("FP_AVSYNC_REPLAY"):  # the runs kept in that directory, analysed again
        work = os.environ["FP_AVSYNC_REPLAY"]
        run = 1
        while os.path.exists(os.path.join(work, f"run{run}.json")):
            analyse(run, *replay(work, run))
            run += 1
        return 0
    server, display = start_x()
    passed = failed = inconclusive = 0
    summary = []
    try:
        with tempfile.TemporaryDirectory() as work:
            work = os.environ.get("FP_AVSYNC_KEEP") or work
            run = 0
            while run < RUNS + min(inconclusive, EXTRA_RUNS):
                run += 1
                verdict, worst, stats_max = analyse(run, *play(work, run, display))
                summary.append((verdict, worst, stats_max))
                passed += verdict == "pass"
                failed += verdict == "fail"
                inconclusive += verdict == "inconclusive"
                if not RUN_ALL and (passed >= NEED or failed > RUNS - NEED):
                    break
    finally:
        server.terminate()
        server.wait()
    names = {"pass": "pass", "fail": "FAIL", "inconclusive": "inconclusive"}
    print("runs: " + ", ".join(
        f"{names[v]} (worst {w:.1f} ms, player's max {s:.1f})"
        if w is not None and s is not None else names[v]
        for v, w, s in summary))
    if passed >= NEED:
        print(f"in sync within {BOUND_MS:.0f} ms in {passed} of {len(summary)} runs")
        return 0
    print(f"FAIL: in sync in {passed} runs, fewer than {NEED} of {RUNS}"
          + (f" ({inconclusive} inconclusive)" if inconclusive else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main())
