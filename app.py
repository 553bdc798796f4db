"""Start Role Advisor: bring the index up to date (incremental, instant when nothing changed), then serve the web
chat, the HTTP API and widget.js on ADVISOR_HOST:ADVISOR_PORT (default 127.0.0.1:7860)."""

from __future__ import annotations

import logging
import sys

from advisor import AdvisorError, Settings
from advisor.config import ServerSettings
from advisor.indexing import Library
from advisor.logs import configure as configure_logging
from advisor.serve.app import serve
from advisor.serve.live import AdvisorHolder


def main() -> int:
    try:
        settings = Settings.from_env()
        server_settings = ServerSettings.from_env()
        configure_logging(logging.INFO)
        # One model in memory, shared by the build and the server.
        library = Library(settings)
        print(library.build(wait_seconds=120).format(), flush=True)
        holder = AdvisorHolder(library)
    except AdvisorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    serve(holder, settings=server_settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
