"""Start the Role Advisor web chat: bring the index up to date (incremental, instant when nothing changed),
then serve on ADVISOR_HOST:ADVISOR_PORT (default 127.0.0.1:7860)."""

from __future__ import annotations

import os
import sys

from advisor import Advisor, AdvisorError, Settings
from advisor.indexer import build
from advisor.web import launch


def main() -> int:
    settings = Settings.from_env()
    try:
        report = build(settings)
        print(report.format(), flush=True)
        advisor = Advisor.load(settings=settings)
    except AdvisorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    launch(advisor, host=os.environ.get("ADVISOR_HOST", "127.0.0.1"), port=int(os.environ.get("ADVISOR_PORT", "7860")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
