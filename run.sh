#!/bin/bash
# run.sh — install what is missing, build, and run the whole marsad pipeline
# on its default config (deploy/marsad.conf), printing alerts as they fire.
# Stop with Ctrl-C.  Extra arguments go to `marsad up` (e.g. -c my.conf).
set -euo pipefail
cd "$(dirname "$0")"
deploy/install-deps.sh build
[ -f build/build.ninja ] || meson setup build -Dtests=false >/dev/null
ninja -C build >/dev/null
config=deploy/marsad.conf
[ $# -gt 0 ] || set -- -c "$config"
# The daemons refuse root unless told: this quick start may be run as root
# on a fresh machine, so it tells them, and says so.
if [ "$(id -u)" = 0 ]; then
    echo "marsad: running as root, so the daemons get --allow-root; as an ordinary user they need no such flag"
    set -- --allow-root "$@"
fi
echo "marsad: starting the pipeline ($*); alerts appear below. Ctrl-C stops."
echo "marsad: in another terminal: build/cli/marsad tail -c $config --since 0"
exec build/cli/marsad up --show-alerts "$@"
