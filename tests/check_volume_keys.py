#!/usr/bin/env python3
"""Usage: check_volume_keys.py FRAMEPIPE MEDIA

The volume keys, 'm' and --volume change how loud the sound is, and by how much. MEDIA
(mpeg2_mp2_framenum_320x240_25fps.ts: 4 s of a steady 440 Hz tone, a beep each second) plays
in a real X11 window (a private Xvfb server) with SDL's disk audio driver, which writes what
the device plays to a file in real time; keys are sent with xdotool as a user types them,
0.7 s apart. Two runs:

    --volume 50:  then '0' four times, '*' (Shift+8 on a US keyboard, which SDL reports as the
                  key '8' and the text '*'), '9', the keypad's '/'
    (default):    then 'm', 'm', '/' twice, the keypad's '*' (which SDL reports as a key and
                  as the text '*': one step, not two)

The recording's left channel is cut into 50 ms windows (22 periods of the tone), and each
window's RMS level is divided by the tone's level in the file (2061, as the ffmpeg CLI decodes
it), giving the gain heard. A window within 0.03 of a multiple of 0.1 counts as that gain, any
other (a change under way, a beep) as none. Runs of at least 0.25 s of one gain are the steps
heard; leading and trailing silence is dropped. Pass: the steps are exactly

    50 %, 90 %, 100 %, 90 %, 80 %      and      100 %, silence, 100 %, 80 %, 90 %

The player scales linearly (SDL_MixAudioFormat with volume * 128 / 100), so 50 % is half the
amplitude of 100 %, and each key moves the volume by 10 points.
"""
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

player, media = sys.argv[1:3]
RATE = 48000
CHANNELS = 2
WINDOW = RATE // 20   # 50 ms
TONE_RMS = 2061.0     # the tone's level in MEDIA, each channel
MIN_RUN = 5           # windows: 0.25 s
KEY_GAP = 0.7

RUNS = [
    (["--volume", "50"], ["0 0 0 0", "asterisk", "9", "KP_Divide"], [5, 9, 10, 9, 8]),
    ([], ["m", "m", "slash slash", "KP_Multiply"], [10, 0, 10, 8, 9]),
]

for tool in ("Xvfb", "xdotool"):
    if not shutil.which(tool):
        sys.exit(f"missing {tool} (third_party/install-deps.sh installs it)")


def start_x(work):
    """A private X server; returns it and its DISPLAY once it is ready."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-screen", "0",
                               "1024x768x24", "-nolisten", "tcp"], pass_fds=(write_fd,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        number = f.readline().strip()  # written once the server accepts clients
    if not number:
        server.kill()
        sys.exit("Xvfb did not start")
    return server, ":" + number


def xdotool(env, *args):
    return subprocess.run(["xdotool", *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout.strip()


class NoWindow(Exception):
    """The search never saw the player's window: the keys could not be sent."""


def play(env, work, options, keys):
    """Plays MEDIA with options, sends keys; returns the left channel of what was heard."""
    raw = os.path.join(work, "out.raw")
    run_env = dict(env, SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=raw)
    run_env.pop("SDL_VIDEODRIVER", None)
    proc = subprocess.Popen([player, *options, media], env=run_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        window = ""
        for _ in range(200):
            # By title, and by process: a search fails outright when a window it looks at
            # goes away meanwhile (SDL may replace its first window at start).
            window = (xdotool(env, "search", "--onlyvisible", "--name", os.path.basename(media))
                      or xdotool(env, "search", "--onlyvisible", "--pid", str(proc.pid)))
            if window or proc.poll() is not None:
                break
            time.sleep(0.1)
        if not window:
            if proc.poll() is None:
                proc.kill()
            _, err = proc.communicate()
            raise NoWindow(f"no window for {media} (the player exited {proc.returncode}); windows "
                           f"on the display: {xdotool(env, 'search', '--name', '.')!r}; player "
                           f"stderr:\n{err}")
        xdotool(env, "windowfocus", "--sync", window.split()[0])
        for key in keys:
            time.sleep(KEY_GAP)
            xdotool(env, "key", *key.split())
        _, err = proc.communicate(timeout=30)  # the file ends by itself
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        sys.exit(f"the player failed ({proc.returncode}):\n{err}")
    with open(raw, "rb") as f:
        data = f.read()
    frame = 2 * CHANNELS
    data = data[: len(data) // frame * frame]
    return struct.unpack(f"<{len(data) // 2}h", data)[0::CHANNELS]


def steps(left):
    """The gains heard, in tenths, as runs of at least MIN_RUN windows; and every window's."""
    gains = []
    for i in range(0, len(left) - WINDOW + 1, WINDOW):
        rms = math.sqrt(sum(s * s for s in left[i:i + WINDOW]) / WINDOW)
        gains.append(rms / TONE_RMS)
    labels = []
    for g in gains:
        tenth = round(g * 10)
        labels.append(tenth if abs(g - tenth / 10) <= 0.03 and tenth <= 10 else None)
    runs = []  # [label, length]
    for label in labels:
        if runs and runs[-1][0] == label:
            runs[-1][1] += 1
        else:
            runs.append([label, 1])
    heard = []
    for label, length in runs:
        if label is None or length < MIN_RUN:
            continue
        if not heard or heard[-1] != label:
            heard.append(label)
    while heard and heard[0] == 0:
        heard.pop(0)
    while heard and heard[-1] == 0:
        heard.pop()
    return heard, gains


failed = 0
with tempfile.TemporaryDirectory() as work:
    server, display = start_x(work)
    env = dict(os.environ, DISPLAY=display)
    try:
        for options, keys, want in RUNS:
            what = " ".join(options) or "default volume"
            try:
                left = play(env, work, options, keys)
            except NoWindow as e:
                # Seen twice in some twenty runs, cause unknown: once more, and say so.
                print(f"note: {e}\nnote: trying once more")
                try:
                    left = play(env, work, options, keys)
                except NoWindow as again:
                    sys.exit(str(again))
            heard, gains = steps(left)
            say = lambda levels: ", ".join("silence" if l == 0 else f"{l * 10} %" for l in levels)
            if heard == want:
                print(f"ok   {what}, keys {keys}: heard {say(heard)}")
            else:
                failed += 1
                print(f"FAIL {what}, keys {keys}: heard {say(heard)}, want {say(want)}")
                print("     gain per 50 ms: " + " ".join(f"{g:.2f}" for g in gains))
    finally:
        server.kill()
        server.wait()
sys.exit(1 if failed else 0)
