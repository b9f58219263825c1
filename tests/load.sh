#!/bin/bash
# load.sh — the load test (issue 8): the four real daemons on loopback, 20
# feeds growing faster than the machine can follow (default 1,200 articles/s)
# for 5 minutes.  Prints the sustained rate, each process's peak RSS and CPU
# seconds, what waits in the fetcher's outbox, and the error lines in the
# logs; exit 0 only if nothing picked up was dropped, no error was logged and
# every process stayed under 256 MiB.
#   tests/load.sh [SECONDS [RATE]]      (make load)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
rate=${2:-1200}
[ -f build-test/build.ninja ] || meson setup build-test >/dev/null
ninja -C build-test >/dev/null
export MARSAD_BUILD_ROOT=$PWD/build-test MARSAD_ALLOW_ROOT=1
exec build-test/tests/test_chaos load "$seconds" "$rate"
