"""Host names and network addresses as settings and requests give them: parsed, validated and matched.

Used by the settings (ADVISOR_ALLOWED_HOSTS, ADVISOR_TRUSTED_PROXIES) and by the server's request policy.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ConfigError

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_NAME = re.compile(r"^(\*\.)?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class HostRule:
    """One entry of ADVISOR_ALLOWED_HOSTS: a name (or `*.example.com`), with an optional port. Without a port
    it stands for the scheme's default port and the port the server listens on."""

    name: str
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> HostRule:
        raw = text.strip().lower()
        if "://" in raw or "/" in raw or not raw:
            raise ConfigError(
                f"ADVISOR_ALLOWED_HOSTS takes host names, optionally with a port, such as advisor.example.com "
                f"or localhost:7860 (no scheme, no path); got {text!r}."
            )
        parts = split_host(raw)
        if parts is None:
            raise ConfigError(f"ADVISOR_ALLOWED_HOSTS: {text!r} has a port that is not a port number.")
        name, port = parts
        if not (is_ipv6(name) or _NAME.match(name)):
            raise ConfigError(f"ADVISOR_ALLOWED_HOSTS: {text!r} is not a host name or address.")
        return cls(name, port)

    def matches(self, name: str, port: int | None, scheme: str, server_port: int | None) -> bool:
        if self.name.startswith("*."):
            if not name.endswith(self.name[1:]):
                return False
        elif name != self.name:
            return False
        port = port if port is not None else DEFAULT_PORTS.get(scheme)
        if self.port is not None:
            return port == self.port
        return port in (DEFAULT_PORTS.get(scheme), server_port)


def split_host(value: str) -> tuple[str, int | None] | None:
    """(name, port) from a Host header value or a list entry (IPv6 addresses lose their brackets); None when
    the port is not a port number."""
    value = value.strip().lower()
    if value.startswith("[") and "]" in value:
        end = value.index("]")
        name, rest = value[1:end], value[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:]
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    else:  # a bare name, or an IPv6 address without brackets
        name, port_text = value, ""
    if not port_text:
        return name, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """ADVISOR_TRUSTED_PROXIES: addresses or networks (10.0.0.0/8), never '*'."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ConfigError(
                f"ADVISOR_TRUSTED_PROXIES takes IP addresses or networks of your reverse proxies, such as "
                f"127.0.0.1 or 10.0.0.0/8; got {entry!r}."
            ) from None
    return tuple(networks)


def in_networks(address: str | None, networks: tuple[Network, ...]) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def is_ipv6(name: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(name), ipaddress.IPv6Address)
    except ValueError:
        return False
