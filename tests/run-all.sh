#!/usr/bin/env bash
# Builds framepipe three ways and runs the whole CTest suite in each:
#   build/        gcc, RelWithDebInfo, plus valgrind memcheck over a headless run
#   build-asan/   clang, AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included)
#   build-tsan/   gcc, ThreadSanitizer
#   build-fuzz/   clang, libFuzzer + ASan + UBSan: the fuzz targets alone, each after replaying
#                 its tests/fuzz/regressions: fuzz_player for FP_FUZZ_SECONDS (default 120),
#                 fuzz_control (seeks and steps) for FP_FUZZ_CONTROL_SECONDS (default 60)
# Every build is warning-free or fails (-Werror).
# Usage: tests/run-all.sh [plain|asan|tsan|fuzz ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(plain asan tsan fuzz)

run() {
    local dir=$1
    shift
    echo "=== $dir: $*"
    cmake -S . -B "$dir" -DFP_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

fuzz() {
    echo "=== build-fuzz: libFuzzer for ${FP_FUZZ_SECONDS:-120} s + ${FP_FUZZ_CONTROL_SECONDS:-60} s"
    cmake -S . -B build-fuzz -DFP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFP_FUZZ=ON \
        -DFP_SANITIZE=address,undefined -DBUILD_TESTING=OFF >/dev/null
    cmake --build build-fuzz -j "$jobs" --target fuzz_player fuzz_control
    tests/fuzz/run.sh build-fuzz/tests/fuzz/fuzz_player build-fuzz/fuzz-work "${FP_FUZZ_SECONDS:-120}"
    tests/fuzz/run.sh build-fuzz/tests/fuzz/fuzz_control build-fuzz/fuzz-control-work \
        "${FP_FUZZ_CONTROL_SECONDS:-60}"
}

for config in "${configs[@]}"; do
    case $config in
    plain) CC=gcc run build -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
    asan) CC=clang run build-asan -DCMAKE_BUILD_TYPE=Debug -DFP_SANITIZE=address,undefined ;;
    tsan) CC=gcc run build-tsan -DCMAKE_BUILD_TYPE=Debug -DFP_SANITIZE=thread ;;
    fuzz) CC=clang fuzz ;;
    *) echo "unknown configuration '$config' (plain, asan, tsan, fuzz)" >&2; exit 2 ;;
    esac
done
echo "all configurations passed: ${configs[*]}"
