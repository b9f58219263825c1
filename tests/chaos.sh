#!/bin/bash
# chaos.sh — the long form of the chaos test (the short form runs in the
# suite): 20,000 generated articles through the four real daemons on
# loopback while a random stage gets SIGKILL every few seconds (each stage
# 5 times) and is restarted, and the subscriber is killed and resumes with
# --since.  Prints the counts; exit 0 only if nothing was lost or doubled.
#   tests/chaos.sh [ARTICLES [RATE [KILLS]]]      (make chaos)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-20000}
rate=${2:-200}
kills=${3:-5}
[ -f build-test/build.ninja ] || meson setup build-test >/dev/null
ninja -C build-test >/dev/null
export MARSAD_BUILD_ROOT=$PWD/build-test MARSAD_ALLOW_ROOT=1
exec build-test/tests/test_chaos "$articles" "$rate" "$kills"
