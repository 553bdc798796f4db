"""The store of answers given, feedback on them, and the questions the documents did not cover: a local SQLite
file by default, PostgreSQL (ADVISOR_DATABASE_URL) when several processes share it.

No IP addresses or other client identifiers are stored. Old rows are deleted after the retention period, and
beyond `max_answers` rows the oldest go first, so the database cannot grow without bound however many questions
arrive. Recording never costs an answer: while the database is unreachable, records are dropped and counted
(`Store.dropped`) with one warning, and recording resumes by itself when the database is back.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from ..errors import AdvisorError
from ..records import Answer
from .store_schema import answers, create_engine, database_url, feedback, insertion_order, migrate

if TYPE_CHECKING:
    from ..config import ServerSettings

log = logging.getLogger(__name__)

# Errors of the database or the way to it (refused connection, restart, full disk, pool exhausted): a record
# is dropped for them. Anything else is a bug and raises.
_DATABASE_ERRORS = (sa_exc.DBAPIError, sa_exc.TimeoutError)
# At most one warning this often while records are being dropped, however many requests arrive.
WARN_INTERVAL = 60.0

_GAPS = sa.text(
    """
    SELECT COALESCE(a.role, '(no role)'), COALESCE(a.intent, 'other'), lower(trim(a.question)),
           COUNT(*), SUM(a.abstained), SUM(a.downs)
    FROM (SELECT a.*, (SELECT COUNT(*) FROM feedback f WHERE f.answer_id = a.id AND f.rating = 'down')
          AS downs FROM answers a) a
    WHERE a.abstained = 1 OR a.downs > 0
    GROUP BY 1, 2, 3
    ORDER BY 4 DESC, 1, 2, 3
    LIMIT :limit
    """
)


class UnknownAnswer(AdvisorError):
    """Feedback refers to an answer id that is not (or no longer) stored."""


class StoreUnavailable(AdvisorError):
    """The database could not be read (for `advisor gaps`, which has nothing to show without it)."""


@dataclass(frozen=True)
class Gap:
    role: str
    topic: str
    question: str
    count: int
    abstained: int
    thumbs_down: int


def open_store(settings: ServerSettings) -> Store:
    """The store the settings name: ADVISOR_DATABASE_URL if set, else the SQLite file ADVISOR_FEEDBACK_DB."""
    return Store(settings.database_url or settings.feedback_db, settings.retention_days, settings.max_stored_answers)


class Store:
    def __init__(
        self,
        location: Path | str,
        retention_days: int = 90,
        max_answers: int = 100_000,
        retry_seconds: float = 5.0,
    ) -> None:
        """location: a SQLAlchemy URL (postgresql+psycopg://...) or the path of a SQLite file. While the
        database is down, it is tried again after retry_seconds, not on every answer (a connection attempt to
        an unreachable host would delay each one)."""
        self.url = database_url(location)
        self.retention_days = retention_days
        self.max_answers = max_answers
        self.retry_seconds = retry_seconds
        self.dropped = 0  # records not kept because the database failed
        self._engine = create_engine(self.url)
        self._dialect = self._engine.dialect.name
        # SQLite has one writer at a time; taking turns here, not in SQLite's busy loop, keeps a read-then-write
        # transaction from failing with "database is locked" under many threads.
        self._writer = threading.Lock() if self._dialect == "sqlite" else None
        self._state = threading.Lock()
        self._migrated = False
        self._down_until = 0.0
        self._warned_at: float | None = None
        try:
            self._ensure_schema()
            with self._transaction() as db:
                self._expire(db)
        except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError) as exc:
            # A server starts while its database is down: it answers anyway and migrates when it can.
            self._drop(exc, count=False)

    def close(self) -> None:
        self._engine.dispose()

    def record_answer(self, question: str, answer: Answer, generation: str | None = None) -> str | None:
        """The new answer's id, or None when the database failed and the record was dropped."""
        answer_id = uuid.uuid4().hex
        row = {
            "id": answer_id,
            "created": time.time(),
            "question": question,
            "answer": answer.text,
            "role": answer.role,
            "intent": answer.intent,
            "abstained": int(answer.abstained),
            "chunk_ids": json.dumps([c.chunk_id for c in answer.citations]),
            "generation": generation,
        }

        def write(db: sa.Connection) -> None:
            db.execute(answers.insert().values(row))
            self._expire(db)

        return answer_id if self._record(write) else None

    def record_feedback(self, answer_id: str, rating: str, comment: str | None = None) -> None:
        """Raises UnknownAnswer for an id never recorded (or expired); a database failure drops the feedback."""
        if rating not in ("up", "down"):
            raise AdvisorError("rating must be 'up' or 'down'.")
        unknown = UnknownAnswer(f"No answer with id {answer_id!r} (it may have expired).")
        # One statement (insert if the answer exists): no read-then-write window for expiry to slip into.
        values = sa.select(
            sa.literal(answer_id), sa.literal(time.time()), sa.literal(rating), sa.literal(comment, sa.Text)
        ).where(sa.exists().where(answers.c.id == answer_id))
        insert = feedback.insert().from_select(["answer_id", "created", "rating", "comment"], values)
        # SQLAlchemy keeps an INSERT's row count only when asked (it is reliable for UPDATE and DELETE only).
        insert = insert.execution_options(preserve_rowcount=True)

        def write(db: sa.Connection) -> None:
            if db.execute(insert).rowcount == 0:
                raise unknown

        try:
            self._record(write)
        except sa_exc.IntegrityError:
            raise unknown from None  # the answer expired between the check and the insert

    def feedback(self) -> list[dict[str, object]]:
        query = (
            sa.select(feedback.c.rating, feedback.c.comment, answers.c.question, answers.c.answer, answers.c.chunk_ids)
            .join(answers, answers.c.id == feedback.c.answer_id)
            .order_by(feedback.c.id)
        )
        rows = self._read(lambda db: db.execute(query).all())
        return [
            {"rating": r, "comment": c, "question": q, "answer": a, "chunk_ids": json.loads(ids)}
            for r, c, q, a, ids in rows
        ]

    def gaps(self, limit: int = 50) -> list[Gap]:
        """Uncovered questions (abstained, or answered with a thumbs down), most frequent first."""
        rows = self._read(lambda db: db.execute(_GAPS, {"limit": limit}).all())
        return [Gap(role, topic, q, int(n), int(ab or 0), int(down or 0)) for role, topic, q, n, ab, down in rows]

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        """A connection for one transaction: committed when the block ends, rolled back if it raises."""
        with self._writer or nullcontext(), self._engine.begin() as db:
            yield db

    def _ensure_schema(self) -> None:
        if not self._migrated:
            with self._writer or nullcontext():
                migrate(self._engine)
            self._migrated = True

    def _record(self, write: Callable[[sa.Connection], None]) -> bool:
        """Runs write in a transaction; False if the database failed (the record dropped, counted, warned)."""
        if time.monotonic() < self._down_until:
            self._drop(None)
            return False
        try:
            self._ensure_schema()
            with self._transaction() as db:
                write(db)
        except _DATABASE_ERRORS as exc:
            if isinstance(exc, sa_exc.IntegrityError):
                raise  # a row that breaks a constraint is this record's fault, not the database's
            self._drop(exc)
            return False
        self._recovered()
        return True

    def _read(self, query: Callable[[sa.Connection], Sequence[Any]]) -> Sequence[Any]:
        """Old rows expired, then the query; a database failure is an error here (nothing to show without it)."""
        try:
            self._ensure_schema()
            with self._transaction() as db:
                self._expire(db)
                return query(db)
        except _DATABASE_ERRORS as exc:
            where = self.url.render_as_string(hide_password=True)
            raise StoreUnavailable(
                f"The answers database {where} cannot be read: {_first_line(exc)} "
                "(check ADVISOR_DATABASE_URL or ADVISOR_FEEDBACK_DB, and that the database is running)."
            ) from None

    def _drop(self, exc: BaseException | None, count: bool = True) -> None:
        now = time.monotonic()
        with self._state:
            self.dropped += count
            if exc is not None:
                self._down_until = now + self.retry_seconds
            warn = exc is not None and (self._warned_at is None or now - self._warned_at >= WARN_INTERVAL)
            if warn:
                self._warned_at = now
        if warn:
            assert exc is not None
            log.warning(
                "The answers database is unreachable (%s): answers are still served, their records dropped "
                "(%d so far); trying again every %gs.",
                _first_line(exc),
                self.dropped,
                self.retry_seconds,
            )

    def _recovered(self) -> None:
        if self._warned_at is None:
            return
        with self._state:
            was_down, self._warned_at = self._warned_at is not None, None
        if was_down:
            # A warning too: whoever saw the outage's warning should see it end, at the same log level.
            log.warning("The answers database is back; recording again (%d records dropped in all).", self.dropped)

    def _expire(self, db: sa.Connection) -> None:
        cutoff = time.time() - self.retention_days * 86400
        db.execute(answers.delete().where(answers.c.created < cutoff))
        # Beyond the cap, the oldest answers go (with their feedback). The insertion counter makes this one
        # lookup of the newest value and a range delete, however large the table.
        order = insertion_order(self._dialect)
        # correlate(None): the subquery reads the whole table, not the row the DELETE is looking at.
        newest = sa.select(sa.func.max(order)).select_from(answers).correlate(None).scalar_subquery()
        db.execute(answers.delete().where(order <= newest - self.max_answers))


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc  # the driver's message, without SQLAlchemy's SQL and links
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]


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
