#!/usr/bin/env bash
# Rewrite requirements.lock from what is installed in .venv (after changing pyproject.toml dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Exact versions the project is tested with (pip install -r requirements.lock). torch is the CPU build:"
  echo "# an unpinned torch resolves to a multi-GB CUDA build. Regenerate with scripts/lock.sh."
  .venv/bin/python -m pip freeze --exclude-editable | grep -v '^role-advisor' | sed -E 's/^torch==([0-9.]+)\+cpu$/torch==\1/'
} > requirements.lock
