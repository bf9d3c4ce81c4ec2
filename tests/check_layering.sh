#!/usr/bin/env bash
# The walls between the rooms (docs/architecture.md), read from the sources:
#   - src/pipeline/ and src/index/ include no SDL header and no header of a room above them;
#   - src/player/ includes no SDL header: it reaches the window only through FPVideoSink;
#   - nothing below app/ and tools/ prints: no printf, puts or fprintf to stdout or stderr;
#   - no source file is over 600 lines.
# The link wall is test_pipeline, which links framepipe_pipeline alone.
set -u
root=${1:?usage: check_layering.sh SOURCE_DIR}
cd "$root" || exit 2
status=0
fail() { echo "FAIL: $*"; status=1; }

above_pipeline=$(ls src/output src/player app tools | grep '\.h$' | sort -u)
for h in $above_pipeline; do
    hits=$(grep -n "#include \"$h\"" src/pipeline/*.[ch] src/index/*.[ch] 2>/dev/null)
    [ -z "$hits" ] || fail "src/pipeline or src/index includes $h, from a room above: $hits"
done
hits=$(grep -nE '#include [<"](SDL|SDL2/)' src/pipeline/*.[ch] src/index/*.[ch] src/player/*.[ch])
[ -z "$hits" ] || fail "SDL headers below the output room: $hits"
hits=$(grep -nE '(^|[^a-z_])(printf|puts)\(|fprintf\((stdout|stderr)|fputs\([^)]*(stdout|stderr)\)' \
    src/*/*.[ch] include/framepipe/*.h)
[ -z "$hits" ] || fail "printing below app/: $hits"
while read -r lines file; do
    [ "$file" = total ] && continue
    [ "$lines" -le 600 ] || fail "$file has $lines lines (over 600)"
done < <(wc -l src/*/*.[ch] app/*.[ch] tools/*.[ch] include/framepipe/*.h)
[ $status -eq 0 ] && echo "ok: the pipeline and the index reach no SDL and no room above them; the player no SDL; nothing below app/ prints; every file is at most 600 lines"
exit $status
