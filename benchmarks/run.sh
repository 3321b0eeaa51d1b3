#!/usr/bin/env bash
# The shopper benchmark (docs/benchmarks.md): needs PostgreSQL and Redis on 127.0.0.1 (override
# with --database-server / --redis-url), installs wrk and the `bench` extra when missing,
# writes benchmarks/results.md and benchmarks/results.png. Extra arguments go to shopper.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package) ..."
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c 'import matplotlib, gunicorn, kernel' 2>/dev/null; then
    echo "installing the project with its bench extra ..."
    .venv/bin/pip install -q -e '.[bench]'
fi
exec .venv/bin/python benchmarks/shopper.py "$@"
