#!/usr/bin/env python3
"""Usage: check_inspect.py FRAMEPIPE ASSETS_DIR REFS_DIR

The script's 'gop' and 'pixel', headless, on every asset that has a picture, after 'frame N'
at the first frame, a third of the way, two thirds and the last, against references the
ffmpeg CLI and ffprobe made (tests/ref):

  gop    - names the frame asked for, in brackets, and the stream's frame count (framemd5's);
         - lists consecutive display numbers around it, the first a keyframe (or frame 0);
         - each frame's type is ffprobe's for that display number (tests/ref/pict_types),
           or K / ? for codecs whose parser gives none;
         - each frame's decode number is the place, in ffprobe's packet list, of the packet
           with that frame's pts (where every packet has a pts and they never go back);
         - a raw stream without timestamps is refused with a message.
  headers - for codecs libavcodec's trace_headers reads (H.264, HEVC, MPEG-2, VP9, AV1), the
           "packet" part names the packet of the frame asked for: its size and pts are those
           of ffprobe's packet for that frame; other codecs are refused with a message.
  panel  - in a window (SDL's offscreen driver), the first line of the 'i' panel
           ('show-info') says what 'info' says of the frame: "frame N / TOTAL   TYPE[  key]"
           (the panel's text, as --loglevel debug logs it).
  pixel  - 'pixel 0 0' prints x=0 y=0, the pixel format and a value for each component;
         - a pixel outside the picture is refused with a message, and the script goes on.
"""
import os
import re
import subprocess
import sys

player, assets, refs = sys.argv[1:4]
failures = []
UNTYPED = {"png", "apng", "gif", "mjpeg", "ffv1", "rawvideo"}
ENTRY = re.compile(r"^(\[?)([A-Za-z?])(\d+)\(d(\d+)\)\]?$")


def fail(name, what):
    failures.append(f"{name}: {what}")


def framemd5_count(path):
    with open(path) as f:
        return sum(1 for line in f if not line.startswith("#"))


