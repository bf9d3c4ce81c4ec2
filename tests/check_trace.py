#!/usr/bin/env python3
"""Check the invariants of a framepipe ownership trace (--trace-ownership).

Usage: check_trace.py TRACE.jsonl

1. Every packet or frame put into a queue comes out of it exactly once, by a
   get or a flush.
2. Its data pointer is the same from put to get: the queues copy nothing.
   More: a packet's buffer is the same from read to send, a frame's from
   receive to show.
3. framepipe holds one reference per object and releases it exactly once
   (an "unref", or a "free" when it was the last one) before exit.
"""
import collections
import json
import sys

QUEUES = ("video_packets", "video_frames", "audio_packets", "audio_frames")
RELEASES = ("unref", "free")


def main(path):
    events = collections.defaultdict(list)
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                e = json.loads(line)
            except json.JSONDecodeError as err:
                return fail(f"line {n} is not JSON: {err}")
            for key in ("t_us", "thread", "kind", "id", "op", "buf", "refcount"):
                if key not in e:
                    return fail(f"line {n} has no {key}")
            events[(e["kind"], e["id"])].append(e)
    if not events:
        return fail("the trace is empty")

    problems = []
    for (kind, oid), evs in events.items():
        name = f"{kind} {oid}"
        births = [e for e in evs if e["op"] in ("read", "receive")]
        if len(births) != 1:
            problems.append(f"{name}: {len(births)} births")
            continue
        born = births[0]["buf"]
        for q in QUEUES:
            puts = [e for e in evs if e["op"] == "put" and e.get("queue") == q]
            outs = [e for e in evs if e["op"] in ("get", "flush") and e.get("queue") == q]
            if len(puts) > 1 or len(outs) != len(puts):
                problems.append(f"{name}: {len(puts)} puts into {q}, {len(outs)} out")
        moved = [e for e in evs if e["op"] in ("put", "get", "send", "show")]
        for e in moved:
            if e["buf"] != born:
                problems.append(f"{name}: buffer {born} became {e['buf']} at {e['op']}")
        releases = [e for e in evs if e["op"] in RELEASES]
        if len(releases) != 1:
            problems.append(f"{name}: released {len(releases)} times")
        elif evs[-1]["op"] not in RELEASES:
            problems.append(f"{name}: '{evs[-1]['op']}' after its release")
        elif releases[0]["op"] == "free" and releases[0]["refcount"] != 0:
            problems.append(f"{name}: freed with refcount {releases[0]['refcount']}")
    for p in problems[:20]:
        print(p)
    if problems:
        return fail(f"{len(problems)} problems in {len(events)} objects")
    ops = collections.Counter(e["op"] for evs in events.values() for e in evs)
    print(f"{len(events)} objects, invariants hold; ops: "
          + ", ".join(f"{k}={v}" for k, v in sorted(ops.items())))
    return 0


def fail(message):
    print(f"check_trace: {message}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
