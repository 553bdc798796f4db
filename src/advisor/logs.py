"""Log lines that repeat: the first passes, then at most one per interval, saying how many were held back.

A flood of bad requests or refused connections would otherwise write one line each (uvicorn's "Invalid HTTP
request received.", asyncio's "socket.accept() out of system resource") and fill the disk.
"""

from __future__ import annotations

import logging
import time

REPEAT_INTERVAL = 10.0
# The loggers that write a line per bad request or per failed accept.
NOISY_LOGGERS = ("uvicorn.error", "asyncio")


class RepeatFilter(logging.Filter):
    def __init__(self, interval: float = REPEAT_INTERVAL, max_kinds: int = 1000) -> None:
        super().__init__()
        self.interval = interval
        self.max_kinds = max_kinds
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        # The first line of the template tells kinds apart (asyncio appends socket details to it).
        key = (record.name, str(record.msg).split("\n", 1)[0][:200])
        now = time.monotonic()
        last, held = self._seen.get(key, (None, 0))
        if last is not None and now - last < self.interval:
            self._seen[key] = (last, held + 1)
            return False
        if len(self._seen) >= self.max_kinds:
            self._seen.clear()
        self._seen[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last {self.interval:.0f} s)"
        return True


def configure(level: int = logging.INFO) -> None:
    """Log lines as "LEVEL: message" on stderr; the advisor's at `level`, libraries' warnings only."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger("advisor").setLevel(level)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG


def quiet_repeats(interval: float = REPEAT_INTERVAL) -> None:
    """Puts one RepeatFilter on each noisy logger (once, however often it is called)."""
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RepeatFilter) for f in logger.filters):
            logger.addFilter(RepeatFilter(interval))
