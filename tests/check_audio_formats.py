#!/usr/bin/env python3
"""Usage: check_audio_formats.py FRAMEPIPE ASSETS_DIR

Sound that is awkward to hand to the device:

1. Small frames (pcm_smallframes_64x48_8khz_2s.mkv: 40 samples a frame, so one 1024-sample
   device buffer spans 26 frames, more than the audio frame queue holds). Played in a window
   with SDL's disk audio driver, which writes what the device plays to a file, the tone must
   sound for at least 1.95 s of its 2 s, in 10 ms windows:
   - a callback that takes only what the queue holds at the moment plays bursts of it (1.47 s
     of windows hear some), and drops the rest as behind the picture;
   - a picture that runs on while the device starts (a 128 ms buffer at 8 kHz) makes it drop
     the first 0.12 s (1.88 s).

2. Sound that starts 0.28 s after the first picture (h264_lateaudio_64x48_25fps_2s.mp4), and
   1.5 s after it (h264_lateaudio15_64x48_25fps_3s.mp4). The device must wait in silence
   until the picture reaches it: --stats shows no frame dropped and av_drift_max_ms at most
   20. Played at once, the sound pulls the audio clock, and the picture with it, ahead by the
   gap: frames are dropped, and drift reaches about 60 ms (1.2 s for the second).

3. Sound libswresample cannot convert (a WAV of 100 channels, over its limit of 64):
   - headless with --audio-md5: exit 1 and one line saying how many frames could not be
     converted, no MD5 (an MD5 of part of the sound, or of none, would pass for the sound's);
   - in a window: the sound is skipped with one warning, and the player does not wait on it:
     it exits 0 within 4 s of a 1 s file.
"""
import os
import struct
import subprocess
import sys
import tempfile
import time
import wave

player, assets = sys.argv[1:3]
failed = 0


def fail(msg):
    global failed
    failed += 1
    print(f"FAIL: {msg}")


def own_lines(stderr):
    return [l for l in stderr.splitlines() if l.startswith("framepipe:")]


with tempfile.TemporaryDirectory() as work:
    # 1. Small frames.
    raw = os.path.join(work, "out.raw")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="disk",
               SDL_DISKAUDIOFILE=raw)
    media = os.path.join(assets, "pcm_smallframes_64x48_8khz_2s.mkv")
    run = subprocess.run([player, media], env=env, timeout=60, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        fail(f"small frames: exit {run.returncode}:\n{run.stderr}")
    else:
        with open(raw, "rb") as f:
            data = f.read()
        left = struct.unpack(f"<{len(data) // 2}h", data[: len(data) // 2 * 2])[0::2]
        # 10 ms windows (80 samples at 8 kHz) in which the tone sounds.
        window = 80
        loud = sum(1 for i in range(0, len(left) - window + 1, window)
                   if max(abs(s) for s in left[i:i + window]) > 2000)
        seconds = loud * window / 8000
        if seconds < 1.95:
            fail(f"small frames: the tone sounded for {seconds:.2f} s of 2 s")
        else:
            print(f"ok   small frames: the tone sounded for {seconds:.2f} s of 2 s")

    # 2. Sound that starts late.
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    for name in ("h264_lateaudio_64x48_25fps_2s.mp4", "h264_lateaudio15_64x48_25fps_3s.mp4"):
        run = subprocess.run([player, "--stats", os.path.join(assets, name)], env=env,
                             timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
        stats = dict(kv.split("=", 1) for line in run.stderr.splitlines()
                     if line.startswith("stats:") for kv in line.split()[1:])
        if (run.returncode != 0 or stats.get("dropped") != "0" or
                float(stats.get("av_drift_max_ms", "inf")) > 20):
            fail(f"{name}: exit {run.returncode}, dropped {stats.get('dropped')}, "
                 f"drift max {stats.get('av_drift_max_ms')} ms:\n{run.stderr}")
        else:
            print(f"ok   {name}: no frame dropped, drift max {stats['av_drift_max_ms']} ms")

    # 3. 100 channels.
    wav = os.path.join(work, "ch100.wav")
    with wave.open(wav, "wb") as w:
        w.setnchannels(100)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<h", 1000) * 100 * 8000)
    run = subprocess.run([player, "--headless", "--audio-md5", wav], timeout=60,
                         capture_output=True, text=True)
    lines = own_lines(run.stderr)
    if (run.returncode != 1 or run.stdout or len(lines) != 1 or
            "sound frames could not be converted: no MD5" not in lines[0]):
        fail(f"100 channels, --audio-md5: exit {run.returncode}, stdout {run.stdout!r}, "
             f"stderr:\n{run.stderr}")
    else:
        print(f"ok   100 channels, --audio-md5: exit 1: {lines[0]}")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    start = time.monotonic()
    run = subprocess.run([player, wav], env=env, timeout=60, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    took = time.monotonic() - start
    lines = own_lines(run.stderr)
    if (run.returncode != 0 or len(lines) != 1 or
            "warning:" not in lines[0] or "could not be converted" not in lines[0] or took > 4):
        fail(f"100 channels, windowed: exit {run.returncode} after {took:.1f} s, "
             f"stderr:\n{run.stderr}")
    else:
        print(f"ok   100 channels, windowed: exit 0 after {took:.1f} s: {lines[0]}")

sys.exit(1 if failed else 0)
