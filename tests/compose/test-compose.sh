#!/bin/bash
# test-compose.sh — the Docker Compose deployment, for real (`make test-compose`,
# run by ./test.sh after the main suite).
#
# No image registry is reachable here, so the base image the Dockerfile names
# (debian:bookworm, and debian:bookworm-slim) is made locally with debootstrap
# and `docker import`; the Dockerfile stays the one users build.  A Docker
# engine of our own is started by hand (its data, exec root and socket under
# /var/tmp/marsad-compose), the stack is built and brought up with the demo
# config, extractors are scaled to 2, alerts are read from the host through the
# published port, a watch file is added while it runs and must take effect,
# then everything is taken down and the engine stopped by its pid.
#
# Where the machine cannot do this (not root, no Docker engine can start, the
# package mirror is unreachable) it says why and exits 0 as skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)

skip() { echo "test-compose: SKIPPED: $*"; exit 0; }
fail() { echo "test-compose: FAILED: $*"; exit 1; }

[ "${MARSAD_SKIP_COMPOSE:-0}" = 1 ] && skip "MARSAD_SKIP_COMPOSE=1"
[ "$(id -u)" = 0 ] || skip "needs root to start a Docker engine"
# Inside a chroot (a fresh-machine check, say) a Docker engine may start but
# cannot mount image layers: nothing to learn about marsad there.
init_root=$(stat -Lc %d:%i /proc/1/root 2>/dev/null || true)
if [ -n "$init_root" ] && [ "$(stat -c %d:%i /)" != "$init_root" ]; then
    skip "running inside a chroot, where a Docker engine cannot unpack images"
fi
if [ ! -x build-test/cli/marsad ]; then   # the subscriber on the host
    { [ -f build-test/build.ninja ] || meson setup build-test >/dev/null; } && ninja -C build-test cli/marsad >/dev/null \
        || fail "cannot build build-test/cli/marsad"
fi

work=/var/tmp/marsad-compose
mkdir -p "$work"
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
    echo "test-compose: installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >"$work/apt.log" 2>&1 \
        || skip "cannot install ${need[*]} (see $work/apt.log)"
fi

# -- the engine
export DOCKER_HOST=unix://$work/docker.sock
dockerd_pid=""
stop_engine() {
    if [ -n "$dockerd_pid" ]; then
        kill "$dockerd_pid" 2>/dev/null
        for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$dockerd_pid" 2>/dev/null
    fi
}
project=marsadtest$$
cleanup() {
    if [ -n "$dockerd_pid" ]; then
        docker-compose -p "$project" -f deploy/docker-compose.yml down -v --remove-orphans \
            >/dev/null 2>&1
    fi
    [ -n "${tail_pid:-}" ] && kill "$tail_pid" 2>/dev/null
    stop_engine
    rm -rf "${cfg:-/nonexistent-marsad}"
}
trap cleanup EXIT
dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/docker.pid" \
    -H "$DOCKER_HOST" >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
docker info >/dev/null 2>&1 || { tail -5 "$work/dockerd.log"; skip "the Docker engine did not start (see $work/dockerd.log)"; }

# An engine that cannot unpack even an empty image (a container without
# its own mounts, say) is the machine's limit, not marsad's.
probe=$(mktemp -d)
tar -C "$probe" -cf "$work/probe.tar" . && rmdir "$probe"
if ! docker import "$work/probe.tar" marsad-probe:latest >/dev/null 2>"$work/probe.err"; then
    skip "this Docker engine cannot import an image here: $(head -c 200 "$work/probe.err")"
fi
docker rmi marsad-probe:latest >/dev/null 2>&1

# -- the base image, made here
if ! docker image inspect debian:bookworm >/dev/null 2>&1; then
    if [ ! -s "$work/bookworm.tar" ]; then
        mirror=$( { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}';
                    grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } \
                  | grep -v -- '-security' | head -n 1)
        echo "test-compose: debootstrap bookworm from ${mirror:-?} (once, about a minute)"
        root=$(mktemp -d)
        debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
            || { rm -rf "$root"; skip "debootstrap failed (see $work/debootstrap.log)"; }
        tar -C "$root" -cf "$work/bookworm.tar" .
        rm -rf "$root"
    fi
    docker import "$work/bookworm.tar" debian:bookworm >/dev/null || fail "docker import"
fi
docker image inspect debian:bookworm-slim >/dev/null 2>&1 \
    || docker tag debian:bookworm debian:bookworm-slim

