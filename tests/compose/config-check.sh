#!/bin/bash
# config-check.sh — the fast suite's look at deploy/docker-compose.yml:
# `docker-compose config -q` must accept it.  Exit 77 (skipped) where
# docker-compose is not installed.
cd "$(dirname "$0")/../.." || exit 1
command -v docker-compose >/dev/null || { echo "docker-compose not installed: skipped"; exit 77; }
exec docker-compose -f deploy/docker-compose.yml config -q
