# Makefile — a thin wrapper for those who have make; the scripts do the work
# (a fresh machine has no make: use ./run.sh and ./test.sh there).
.PHONY: run test test-compose fuzz chaos load bench build clean
run:
	./run.sh
test:
	./test.sh
bench:
	[ -f build-test/build.ninja ] || meson setup build-test
	ninja -C build-test
	MARSAD_BUILD_ROOT=$$PWD/build-test MARSAD_SOURCE_ROOT=$$PWD build-test/bench/e2e-bench
chaos:
	tests/chaos.sh
load:
	tests/load.sh
fuzz:
	tests/fuzz/run.sh 600
test-compose:
	tests/compose/test-compose.sh
build:
	[ -f build/build.ninja ] || meson setup build
	ninja -C build
clean:
	rm -rf build build-test build-asan build-fuzz
