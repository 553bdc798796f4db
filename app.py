"""Start Role Advisor: bring the index up to date (incremental, instant when nothing changed), then serve the web
chat, the HTTP API and widget.js on ADVISOR_HOST:ADVISOR_PORT (default 127.0.0.1:7860)."""

from __future__ import annotations

import logging
import os
import sys

from advisor import AdvisorError, Settings
from advisor.config import ServerSettings
from advisor.indexer import build
from advisor.live import AdvisorHolder
from advisor.server import serve


def main() -> int:
    try:
        settings = Settings.from_env()
        server_settings = ServerSettings.from_env()
        logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
        print(build(settings, wait_seconds=120).format(), flush=True)
        holder = AdvisorHolder(settings)
    except AdvisorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    host = os.environ.get("ADVISOR_HOST", "127.0.0.1")
    port = int(os.environ.get("ADVISOR_PORT", "7860"))
    serve(holder, host=host, port=port, settings=server_settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
