#!/usr/bin/env python3
"""Usage: check_frame_info.py FRAMEPIPE ASSETS_DIR REFS_DIR [PART,PART...]

--frame-info, --start-frame and the script's 'info', on every asset that has a picture,
against references the ffmpeg CLI and ffprobe made (tests/ref):

  - one row a frame, in display order, as many as ffmpeg's framemd5 has, each numbered n
    from 0 with the right total, and its MD5 the framemd5 line n's;
  - pts, dts, size, position and key flag those of the packet ffprobe lists for that frame
    (found by its pts; in a raw stream, which has none, by its byte position);
  - CSV and JSON Lines say the same;
  - --start-frame K starts at row K and plays to the end;
  - 'info' after 'frame K' prints row K's fields.

With PARTs, only the assets whose names contain one of them.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

player, assets, refs = sys.argv[1:4]
parts = [p for p in sys.argv[4].split(",") if p] if len(sys.argv) > 4 else []
failures = []


def fail(name, what):
    failures.append(f"{name}: {what}")


def framemd5(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split(",")]
            rows.append(cols[5])
    return rows


def packets(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            stream, pts, dts, duration, size, pos, flags = line.strip().split(",")
            rows.append({"pts": pts, "dts": dts, "size": size, "pos": pos,
                         "key": "1" if "K" in flags else "0", "discard": "D" in flags})
    return rows


def run(args, name):
    r = subprocess.run([player, "--headless", *args], capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0:
        fail(name, f"exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def unknown_to_blank(v):
    return "" if v is None or v == "?" else str(v)


def check_rows(name, rows, md5s, pkts, first):
    by_pts = {p["pts"]: p for p in pkts if p["pts"] != "N/A" and not p["discard"]}
    by_pos = {p["pos"]: p for p in pkts if p["pos"] != "-1"}
    by_dts = {p["dts"]: p for p in pkts if p["dts"] != "N/A"}
    if len(rows) != len(md5s) - first:
        fail(name, f"{len(rows)} rows, framemd5 has {len(md5s) - first} from frame {first}")
    for i, row in enumerate(rows[: len(md5s) - first]):
        n = first + i
        where = f"row {n}"
        if row["n"] != str(n) or row["total"] != str(len(md5s)):
            fail(name, f"{where}: n={row['n']} total={row['total']}, expected {n} of {len(md5s)}")
            return
        if row["md5"] != md5s[n]:
            fail(name, f"{where}: md5 {row['md5']}, framemd5 has {md5s[n]}")
            return
        # MPEG-PS leaves some frames without a pts (and position): found by position or dts.
        p = by_pts.get(row["pts"]) or by_pos.get(row["pos"]) or by_dts.get(row["dts"])
        if p is None:
            fail(name, f"{where}: no packet with pts {row['pts']} / pos {row['pos']}")
            return
        for field in ("dts", "size", "pos", "key") if p["dts"] != "N/A" else ("size", "pos", "key"):
            want = "" if p[field] == "N/A" or (field == "pos" and p[field] == "-1") else p[field]
            if row[field] != want:
                fail(name, f"{where}: {field}={row[field]}, ffprobe has {want}")
                return


def main():
    tmp = tempfile.mkdtemp()
    names = sorted(f for f in os.listdir(assets)
                   if os.path.exists(os.path.join(refs, "packets", f + ".csv"))
                   and os.path.exists(os.path.join(refs, f + ".framemd5"))
                   and (not parts or any(p in f for p in parts)))
    checked = 0
    for name in names:
        media = os.path.join(assets, name)
        md5s = framemd5(os.path.join(refs, name + ".framemd5"))
        pkts = packets(os.path.join(refs, "packets", name + ".csv"))
        opts = ["--vid", "2"] if "alpha_first" in name else []
        out_csv = os.path.join(tmp, "info.csv")
        run([*opts, "--frame-info", out_csv, media], name)
        with open(out_csv) as f:
            rows = list(csv.DictReader(f))
        before = len(failures)
        check_rows(name, rows, md5s, pkts, 0)
        if len(failures) > before:
            continue
        checked += 1
        # The same in JSON Lines, with unknowns as null.
        out_json = os.path.join(tmp, "info.jsonl")
        run([*opts, "--frame-info", out_json, media], name)
        with open(out_json) as f:
            objs = [json.loads(line) for line in f]
        for row, obj in zip(rows, objs):
            as_csv = {k: ("1" if v else "0") if isinstance(v, bool)
                      else ("%.6f" % v if k == "time" else unknown_to_blank(v))
                      for k, v in obj.items()}
            if as_csv != row:
                fail(name, f"JSON Lines {obj} differs from CSV {row}")
                break
        if len(objs) != len(rows):
            fail(name, f"{len(objs)} JSON lines, {len(rows)} CSV rows")
        if len(md5s) < 3:
            continue
        # Opened at a frame in the middle, between keyframes: from there to the end.
        k = min(len(md5s) * 2 // 3 + 1, len(md5s) - 1)
        run([*opts, "--start-frame", str(k), "--frame-info", out_csv, media], name + " --start-frame")
        with open(out_csv) as f:
            check_rows(name + f" --start-frame {k}", list(csv.DictReader(f)), md5s, pkts, k)
        # 'info' after 'frame K' describes frame K.
        script = os.path.join(tmp, "script")
        with open(script, "w") as f:
            f.write(f"frame {k}\ninfo\n")
        out = run([*opts, "--script", script, media], name + " info")
        line = [l for l in out.splitlines() if l.startswith("info ")]
        want = {key: (v or "?") for key, v in rows[k].items() if key != "md5"} if k < len(rows) else {}
        got = dict(kv.split("=", 1) for kv in line[0].split()[1:]) if line else {}
        if got != want:
            fail(name, f"'info' after 'frame {k}' printed {line}, expected {want}")
    for f in failures:
        print(f)
    print(f"{checked} of {len(names)} assets exact in every row")
    return 1 if failures else 0


sys.exit(main())
