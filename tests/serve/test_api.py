"""The HTTP API, the chat's Gradio API and MCP tool, served for real on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.serve.app import create_app
from advisor.serve.limits import AdmissionGate, Busy, ClientLimiter

from ..servers import serve_app

ALLOWED = "https://careers.example.com"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store") / "feedback.sqlite3"


@pytest.fixture(scope="module")
def url(advisor: Advisor, db: Path) -> Iterator[str]:
    settings = ServerSettings(allowed_origins=(ALLOWED,), feedback_db=db, rate_limit_per_minute=1000)
    with serve_app(create_app(advisor, settings)) as base:
        yield base


def _events(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_ask_returns_the_answer_contract_and_an_id_for_feedback(url: str, db: Path) -> None:
    r = httpx.post(f"{url}/api/ask", json={"question": "How much does an ML Performance Architect make?"})
    assert r.status_code == 200
    data = r.json()
    assert set(data) == {
        "answer",
        "citations",
        "role",
        "intent",
        "abstained",
        "not_mentioned",
        "answer_id",
        "blocks",
        "act",
        "ranking",
    }
    assert data["act"] == "answer" and data["ranking"] == []
    assert "$185,000 - $205,000" in data["answer"] and data["citations"][0]["n"] == 1
    # The same answer formatted for the widget: list items, markers pointing at citations, no null fields.
    listed = next(b for b in data["blocks"] if b["type"] == "list")
    assert {"cite": 1} in listed["items"][1] and all(set(s) <= {"text", "cite"} for s in listed["items"][1])
    passage = data["citations"][0]["blocks"][0]["items"][0]
    assert passage == [{"text": "Median Salary: "}, {"text": "$185,000 - $205,000", "mark": True}]
    assert httpx.post(f"{url}/api/feedback", json={"answer_id": data["answer_id"], "rating": "up"}).status_code == 204
    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT question, answer, chunk_ids FROM answers WHERE id = ?", (data["answer_id"],)
        ).fetchone()
        assert row[0] == "How much does an ML Performance Architect make?" and json.loads(row[2])
        assert con.execute("SELECT rating FROM feedback WHERE answer_id = ?", (data["answer_id"],)).fetchone() == (
            "up",
        )
        columns = {c[1] for t in ("answers", "feedback") for c in con.execute(f"PRAGMA table_info({t})")}
    assert not any("ip" in c or "addr" in c or "client" in c for c in columns)


def test_history_carries_the_role(url: str) -> None:
    r = httpx.post(
        f"{url}/api/ask",
        json={
            "question": "Which automation tools should I know?",
            "history": [{"role": "user", "content": "Tell me about the Senior Cloud Engineer role."}],
        },
    )
    assert r.json()["role"] == "Senior Cloud Engineer"


def test_stream_sends_sources_then_tokens_then_done(url: str) -> None:
    with httpx.stream(
        "POST", f"{url}/api/ask/stream", json={"question": "What degree does a Senior Cloud Engineer need?"}
    ) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = _events(r.read().decode())
    names = [e for e, _ in events]
    assert names[0] == "sources" and names[-1] == "done" and set(names[1:-1]) == {"token"}
    assert events[0][1]["citations"][0]["role"] == "Senior Cloud Engineer"
    done = events[-1][1]
    assert "".join(d["text"] for e, d in events if e == "token") == done["answer"]
    assert done["answer_id"]


def test_roles_health_and_openapi(url: str) -> None:
    roles = httpx.get(f"{url}/api/roles").json()["roles"]
    assert {r["name"] for r in roles} >= {"Senior Cloud Engineer", "ML Performance Architect"}
    health = httpx.get(f"{url}/healthz").json()
    assert (
        health["status"] == "ok"
        and health["chunks"] > 0
        and health["model"] == "all-MiniLM-L6-v2"
        and health["generation"]
    )
    schema = httpx.get(f"{url}/openapi.json").json()
    paths = {"/api/ask", "/api/ask/stream", "/api/feedback", "/api/roles", "/api/roles/{role}", "/healthz"}
    assert paths <= set(schema["paths"])
    ask = schema["components"]["schemas"]["AskRequest"]
    assert ask["required"] == ["question"] and set(ask["properties"]) == {"question", "history", "role"}
    assert "429" in schema["paths"]["/api/ask"]["post"]["responses"]


def test_a_roles_facts_each_with_the_passage_that_states_it(url: str) -> None:
    r = httpx.get(f"{url}/api/roles/ML Performance Architect")
    assert r.status_code == 200
    data = r.json()
    assert data["name"] == "ML Performance Architect" and "Salary Ranges (US Market, 2024)" in data["sections"]
    median = next(f for f in data["facts"] if f["kind"] == "pay.median")
    assert median["value"] == "Median Salary: $185,000 - $205,000" and median["low"] == 185_000
    assert median["section"] == "Salary Ranges (US Market, 2024) > ML Performance Architect (Estimated)"
    assert median["source"] == "ml-performance-architect.md" and median["label"] == "Median pay"
    # Figures of the related roles in the same salary table are not this role's.
    assert not any("$157,969" in f["value"] for f in data["facts"])
    cloud = httpx.get(f"{url}/api/roles/sr cloud eng").json()
    assert cloud["name"] == "Senior Cloud Engineer"
    assert {"AWS", "Python", "Terraform"} <= {f["value"] for f in cloud["facts"] if f["kind"] == "named"}
    missing = httpx.get(f"{url}/api/roles/astronaut")
    assert missing.status_code == 404 and "No role document is titled" in missing.json()["detail"]
    assert httpx.get(f"{url}/api/roles/{'x' * 300}").status_code == 422


def test_a_point_the_document_does_not_mention_is_named_in_the_answer(url: str) -> None:
    data = httpx.post(f"{url}/api/ask", json={"question": "Does a Senior Cloud Engineer get visa sponsorship?"}).json()
    assert data["answer"].startswith("The Senior Cloud Engineer document does not mention visa sponsorship")
    assert data["not_mentioned"] == ["visa sponsorship"] and not data["abstained"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"question": ""}, 422, "The question is empty"),
        ({"question": "x" * 2500}, 422, "limit is 2000"),
        ({"question": 5}, 422, "string"),
        ({"question": "hi", "history": "nope"}, 422, "list"),
        ({"question": "hi", "history": [{"role": "robot", "content": "x"}]}, 422, "user"),
        ({"question": "hi", "extra": 1}, 422, "Extra inputs"),
        ({}, 422, "Field required"),
        ({"question": "y" * 20_000}, 413, "larger than the limit"),
    ],
)
def test_bad_requests_get_4xx_with_a_reason_and_the_server_keeps_serving(
    url: str, body: dict, status: int, message: str
) -> None:
    r = httpx.post(f"{url}/api/ask", json=body)
    assert r.status_code == status
    assert message in json.dumps(r.json())
    assert httpx.get(f"{url}/healthz").status_code == 200


def test_a_large_body_without_a_declared_length_is_refused_with_413(url: str) -> None:
    def chunks():
        yield b'{"question": "'
        for _ in range(40):
            yield b"x" * 1000
        yield b'"}'

    r = httpx.post(f"{url}/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than the limit" in r.json()["detail"]
    assert httpx.get(f"{url}/healthz").status_code == 200


def test_malformed_json_and_unknown_feedback(url: str) -> None:
    r = httpx.post(f"{url}/api/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.text
    missing = httpx.post(f"{url}/api/feedback", json={"answer_id": "nope", "rating": "down"})
    assert missing.status_code == 404 and "No answer with id" in missing.json()["detail"]
    bad = httpx.post(f"{url}/api/feedback", json={"answer_id": "x", "rating": "meh"})
    assert bad.status_code == 422


def test_origin_policy_cors_and_framing(url: str) -> None:
    ok = httpx.options(
        f"{url}/api/ask",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ALLOWED
    post = httpx.post(
        f"{url}/api/ask", json={"question": "What does a Senior Cloud Engineer do?"}, headers={"Origin": ALLOWED}
    )
    assert post.status_code == 200 and post.headers["access-control-allow-origin"] == ALLOWED
    evil = "https://evil.example.net"
    refused = httpx.post(f"{url}/api/ask", json={"question": "hi"}, headers={"Origin": evil})
    assert refused.status_code == 403 and "not allowed" in refused.json()["detail"]
    assert "access-control-allow-origin" not in refused.headers
    pre = httpx.options(f"{url}/api/ask", headers={"Origin": evil, "Access-Control-Request-Method": "POST"})
    assert pre.headers.get("access-control-allow-origin") is None
    page = httpx.get(f"{url}/")
    assert page.headers["content-security-policy"] == f"frame-ancestors 'self' {ALLOWED}"
    assert "*" not in page.headers.get("access-control-allow-origin", "")
    assert httpx.get(f"{url}/widget.js").headers["content-type"].startswith("text/javascript")


def test_gradio_client_and_mcp_tool(url: str) -> None:
    client = Client(url + "/", verbose=False)
    result = client.predict(
        "What is the career path for a Senior Credit Risk Analyst?", "", api_name="/ask_role_advisor"
    )
    assert result["role"] == "Senior Credit Risk Analyst" and result["citations"]
    assert "Potential advancement to financial management positions" in result["answer"]
    tools = httpx.get(f"{url}/gradio_api/mcp/schema").json()
    tool = next(t for t in tools if t["name"].endswith("ask_role_advisor"))
    assert "cited passages" in tool["description"]


def test_rate_limit_answers_429_and_the_server_keeps_serving(advisor: Advisor, tmp_path: Path) -> None:
    settings = ServerSettings(feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=3)
    with serve_app(create_app(advisor, settings)) as base:
        codes = [
            httpx.post(f"{base}/api/ask", json={"question": "What does a Senior Cloud Engineer do?"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        limited = httpx.post(f"{base}/api/ask", json={"question": "again"})
        assert "Please wait" in limited.json()["detail"] and int(limited.headers["retry-after"]) >= 1
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_rate_limit_counts_clients_apart_and_says_how_long_to_wait() -> None:
    limiter = ClientLimiter(per_minute=2)
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    assert 55 <= limiter.check("a") <= 60  # the oldest of the two leaves the window a minute after it came
    assert limiter.check("b") == 0


def test_admission_gate_refuses_past_its_queue() -> None:
    async def scenario() -> list[str]:
        gate = AdmissionGate(max_concurrent=1, max_waiting=1)
        release = asyncio.Event()
        log: list[str] = []

        async def worker(name: str) -> None:
            try:
                async with gate.slot():
                    log.append(f"{name} in")
                    await release.wait()
            except Busy:
                log.append(f"{name} busy")

        tasks = [asyncio.create_task(worker(n)) for n in ("a", "b", "c")]
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(*tasks)
        return log

    assert asyncio.run(scenario()) == ["a in", "c busy", "b in"]


def test_gaps_lists_uncovered_questions_by_role_and_topic(advisor: Advisor, tmp_path: Path) -> None:
    db = tmp_path / "gaps.sqlite3"
    with serve_app(create_app(advisor, ServerSettings(feedback_db=db))) as base:
        for q in [
            "What is the salary of a Senior Cloud Engineer?",
            "what is the salary of a senior cloud engineer?",
            "How much does a registered nurse earn?",
            "hi!",
            "thanks",
            "what can you do?",
            "which roles do you know?",
        ]:
            httpx.post(f"{base}/api/ask", json={"question": q})
        liked = httpx.post(f"{base}/api/ask", json={"question": "What does a Senior Credit Risk Analyst do?"}).json()
        httpx.post(f"{base}/api/feedback", json={"answer_id": liked["answer_id"], "rating": "down"})
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "gaps"],
        capture_output=True,
        text=True,
        env={**os.environ, "ADVISOR_FEEDBACK_DB": str(db)},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Senior Cloud Engineer / pay: 2" in out and "2x  what is the salary of a senior cloud engineer?" in out
    assert (
        "registered nurse" in out and "Senior Credit Risk Analyst / responsibilities" in out and "1 thumbs down" in out
    )
    # Greetings, thanks, help and the catalogue are answered: they are no gap in the documents.
    assert not any(said in out for said in ("hi!", "thanks", "what can you do", "which roles do you know"))


def test_match_ranks_roles_for_a_background_and_records_nothing(url: str, db: Path) -> None:
    with sqlite3.connect(db) as con:
        before = con.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    body = {
        "background": "I also have 6 years of loan underwriting and risk management",
        "history": [{"role": "user", "content": "I have a bachelor's degree in finance"}],
        "limit": 2,
    }
    r = httpx.post(f"{url}/api/match", json=body, headers={"Origin": ALLOWED})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ALLOWED
    data = r.json()
    assert data["ranking"][0] == "Senior Credit Risk Analyst" and len(data["roles"]) == 2
    # The profile comes from the history's user turn and the background together.
    assert data["profile"]["degrees"] == [{"level": "bachelor", "field": "finance"}] and data["profile"]["years"] == 6
    degree = next(p for p in data["roles"][0]["points"] if p["aspect"] == "degree")
    assert degree["status"] == "matches" and "Bachelor's degree" in degree["requirement"]
    cited = next(c for c in data["citations"] if c["n"] == degree["citation"])
    assert "quantitative business discipline" in cited["text"] and data["blocks"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == before


def test_match_says_which_roles_come_close(url: str) -> None:
    body = {
        "background": "I studied computer science and spent 2 years as a sysadmin. I got the AWS solutions architect cert."
    }
    data = httpx.post(f"{url}/api/match", json=body, headers={"Origin": ALLOWED}).json()
    cloud = next(r for r in data["roles"] if r["role"] == "Senior Cloud Engineer")
    assert cloud["close"] is True and cloud["fits"] is False and data["ranking"] == ["Senior Cloud Engineer"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"background": "   "}, 422, "background is empty"),
        ({"background": "I know SQL", "limit": 0}, 422, "limit"),
        ({"question": "I know SQL"}, 422, "background"),
        ({"background": "x" * 20_000}, 413, "larger than the limit"),
    ],
)
def test_match_refuses_bad_input_with_a_reason(url: str, body: dict, status: int, message: str) -> None:
    r = httpx.post(f"{url}/api/match", json=body)
    assert r.status_code == status and message in json.dumps(r.json())


def test_match_from_a_page_of_another_origin_is_refused(url: str) -> None:
    r = httpx.post(
        f"{url}/api/match", json={"background": "I know SQL"}, headers={"Origin": "https://evil.example.net"}
    )
    assert r.status_code == 403
