"""One rate limit per client across every surface (API, Gradio's API, MCP, admin), served for real on loopback."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.errors import ConfigError
from advisor.serve import limit_storage
from advisor.serve.app import create_app
from advisor.serve.limits import ADMIN_FAILURES_PER_MINUTE, ClientLimiter

from ..backends.redis import RedisServer
from ..servers import gradio_call, mcp_call, mcp_text, serve_app

QUESTION = "What does a Senior Cloud Engineer do?"
TOO_FAST = "faster than this service allows"


def test_mcp_calls_share_the_limit_whatever_forwarded_for_they_send(advisor: Advisor, tmp_path: Path) -> None:
    settings = ServerSettings(feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=3)
    with serve_app(create_app(advisor, settings), settings) as url:
        texts = [mcp_text(mcp_call(url, QUESTION, {"X-Forwarded-For": f"10.9.8.{i}"})) for i in range(5)]
    assert [TOO_FAST in t for t in texts] == [False, False, False, True, True]
    assert "Senior Cloud Engineer" in texts[0]


def test_one_limit_per_client_across_api_gradio_mcp_and_admin(advisor: Advisor, tmp_path: Path) -> None:
    settings = ServerSettings(
        feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=5, admin_token="an-admin-token-for-tests"
    )
    with serve_app(create_app(advisor, settings), settings) as url:
        assert httpx.post(f"{url}/api/ask", json={"question": QUESTION}).status_code == 200
        with httpx.stream("POST", f"{url}/api/ask/stream", json={"question": QUESTION}) as r:
            assert r.status_code == 200
        assert "Senior Cloud Engineer" in gradio_call(url, "ask_role_advisor", QUESTION, "")["answer"]  # type: ignore[index]
        assert Client(url + "/", verbose=False).predict(QUESTION, "", api_name="/ask_role_advisor")["answer"]
        assert TOO_FAST not in mcp_text(mcp_call(url, QUESTION))
        # Five used, one on each surface: the sixth is refused wherever it comes from.
        api = httpx.post(f"{url}/api/ask", json={"question": QUESTION})
        assert api.status_code == 429 and int(api.headers["retry-after"]) >= 1
        assert TOO_FAST in gradio_call(url, "ask_role_advisor", QUESTION, "")["error"]  # type: ignore[index]
        assert TOO_FAST in mcp_text(mcp_call(url, QUESTION))
        admin = httpx.post(f"{url}/api/admin/rebuild", headers={"Authorization": "Bearer an-admin-token-for-tests"})
        assert admin.status_code == 429
        assert httpx.post(f"{url}/api/feedback", json={"answer_id": "x", "rating": "up"}).status_code == 429
        assert httpx.get(f"{url}/healthz").status_code == 200  # reading the server's state is not limited


def test_wrong_admin_tokens_are_limited_on_every_surface(advisor: Advisor, tmp_path: Path) -> None:
    settings = ServerSettings(
        feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=1000, admin_token="an-admin-token-for-tests"
    )
    with serve_app(create_app(advisor, settings), settings) as url:
        codes = [
            httpx.post(f"{url}/api/admin/rebuild", headers={"Authorization": f"Bearer guess-{i}"}).status_code
            for i in range(ADMIN_FAILURES_PER_MINUTE + 3)
        ]
        assert codes == [403] * ADMIN_FAILURES_PER_MINUTE + [429] * 3
        # The limit holds for the right token too, and through the chat's rebuild function.
        right = httpx.post(f"{url}/api/admin/rebuild", headers={"Authorization": "Bearer an-admin-token-for-tests"})
        assert right.status_code == 429
        assert "Too many wrong tokens" in str(gradio_call(url, "rebuild_index", "guess"))


# Several processes: two apps served side by side share nothing but the Redis they are given, as two
# `advisor serve` processes would.


def _server_settings(tmp_path: Path, name: str, per_minute: int, storage: str) -> ServerSettings:
    return ServerSettings(
        feedback_db=tmp_path / f"{name}.sqlite3", rate_limit_per_minute=per_minute, rate_limit_storage=storage
    )


@contextmanager
def _two_processes(advisor: Advisor, tmp_path: Path, per_minute: int, storage: str) -> Iterator[tuple[str, str]]:
    first = _server_settings(tmp_path, "first", per_minute, storage)
    second = _server_settings(tmp_path, "second", per_minute, storage)
    with serve_app(create_app(advisor, first), first) as a, serve_app(create_app(advisor, second), second) as b:
        yield a, b


def _ask(url: str) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30)


def _refused(response: httpx.Response) -> bool:
    return response.status_code == 429 and int(response.headers["retry-after"]) >= 1


def test_with_redis_one_client_gets_the_limit_once_across_processes(
    advisor: Advisor, tmp_path: Path, redis_url: str
) -> None:
    with _two_processes(advisor, tmp_path, 4, redis_url) as (a, b):
        assert [_ask(url).status_code for url in (a, b, a)] == [200, 200, 200]
        assert TOO_FAST not in mcp_text(mcp_call(b, QUESTION))  # the fourth, through another surface
        assert _refused(_ask(a)) and _refused(_ask(b))
        assert TOO_FAST in mcp_text(mcp_call(a, QUESTION))


def test_in_memory_each_process_counts_its_own(advisor: Advisor, tmp_path: Path) -> None:
    with _two_processes(advisor, tmp_path, 2, "memory://") as (a, b):
        assert [_ask(url).status_code for url in (a, b, a, b)] == [200] * 4
        assert _refused(_ask(a)) and _refused(_ask(b))


def test_redis_down_costs_no_answers_and_its_return_brings_the_shared_limit_back(
    advisor: Advisor,
    tmp_path: Path,
    redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limit_storage, "RECHECK_SECONDS", 1.0)  # the product's 5 s would only slow the test
    caplog.set_level(logging.INFO, logger="advisor")
    with _two_processes(advisor, tmp_path, 3, redis_server.url) as (a, b):
        assert _ask(a).status_code == 200
        redis_server.stop()
        # Each process goes on answering, and limits the client with its own count: 3 each.
        for url in (a, b):
            assert [_ask(url).status_code for _ in range(3)] == [200] * 3
            assert _refused(_ask(url))
        lost = [r for r in caplog.records if "does not answer" in r.getMessage()]
        assert len(lost) == 2 and all(r.levelno == logging.WARNING for r in lost)  # one per process, not per request

        redis_server.start()  # empty again: nothing persisted
        time.sleep(limit_storage.RECHECK_SECONDS + 0.5)  # past the next check, so the next request asks Redis
        assert [_ask(url).status_code for url in (a, b, a)] == [200] * 3
        assert _refused(_ask(a)) and _refused(_ask(b))
    assert len([r for r in caplog.records if "answers again" in r.getMessage()]) == 2
    assert len([r for r in caplog.records if "does not answer" in r.getMessage()]) == 2


def test_redis_unreachable_at_start_is_a_warning_and_memory_until_it_answers(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limit_storage, "RECHECK_SECONDS", 1.0)
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="advisor")
    limiter = ClientLimiter(2, redis_server.url)  # starts, rather than refusing to
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert [limiter.check("10.0.0.1") == 0 for _ in range(3)] == [True, True, False]
    assert limiter.storage.outages == 1 and limiter.storage.fallbacks >= 3

    redis_server.start()
    time.sleep(limit_storage.RECHECK_SECONDS + 0.5)
    other = ClientLimiter(2, redis_server.url)  # another process on the same Redis
    assert limiter.check("10.0.0.1") == 0 and other.check("10.0.0.1") == 0
    assert other.check("10.0.0.1") > 0 and limiter.check("10.0.0.1") > 0
    assert len(caplog.records) == 1


@pytest.mark.parametrize(
    ("uri", "says"),
    [
        ("http://127.0.0.1:6379", "must be memory:// "),
        ("memcached://127.0.0.1:11211", "must be memory:// "),
        ("127.0.0.1:6379", "must be memory:// "),
        ("redis://127.0.0.1:notaport", "cannot be read"),
        ("redis://:a-secret@127.0.0.1:99999", "cannot be read"),
    ],
)
def test_a_storage_uri_that_cannot_work_is_one_clear_line(
    fake_advisor: Advisor, tmp_path: Path, uri: str, says: str
) -> None:
    settings = _server_settings(tmp_path, "f", 5, uri)
    with pytest.raises(ConfigError) as raised:
        create_app(fake_advisor, settings)
    message = str(raised.value)
    assert "ADVISOR_RATE_LIMIT_STORAGE" in message and says in message
    assert "\n" not in message and "a-secret" not in message


def test_a_redis_that_accepts_but_never_answers_is_an_outage_not_a_hang() -> None:
    # A real socket that takes connections and says nothing, as a hung Redis or a black-holed route would.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        limiter = ClientLimiter(1, f"redis://127.0.0.1:{silent.getsockname()[1]}")
        assert limiter.storage.outages == 1
        assert limiter.check("10.0.0.1") == 0 and limiter.check("10.0.0.1") > 0  # counted in memory
