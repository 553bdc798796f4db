"""Start Role Advisor: bring the index up to date (incremental, instant when nothing changed), then serve the web
chat, the HTTP API and widget.js on ADVISOR_HOST:ADVISOR_PORT (default 127.0.0.1:7860)."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys

from advisor import AdvisorError, Settings
from advisor.config import ServerSettings
from advisor.indexing import Library
from advisor.logs import configure as configure_logging
from advisor.serve.app import serve
from advisor.serve.live import AdvisorHolder


def main() -> int:
    # The build runs in a child process (`advisor index`, which prints its report and progress here): the model
    # copies and libraries only a build needs (torch, for the one-time ONNX export) leave with it, so this
    # process serves with the memory of `advisor serve`.
    build = subprocess.Popen([sys.executable, "-m", "advisor", "index", "--wait", "120"])
    previous = signal.signal(signal.SIGTERM, lambda *_: build.terminate())  # stopping the app stops its build
    try:
        if build.wait() != 0:
            return build.returncode
    finally:
        signal.signal(signal.SIGTERM, previous)
    try:
        settings = Settings.from_env()
        server_settings = ServerSettings.from_env()
        configure_logging(logging.INFO)
        holder = AdvisorHolder(Library(settings))
    except AdvisorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    serve(holder, settings=server_settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
