#!/usr/bin/env bash
# Usage: tests/fuzz/long.sh [SECONDS] [WORKDIR]
# The long fuzzing run, outside CI: builds both fuzzers (clang, libFuzzer, ASan + UBSan) in
# WORKDIR/build, writes a clip of every container the ffmpeg CLI can write (make-seeds.sh), and
# runs fuzz_player and fuzz_control side by side, one per core, for SECONDS each (default 3600),
# seeded with the assets, those clips and the kept regression inputs. Prints, per fuzzer, the
# executions, the coverage (libFuzzer's edges "cov" and features "ft"), the corpus and the crashes.
# A crash, leak or hang lands in WORKDIR/<fuzzer>-work/artifacts: minimise it with
# `fuzz_player -minimize_crash=1 FILE`, and keep it in tests/fuzz/regressions/{player,control},
# which CI replays. Exits 1 if either fuzzer found anything.
set -euo pipefail
seconds=${1:-3600}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mkdir -p "${2:-$root/build-fuzz-long}" && cd "${2:-$root/build-fuzz-long}" && pwd)

CC=clang cmake -S "$root" -B "$work/build" -DFP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFP_FUZZ=ON -DFP_SANITIZE=address,undefined -DBUILD_TESTING=OFF >/dev/null
cmake --build "$work/build" -j 2 --target fuzz_player fuzz_control
"$here/make-seeds.sh" "$work/containers"

pids=()
for fuzzer in fuzz_player fuzz_control; do
    # libFuzzer writes its log into the current directory: one directory per fuzzer.
    mkdir -p "$work/$fuzzer-work"
    (cd "$work/$fuzzer-work" &&
        FP_FUZZ_EXTRA_SEEDS="$work/containers" "$here/run.sh" "$work/build/tests/fuzz/$fuzzer" \
            "$work/$fuzzer-work" "$seconds" >"$work/$fuzzer.log" 2>&1) &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do
    wait "$pid" || status=1
done

for fuzzer in fuzz_player fuzz_control; do
    log=$work/$fuzzer.log
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    corpus=$(find "$work/$fuzzer-work/corpus" -type f | wc -l)
    found=$(find "$work/$fuzzer-work/artifacts" -type f | wc -l)
    echo "$fuzzer: ${seconds} s, ${execs:-?} executions (${rate:-?}/s), ${cov:-cov: ?}," \
        "corpus $corpus inputs, $found crashes/leaks/hangs"
    [ "$found" -eq 0 ] || status=1
done
exit $status
