"""Real servers on loopback for tests: the advisor app under uvicorn (configured as `advisor serve` configures
it: connection limits, timeouts), and static host pages on other origins."""

from __future__ import annotations

import http.server
import json
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from advisor.config import ServerSettings
from advisor.serve.app import server_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(app: FastAPI, settings: ServerSettings | None = None, port: int | None = None) -> Iterator[str]:
    """The app on a loopback port (a free one, or port: a server that comes back where it was)."""
    port = port or free_port()
    settings = replace(settings or ServerSettings(), host="127.0.0.1", port=port)
    config = server_config(app, settings, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_pages(pages: dict[str, str], folder: Path, port: int | None = None) -> Iterator[str]:
    """Static pages (name -> HTML) on their own loopback port, i.e. their own origin."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        (folder / name).write_text(html, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port or free_port()), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def mcp_call(url: str, question: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """One MCP tools/call of ask_role_advisor over streamable HTTP, as an MCP client sends it."""
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "ask_role_advisor", "arguments": {"question": question}},
    }
    # ASCII JSON, so that a test can send what a hostile client can (lone surrogates as \\ud800 escapes).
    content = json.dumps(body).encode()
    return httpx.post(f"{url}/gradio_api/mcp/", content=content, headers={**MCP_HEADERS, **(headers or {})}, timeout=30)


def mcp_text(response: httpx.Response) -> str:
    """The text content of an MCP tool result (the response is one Server-Sent Event)."""
    data = next(line[6:] for line in response.text.splitlines() if line.startswith("data: "))
    return "".join(part["text"] for part in json.loads(data)["result"]["content"])


def gradio_call(url: str, api_name: str, *args: object, headers: dict[str, str] | None = None) -> object:
    """A call through Gradio's HTTP API (/gradio_api/call/NAME, then its result stream), as curl would make it."""
    started = httpx.post(
        f"{url}/gradio_api/call/{api_name}",
        content=json.dumps({"data": list(args)}).encode(),
        headers={"content-type": "application/json", **(headers or {})},
        timeout=30,
    )
    started.raise_for_status()
    event_id = started.json()["event_id"]
    with httpx.stream("GET", f"{url}/gradio_api/call/{api_name}/{event_id}", headers=headers, timeout=30) as r:
        lines = list(r.iter_lines())
    event = next(line[7:] for line in lines if line.startswith("event: "))
    data = next(line[6:] for line in lines if line.startswith("data: "))
    assert event == "complete", (event, data)
    return json.loads(data)[0]


def wait_healthy(url: str, process: subprocess.Popen[Any], log: Path, seconds: float = 180) -> None:
    """Waits until the `advisor serve` process at url answers /healthz; raises with its log if it exits or does
    not answer in time."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)


def stop_process(process: subprocess.Popen[Any], timeout: float = 20) -> None:
    """SIGTERM, as a service manager sends it; killed if it has not stopped within timeout."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