def packets(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            _, pts, dts, _, size, _, flags = line.strip().split(",")
            number = lambda v: None if v in ("", "N/A") else int(v)
            rows.append((number(pts), number(dts), "K" in flags, "D" in flags, int(size)))
    return rows


def pict_types(path):
    with open(path) as f:
        lines = [line.strip() for line in f]
    return lines[0].split()[-1], lines[1:]


TRACED = {"h264", "hevc", "mpeg2video", "vp9", "av1"}


def check_headers(name, codec, targets, blocks, stderr, pk, by_display):
    if codec not in TRACED:
        if blocks or stderr.count("cannot show the headers") != len(targets):
            fail(name, f"{codec}: 'headers' should be refused with a message")
        return
    if len(blocks) != len(targets):
        fail(name, f"{len(blocks)} header blocks for {len(targets)} 'headers': "
                   f"{stderr.strip()[-200:]}")
        return
    for n, (number, lines) in zip(targets, blocks):
        if number != n or "packet" not in lines:
            fail(name, f"headers after 'frame {n}': n={number}, no packet part: {lines[:3]}")
            continue
        head = lines[lines.index("packet") + 1] if lines.index("packet") + 1 < len(lines) else ""
        if by_display is not None and n < len(by_display):
            p = pk[by_display[n]]
            want = f"Packet: {p[4]} bytes, {'key frame, ' if p[2] else ''}pts {p[0]},"
            if not head.startswith(want):
                fail(name, f"headers of frame {n}: '{head}', ffprobe's packet: '{want}'")
        if len(lines) < 4:
            fail(name, f"headers of frame {n}: only {len(lines)} lines")


def check_asset(media):
    name = media
    total = framemd5_count(os.path.join(refs, media + ".framemd5"))
    if total < 2:
        return 0
    pk_path = os.path.join(refs, "packets", media + ".csv")
    pk = packets(pk_path) if os.path.exists(pk_path) else []
    raw = bool(pk) and all(p[0] is None for p in pk)
    # Decode numbers by display number, where ffprobe's packets say it plainly.
    plain = pk and all(p[0] is not None and not p[3] for p in pk) and \
        all(b[1] is None or a[1] is None or b[1] > a[1] for a, b in zip(pk, pk[1:]))
    by_display = sorted(range(len(pk)), key=lambda i: (pk[i][0], i)) if plain else None
    codec, types = pict_types(os.path.join(refs, "pict_types", media + ".txt"))
    targets = sorted({0, total // 3, 2 * total // 3, total - 1})
    script = "".join(f"frame {n}\ngop\nheaders\npixel 0 0\npixel 100000 0\n"
                     for n in targets) + "quit\n"
    run = subprocess.run([player, "--headless", "--script", "-", os.path.join(assets, media)],
                         input=script, capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        fail(name, f"exit {run.returncode}: {run.stderr.strip()[-300:]}")
        return 0
    out = run.stdout.splitlines()
    blocks, i = [], 0
    while i < len(out):  # 'headers n=N lines=L', then L lines
        m = re.match(r"headers n=(-?\d+) lines=(\d+)$", out[i])
        if m:
            blocks.append((int(m.group(1)), out[i + 1:i + 1 + int(m.group(2))]))
            del out[i:i + 1 + int(m.group(2))]
        else:
            i += 1
    check_headers(name, codec, targets, blocks, run.stderr, pk, by_display)
    gops = [l for l in out if l.startswith("gop ")]
    pixels = [l for l in out if l.startswith("x=")]
    refused = run.stderr.count("pixel 100000 0: outside the")
    if refused != len(targets):
        fail(name, f"{refused} refusals of a pixel outside the picture, not {len(targets)}")
    if len(pixels) != len(targets):
        fail(name, f"{len(pixels)} pixel lines for {len(targets)} 'pixel 0 0'")
    for line in pixels:
        m = re.match(r"x=0 y=0 fmt=(\S+) depth=(\d+) chroma=\d,\d ((?:\w+=[\d,]+ )+)rgb=\d+,\d+,\d+$",
                     line)
        if not m:
            fail(name, f"pixel line not as documented: {line}")
    if raw:
        if gops or "cannot show the GOP" not in run.stderr:
            fail(name, "a raw stream's GOP should be refused with a message")
        return len(targets)
    if len(gops) != len(targets):
        fail(name, f"{len(gops)} gop lines for {len(targets)} 'gop': {run.stderr.strip()[-200:]}")
        return 0
    for n, line in zip(targets, gops):
        m = re.match(r"gop (\d+)-(\d+) of (\d+): (.*)$", line)
        if not m:
            fail(name, f"gop line not as documented: {line}")
            continue
        first, last, count = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if count != total:
            fail(name, f"gop says {count} frames, framemd5 has {total}")
        entries = [e for e in m.group(4).split() if e != "..."]
        parsed = [ENTRY.match(e) for e in entries]
        if not all(parsed):
            fail(name, f"gop entries not as documented: {line}")
            continue
        shown = [int(p.group(3)) for p in parsed]
        current = [int(p.group(3)) for p in parsed if p.group(1) == "["]
        if current != [n]:
            fail(name, f"after 'frame {n}' the bracketed frame is {current}: {line}")
        if shown != list(range(shown[0], shown[0] + len(shown))) or not first <= n <= last:
            fail(name, f"display numbers not consecutive around {n}: {line}")
        for p in parsed:
            d, t, dec = int(p.group(3)), p.group(2), int(p.group(4))
            want = types[d] if d < len(types) else "?"
            if codec in UNTYPED:
                if t not in "K?":
                    fail(name, f"frame {d}: type {t}, but {codec} has no parser types")
            elif t != want:
                fail(name, f"frame {d}: type {t}, ffprobe says {want}")
            if by_display is not None and d < len(by_display) and by_display[d] != dec:
                fail(name, f"frame {d}: decode number {dec}, ffprobe's packet list says "
                           f"{by_display[d]}")
        if by_display is not None and first > 0 and not pk[by_display[first]][2]:
            fail(name, f"the GOP starts at frame {first}, which is not a keyframe")
    return len(targets)


def check_panel(media, targets):
    script = "".join(f"frame {n}\ninfo\nshow-info\nshow-info\n" for n in targets) + "quit\n"
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    run = subprocess.run([player, "--loglevel", "debug", "-an", "--script", "-",
                          os.path.join(assets, media)], input=script, capture_output=True,
                         text=True, timeout=120, env=env)
    infos = re.findall(r"^info n=(\S+) total=(\S+) .* type=(\S) key=(\d)", run.stdout, re.M)
    panels = re.findall(r"osd: panel: (.*)$", run.stderr, re.M)
    if run.returncode != 0 or len(infos) != len(targets) or len(panels) < len(targets):
        report = [l for l in run.stderr.splitlines() if not l.startswith("osd: ")]
        fail(media, f"panel: exit {run.returncode}, {len(infos)} info lines, {len(panels)} panels: "
                    + "\n".join(report[-100:]))
        return
    for (n, total, kind, key), panel in zip(infos, panels):
        want = f"frame {n} / {total}   {kind}{'  key' if key == '1' else ''}"
        if panel.rstrip() != want:
            fail(media, f"the 'i' panel says '{panel}', info says '{want}'")


checked = 0
for media in sorted(os.listdir(assets)):
    if os.path.exists(os.path.join(refs, media + ".framemd5")) and \
            os.path.exists(os.path.join(refs, "pict_types", media + ".txt")):
        checked += check_asset(media)
        total = framemd5_count(os.path.join(refs, media + ".framemd5"))
        if total >= 2:
            check_panel(media, sorted({0, total // 2, total - 1}))

for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print(f"PASS: gop, headers, pixel and the panel after {checked} landings on every asset")
