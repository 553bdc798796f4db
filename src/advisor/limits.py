"""Server-side limits: a per-client rate limit and a bounded queue in front of the advisor."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class RateLimiter:
    """Token bucket per client key (kept in memory only, never stored): `per_minute` requests a minute,
    with bursts up to the same number."""

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait before the next one."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


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
