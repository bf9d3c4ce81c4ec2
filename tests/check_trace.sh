#!/usr/bin/env bash
# Usage: check_trace.sh FRAMEPIPE MEDIA [PLAYER OPTIONS...]
# Plays MEDIA headless with --trace-ownership and checks the trace's invariants (check_trace.py).
set -euo pipefail
player=$1 media=$2
shift 2
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT
"$player" --headless --trace-ownership "$trace" "$@" "$media" >/dev/null
python3 "$(dirname "$0")/check_trace.py" "$trace"
