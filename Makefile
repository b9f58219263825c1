# Makefile — a thin wrapper for those who have make; the scripts do the work
# (a fresh machine has no make: use ./run.sh and ./test.sh there).
.PHONY: run test test-compose fuzz chaos load build clean
run:
	./run.sh
test:
	./test.sh
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
