"""Connection limits, read timeouts and shutdown, against real servers on loopback: a bounded flood of slow
connections (the full-size one is in benchmarks/flood.py), and SIGTERM to real `advisor serve` and app.py
processes."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from advisor import Advisor, Settings
from advisor.config import ServerSettings
from advisor.serve import connections as connections_module
from advisor.serve.app import create_app
from advisor.serve.connections import ConnectionGuard

from ..conftest import ROOT
from ..servers import free_port, mcp_call, mcp_text, serve_app

QUESTION = "How much does an ML Performance Architect make?"


def _slow_request(url: str, source: str = "127.0.0.1") -> socket.socket:
    """A connection that sends a request's headers and the first byte of a 16,000-byte body, then nothing."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), source_address=(source, 0))
    sock.sendall(
        f"POST /api/ask HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        "Content-Length: 16000\r\n\r\n{".encode()
    )
    return sock


def _closed_by_server(sock: socket.socket, wait: float) -> bool:
    sock.settimeout(wait)
    try:
        while sock.recv(4096):
            pass  # a 503 may come first
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


@contextmanager
def _flood(count: int, url: str, source: str = "127.0.0.1") -> Iterator[list[socket.socket]]:
    with ExitStack() as stack:
        socks = []
        for _ in range(count):
            sock = _slow_request(url, source)
            stack.callback(sock.close)
            socks.append(sock)
        yield socks


def test_a_flood_of_slow_connections_leaves_normal_requests_answering(
    advisor: Advisor, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections_module, "LOG_INTERVAL", 0.5)
    settings = ServerSettings(
        feedback_db=tmp_path / "f.sqlite3",
        rate_limit_per_minute=1000,
        max_connections=40,
        header_timeout=2.0,
        body_timeout=2.0,
    )
    with (
        caplog.at_level(logging.WARNING),
        serve_app(create_app(advisor, settings), settings) as url,
        _flood(300, url) as flood,
    ):
        # Eight times as many slow connections as the server keeps: each new one closed the oldest waiting one.
        answers = [httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=10) for _ in range(8)]
        assert [r.status_code for r in answers] == [200] * 8
        assert "$185,000" in answers[-1].json()["answer"]
        closed = sum(_closed_by_server(s, 0.01) for s in flood[:250])
        assert closed >= 240  # the oldest ones made room (a few may still be closing)
        # The rest are closed when their body does not arrive in time.
        assert all(_closed_by_server(s, 5.0) for s in flood[-10:])
        assert httpx.get(f"{url}/healthz").status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "advisor" and "Connections in the last" in r.message]
    # A handful of summary lines, not one per connection.
    assert 1 <= len(lines) <= 12 and any("closed to make room" in line for line in lines)


def test_one_client_cannot_hold_more_than_its_share(advisor: Advisor, tmp_path: Path) -> None:
    settings = ServerSettings(
        feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=1000, max_connections_per_client=20
    )
    with serve_app(create_app(advisor, settings), settings) as url, _flood(100, url, source="127.0.0.2") as flood:
        time.sleep(0.3)
        assert sum(not _closed_by_server(s, 0.01) for s in flood) <= 20
        assert httpx.post(f"{url}/api/ask", json={"question": QUESTION}).status_code == 200


def test_a_request_that_does_not_arrive_in_time_is_closed(advisor: Advisor, tmp_path: Path) -> None:
    settings = ServerSettings(feedback_db=tmp_path / "f.sqlite3", header_timeout=1.0, body_timeout=1.0)
    with serve_app(create_app(advisor, settings), settings) as url:
        host, port = url.removeprefix("http://").split(":")
        silent = socket.create_connection((host, int(port)))
        partial = socket.create_connection((host, int(port)))
        partial.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        slow_body = _slow_request(url)
        for sock in (silent, partial, slow_body):
            assert _closed_by_server(sock, 5.0)
            sock.close()
        # A connection that sends whole requests is kept alive between them.
        with httpx.Client() as client:
            assert client.get(f"{url}/healthz").status_code == 200
            assert client.get(f"{url}/healthz").status_code == 200


