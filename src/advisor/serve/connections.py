"""Connection limits and read timeouts, below the app: what keeps a flood of slow or idle connections from
taking every file descriptor and starving real requests.

uvicorn closes idle keep-alive connections but has no timeout for a request that arrives slowly, and no cap on
connections short of running out of file descriptors. GuardedH11Protocol (uvicorn's h11 protocol, extended)
adds, per server (a ConnectionGuard, no global state):

- a header timeout: a request's headers must arrive whole within `header_timeout` seconds of the connection
  opening (or of the previous response ending);
- a body timeout: its body must arrive whole within `body_timeout` seconds of the headers;
- a cap on open connections, in all and per client address (proxies in ADVISOR_TRUSTED_PROXIES exempt from the
  latter). At the cap, the connection that has waited longest for its request (idle, or still sending it) is
  closed to make room; a new connection is refused only when every open one is busy with a request.
  A request that arrives whole in time is never closed for a slower one.

Closed and refused connections are counted and logged as one line every LOG_INTERVAL seconds, not one line
each: a flood must not fill the disk with its own log.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import resource
import struct
import termios
from collections import OrderedDict
from functools import partial
from itertools import islice
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..addresses import in_networks, parse_networks

log = logging.getLogger("advisor")
LOG_INTERVAL = 10.0
VICTIM_SEARCH = 32
_BUSY_BODY = b'{"detail": "The server has too many open connections. Please try again shortly."}'
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 5\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY)
)


class ConnectionGuard:
    """Counts the open connections of one server and decides which to close."""

    def __init__(
        self,
        max_connections: int,
        max_per_client: int,
        header_timeout: float,
        body_timeout: float,
        trusted_proxies: tuple[str, ...] = (),
    ) -> None:
        self.max_connections = max_connections
        self.max_per_client = max_per_client
        self.header_timeout = header_timeout
        self.body_timeout = body_timeout
        self._proxies = parse_networks(trusted_proxies)
        self._open: dict[GuardedH11Protocol, str] = {}
        self._per_client: dict[str, int] = {}
        # Connections waiting for a request (idle, or still sending it), oldest first: the ones to close first.
        self._waiting: OrderedDict[GuardedH11Protocol, None] = OrderedDict()
        self._waiting_by_client: dict[str, OrderedDict[GuardedH11Protocol, None]] = {}
        self.counts = {"refused": 0, "made room": 0, "timed out": 0}
        self._log_scheduled = False

    def __len__(self) -> int:
        return len(self._open)

    def admit(self, conn: GuardedH11Protocol, client: str) -> bool:
        """Registers a new connection, closing older waiting ones to make room; False when it must be refused."""
        crowded = not in_networks(client, self._proxies) and self._per_client.get(client, 0) >= self.max_per_client
        made_room = not crowded or self._close_oldest(self._waiting_by_client.get(client))
        if made_room and len(self._open) >= self.max_connections:
            made_room = self._close_oldest(self._waiting)
        if not made_room:
            self._count("refused", conn)
            return False
        self._open[conn] = client
        self._per_client[client] = self._per_client.get(client, 0) + 1
        self.waiting(conn)
        return True

    def waiting(self, conn: GuardedH11Protocol) -> None:
        """conn waits for a request: it may be closed to make room, oldest first."""
        client = self._open.get(conn)
        if client is None:
            return
        self._waiting[conn] = None
        self._waiting.move_to_end(conn)
        queue = self._waiting_by_client.setdefault(client, OrderedDict())
        queue[conn] = None
        queue.move_to_end(conn)

    def busy(self, conn: GuardedH11Protocol) -> None:
        """conn's request arrived whole: it is served, not closed to make room."""
        self._waiting.pop(conn, None)
        client = self._open.get(conn)
        if client is not None and client in self._waiting_by_client:
            self._waiting_by_client[client].pop(conn, None)

    def release(self, conn: GuardedH11Protocol) -> None:
        self.busy(conn)
        client = self._open.pop(conn, None)
        if client is None:
            return
        left = self._per_client.get(client, 1) - 1
        if left > 0:
            self._per_client[client] = left
        else:
            self._per_client.pop(client, None)
            self._waiting_by_client.pop(client, None)

    def timed_out(self, conn: GuardedH11Protocol) -> None:
        self._count("timed out", conn)

    def _close_oldest(self, queue: OrderedDict[GuardedH11Protocol, None] | None) -> bool:
        if not queue:
            return False
        # The oldest connection that has nothing more to say: one whose request bytes are already in the
        # kernel's buffer was only not read yet (a burst of new connections comes before the loop reads
        # them), and is about to become a request. Looking further than a few is not worth the system calls.
        candidates = list(islice(queue, VICTIM_SEARCH))
        victim = next((c for c in candidates if not c.has_unread_data()), candidates[0])
        self.release(victim)  # now, not when the transport reports the close on a later loop turn
        victim.close()
        self._count("made room", victim)
        return True

    def _count(self, what: str, conn: GuardedH11Protocol) -> None:
        self.counts[what] += 1
        if not self._log_scheduled:
            self._log_scheduled = True
            conn.loop.call_later(LOG_INTERVAL, self._log)

    def _log(self) -> None:
        self._log_scheduled = False
        counts, self.counts = self.counts, dict.fromkeys(self.counts, 0)
        parts = []
        if counts["refused"]:
            parts.append(f"{counts['refused']} refused (all {self.max_connections} open connections were busy)")
        if counts["made room"]:
            parts.append(f"{counts['made room']} waiting ones closed to make room for new ones")
        if counts["timed out"]:
            parts.append(
                f"{counts['timed out']} closed for not sending their request in time "
                f"({self.header_timeout:g} s for headers, {self.body_timeout:g} s for the body)"
            )
        if parts:
            log.warning("Connections in the last %g s: %s; %d open now.", LOG_INTERVAL, "; ".join(parts), len(self))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the guard's limits and read timeouts."""

    def __init__(self, *args: Any, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if not self.guard.admit(self, self.client[0] if self.client else "unknown"):
            transport.write(_BUSY)
            self.close()
            return
        self._arm(self.guard.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.guard.release(self)
        super().connection_lost(exc)

    def handle_events(self) -> None:
        before = self.conn.their_state
        super().handle_events()
        after = self.conn.their_state
        if after is h11.SEND_BODY and before is not h11.SEND_BODY:
            self._arm(self.guard.body_timeout)  # headers arrived: now the body has its own time
            self.guard.waiting(self)  # progress: the last to be closed to make room
        elif after is h11.DONE and before is not h11.DONE:
            self._disarm()
            self.guard.busy(self)

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request at once
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self.guard.waiting(self)
            self._arm(self.guard.header_timeout)

    def shutdown(self) -> None:
        """The server is stopping: a request that has not arrived whole will not be answered; close at once."""
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.close()
            return
        super().shutdown()

    def has_unread_data(self) -> bool:
        """Bytes from the client wait in the kernel's receive buffer (FIONREAD), not yet read by the loop."""
        sock = self.transport.get_extra_info("socket") if self.transport is not None else None
        if sock is None or self.transport.is_closing():
            return False
        try:
            return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0] > 0
        except OSError:
            return False

    def close(self) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self.transport.close()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.their_state is h11.IDLE and self.cycle is not None and not self.cycle.response_complete:
            return  # a response is still being written; the next request's clock starts after it
        self.guard.timed_out(self)
        self.close()


def fit_to_descriptors(max_connections: int, reserve: int = 256) -> int:
    """The connection cap this process can keep: raises the soft limit on open files towards the hard one
    when the cap needs it, else lowers the cap. Each kept connection is a file, and so is each one accepted
    in a batch before the guard sees it (up to the cap, the listen backlog); the reserve is for the index
    files, the database and logs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * max_connections + reserve
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < needed:
        fitted = max(16, (soft - reserve) // 2)
        log.warning(
            "ADVISOR_MAX_CONNECTIONS=%d needs about %d open files; this process may open %d, so at most %d "
            "connections are kept.", max_connections, needed, soft, fitted,
        )  # fmt: skip
        return fitted
    return max_connections


def protocol_factory(guard: ConnectionGuard) -> Any:
    """What uvicorn's Config(http=...) takes: it calls this with its own arguments for every connection."""
    return partial(GuardedH11Protocol, guard=guard)
