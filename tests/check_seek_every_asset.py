#!/usr/bin/env python3
"""Usage: check_seek_every_asset.py FRAMEPIPE ASSETS_DIR REFS_DIR [COUNT] [SEED]

On every asset with a picture of two frames or more: COUNT random commands (default 100),
'seek T' with targets drawn between frames (some past the end), 'seek T key' and 'frame N'
(some past the end), each followed by 'md5'. Where each must land comes from ffprobe's packet
list (tests/ref/packets): the frames in display order are the packets sorted by pts, their
times pts x time_base counted from the first. A raw stream, whose packets have no pts, is timed
one packet duration apart in file order, and its keyframe seeks land on IDR pictures only (the
first NAL unit of the packet tells), where decoding can start with every later picture shown
after it; x265's open-GOP CRA pictures are keyframes that a seek cannot number. Every md5 must be that frame's in ffmpeg's framemd5,
and every frame number (n=) that frame's number: the script starts with 'frame 0', which waits
for the frame index. Where timestamps go back (joined MPEG-TS pieces) a time names frames of
several pieces, so only 'frame N' runs there; where some packets have no pts (MPEG-PS), seeks
by time run against a storm of its own elsewhere, and only 'frame N' runs here too.
"""
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction

player, assets, refs = sys.argv[1:4]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 100
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1


def load(name):
    tb, pkts = None, []
    with open(os.path.join(refs, "packets", name + ".csv")) as f:
        for line in f:
            if line.startswith("# time_base "):
                tb = Fraction(line.split()[2])
            if line.startswith("#"):
                continue
            _, pts, dts, duration, size, pos, flags = line.strip().split(",")
            key = "K" in flags
            if key and pts == "N/A" and name.endswith((".h264", ".hevc")):
                key = clean_start(os.path.join(assets, name), pos, name.endswith(".hevc"))
            if "D" not in flags:
                pkts.append((pts, int(duration), key))
    md5s = []
    with open(os.path.join(refs, name + ".framemd5")) as f:
        md5s = [l.split(",")[5].strip() for l in f if not l.startswith("#")]
    return tb, pkts, md5s


def clean_start(path, pos, hevc):
    """1 when the packet at pos starts with an IDR picture (no HEVC leading pictures checked):
    where a raw stream can be entered, and so where its keyframe seeks land."""
    with open(path, "rb") as f:
        f.seek(int(pos))
        data = f.read(4096)
    i = 0
    while True:
        i = data.find(b"\x00\x00\x01", i)
        if i < 0 or i + 3 >= len(data):
            return False
        t = (data[i + 3] >> 1) & 0x3F if hevc else data[i + 3] & 0x1F
        if hevc and t < 32:
            return t in (19, 20)
        if not hevc and t in (1, 5):
            return t == 5
        i += 3


def model(tb, pkts):
    """Times of the frames in display order (seconds from the first), and which are keyframes.
    None for the times when they are not unique or not known."""
    if all(p[0] == "N/A" for p in pkts):  # raw: one duration apart, in file order
        d = pkts[0][1]
        if d <= 0 or any(p[1] != d for p in pkts):
            return None, None
        return [k * d * tb for k in range(len(pkts))], [p[2] for p in pkts]
    if any(p[0] == "N/A" for p in pkts):
        return None, None
    order = sorted(range(len(pkts)), key=lambda i: (int(pkts[i][0]), i))
    pts = [int(pkts[i][0]) for i in order]
    if any(int(pkts[i][0]) < int(pkts[i - 1][0]) - 10 * max(p[1] for p in pkts) * 10
           for i in range(1, len(pkts))):
        return None, None  # timestamps go back: pieces
    if len(set(pts)) != len(pts):
        return None, None
    return [(t - pts[0]) * tb for t in pts], [pkts[i][2] for i in order]


def script_for(times, keys, frames, rng):
    lines, expect = ["pause", "frame 0", "md5"], [0]
    end = times[-1] + Fraction(1, 2) if times else 0
    for _ in range(count):
        r = rng.random()
        if times and r < 0.45:
            t = Fraction(rng.randrange(0, int(end * 1000) + 1), 1000)
            lines.append(f"seek {float(t):.3f}")
            at = [k for k, x in enumerate(times) if x >= t]
            expect.append(at[0] if at else frames - 1)
        elif times and r < 0.6:
            t = Fraction(rng.randrange(0, int(end * 1000) + 1), 1000)
            lines.append(f"seek {float(t):.3f} key")
            expect.append(max(k for k, x in enumerate(times) if keys[k] and x <= t))
        else:
            n = rng.randrange(0, frames + 3)
            lines.append(f"frame {n}")
            expect.append(min(n, frames - 1))
        lines.append("md5")
    return "\n".join(lines) + "\n", expect


def main():
    rng = random.Random(seed)
    failures, checked, commands = [], 0, 0
    names = sorted(f for f in os.listdir(assets)
                   if os.path.exists(os.path.join(refs, "packets", f + ".csv")))
    for name in names:
        tb, pkts, md5s = load(name)
        if len(md5s) < 2 or len(pkts) != len(md5s):
            continue
        times, keys = model(tb, pkts)
        if times is not None and not keys[0]:
            times = None  # no keyframe at the start: keyframe seeks before it have no answer
        text, expect = script_for(times, keys, len(md5s), rng)
        with tempfile.NamedTemporaryFile("w", suffix=".fpscript", delete=False) as f:
            f.write(text)
        opts = ["--vid", "2"] if "alpha_first" in name else []
        r = subprocess.run([player, "--headless", "--step-history-mb", "1", *opts,
                            "--script", f.name, os.path.join(assets, name)],
                           capture_output=True, text=True, timeout=600)
        os.unlink(f.name)
        got = [l for l in r.stdout.splitlines() if l.startswith("frame time=")]
        bad = [] if r.returncode == 0 else [f"exit {r.returncode}: {r.stderr.strip()}"]
        if len(got) != len(expect):
            bad.append(f"{len(got)} md5 lines for {len(expect)} commands")
        cmds = [l for l in text.splitlines() if l != "md5"][1:]
        for i, (line, k) in enumerate(zip(got, expect)):
            fields = dict(kv.split("=", 1) for kv in line.split()[1:])
            if fields["md5"] != md5s[k] or fields["n"] != str(k):
                bad.append(f"'{cmds[i]}': expected frame {k}, got n={fields['n']} "
                           f"md5={fields['md5']}" + (" (the right picture)" if fields["md5"] == md5s[k] else ""))
        if bad:
            failures.append(f"{name}: " + "; ".join(bad[:4]) + (f" (+{len(bad) - 4})" if len(bad) > 4 else ""))
        else:
            checked += 1
            commands += len(expect)
            print(f"  {name}: {len(expect)} landings exact"
                  + ("" if times is not None else " ('frame N' only)"))
    for f in failures:
        print(f)
    print(f"{checked} of {len(names)} assets, {commands} landings, every one exact")
    return 1 if failures else 0


sys.exit(main())