class _Conn:
    """A stand-in connection for the guard's bookkeeping (the real protocol is exercised above)."""

    def __init__(self, loop: object) -> None:
        self.loop = loop
        self.closed = False
        self.unread = False

    def close(self) -> None:
        self.closed = True

    def has_unread_data(self) -> bool:
        return self.unread


class _Loop:
    def call_later(self, delay: float, callback: object) -> None:
        pass


def test_the_guard_closes_the_longest_waiting_connection_and_never_a_busy_one() -> None:
    guard = ConnectionGuard(max_connections=3, max_per_client=10, header_timeout=1, body_timeout=1)
    loop = _Loop()
    a, b, c, d, e = (_Conn(loop) for _ in range(5))
    for conn in (a, b, c):
        assert guard.admit(conn, "10.0.0.1")  # type: ignore[arg-type]
    guard.busy(a)  # a's request arrived whole: it is being answered
    assert guard.admit(d, "10.0.0.2")  # type: ignore[arg-type]
    assert (a.closed, b.closed, c.closed) == (False, True, False)  # b waited longest
    guard.busy(c)
    guard.busy(d)
    assert not guard.admit(e, "10.0.0.3")  # type: ignore[arg-type]  # all busy: the newcomer is refused
    assert not a.closed and len(guard) == 3
    guard.waiting(a)  # a's answer was sent; it waits for the next request
    assert guard.admit(e, "10.0.0.3") and a.closed  # type: ignore[arg-type]


def test_the_guard_spares_a_connection_whose_request_is_waiting_to_be_read() -> None:
    guard = ConnectionGuard(max_connections=2, max_per_client=10, header_timeout=1, body_timeout=1)
    loop = _Loop()
    fresh, stalled, newcomer = (_Conn(loop) for _ in range(3))
    assert guard.admit(fresh, "10.0.0.1") and guard.admit(stalled, "10.0.0.2")  # type: ignore[arg-type]
    fresh.unread = True  # its request arrived in the kernel's buffer during a burst of new connections
    assert guard.admit(newcomer, "10.0.0.3")  # type: ignore[arg-type]
    assert (fresh.closed, stalled.closed) == (False, True)


def _start(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen(
        command,
        env={**os.environ, **env, "ADVISOR_PORT": str(port), "HF_HUB_OFFLINE": "1"},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the server did not start"
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["advisor serve", "app.py"])
def test_sigterm_stops_the_server_promptly_with_mcp_calls_streams_and_slow_clients_open(
    command: str, product_settings: Settings, tmp_path: Path
) -> None:
    argv = [sys.executable, "-m", "advisor", "serve"] if command == "advisor serve" else [sys.executable, "app.py"]
    env = {
        "ADVISOR_CORPUS_DIR": str(product_settings.corpus_dir),
        "ADVISOR_INDEX_DIR": str(product_settings.index_dir),
        "ADVISOR_FEEDBACK_DB": str(tmp_path / "f.sqlite3"),
    }
    process, url = _start(argv, env)
    try:
        assert "$185,000" in mcp_text(mcp_call(url, QUESTION))
        streams = []
        for path, headers in (
            ("/gradio_api/heartbeat/a-session", {}),  # what an open chat page holds
            ("/gradio_api/mcp/", {"accept": "text/event-stream"}),  # an MCP client's listening stream
        ):
            stream = threading.Thread(target=lambda p=path, h=headers: _hold_stream(url + p, h), daemon=True)
            stream.start()
            streams.append(stream)
        slow = _slow_request(url)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        # Graceful shutdown waits ADVISOR_SHUTDOWN_TIMEOUT (3 s) for open responses; before the change it
        # waited on its own loopback connection for 20-40 s and more. 20 s catches a hang, not a slow machine.
        output = process.communicate(timeout=20)[0]
        slow.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "Finished server process" in output


def _hold_stream(url: str, headers: dict[str, str]) -> None:
    try:
        with httpx.stream("GET", url, headers=headers, timeout=None) as r:
            for _ in r.iter_bytes():
                pass
    except httpx.HTTPError:
        pass
