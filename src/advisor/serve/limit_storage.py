"""Where rate-limit counters live: this process's memory, or Redis shared by every process, with memory standing
in while Redis does not answer (a rate limit must never cost an answer)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import redis
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

from ..errors import ConfigError

log = logging.getLogger("advisor")

SCHEMES = ("memory", "redis", "rediss", "redis+unix")
# How often a process whose Redis stopped answering asks it again (one request pays for the check).
RECHECK_SECONDS = 5.0
# Redis answers a loopback or LAN round trip in a millisecond; one that hangs must not hold requests for long.
REDIS_TIMEOUT_SECONDS = 0.5

T = TypeVar("T")


def redacted(uri: str) -> str:
    """The URI without its password, fit for a log line or an error message."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()


def shared_storage(uri: str) -> RedisStorage | None:
    """The `limits` Redis storage `uri` names (None for memory://), raising ConfigError, one line a person can
    act on, for a URI that cannot work. Nothing is connected yet."""
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise ConfigError(
            "ADVISOR_RATE_LIMIT_STORAGE must be memory:// (each process counts its own) or redis://host:port "
            f"(one count across processes; rediss:// and redis+unix:///path too), got {redacted(uri)!r}."
        )
    if scheme == "memory":
        return None
    try:
        # Our own pool: short timeouts, and one immediate retry (a pooled connection that went stale while Redis
        # restarted) instead of redis-py's default backoff, which would hold each request through an outage.
        pool = redis.ConnectionPool.from_url(
            uri.replace("redis+unix://", "unix://", 1),
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 1),
        )
    except ValueError as exc:
        raise ConfigError(f"ADVISOR_RATE_LIMIT_STORAGE {redacted(uri)!r} cannot be read: {exc}.") from None
    return RedisStorage(uri, connection_pool=pool, wrap_exceptions=True)


class FailoverLimiter:
    """A moving-window limiter on shared storage when `uri` names one, falling back to this process's memory
    while the shared storage fails (one warning per outage; `fallbacks` counts the checks made in memory) and
    going back to it once it answers again (asked at most every RECHECK_SECONDS)."""

    def __init__(self, uri: str = "memory://") -> None:
        self.uri = redacted(uri)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._storage = shared_storage(uri)
        self._shared = None if self._storage is None else MovingWindowRateLimiter(self._storage)
        self._lock = threading.Lock()
        self._down = False
        self._next_check = 0.0
        self.fallbacks = 0
        self.outages = 0
        if self._storage is not None:
            # Unreachable at start is an outage like any other: the server starts and counts in memory.
            reason = self._ping()
            if reason is not None:
                self._lost(reason)

    def run(self, operation: Callable[[MovingWindowRateLimiter], T]) -> T:
        """`operation` on the shared limiter, or on this process's own while the shared one is out."""
        shared = self._available()
        if shared is not None:
            try:
                return operation(shared)
            except StorageError as exc:
                self._lost(exc.storage_error)
        with self._lock:
            self.fallbacks += 1
        return operation(self._local)

    def _available(self) -> MovingWindowRateLimiter | None:
        if self._shared is None:
            return None
        with self._lock:
            if not self._down:
                return self._shared
            if time.monotonic() < self._next_check:
                return None
            # One request checks; the others keep counting in memory meanwhile.
            self._next_check = time.monotonic() + RECHECK_SECONDS
        if self._ping() is not None:
            return None
        with self._lock:
            if self._down:
                self._down = False
                log.info("Rate limits: %s answers again; counting there again.", self.uri)
        return self._shared

    def _ping(self) -> Exception | None:
        """None when the shared storage answers, else why not."""
        assert self._storage is not None
        try:
            self._storage.get_connection().ping()
        except (redis.RedisError, OSError) as exc:
            return exc
        return None

    def _lost(self, reason: Exception) -> None:
        with self._lock:
            self._next_check = time.monotonic() + RECHECK_SECONDS
            if self._down:
                return
            self._down = True
            self.outages += 1
        log.warning(
            "Rate limits: %s does not answer (%s); counting in this process's memory until it does "
            "(each process then allows the full limit). Answers go on.",
            self.uri,
            reason,
        )
