#!/bin/bash
# install-deps.sh — install the Debian 12 packages marsad needs to build,
# test and run, if they are missing.  Used by ./run.sh and ./test.sh, so a
# fresh machine (no compiler, no make, empty apt lists) needs nothing else.
# Usage: deploy/install-deps.sh [build|test]
set -euo pipefail

pkgs=(gcc libc6-dev meson ninja-build pkg-config ca-certificates
      libcurl4-openssl-dev libxml2-dev libzmq3-dev libsqlite3-dev libicu-dev
      libjansson-dev zlib1g-dev libjemalloc-dev)
if [ "${1:-build}" = test ]; then
    pkgs+=(libcmocka-dev procps)
    pkgs+=(python3)     # tests/test_feed_conformance.py
    pkgs+=(clang libclang-rt-14-dev)   # tests/fuzz/run.sh (libFuzzer)
    pkgs+=(docker-compose)             # the fast suite's `docker-compose config -q`
    pkgs+=(valgrind)                   # test_pipeline_valgrind
    pkgs+=(nghttp2-server openssl)     # test_fetch_http: HTTP/2 over TLS from nghttpd
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "marsad: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then
        sudo="sudo"
    else
        echo "marsad: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# Empty package lists (a fresh machine) make every install fail: update once.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ] \
   || ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
