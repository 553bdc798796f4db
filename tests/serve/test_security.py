"""The request policy against the attacks that were tried on the server: forged Host and forwarded headers
(MCP takeover, DNS rebinding), bad JSON of every kind, routes the app does not need, and framing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.errors import ConfigError
from advisor.serve.app import create_app

from ..servers import free_port, gradio_call, mcp_call, mcp_text, serve_app

QUESTION = "How much does an ML Performance Architect make?"
TRUE_FIGURE = "$185,000 - $205,000"


class Attacker:
    """A server on loopback standing in for the attacker's: it logs whatever reaches it and answers falsely."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST"])
        async def anything(path: str, request: Request) -> JSONResponse:
            self.requests.append((request.method, path, dict(request.headers)))
            return JSONResponse({"event_id": "x", "answer": "ML Performance Architects make $1 a year."})

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))

    def __enter__(self) -> Attacker:
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            self.thread.join(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def attacker() -> Iterator[Attacker]:
    with Attacker() as a:
        yield a


def _settings(tmp_path: Path, **changes: object) -> ServerSettings:
    return ServerSettings(feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=1000, **changes)  # type: ignore[arg-type]


def test_a_forged_host_never_redirects_mcp_calls(advisor: Advisor, tmp_path: Path, attacker: Attacker) -> None:
    forged = {"Host": f"127.0.0.1:{attacker.port}", "X-Forwarded-Host": f"127.0.0.1:{attacker.port}"}
    # Default host list: the forged Host is refused before any routing.
    settings = _settings(tmp_path)
    with serve_app(create_app(advisor, settings), settings) as url:
        refused = mcp_call(url, QUESTION, forged)
        assert refused.status_code == 400 and "ADVISOR_ALLOWED_HOSTS" in refused.json()["detail"]
        assert TRUE_FIGURE in mcp_text(mcp_call(url, QUESTION))
    # Even with the attacker's host:port on the list (a careless configuration), MCP work stays in the process.
    careless = _settings(tmp_path, allowed_hosts=("127.0.0.1", f"127.0.0.1:{attacker.port}"))
    with serve_app(create_app(advisor, careless), careless) as url:
        first = mcp_call(url, QUESTION, forged)
        assert first.status_code == 200 and TRUE_FIGURE in mcp_text(first)
        later = mcp_call(url, QUESTION, {"Authorization": "Bearer victim-secret"})
        assert TRUE_FIGURE in mcp_text(later) and "$1 a year" not in mcp_text(later)
    assert attacker.requests == []


def test_hosts_not_served_get_400_and_the_own_origin_comes_from_the_list(advisor: Advisor, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with serve_app(create_app(advisor, settings), settings) as url:
        port = url.rsplit(":", 1)[1]
        body = {"question": "What does a Senior Cloud Engineer do?"}
        # DNS rebinding: the page's origin and Host are the attacker's name, resolved to this server.
        rebound = httpx.post(
            f"{url}/api/ask",
            json=body,
            headers={"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
        )
        assert rebound.status_code == 400 and rebound.headers["content-type"] == "application/json"
        assert rebound.headers["x-frame-options"] == "SAMEORIGIN"
        # A valid Host does not make any Origin the server's own.
        other = httpx.post(f"{url}/api/ask", json=body, headers={"Origin": f"http://evil.example:{port}"})
        assert other.status_code == 403
        for own in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            assert httpx.post(f"{url}/api/ask", json=body, headers={"Origin": own}).status_code == 200
        other_port = httpx.post(f"{url}/api/ask", json=body, headers={"Origin": "http://127.0.0.1:1"})
        assert other_port.status_code == 403
        # The refused page may read why, so that the widget can tell its owner what to change; nothing else.
        probe = httpx.get(f"{url}/api/roles", headers={"Origin": "http://127.0.0.1:1"})
        assert probe.status_code == 403 and probe.headers["access-control-allow-origin"] == "http://127.0.0.1:1"
        assert probe.json() == {
            "detail": "Origin http://127.0.0.1:1 is not allowed to use this advisor. Its operator can add it to "
            "ADVISOR_ALLOWED_ORIGINS."
        }


def test_forwarded_headers_count_only_from_trusted_proxies(advisor: Advisor, tmp_path: Path) -> None:
    ask = {"question": "What does a Senior Cloud Engineer do?"}
    # No trusted proxy (the default): X-Forwarded-For cannot choose a client's identity.
    settings = ServerSettings(feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=2)
    with serve_app(create_app(advisor, settings), settings) as url:
        codes = [
            httpx.post(f"{url}/api/ask", json=ask, headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
            for i in range(3)
        ]
        assert codes == [200, 200, 429]
        # Gradio's MCP landing page would show a forwarded host; it sees the real one.
        page = httpx.get(f"{url}/gradio_api/mcp/", headers={"X-Forwarded-Host": "evil.example", "Accept": "text/html"})
        assert "evil.example" not in page.text and "127.0.0.1" in page.text
    # Behind a trusted proxy, its X-Forwarded-For names the client; a forwarded host must be served too.
    proxied = ServerSettings(
        feedback_db=tmp_path / "g.sqlite3", rate_limit_per_minute=2, trusted_proxies=("127.0.0.0/8",)
    )
    with serve_app(create_app(advisor, proxied), proxied) as url:

        def via(client: str) -> int:
            return httpx.post(f"{url}/api/ask", json=ask, headers={"X-Forwarded-For": client}).status_code

        assert [via("10.0.0.1"), via("10.0.0.1"), via("10.0.0.1"), via("10.0.0.2")] == [200, 200, 429, 200]
        forwarded = httpx.post(f"{url}/api/ask", json=ask, headers={"X-Forwarded-Host": "evil.example"})
        assert forwarded.status_code == 400


BAD_BODIES = {
    "lone surrogate in the question": b'{"question": "salary \\ud800 x"}',
    "lone surrogate in the history": b'{"question": "salary", "history": [{"role": "user", "content": "a \\udfff"}]}',
    "lone surrogate in the role": b'{"question": "salary", "role": "\\ud800"}',
    "NaN": b'{"question": NaN}',
    "not UTF-8": b'{"question": "sal\xff\xfe"}',
    "nested 5,000 deep": b'{"question": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "a 5,000-digit number": b'{"question": ' + b"1" * 5000 + b"}",
    "truncated": b'{"question": ',
    "not an object": b"[1, 2]",
}


@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream", "/api/feedback"])
def test_bad_json_of_every_kind_gets_a_4xx_json_reason_and_the_connection_keeps_serving(
    advisor: Advisor, tmp_path: Path, path: str
) -> None:
    settings = _settings(tmp_path)
    with serve_app(create_app(advisor, settings), settings) as url, httpx.Client() as client:
        for name, body in BAD_BODIES.items():
            r = client.post(url + path, content=body, headers={"content-type": "application/json"})
            assert 400 <= r.status_code < 500, (name, r.status_code, r.text)
            assert r.headers["content-type"] == "application/json", name
            assert r.json()["detail"], name
            assert r.headers["content-security-policy"] and r.headers["x-frame-options"] == "SAMEORIGIN", name
            assert r.headers.get("connection") != "close", name
        comment = client.post(
            f"{url}/api/feedback",
            content=b'{"answer_id": "x", "rating": "up", "comment": "\\ud800"}',
            headers={"content-type": "application/json"},
        )
        assert comment.status_code == 422 and "not valid Unicode" in comment.text
        assert client.post(f"{url}/api/ask", json={"question": QUESTION}).status_code == 200


def test_lone_surrogates_through_gradio_and_mcp_get_a_clear_error(advisor: Advisor, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with serve_app(create_app(advisor, settings), settings) as url:
        result = gradio_call(url, "ask_role_advisor", "salary \ud800 x", "")
        assert "not valid Unicode" in result["error"]  # type: ignore[index]
        assert "not valid Unicode" in mcp_text(mcp_call(url, "salary \ud800 x"))
        assert TRUE_FIGURE in mcp_text(mcp_call(url, QUESTION))


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/upload",
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/run/respond",
        "/gradio_api/proxy=http://127.0.0.1:1/",
        "/monitoring",
        "/gradio_api/mcp/sse",
        "/gradio_api/vibe-edit",
    ],
)
def test_routes_the_app_does_not_need_answer_404(advisor: Advisor, tmp_path: Path, path: str) -> None:
    settings = _settings(tmp_path)
    with serve_app(create_app(advisor, settings), settings) as url:
        upload = httpx.post(url + path, files={"files": ("a.txt", b"x" * 1000)})
        assert upload.status_code == 404 and upload.json() == {"detail": "Not found."}
        assert httpx.get(url + path).status_code == 404
        assert httpx.get(url + "/").status_code == 200


def test_an_error_inside_the_app_is_a_json_500_with_the_security_headers(advisor: Advisor, tmp_path: Path) -> None:
    class Broken(Advisor):
        def ask(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise RuntimeError("boom")

    broken = Broken(advisor.stored, advisor.settings, advisor.embedder)
    settings = _settings(tmp_path)
    with serve_app(create_app(broken, settings), settings) as url, httpx.Client() as client:
        r = client.post(f"{url}/api/ask", json={"question": QUESTION})
        assert r.status_code == 500 and "keeps serving" in r.json()["detail"]
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "SAMEORIGIN"
        assert "boom" not in r.text
        assert client.get(f"{url}/healthz").status_code == 200


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ADVISOR_ALLOWED_HOSTS", "https://advisor.example.com", "no scheme"),
        ("ADVISOR_ALLOWED_HOSTS", "advisor.example.com:http", "port"),
        ("ADVISOR_TRUSTED_PROXIES", "*", "IP addresses or networks"),
        ("ADVISOR_TRUSTED_PROXIES", "proxy.local", "IP addresses or networks"),
        ("ADVISOR_MAX_CONNECTIONS", "0", "ADVISOR_MAX_CONNECTIONS must be at least 1"),
        ("ADVISOR_HEADER_TIMEOUT", "-1", "more than 0"),
        ("ADVISOR_PORT", "70000", "port number"),
    ],
)
def test_bad_security_settings_stop_with_a_message(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ServerSettings.from_env(env={variable: value})


def test_security_settings_are_read_from_the_environment() -> None:
    settings = ServerSettings.from_env(
        env={
            "ADVISOR_ALLOWED_HOSTS": "advisor.example.com, *.example.org",
            "ADVISOR_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1",
            "ADVISOR_HOST": "0.0.0.0",
            "ADVISOR_PORT": "8080",
        }
    )
    assert settings.allowed_hosts == ("advisor.example.com", "*.example.org")
    assert settings.trusted_proxies == ("10.0.0.0/8", "127.0.0.1")
    assert (settings.host, settings.port) == ("0.0.0.0", 8080)
