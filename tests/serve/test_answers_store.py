"""The answers/feedback store on SQLite (the default) and on a real PostgreSQL: every record kept under the
server's concurrency and readable from another connection (as `advisor gaps` reads it while the server runs);
the schema migrated on start, an old file adopted; retention and the row cap; and a database outage that costs
no answers."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from advisor import Advisor
from advisor.cli import main
from advisor.config import ServerSettings
from advisor.records import Answer
from advisor.serve.answers_store import Store, StoreUnavailable, UnknownAnswer, open_store
from advisor.serve.app import create_app
from advisor.serve.store_schema import create_engine, database_url, migrate

from ..backends.postgres import Postgres
from ..servers import serve_app

UNCOVERED = "How much does a registered nurse earn?"
ABSTAINED = Answer(text="No document covers that.", role="Nurse", intent="pay", abstained=True)
ANSWERED = Answer(text="It pays well.", role="Nurse", intent="pay", abstained=False)

# The tables as the first, sqlite3-only store created them: a file it left must keep working.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, created REAL NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, role TEXT,
    intent TEXT, abstained INTEGER NOT NULL, chunk_ids TEXT NOT NULL, generation TEXT
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    created REAL NOT NULL, rating TEXT NOT NULL CHECK (rating IN ('up', 'down')), comment TEXT
);
CREATE INDEX IF NOT EXISTS answers_created ON answers(created);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback(answer_id);
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a store lives: a SQLite file, or a new database of the session's PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "feedback.sqlite3"
    return str(request.getfixturevalue("postgres_url"))


def _engine(location: str | Path) -> sa.Engine:
    """A connection of the test's own, as another process (or an operator's psql) would open."""
    return sa.create_engine(location if isinstance(location, str) else f"sqlite:///{location}")


def _questions(location: str | Path) -> list[str]:
    with _engine(location).connect() as db:
        return list(db.execute(sa.text("SELECT question FROM answers ORDER BY created")).scalars())


def test_answers_and_feedback_from_many_threads_are_all_kept(location: str | Path) -> None:
    store = Store(location)

    def answer_and_rate(i: int) -> str:
        answer = Answer(text="No document covers that.", role=f"Role {i % 4}", intent="pay", abstained=True)
        answer_id = store.record_answer(f"What does role {i % 4} pay? ({i})", answer)
        assert answer_id is not None
        store.record_feedback(answer_id, "down" if i % 2 else "up", comment=f"comment {i}")
        return answer_id

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(answer_and_rate, range(160)))
    assert len(set(ids)) == 160 and store.dropped == 0

    reader = Store(location)  # a second connection, as another process would open
    assert len(reader.feedback()) == 160
    gaps = reader.gaps(limit=500)
    assert {g.role for g in gaps} == {"Role 0", "Role 1", "Role 2", "Role 3"}
    assert sum(g.count for g in gaps) == 160 and sum(g.thumbs_down for g in gaps) == 80
    if isinstance(location, Path):
        with sqlite3.connect(location) as con:
            assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    store.close()
    reader.close()


def test_a_fresh_database_is_migrated_to_the_newest_revision_on_start(location: str | Path) -> None:
    Store(location).close()
    Store(location).close()  # a second start finds it current and changes nothing
    with _engine(location).connect() as db:
        assert db.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["0001"]
        assert {"answers", "feedback", "alembic_version"} <= set(sa.inspect(db).get_table_names())


def test_a_file_of_the_first_sqlite3_store_is_adopted_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as con:
        con.executescript(OLD_SCHEMA)
        con.execute(
            "INSERT INTO answers VALUES ('old1', ?, 'What does a nurse earn?', 'Not covered.', 'Nurse', 'pay', 1, "
            "'[]', 'g1')",
            (time.time(),),
        )
        con.execute(
            "INSERT INTO feedback (answer_id, created, rating, comment) VALUES ('old1', ?, 'down', 'no')",
            (time.time(),),
        )
    con.close()

    store = Store(path)
    assert store.feedback() == [
        {
            "rating": "down",
            "comment": "no",
            "question": "What does a nurse earn?",
            "answer": "Not covered.",
            "chunk_ids": [],
        }
    ]
    new_id = store.record_answer("What does a nurse earn?", ABSTAINED)
    assert new_id is not None
    store.record_feedback("old1", "up")
    [gap] = store.gaps()
    assert (gap.question, gap.count, gap.abstained, gap.thumbs_down) == ("what does a nurse earn?", 2, 2, 1)
    store.close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    con.close()


def test_the_cap_keeps_the_newest_answers_with_their_feedback(location: str | Path) -> None:
    store = Store(location, max_answers=5)
    ids = [store.record_answer(f"question {i}", ABSTAINED) for i in range(8)]
    store.record_feedback(str(ids[-1]), "down")
    assert _questions(location) == [f"question {i}" for i in range(3, 8)]
    assert len(store.feedback()) == 1
    with pytest.raises(UnknownAnswer):
        store.record_feedback(str(ids[0]), "up")  # deleted by the cap
    store.close()


def test_answers_past_the_retention_period_go_with_their_feedback(location: str | Path) -> None:
    store = Store(location, retention_days=30)
    old, new = store.record_answer("old question", ABSTAINED), store.record_answer("new question", ABSTAINED)
    store.record_feedback(str(old), "down")
    store.record_feedback(str(new), "down")
    with _engine(location).begin() as db:
        db.execute(
            sa.text("UPDATE answers SET created = :t WHERE id = :id"), {"t": time.time() - 31 * 86400, "id": old}
        )
    assert [g.question for g in store.gaps()] == ["new question"]  # reading expires first
    assert [f["question"] for f in store.feedback()] == ["new question"]
    with _engine(location).connect() as db:
        assert db.execute(sa.text("SELECT COUNT(*) FROM feedback")).scalar() == 1
    store.close()


def test_gaps_group_questions_by_role_and_topic_abstained_or_thumbs_down(location: str | Path) -> None:
    store = Store(location)
    store.record_answer("  What does a nurse earn? ", ABSTAINED)
    store.record_answer("what does a nurse earn?", ABSTAINED)
    disliked = store.record_answer("Nurse pay?", ANSWERED)
    store.record_feedback(str(disliked), "down")
    liked = store.record_answer("Nurse pay in Ohio?", ANSWERED)
    store.record_feedback(str(liked), "up")
    store.record_answer("Nurse skills?", Answer(text="Skills.", role=None, intent=None, abstained=True))
    gaps = [(g.role, g.topic, g.question, g.count, g.abstained, g.thumbs_down) for g in store.gaps()]
    assert gaps == [
        ("Nurse", "pay", "what does a nurse earn?", 2, 2, 0),
        ("(no role)", "other", "nurse skills?", 1, 1, 0),
        ("Nurse", "pay", "nurse pay?", 1, 0, 1),
    ]
    assert len(store.gaps(limit=1)) == 1
    with pytest.raises(UnknownAnswer):
        store.record_feedback("no-such-answer", "down")
    store.close()


def test_the_api_records_to_postgres_and_advisor_gaps_reads_it_back(advisor: Advisor, postgres_url: str) -> None:
    settings = ServerSettings(database_url=postgres_url, rate_limit_per_minute=1000)
    with serve_app(create_app(advisor, settings), settings) as base:
        asked = httpx.post(f"{base}/api/ask", json={"question": UNCOVERED}, timeout=30).json()
        assert asked["answer_id"]
        done = httpx.post(f"{base}/api/feedback", json={"answer_id": asked["answer_id"], "rating": "down"}, timeout=30)
        assert done.status_code == 204
        unknown = httpx.post(f"{base}/api/feedback", json={"answer_id": "f" * 32, "rating": "up"}, timeout=30)
        assert unknown.status_code == 404

    result = CliRunner().invoke(main, ["gaps", "--json"], env={"ADVISOR_DATABASE_URL": postgres_url})
    assert result.exit_code == 0, result.output
    [gap] = json.loads(result.stdout)
    assert gap["question"] == UNCOVERED.lower() and gap["abstained"] == 1 and gap["thumbs_down"] == 1
    text = CliRunner().invoke(main, ["gaps"], env={"ADVISOR_DATABASE_URL": postgres_url})
    assert "registered nurse" in text.stdout and "1 abstained, 1 thumbs down" in text.stdout


def test_advisor_gaps_without_its_database_is_one_clear_line(postgres: Postgres) -> None:
    url = postgres.url("no_such_database").replace("postgres@", "postgres:a-secret@")
    result = CliRunner().invoke(main, ["gaps"], env={"ADVISOR_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "cannot be read" in result.output and "a-secret" not in result.output
    assert "Traceback" not in result.output
    with pytest.raises(StoreUnavailable):
        Store(url).gaps()


def test_postgres_down_costs_no_answers_and_recording_resumes_when_it_returns(
    advisor: Advisor, postgres: Postgres, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ServerSettings(database_url=postgres_url, rate_limit_per_minute=1000)
    store = Store(postgres_url, retry_seconds=0.5)  # the product's 5 s would only slow the test
    caplog.set_level(logging.INFO, logger="advisor.serve.answers_store")

    def ask() -> dict:
        response = httpx.post(f"{base}/api/ask", json={"question": UNCOVERED}, timeout=30)
        assert response.status_code == 200
        return response.json()

    with serve_app(create_app(advisor, settings, store=store), settings) as base:
        before = ask()["answer_id"]
        assert before
        postgres.stop()
        try:
            asked = [ask() for _ in range(4)]
            time.sleep(0.6)  # past the retry interval: the next answer tries the database again, and fails
            asked.append(ask())
            assert all(a["answer_id"] is None and a["answer"] for a in asked)
            feedback = httpx.post(f"{base}/api/feedback", json={"answer_id": before, "rating": "down"}, timeout=30)
            assert feedback.status_code == 204  # dropped, not an error for the person who clicked
            assert store.dropped == 6
            warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
            assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
        finally:
            postgres.start()

        deadline = time.monotonic() + 30
        while (after := ask()["answer_id"]) is None:
            assert time.monotonic() < deadline, "recording did not resume"
            time.sleep(0.2)
        done = httpx.post(f"{base}/api/feedback", json={"answer_id": after, "rating": "down"}, timeout=30)
        assert done.status_code == 204
    assert "back" in caplog.records[-1].getMessage()
    reader = open_store(settings)
    gap = reader.gaps()[0]
    assert (gap.count, gap.thumbs_down) == (2, 1)  # the answers before and after the outage, none in between
    reader.close()


def test_a_store_opened_while_postgres_is_down_migrates_once_it_answers(
    postgres: Postgres, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    postgres.stop()
    try:
        store = Store(postgres_url, retry_seconds=0.2)  # a server starting: it must come up all the same
        assert store.record_answer(UNCOVERED, ABSTAINED) is None
        assert store.dropped == 1
        assert [r.levelno for r in caplog.records if r.name == "advisor.serve.answers_store"] == [logging.WARNING]
    finally:
        postgres.start()
    time.sleep(0.3)
    assert store.record_answer(UNCOVERED, ABSTAINED) is not None
    assert [g.count for g in store.gaps()] == [1]
    store.close()


def test_processes_starting_together_migrate_one_sqlite_file_in_turn(tmp_path: Path) -> None:
    # Several workers open the same new file at once; each must find the schema made, none fail creating it.
    path = tmp_path / "shared.sqlite3"
    engines = [create_engine(database_url(path)) for _ in range(6)]
    with ThreadPoolExecutor(len(engines)) as pool:
        list(pool.map(migrate, engines))
    with sqlite3.connect(path) as con:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"answers", "feedback", "alembic_version"} <= tables
