#!/usr/bin/env python3
"""Checks that the timing-sensitive tests run alone (RUN_SERIAL) under `ctest -j`.

usage: check_serial.py CTEST BUILD_DIR

Real-time playback, A/V sync, the quit and key tests and the I/O-error test bound wall times
or count dropped frames; beside another busy test on two cores they fail for the wrong
reason, or pass a slow quit. The suite's own metadata (`ctest --show-only=json-v1`) says
which tests carry RUN_SERIAL: each test named below must exist and carry it, and so must
every test whose name starts with one of the prefixes.
"""
import json
import subprocess
import sys

NAMED = ["quit_storm", "test_player_shutdown", "test_keys", "io_errors", "test_pacing", "avsync",
         "signals", "window_timeline"]
PREFIXES = ("test_pacing", "audio_", "sound_", "window_")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    ctest, build = sys.argv[1:]
    out = subprocess.run([ctest, "--show-only=json-v1"], cwd=build, check=True,
                         capture_output=True, text=True).stdout
    serial = {}
    for test in json.loads(out)["tests"]:
        props = {p["name"]: p["value"] for p in test.get("properties", [])}
        serial[test["name"]] = bool(props.get("RUN_SERIAL", False))

    bad = [n for n in NAMED if n not in serial]
    for name in bad:
        print(f"check_serial: no test named {name}")
    wanted = set(NAMED) | {n for n in serial if n.startswith(PREFIXES)}
    parallel = sorted(n for n in wanted if n in serial and not serial[n])
    for name in parallel:
        print(f"check_serial: {name} can run beside other tests (RUN_SERIAL is not set)")
    print(f"check_serial: {sum(serial[n] for n in wanted if n in serial)} timing-sensitive tests "
          f"of {len(serial)} run alone")
    sys.exit(1 if bad or parallel else 0)


if __name__ == "__main__":
    main()
