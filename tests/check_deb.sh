#!/usr/bin/env bash
# Usage: check_deb.sh SOURCE_DIR MEDIA REF
# Builds the Debian packages from a copy of the source tree (dpkg-buildpackage -us -uc -b: the
# build leaves debian/ and obj-*/ behind, which must not land in the tree), runs lintian on
# them (no errors), extracts them with dpkg -x, and plays MEDIA headless with the extracted
# binary, bit-exact against REF. The extracted man page, desktop entry and library are checked
# to be where Debian wants them.
set -euo pipefail
src=$(cd "$1" && pwd) media=$2 ref=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$tmp/framepipe"
tar -C "$src" --exclude='./build*' --exclude=./Testing --exclude='./obj-*' --exclude=./.git \
    --exclude=./assets --exclude=./bench -cf - . | tar -C "$tmp/framepipe" -xf -
(cd "$tmp/framepipe" && dpkg-buildpackage -us -uc -b -j"$(nproc)") >"$tmp/build.log" 2>&1 ||
    { tail -40 "$tmp/build.log"; fail "dpkg-buildpackage"; }
debs=$(cd "$tmp" && ls ./*.deb | sort | tr '\n' ' ')
for pkg in framepipe libframepipe0 libframepipe-dev; do
    ls "$tmp/${pkg}"_*.deb >/dev/null 2>&1 || fail "no $pkg package among: $debs"
done
echo "ok: dpkg-buildpackage made $debs"

lintian --fail-on error --tag-display-limit 0 "$tmp"/*.changes >"$tmp/lintian.log" 2>&1 ||
    { cat "$tmp/lintian.log"; fail "lintian reports errors"; }
sed 's/^/lintian: /' "$tmp/lintian.log"
echo "ok: lintian reports no errors"

root=$tmp/root
for deb in "$tmp"/*.deb; do
    dpkg -x "$deb" "$root"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in usr/bin/framepipe "usr/lib/$multiarch/libframepipe.so.0" usr/share/man/man1/framepipe.1.gz \
    usr/share/applications/framepipe.desktop usr/share/bash-completion/completions/framepipe \
    usr/share/icons/hicolor/scalable/apps/framepipe.svg "usr/lib/$multiarch/pkgconfig/framepipe.pc"; do
    [ -e "$root/$f" ] || fail "not in the packages: /$f"
done
LD_LIBRARY_PATH=$root/usr/lib/$multiarch "$src/tests/check_framemd5.sh" "$root/usr/bin/framepipe" "$media" "$ref"
