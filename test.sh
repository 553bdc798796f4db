#!/usr/bin/env bash
# Run the tests: installs what is missing, then lint and the whole test suite (real model, real FAISS).
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
.venv/bin/ruff check src tests app.py benchmarks
exec .venv/bin/python -m pytest "$@"
