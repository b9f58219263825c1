#!/bin/bash
# test.sh — install what is missing, build, and run the whole test suite:
# unit and integration tests in a normal build, then again in an
# ASan + UBSan build.  Exit status 0 only if everything passed.
set -euo pipefail
cd "$(dirname "$0")"
deploy/install-deps.sh test
start=$(date +%s)
[ -f build-test/build.ninja ] || meson setup build-test >/dev/null
ninja -C build-test
meson test -C build-test --print-errorlogs --num-processes 2
[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debug >/dev/null
ninja -C build-asan
meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3
echo "marsad: whole suite passed in $(( $(date +%s) - start )) s (normal and ASan/UBSan builds)"