# -- the config: the shipped one with the demo polled every 3 s and no
#    outside feeds (their failures would only add noise)
cfg=$(mktemp -d /var/tmp/marsad-compose-cfg.XXXXXX)
cp -r deploy/watches.d deploy/demo "$cfg/"
awk '/^\[/{skip = ($0 ~ /^\[source / && $0 != "[source demo]")} !skip' deploy/marsad.conf \
    | sed 's/^interval = 60$/interval = 3/' >"$cfg/marsad.conf"
chmod -R a+rX "$cfg"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
              || echo $((20000 + RANDOM % 20000)); }
export MARSAD_CONFIG_DIR=$cfg MARSAD_ALERT_PORT=$(free_port) MARSAD_REPLAY_PORT=$(free_port)
compose() { docker-compose -p "$project" -f deploy/docker-compose.yml "$@"; }

compose config -q || fail "docker-compose config"
echo "test-compose: building the image"
if ! compose build >"$work/build.log" 2>&1; then
    grep -qE "Temporary failure resolving|Unable to fetch|Could not resolve|Failed to fetch" "$work/build.log" \
        && skip "the package mirror is unreachable from the build (see $work/build.log)"
    tail -30 "$work/build.log"
    fail "image build"
fi
start=$(date +%s)
compose up -d --scale extractor=2 >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "compose up"; }
n_extractors=$(compose ps -q extractor | wc -l)
[ "$n_extractors" = 2 ] || fail "expected 2 extractors, found $n_extractors"

# -- subscribe from the host, through the published ports
out="$cfg/alerts.jsonl"
MARSAD_ALERTER_PUBLISH=tcp://127.0.0.1:$MARSAD_ALERT_PORT \
MARSAD_ALERTER_REPLAY=tcp://127.0.0.1:$MARSAD_REPLAY_PORT \
    build-test/cli/marsad tail -c deploy/marsad.conf --since 0 --json >"$out" 2>"$cfg/tail.err" &
tail_pid=$!
wait_for() {   # wait_for N PATTERN SECONDS
    for _ in $(seq 1 "$3"); do
        [ "$(grep -c "$2" "$out" 2>/dev/null)" -ge "$1" ] && return 0
        sleep 1
    done
    return 1
}
if ! wait_for 4 '"schema":"marsad.alert/1"' 90; then
    compose logs --tail 30
    cat "$cfg/tail.err"
    fail "the 4 demo alerts did not arrive (got $(grep -c schema "$out"))"
fi
echo "test-compose: 4 demo alerts after $(( $(date +%s) - start )) s"
[ "$(grep -c '"watch":"bout-houthi-arms"' "$out")" = 2 ] || fail "bout-houthi-arms alerts"

# -- add a watch while it runs, then an article only it matches
cat >"$cfg/watches.d/sudan-gold.conf" <<'W'
[watch sudan-gold]
query = (Sudan OR السودان) AND (gold OR الذهب)
severity = low
W
chmod a+r "$cfg/watches.d/sudan-gold.conf"
sleep 6
cat >"$cfg/demo/articles/sudan-gold-ar.html" <<'A'
<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>شحنات الذهب من السودان</title></head>
<body><article><h1>شحنات الذهب من السودان</h1>
<p>قالت مصادر مطلعة إن شحنات من الذهب خرجت من السودان الشهر الماضي عبر مطار صغير في الشمال، مقابل أسلحة وذخائر.</p>
<p>ولم تعلق الحكومة السودانية على هذه المعلومات حتى الآن.</p></article></body></html>
A
python3 - "$cfg/demo/feed.xml" <<'P' 2>/dev/null || sed -i 's#</channel>#<item><title>شحنات الذهب من السودان</title><link>articles/sudan-gold-ar.html</link><guid isPermaLink="false">demo-sudan-gold-ar</guid></item></channel>#' "$cfg/demo/feed.xml"
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace('</channel>', '<item><title>شحنات الذهب من السودان</title><link>articles/sudan-gold-ar.html</link>'
              '<guid isPermaLink="false">demo-sudan-gold-ar</guid></item></channel>')
open(p, 'w').write(s)
P
chmod -R a+rX "$cfg"
if ! wait_for 1 '"watch":"sudan-gold"' 60; then
    compose logs --tail 30 alerter fetcher
    fail "the watch added while running did not fire"
fi
echo "test-compose: the added watch fired"
echo "test-compose: 1 passed, 0 failed"
