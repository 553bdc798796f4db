"""One rate limit per client across every surface (API, Gradio's API, MCP, admin), served for real on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
from gradio_client import Client

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.serve.answers_store import Store
from advisor.serve.app import create_app
from advisor.serve.limits import ADMIN_FAILURES_PER_MINUTE

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


def test_the_answers_store_keeps_at_most_its_cap_oldest_first(tmp_path: Path, advisor: Advisor) -> None:
    store = Store(tmp_path / "f.sqlite3", max_answers=5)
    answer = advisor.ask(QUESTION)
    ids = [store.record_answer(f"question {i}", answer) for i in range(8)]
    store.record_feedback(ids[-1], "down")
    kept = store._db.execute("SELECT question FROM answers ORDER BY rowid").fetchall()
    assert [q for (q,) in kept] == [f"question {i}" for i in range(3, 8)]
    assert len(store.feedback()) == 1
    store.close()
