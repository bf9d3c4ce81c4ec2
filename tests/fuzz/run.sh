#!/usr/bin/env bash
# Usage: run.sh FUZZER WORKDIR SECONDS [libFuzzer options...]
# FUZZER is fuzz_player or fuzz_control. Replays the inputs kept in regressions/player or
# regressions/control, then fuzzes for SECONDS, starting from a seed corpus made of assets/
# (small files whole, every file's first 16 KiB) and the regression inputs. The corpus grows in
# WORKDIR/corpus across runs; crashes, leaks and hangs land in WORKDIR/artifacts.
# FP_FUZZ_EXTRA_SEEDS=DIR adds DIR's files to the seeds the same way (tests/fuzz/long.sh gives
# it a clip of every container the ffmpeg CLI writes, from make-seeds.sh).
set -euo pipefail
fuzzer=$1 work=$2 seconds=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
kept=$here/regressions/$(basename "$fuzzer" | sed 's/^fuzz_//')
assets=$here/../../assets
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
for f in "$assets"/* ${FP_FUZZ_EXTRA_SEEDS:+"$FP_FUZZ_EXTRA_SEEDS"/*}; do
    case $f in *.sh | *.md) continue ;; esac
    name=$(basename "$f")
    if [ "$(stat -c %s "$f")" -le 65536 ]; then
        cp "$f" "$work/seeds/$name"
    fi
    head -c 16384 "$f" >"$work/seeds/$name.16k"
done
cp "$kept"/* "$work/seeds/" 2>/dev/null || true

options=(-rss_limit_mb=2560 -timeout=25 -max_len=65536 -print_final_stats=1
         -artifact_prefix="$work/artifacts/" "$@")
regressions=("$kept"/*)
if [ -e "${regressions[0]}" ]; then
    echo "replaying ${#regressions[@]} regression inputs"
    "$fuzzer" "${options[@]}" "${regressions[@]}"
fi
echo "fuzzing for $seconds s"
"$fuzzer" "${options[@]}" -max_total_time="$seconds" "$work/corpus" "$work/seeds"
echo "corpus: $(find "$work/corpus" -type f | wc -l) inputs"
