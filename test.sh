#!/usr/bin/env bash
# Run the tests: installs what is missing, then lint, format check, type check and the whole test suite
# (real model, real FAISS, real servers, real browser).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
# The browser tests drive Debian's chromium (never a downloaded browser); the deployment tests start real
# PostgreSQL, Redis and nginx servers on loopback ports. All from Debian's packages, installed when missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing ${missing[*]} (Debian packages) for the tests"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # No service starts at install time (the tests start their own servers on loopback ports); a policy the
  # machine already has is left as it is.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy"
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  [ -z "$policy" ] || $SUDO rm -f "$policy"
fi
export HF_HUB_OFFLINE=1
.venv/bin/ruff check src tests app.py benchmarks scripts
.venv/bin/ruff format --check src tests app.py benchmarks scripts
.venv/bin/mypy
# The whole suite also measures coverage (and fails below the floor in pyproject.toml); a chosen subset does not.
if [ $# -eq 0 ]; then
  set -- --cov --cov-report=term
fi
exec .venv/bin/python -m pytest "$@"
