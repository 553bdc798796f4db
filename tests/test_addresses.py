"""Host names and networks as the settings give them: parsed, refused when malformed, and matched."""

from __future__ import annotations

import pytest

from advisor.addresses import HostRule, in_networks, parse_networks, split_host
from advisor.errors import ConfigError


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("example.com", ("example.com", None)),
        ("Example.COM:8443", ("example.com", 8443)),
        ("[::1]:7860", ("::1", 7860)),
        ("::1", ("::1", None)),
        ("example.com:http", None),
        ("example.com:70000", None),
    ],
)
def test_split_host(value: str, parts: tuple[str, int | None] | None) -> None:
    assert split_host(value) == parts


def test_a_rule_without_a_port_stands_for_the_default_and_the_listening_port() -> None:
    rule = HostRule.parse("advisor.example.com")
    assert rule.matches("advisor.example.com", None, "https", 7860)
    assert rule.matches("advisor.example.com", 7860, "http", 7860)
    assert not rule.matches("advisor.example.com", 8000, "http", 7860)
    assert not rule.matches("evil.example.com", None, "https", 7860)
    wildcard = HostRule.parse("*.example.org")
    assert wildcard.matches("a.example.org", None, "https", 1) and not wildcard.matches("example.org", None, "https", 1)
    assert HostRule.parse("localhost:9000").matches("localhost", 9000, "http", 7860)


@pytest.mark.parametrize("entry", ["https://advisor.example.com", "a b", "*", "host/path", ""])
def test_malformed_host_entries_are_refused(entry: str) -> None:
    with pytest.raises(ConfigError):
        HostRule.parse(entry)


def test_networks() -> None:
    networks = parse_networks(["10.0.0.0/8", "127.0.0.1", "::1"])
    assert in_networks("10.1.2.3", networks) and in_networks("127.0.0.1", networks) and in_networks("::1", networks)
    assert not in_networks("192.168.0.1", networks) and not in_networks("not an address", networks)
    assert not in_networks("10.1.2.3", ())
    with pytest.raises(ConfigError, match="IP addresses or networks"):
        parse_networks(["*"])
