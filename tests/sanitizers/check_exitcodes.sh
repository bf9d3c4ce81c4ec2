#!/usr/bin/env bash
# Usage: check_exitcodes.sh REPORT_PROGRAM address|thread
# Under the test environment's sanitizer options, each deliberate fault ends with the
# sanitizer's own status (23 for ASan, LSan and UBSan, which share one runtime and so one
# exit code; 66 for TSan), never with 0, 1 or 2.
set -u
program=$1 kind=$2
failures=0
expect() {
    local mode=$1 want=$2
    "$program" "$mode" >/dev/null 2>&1
    local got=$?
    if [ "$got" = "$want" ]; then
        echo "ok   $mode: exit $got"
    else
        echo "FAIL: $mode: exit $got, expected $want"
        failures=$((failures + 1))
    fi
}
case $kind in
*address*) expect leak 23; expect overflow 23; expect undefined 23 ;;
*thread*) expect race 66 ;;
*) echo "unknown sanitizer '$kind'"; exit 2 ;;
esac
expect clean 0
exit $((failures > 0))
