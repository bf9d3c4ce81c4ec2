#!/usr/bin/env python3
"""Usage: check_presets.py SOURCE_DIR

CMakePresets.json's dev, asan, tsan and fuzz presets configure what tests/run-all.sh's plain,
asan, tsan and fuzz configurations do: the same build directory, compiler (CC) and cache
variables, so that the two cannot drift apart. release is a Release build.
"""
import json
import re
import subprocess
import sys

src = sys.argv[1]
presets = {p["name"]: p for p in json.load(open(src + "/CMakePresets.json"))["configurePresets"]}
script = open(src + "/tests/run-all.sh").read().replace("\\\n", " ")
defines = lambda text: dict(re.findall(r"-D(\w+)=(\S+)", text))

run_line = re.search(r'^\s*cmake -S \. -B "\$dir" (.*)$', script, re.M).group(1)
wanted = {}
for config, cc, binary_dir, args in re.findall(r"^\s*(\w+)\) CC=(\S+) run (\S+) (.*?) ;;", script, re.M):
    wanted["dev" if config == "plain" else config] = (cc, binary_dir, {**defines(run_line), **defines(args)})
fuzz_cc = re.search(r"^\s*fuzz\) CC=(\S+) fuzz", script, re.M).group(1)
fuzz_line = re.search(r"^\s*cmake -S \. -B (build-fuzz) (.*)$", script, re.M)
wanted["fuzz"] = (fuzz_cc, fuzz_line.group(1), defines(fuzz_line.group(2)))

errors = []
listed = subprocess.run(["cmake", "--list-presets"], cwd=src, capture_output=True, text=True)
if listed.returncode:
    errors.append("cmake --list-presets: " + listed.stderr.strip())
for name in ("dev", "release", "asan", "tsan", "fuzz"):
    if name not in presets:
        errors.append("no configure preset %r" % name)
for name, (cc, binary_dir, cache) in sorted(wanted.items()):
    p = presets.get(name)
    if not p:
        errors.append("run-all.sh has %s, CMakePresets.json has no preset %r" % (name, name))
        continue
    got = (p.get("environment", {}).get("CC"), p.get("binaryDir"), p.get("cacheVariables", {}))
    want = (cc, "${sourceDir}/" + binary_dir, cache)
    if got != want:
        errors.append("preset %s: CC, binaryDir, cache %s; run-all.sh: %s" % (name, got, want))
if presets.get("release", {}).get("cacheVariables", {}).get("CMAKE_BUILD_TYPE") != "Release":
    errors.append("preset release is not a Release build")
for e in errors:
    print("FAIL:", e)
if not errors:
    print("ok: the presets %s configure as tests/run-all.sh does" % ", ".join(sorted(wanted)))
sys.exit(1 if errors else 0)
