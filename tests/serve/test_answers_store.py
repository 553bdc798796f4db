"""The answers/feedback store under the server's concurrency: every record kept, readable from another process's
connection (as `advisor gaps` reads it while the server runs)."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from advisor.records import Answer
from advisor.serve.answers_store import Store


def test_answers_and_feedback_from_many_threads_are_all_kept(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    store = Store(path)

    def answer_and_rate(i: int) -> str:
        answer = Answer(text="No document covers that.", role=f"Role {i % 4}", intent="pay", abstained=True)
        answer_id = store.record_answer(f"What does role {i % 4} pay? ({i})", answer)
        store.record_feedback(answer_id, "down" if i % 2 else "up", comment=f"comment {i}")
        return answer_id

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(answer_and_rate, range(160)))
    assert len(set(ids)) == 160

    reader = Store(path)  # a second connection, as another process would open
    assert len(reader.feedback()) == 160
    gaps = reader.gaps(limit=500)
    assert {g.role for g in gaps} == {"Role 0", "Role 1", "Role 2", "Role 3"}
    assert sum(g.count for g in gaps) == 160 and sum(g.thumbs_down for g in gaps) == 80
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    store.close()
    reader.close()
