"""Several processes sharing their state (#14): two real `advisor serve` processes behind the shipped nginx site
file, recording to one real PostgreSQL (ADVISOR_DATABASE_URL) and counting rate limits in one real Redis
(ADVISOR_RATE_LIMIT_STORAGE). A client is limited across both; feedback given through one shows in `advisor gaps`;
a rebuild and a rollback are served by both without an answer mixing generations; stopping PostgreSQL and Redis
costs no answers, and recording and the shared limit resume when they return.

Every test speaks as a client address of its own (X-Forwarded-For, believed from nginx and from the test, both on
127.0.0.1, a trusted proxy), so that one test's requests never count against another's limit."""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import psycopg
import pytest

from advisor import Settings
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder

from ..backends.postgres import Postgres
from ..backends.redis import RedisServer
from ..conftest import CORPUS, ROOT, make_settings
from ..servers import free_port
from .test_deploy import ML_PAY, NEW_FACT, behind_nginx

pytestmark = pytest.mark.slow
LIMIT = 4  # ADVISOR_RATE_LIMIT of both processes: requests per client per minute
ML_PAY_ANSWER = "$185,000 - $205,000"
CLOUD_PAY = "What is the salary of a Senior Cloud Engineer?"
NEW_PAY = "$321,987"  # in NEW_FACT
UNCOVERED = "How much does a registered nurse earn?"  # no document covers it: the advisor abstains
DISLIKED = "What degree does a Senior Cloud Engineer need?"  # answered, then given a thumbs down
_addresses = itertools.count(1)
T = TypeVar("T")


@dataclass
class Shared:
    url: str  # nginx
    processes: list[tuple[subprocess.Popen[str], str, Path]]  # process, its own URL, its log
    settings: Settings
    database_url: str  # postgresql+psycopg://...
    postgres: Postgres
    redis: RedisServer


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, postgres: Postgres) -> Iterator[Shared]:
    folder = tmp_path_factory.mktemp("shared")
    corpus = folder / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(corpus, folder / "index")
    build(settings, embedder=embedder)
    database_url = postgres.url(postgres.create_database())
    redis = RedisServer(tmp_path_factory.mktemp("redis"), free_port())
    redis.start()
    nginx_port = free_port()
    ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ADVISOR_CORPUS_DIR": str(corpus),
        "ADVISOR_INDEX_DIR": str(settings.index_dir),
        "ADVISOR_DATABASE_URL": database_url,
        "ADVISOR_FEEDBACK_DB": str(folder / "unused.sqlite3"),  # ADVISOR_DATABASE_URL wins
        "ADVISOR_RATE_LIMIT_STORAGE": redis.url,
        "ADVISOR_RATE_LIMIT": str(LIMIT),
        "ADVISOR_TRUSTED_PROXIES": "127.0.0.1",
        "ADVISOR_ALLOWED_HOSTS": f"127.0.0.1:{nginx_port},127.0.0.1",
        "ADVISOR_RELOAD_INTERVAL": "1",
    }
    try:
        with behind_nginx(folder, ports, nginx_port, lambda _: env) as (url, processes):
            yield Shared(url, processes, settings, database_url, postgres, redis)
    finally:
        redis.stop()


def _new_client() -> str:
    """An address no other request of this module has used."""
    n = next(_addresses)
    return f"10.0.{n // 250}.{n % 250 + 1}"


def _ask(base: str, question: str, client: str | None = None) -> httpx.Response:
    """POST /api/ask to nginx or one process, as `client` (a new address by default)."""
    headers = {"x-forwarded-for": client or _new_client()}
    return httpx.post(f"{base}/api/ask", json={"question": question}, headers=headers, timeout=30)


def _wait_for(get: Callable[[], T | None], what: str, seconds: float = 30) -> T:
    """get()'s first truthy result, asked until the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        result = get()
        if result:
            return result
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _serves(url: str, generation: str) -> bool:
    return httpx.get(f"{url}/healthz", timeout=10).json()["generation"] == generation


def _recorded_answer_id(url: str) -> str | None:
    return _ask(url, ML_PAY).json()["answer_id"]


def _served_by_both(shared: Shared, generation: str) -> None:
    for _, url, log in shared.processes:
        _wait_for(
            functools.partial(_serves, url, generation),
            f"{url} should serve generation {generation}:\n{log.read_text()[-3000:]}",
        )


def _rows(shared: Shared, ids: list[str]) -> dict[str, tuple[str, str]]:
    """answer id -> (answer, generation) as recorded in PostgreSQL."""
    with psycopg.connect(shared.database_url.replace("postgresql+psycopg://", "postgresql://")) as db:
        rows = db.execute("SELECT id, answer, generation FROM answers WHERE id = ANY(%s)", (ids,)).fetchall()
    return {i: (answer, generation) for i, answer, generation in rows}


def _log_has(shared: Shared, text: str) -> bool:
    return all(text in log.read_text() for _, _, log in shared.processes)


def test_a_client_is_limited_across_both_processes(shared: Shared) -> None:
    client = _new_client()
    answered = [_ask(shared.url, ML_PAY, client) for _ in range(LIMIT)]
    assert [r.status_code for r in answered] == [200] * LIMIT, [r.text for r in answered]
    assert all(ML_PAY_ANSWER in r.json()["answer"] for r in answered)
    # Round robin: each process answered some of them, so neither counted LIMIT on its own.
    assert _log_has(shared, f'{client}:0 - "POST /api/ask HTTP/1.1" 200')
    refused = _ask(shared.url, ML_PAY, client)
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["retry-after"]) >= 1
    # Each process, asked directly, refuses this client too; another client is still answered.
    for _, url, _ in shared.processes:
        again = _ask(url, ML_PAY, client)
        assert again.status_code == 429 and int(again.headers["retry-after"]) >= 1
        assert _ask(url, ML_PAY).status_code == 200


def test_feedback_through_one_process_shows_in_advisor_gaps(shared: Shared) -> None:
    (_, first, _), (_, second, _) = shared.processes
    asked = _ask(first, DISLIKED).json()
    assert not asked["abstained"] and asked["answer_id"]
    # The other process never gave this answer: it finds it in the shared database.
    feedback = httpx.post(
        f"{second}/api/feedback",
        json={"answer_id": asked["answer_id"], "rating": "down"},
        headers={"x-forwarded-for": _new_client()},
        timeout=30,
    )
    assert feedback.status_code == 204, feedback.text
    uncovered = _ask(shared.url, UNCOVERED).json()
    assert uncovered["abstained"] and uncovered["answer_id"]

    done = subprocess.run(
        [sys.executable, "-m", "advisor", "gaps", "--json"],
        env={**os.environ, "ADVISOR_DATABASE_URL": shared.database_url},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    gaps = {gap["question"]: gap for gap in json.loads(done.stdout)}
    assert gaps[DISLIKED.lower()]["thumbs_down"] == 1 and gaps[DISLIKED.lower()]["abstained"] == 0
    assert gaps[UNCOVERED.lower()]["abstained"] == 1


class _Asker:
    """Asks CLOUD_PAY through nginx over and over (each time as a new client) in a thread, keeping every
    response, until stopped."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.responses: list[httpx.Response] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.responses.append(_ask(self.url, CLOUD_PAY))

    def __enter__(self) -> _Asker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def count(self, n: int) -> Callable[[], bool]:
        return lambda: len(self.responses) >= n


