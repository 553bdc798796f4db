"""Which host names the server answers to, which peers are proxies, and which origins are the server's own.

The Host header is chosen by whoever sends the request, so nothing is derived from it: a request for a host
that is not on the list is refused (DNS rebinding), and the server's own origins come from the list and the
port the server listens on.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..addresses import HostRule, is_ipv6, split_host

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_BINDS = ("", "0.0.0.0", "::", "[::]")


class HostPolicy:
    """The allowed host names, checked against Host headers and Origins."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.rules = tuple(HostRule.parse(e) for e in entries)

    def allows_host(self, header: str, scheme: str, server_port: int | None) -> bool:
        parts = split_host(header) if header else None
        if parts is None:
            return False
        name, port = parts
        return any(rule.matches(name, port, scheme, server_port) for rule in self.rules)

    def own_origin(self, origin: str, server_port: int | None) -> bool:
        try:
            parts = urlsplit(origin)
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
            return False
        return any(rule.matches(parts.hostname, port, parts.scheme, server_port) for rule in self.rules)


def served_hosts(configured: tuple[str, ...], bind_host: str) -> tuple[str, ...]:
    """ADVISOR_ALLOWED_HOSTS, or when it is not set, the defaults for the address the server is bound to."""
    return configured or default_hosts(bind_host)


def default_hosts(bind_host: str) -> tuple[str, ...]:
    """Localhost names and the address the server is bound to; for a wildcard bind (0.0.0.0), the machine's
    name and the addresses it resolves to, since those are what people on the network type."""
    hosts = list(LOOPBACK_NAMES)
    bind = bind_host.strip().lower()
    if bind in WILDCARD_BINDS:
        name = socket.gethostname().lower()
        hosts.append(name)
        try:
            infos = socket.getaddrinfo(name, None)
        except OSError:
            infos = []
        for info in infos:
            address = str(info[4][0])
            hosts.append(f"[{address}]" if ":" in address else address)
    elif bind:
        hosts.append(f"[{bind}]" if is_ipv6(bind) else bind)
    return tuple(dict.fromkeys(hosts))
