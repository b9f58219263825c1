#!/bin/bash
# run.sh — build the libFuzzer targets (clang, ASan + UBSan, coverage in every
# object) into build-fuzz/ and run each one over its committed seed corpus.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   default: 10 s each, all targets
#   tests/fuzz/run.sh --merge [TARGET...]     fold what a run found into the
#                                             committed corpus (minimized)
#
# ./test.sh runs it with the default: a short run of each target inside the
# suite.  Longer runs are by hand (`tests/fuzz/run.sh 600`).  New inputs go to
# a scratch corpus under build-fuzz/, so a test run leaves the tree clean.
# A crash stops with exit 1 and leaves the reproducer in build-fuzz/fuzz-out/.
set -uo pipefail
cd "$(dirname "$0")/../.."
all=(fuzz_proto fuzz_config fuzz_query fuzz_feed fuzz_extract)
merge=0
secs=10
if [ "${1:-}" = --merge ]; then merge=1; shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then secs=$1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

command -v clang >/dev/null || { echo "fuzz: SKIPPED: clang is not installed"; exit 77; }
if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false >/dev/null || { echo "fuzz: meson setup failed"; exit 1; }
fi
ninja -C build-fuzz $(printf 'tests/%s ' "${targets[@]}") >/dev/null || { echo "fuzz: build failed"; exit 1; }

out=build-fuzz/fuzz-out
mkdir -p "$out"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
for t in "${targets[@]}"; do
    seeds=tests/fuzz/corpus_${t#fuzz_}
    scratch=$out/corpus_${t#fuzz_}
    mkdir -p "$scratch"
    if [ $merge = 1 ]; then
        build-fuzz/tests/$t -merge=1 -max_len=65536 "$seeds" "$scratch" >"$out/$t.log" 2>&1 \
            || { echo "fuzz: $t: merge failed (see $out/$t.log)"; status=1; continue; }
        echo "fuzz: $t: corpus now $(ls "$seeds" | wc -l) files"
        continue
    fi
    (cd "$out" && ../tests/$t -max_total_time="$secs" -max_len=65536 -timeout=20 \
        -rss_limit_mb=4096 -print_final_stats=1 "corpus_${t#fuzz_}" "../../$seeds") \
        >"$out/$t.log" 2>&1
    rc=$?
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$out/$t.log")
    if [ $rc = 0 ]; then
        echo "fuzz: $t: ok, ${runs:-?} runs in ${secs} s"
    else
        echo "fuzz: $t: FAILED (exit $rc)"
        grep -E "ERROR|SUMMARY|Test unit written" "$out/$t.log" | head -5
        status=1
    fi
done
[ $status = 0 ] && echo "fuzz: ${#targets[@]} passed, 0 failed" || echo "fuzz: failed"
exit $status
