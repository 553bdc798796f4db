"""Server-side limits: one rate limit per client, and a bounded queue in front of the advisor."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from limits import RateLimitItem, RateLimitItemPerMinute

from .limit_storage import FailoverLimiter

ADMIN_FAILURES_PER_MINUTE = 5


class ClientLimiter:
    """One rate limit per client across every surface (API, chat, Gradio calls, MCP, admin): at most
    `per_minute` requests in any 60 seconds (a moving window, from the `limits` library). Clients are keyed by
    address only in memory (or, with `storage_uri` redis://..., in Redis, where every process counts them
    together) and never stored. Wrong admin tokens count against a tighter limit of their own."""

    def __init__(self, per_minute: int, storage_uri: str = "memory://") -> None:
        self.storage = FailoverLimiter(storage_uri)
        self._requests = RateLimitItemPerMinute(per_minute)
        self._failures = RateLimitItemPerMinute(ADMIN_FAILURES_PER_MINUTE)

    def check(self, client: str) -> float:
        """Counts one request; 0 when it may go ahead, else the seconds to wait before the next one."""
        if self.storage.run(lambda limiter: limiter.hit(self._requests, "requests", client)):
            return 0.0
        return self._wait(self._requests, "requests", client)

    def failures_wait(self, client: str) -> float:
        """Seconds this client must wait before presenting another admin token (0: it may try now)."""
        if self.storage.run(lambda limiter: limiter.test(self._failures, "admin-failures", client)):
            return 0.0
        return self._wait(self._failures, "admin-failures", client)

    def failed(self, client: str) -> None:
        self.storage.run(lambda limiter: limiter.hit(self._failures, "admin-failures", client))

    def _wait(self, item: RateLimitItem, *keys: str) -> float:
        reset = self.storage.run(lambda limiter: limiter.get_window_stats(item, *keys)).reset_time
        return max(1.0, reset - time.time())


def too_fast_message(wait: float) -> str:
    return f"You are asking faster than this service allows. Please wait {max(1, round(wait))} s and try again."


def client_address(request: object) -> str:
    """The client's address as the server sees it (after trusted proxies' X-Forwarded-For, if any)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"


class Busy(Exception):
    """More requests are waiting than the queue holds."""


class AdmissionGate:
    """At most `max_concurrent` requests run; up to `max_waiting` more wait; the rest are refused at once
    (a clean "busy" instead of a hang)."""

    def __init__(self, max_concurrent: int, max_waiting: int) -> None:
        self.max_concurrent = max_concurrent
        self.max_waiting = max_waiting
        self._semaphore: asyncio.Semaphore | None = None
        self._admitted = 0
        self._lock = threading.Lock()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        with self._lock:
            if self._admitted >= self.max_concurrent + self.max_waiting:
                raise Busy
            self._admitted += 1
        try:
            if self._semaphore is None:
                self._semaphore = asyncio.Semaphore(self.max_concurrent)
            async with self._semaphore:
                yield
        finally:
            with self._lock:
                self._admitted -= 1
