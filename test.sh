#!/bin/bash
# test.sh — install what is missing, build, and run the whole test suite:
# unit and integration tests in a normal build, then again in an
# ASan + UBSan build, then a short run of each libFuzzer target, then the
# Docker Compose deployment
# (tests/compose/test-compose.sh).  Exit status 0 only if everything passed.
set -euo pipefail
cd "$(dirname "$0")"
deploy/install-deps.sh test
start=$(date +%s)
passed=0
failed=0

# run_suite DIR [meson options...]: configure once, build, test, count.
run_suite() {
    local dir=$1
    shift
    [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null
    ninja -C "$dir" >/dev/null
    local log rc=0
    log=$(mktemp)
    meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
        | tee "$log" || rc=$?
    passed=$((passed + $(awk '/^Ok:/ {print $2}' "$log")))
    failed=$((failed + $(awk '/^Fail:/ {print $2}' "$log") + $(awk '/^Timeout:/ {print $2}' "$log")))
    rm -f "$log"
    return $rc
}

status=0
run_suite build-test || status=1
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug || status=1
# A short libFuzzer run of each target over its committed corpus (clang).
fuzz_log=$(mktemp)
fuzz_rc=0
tests/fuzz/run.sh | tee "$fuzz_log" || fuzz_rc=${PIPESTATUS[0]}
if [ "$fuzz_rc" = 0 ]; then
    passed=$((passed + $(awk '/^fuzz: [0-9]+ passed/ {print $2}' "$fuzz_log")))
elif [ "$fuzz_rc" != 77 ]; then
    failed=$((failed + 1)); status=1
fi
rm -f "$fuzz_log"
# The Compose deployment, for real (skips with the reason where the machine
# cannot run a Docker engine).
compose_log=$(mktemp)
tests/compose/test-compose.sh | tee "$compose_log" || status=1
if grep -q "^test-compose: 1 passed" "$compose_log"; then
    passed=$((passed + 1))
elif ! grep -q "^test-compose: SKIPPED" "$compose_log"; then
    failed=$((failed + 1))
fi
rm -f "$compose_log"
echo "marsad: suite took $(( $(date +%s) - start )) s (normal and ASan/UBSan builds, fuzzers, Compose)"
echo "$passed passed, $failed failed"
exit $status
