#!/usr/bin/env bash
# Run the tests: installs what is missing, then lint, format check, type check and the whole test suite
# (real model, real FAISS, real servers, real browser).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
# The browser tests drive Debian's chromium (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> Installing chromium (Debian package) for the browser tests"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
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
