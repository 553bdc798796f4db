#!/usr/bin/env bash
# Run the Role Advisor web chat: installs what is missing, brings the index up to date, serves on
# http://127.0.0.1:7860 (ADVISOR_HOST / ADVISOR_PORT to change).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/python app.py "$@"
