#!/usr/bin/env python3
"""Runs a step/seek plan against mpv over its JSON IPC and times each command
until it has completed, not merely until mpv acknowledged it.

usage: mpv-plan.py PLAN CLIP [MPV OPTION...]

PLAN has one command per line, as written by step-latency.sh:

    PHASE CMD ARG EXPECT_S [MORE...]

PHASE is '-' for an untimed command (positioning) or the name the timing is
reported under. CMD is seek (ARG: seconds, exact), step, back, sleep (ARG:
seconds) or md5 (ignored: mpv has no equivalent). EXPECT_S is the time of the
frame that must be shown afterwards ('-' when there is none). Further columns
are ignored.

For each timed command one line goes to stdout:

    PHASE MICROSECONDS OK TIME_POS

OK is 1 when mpv's time-pos afterwards is within 1 ms of EXPECT_S.

Completion:
  seek, back  mpv emits 'seek' and then 'playback-restart' once the target
              frame is decoded and handed to the video output. ('time-pos'
              jumps to a seek's target as soon as the seek is queued, so it
              cannot serve as the signal.)
  step        the observed 'time-pos' changes when the next frame is handed to
              the video output.
"""

import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 30.0


class Mpv:
    def __init__(self, clip, extra):
        self.dir = tempfile.mkdtemp(prefix="fp-bench-mpv.")
        self.path = os.path.join(self.dir, "ipc.sock")
        self.log = open(os.path.join(self.dir, "mpv.log"), "w+")
        self.proc = subprocess.Popen(
            ["mpv", "--no-config", "--pause", "--vo=null", "--ao=null",
             "--input-ipc-server=" + self.path] + extra + [clip],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + TIMEOUT_S
        self.sock = None
        while self.sock is None:
            if self.proc.poll() is not None:
                self.fail("mpv exited before opening its IPC socket")
            if time.monotonic() > deadline:
                self.fail("mpv did not open its IPC socket")
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.path)
                self.sock = s
            except OSError:
                time.sleep(0.01)
        self.buf = b""
        self.next_id = 100

    def fail(self, msg):
        tail = ""
        try:
            self.log.flush()
            self.log.seek(0)
            tail = "".join(self.log.readlines()[-15:])
        except (OSError, ValueError):
            pass
        sys.stderr.write("mpv-plan.py: %s\n%s" % (msg, tail))
        self.close()
        sys.exit(1)

    def send(self, command):
        self.next_id += 1
        msg = {"command": command, "request_id": self.next_id}
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        return self.next_id

    def message(self, timeout):
        """The next JSON message, or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            data = self.sock.recv(65536)
            if not data:
                self.fail("mpv closed the IPC connection")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def wait(self, pred, what):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            msg = self.message(max(0.0, deadline - time.monotonic()))
            if msg is None:
                self.fail("timed out waiting for " + what)
            if msg.get("error") not in (None, "success"):
                self.fail("mpv refused a command: %s" % json.dumps(msg))
            if pred(msg):
                return msg

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while self.message(max(0.0, deadline - time.monotonic())) is not None:
            pass

    def get(self, name):
        rid = self.send(["get_property", name])
        msg = self.wait(lambda m: m.get("request_id") == rid, "get_property " + name)
        return msg.get("data")

    def close(self):
        if self.sock is not None:
            try:
                self.send(["quit"])
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        try:
            os.unlink(self.path)
        except OSError:
            pass
        self.log.close()
        try:
            os.unlink(os.path.join(self.dir, "mpv.log"))
            os.rmdir(self.dir)
        except OSError:
            pass


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    plan_path, clip, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(plan_path) as f:
        plan = [line.split() for line in f if line.strip() and not line.startswith("#")]

    mpv = Mpv(clip, extra)
    mpv.send(["observe_property", 1, "time-pos"])
    mpv.wait(lambda m: m.get("event") == "playback-restart", "the file to load")
    mpv.drain(0.2)
    last_pos = mpv.get("time-pos")

    for fields in plan:
        phase, cmd, arg, expect = fields[:4]
        if cmd == "sleep":
            mpv.drain(float(arg))
            continue
        if cmd == "md5":
            continue
        mpv.drain(0)  # nothing stale may count as completion
        if cmd in ("seek", "back"):
            command = ["seek", arg, "absolute+exact"] if cmd == "seek" else ["frame-back-step"]
            seen_seek = []

            def restarted(m):
                if m.get("event") == "seek":
                    seen_seek.append(1)
                return bool(seen_seek) and m.get("event") == "playback-restart"

            t0 = time.perf_counter()
            mpv.send(command)
            mpv.wait(restarted, "playback-restart after " + " ".join(command))
            t1 = time.perf_counter()
        elif cmd == "step":
            # the last time-pos read back, not the last event: a late event of
            # the previous command must not pass for this step's completion
            before = last_pos
            t0 = time.perf_counter()
            mpv.send(["frame-step"])
            mpv.wait(lambda m: m.get("event") == "property-change" and m.get("name") == "time-pos"
                     and m.get("data") is not None and m.get("data") != before,
                     "time-pos to change after frame-step")
            t1 = time.perf_counter()
        else:
            mpv.fail("unknown plan command: " + cmd)
        pos = last_pos = mpv.get("time-pos")
        ok = int(expect != "-" and pos is not None and abs(pos - float(expect)) < 0.001)
        if phase != "-":
            print("%s %d %d %s" % (phase, round((t1 - t0) * 1e6), ok,
                                   "%.6f" % pos if pos is not None else "none"), flush=True)
        elif not ok and expect != "-":
            sys.stderr.write("mpv-plan.py: warning: %s %s landed at %s, not %s\n"
                             % (cmd, arg, pos, expect))
    mpv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