def test_a_rebuild_and_a_rollback_are_served_by_both_and_no_answer_mixes_generations(
    shared: Shared, embedder: Embedder
) -> None:
    settings = shared.settings
    current = settings.index_dir / "CURRENT"
    old = current.read_text().strip()
    _served_by_both(shared, old)
    document = settings.corpus_dir / "senior-cloud-engineer.md"
    document.write_text(document.read_text(encoding="utf-8") + f"\n\n## Pay\n\n- {NEW_FACT}\n", encoding="utf-8")
    build(settings, embedder=embedder)
    new = current.read_text().strip()
    assert new != old
    _served_by_both(shared, new)
    for _ in range(2):  # once from each process
        assert NEW_PAY in _ask(shared.url, CLOUD_PAY).json()["answer"]

    with _Asker(shared.url) as asker:
        _wait_for(asker.count(2), "answers before the rollback")
        rolled = subprocess.run(
            [sys.executable, "-m", "advisor", "index", "--rollback", "--index", str(settings.index_dir)],
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert rolled.returncode == 0, rolled.stderr
        assert old in rolled.stdout and current.read_text().strip() == old
        _served_by_both(shared, old)
        seen = len(asker.responses)
        _wait_for(asker.count(seen + 4), "answers after the rollback")
    for _ in range(2):
        assert NEW_PAY not in _ask(shared.url, CLOUD_PAY).json()["answer"]

    assert all(r.status_code == 200 for r in asker.responses), [r.text for r in asker.responses]
    answers = [r.json() for r in asker.responses]
    recorded = _rows(shared, [a["answer_id"] for a in answers])
    kinds = set()
    for a in answers:
        # One generation per answer: the figure is in the answer exactly when it is in the passages it cites,
        # and exactly when the process recorded the answer as given from the new generation.
        says_new = NEW_PAY in a["answer"]
        assert says_new == any(NEW_PAY in c["text"] for c in a["citations"]), a
        text, generation = recorded[a["answer_id"]]
        assert text == a["answer"]
        assert generation == (new if says_new else old), (generation, a)
        kinds.add(says_new)
    assert kinds == {True, False}  # the answers span the rollback
    assert all(NEW_PAY not in a["answer"] for a in answers[seen + 2 :])  # both processes had rolled back


def test_postgres_and_redis_stopping_costs_no_answers_and_both_resume(shared: Shared) -> None:
    shared.postgres.stop()
    shared.redis.stop()
    try:
        for _ in range(6):
            during = _ask(shared.url, ML_PAY)
            assert during.status_code == 200, during.text
            assert ML_PAY_ANSWER in during.json()["answer"]
            assert during.json()["answer_id"] is None  # the record dropped, not the answer
        for _, url, _ in shared.processes:
            assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        _wait_for(lambda: _log_has(shared, "The answers database is unreachable"), "a warning per process")
        _wait_for(lambda: _log_has(shared, "does not answer"), "a warning per process on the rate limits")
    finally:
        shared.postgres.start()
        shared.redis.start()

    # Recording resumes in each process by itself.
    ids = [
        _wait_for(
            functools.partial(_recorded_answer_id, url),
            f"{url} should record again:\n{log.read_text()[-3000:]}",
        )
        for _, url, log in shared.processes
    ]
    assert set(_rows(shared, ids)) == set(ids)
    assert _log_has(shared, "The answers database is back")

    # And the shared limit: a new client gets LIMIT answers through nginx in all, then 429 from both processes.
    def limited_across_both() -> bool:
        client = _new_client()
        statuses = [_ask(shared.url, ML_PAY, client).status_code for _ in range(LIMIT + 1)]
        if statuses != [200] * LIMIT + [429]:
            return False  # a process still counting in its own memory (it asks Redis again every few seconds)
        return all(_ask(url, ML_PAY, client).status_code == 429 for _, url, _ in shared.processes)

    _wait_for(limited_across_both, "the rate limit should be shared again once Redis is back")
    assert _log_has(shared, "answers again; counting there again")
