#!/usr/bin/env bash
# Run the tests: installs what is missing, then lint and the whole test suite (real model, real FAISS).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export HF_HUB_OFFLINE=1
.venv/bin/ruff check src tests app.py
exec .venv/bin/python -m pytest "$@"
