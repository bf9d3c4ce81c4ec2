#!/usr/bin/env bash
# Builds framepipe three ways and runs the whole CTest suite in each:
#   build/        gcc, RelWithDebInfo, plus valgrind memcheck over a headless run
#   build-asan/   clang, AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included)
#   build-tsan/   gcc, ThreadSanitizer
# Every build is warning-free or fails (-Werror). Usage: tests/run-all.sh [plain|asan|tsan ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(plain asan tsan)

run() {
    local dir=$1
    shift
    echo "=== $dir: $*"
    cmake -S . -B "$dir" -DFP_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

for config in "${configs[@]}"; do
    case $config in
    plain) CC=gcc run build -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
    asan) CC=clang run build-asan -DCMAKE_BUILD_TYPE=Debug -DFP_SANITIZE=address,undefined ;;
    tsan) CC=gcc run build-tsan -DCMAKE_BUILD_TYPE=Debug -DFP_SANITIZE=thread ;;
    *) echo "unknown configuration '$config' (plain, asan, tsan)" >&2; exit 2 ;;
    esac
done
echo "all configurations passed: ${configs[*]}"
