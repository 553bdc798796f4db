"""Start Role Advisor: bring the index up to date (incremental, instant when nothing changed), then serve the web
chat, the HTTP API and widget.js on ADVISOR_HOST:ADVISOR_PORT (default 127.0.0.1:7860)."""

from __future__ import annotations

import logging
import os
import sys

from advisor import AdvisorError, Settings
from advisor.config import ServerSettings
from advisor.embedding import Embedder
from advisor.indexer import build
from advisor.live import AdvisorHolder
from advisor.server import serve


def main() -> int:
    host = os.environ.get("ADVISOR_HOST", "127.0.0.1")
    port_text = os.environ.get("ADVISOR_PORT", "7860")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        print(f"Error: ADVISOR_PORT must be a port number (1-65535), got {port_text!r}.", file=sys.stderr)
        return 1
    port = int(port_text)
    try:
        settings = Settings.from_env()
        server_settings = ServerSettings.from_env()
        logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG
        # One model in memory, shared by the build and the server.
        embedder = Embedder.from_settings(settings)
        print(build(settings, embedder=embedder, wait_seconds=120).format(), flush=True)
        holder = AdvisorHolder(settings, embedder)
    except AdvisorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    serve(holder, host=host, port=port, settings=server_settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
