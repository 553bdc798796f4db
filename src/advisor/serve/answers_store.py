"""Local SQLite store of answers given, feedback on them, and the questions the documents did not cover.

No IP addresses or other client identifiers are stored. Old rows are deleted after the retention period, and
beyond `max_answers` rows the oldest go first, so the file cannot grow without bound however many questions
arrive.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import AdvisorError
from ..records import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    role TEXT,
    intent TEXT,
    abstained INTEGER NOT NULL,
    chunk_ids TEXT NOT NULL,
    generation TEXT
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    created REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT
);
CREATE INDEX IF NOT EXISTS answers_created ON answers(created);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback(answer_id);
"""


class UnknownAnswer(AdvisorError):
    """Feedback refers to an answer id that is not (or no longer) stored."""


@dataclass(frozen=True)
class Gap:
    role: str
    topic: str
    question: str
    count: int
    abstained: int
    thumbs_down: int


class Store:
    def __init__(self, path: Path, retention_days: int = 90, max_answers: int = 100_000) -> None:
        self.path = path
        self.retention_days = retention_days
        self.max_answers = max_answers
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection for the store's life, used by one thread at a time: opening a connection per answer
        # cost more than the insert itself under load (measured with py-spy in benchmarks/).
        self._db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA synchronous = NORMAL")  # with WAL: nothing lost when the app crashes
        self._lock = threading.Lock()
        with self._transaction() as db:
            # Write-ahead logging: an answer's record commits without waiting for a disk sync of the whole
            # database, and readers (advisor gaps) never block the server's writes.
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)
            self._expire(db)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection, for one transaction: committed when the block ends, rolled back if it raises."""
        with self._lock, self._db:
            yield self._db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record_answer(self, question: str, answer: Answer, generation: str | None = None) -> str:
        answer_id = uuid.uuid4().hex
        with self._transaction() as db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    time.time(),
                    question,
                    answer.text,
                    answer.role,
                    answer.intent,
                    int(answer.abstained),
                    json.dumps([c.chunk_id for c in answer.citations]),
                    generation,
                ),
            )
            self._expire(db)
        return answer_id

    def record_feedback(self, answer_id: str, rating: str, comment: str | None = None) -> None:
        if rating not in ("up", "down"):
            raise AdvisorError("rating must be 'up' or 'down'.")
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                raise UnknownAnswer(f"No answer with id {answer_id!r} (it may have expired).")
            db.execute(
                "INSERT INTO feedback (answer_id, created, rating, comment) VALUES (?, ?, ?, ?)",
                (answer_id, time.time(), rating, comment),
            )

    def feedback(self) -> list[dict[str, object]]:
        with self._transaction() as db:
            self._expire(db)
            rows = db.execute(
                "SELECT f.rating, f.comment, a.question, a.answer, a.chunk_ids FROM feedback f "
                "JOIN answers a ON a.id = f.answer_id ORDER BY f.id"
            ).fetchall()
        return [
            {"rating": r, "comment": c, "question": q, "answer": a, "chunk_ids": json.loads(ids)}
            for r, c, q, a, ids in rows
        ]

    def gaps(self, limit: int = 50) -> list[Gap]:
        """Uncovered questions (abstained, or answered with a thumbs down), most frequent first."""
        with self._transaction() as db:
            self._expire(db)
            rows = db.execute(
                """
                SELECT COALESCE(a.role, '(no role)'), COALESCE(a.intent, 'other'), lower(trim(a.question)),
                       COUNT(*), SUM(a.abstained), SUM(a.downs)
                FROM (SELECT a.*, (SELECT COUNT(*) FROM feedback f WHERE f.answer_id = a.id AND f.rating = 'down')
                      AS downs FROM answers a) a
                WHERE a.abstained = 1 OR a.downs > 0
                GROUP BY 1, 2, 3
                ORDER BY 4 DESC, 1, 2, 3
                LIMIT ?
                """,
                (limit,),
            ).fetchall()
        return [Gap(role, topic, q, n, int(ab or 0), int(down or 0)) for role, topic, q, n, ab, down in rows]

    def _expire(self, db: sqlite3.Connection) -> None:
        cutoff = time.time() - self.retention_days * 86400
        db.execute("DELETE FROM answers WHERE created < ?", (cutoff,))
        # Beyond the cap, the oldest answers go (with their feedback). Row ids count insertions, so this is
        # one lookup of the newest id and a range delete, however large the table.
        db.execute("DELETE FROM answers WHERE rowid <= (SELECT max(rowid) FROM answers) - ?", (self.max_answers,))


def format_gaps(gaps: list[Gap]) -> str:
    if not gaps:
        return "No uncovered questions recorded yet."
    groups: dict[tuple[str, str], list[Gap]] = {}
    for gap in gaps:
        groups.setdefault((gap.role, gap.topic), []).append(gap)
    lines = ["Questions the documents did not cover (abstained or thumbs down), by role and topic:"]
    for (role, topic), items in sorted(groups.items(), key=lambda kv: -sum(g.count for g in kv[1])):
        lines.append(f"\n{role} / {topic}: {sum(g.count for g in items)}")
        for gap in sorted(items, key=lambda g: -g.count):
            why = [f"{gap.abstained} abstained"] if gap.abstained else []
            why += [f"{gap.thumbs_down} thumbs down"] if gap.thumbs_down else []
            lines.append(f"  {gap.count:>4}x  {gap.question}  ({', '.join(why)})")
    return "\n".join(lines)
