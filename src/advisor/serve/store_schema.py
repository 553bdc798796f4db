"""The tables of the answers store, the engine for its database URL, and bringing the schema up to date (Alembic).

SQLite (a local file) is the default; PostgreSQL serves several processes or machines. The migrations live in
migrations/ next to this module and run when a store opens, so an upgrade needs no separate step.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL, Engine, make_url

MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant shared by every process: concurrent starts take turns migrating instead of racing.
_MIGRATION_LOCK_KEY = 0x414456  # "ADV"

metadata = sa.MetaData()

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("created", sa.Float, nullable=False),  # Unix time; Float is double precision on PostgreSQL
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("intent", sa.Text),
    sa.Column("abstained", sa.Integer, nullable=False),  # 0/1, as the first (sqlite3) version stored it
    sa.Column("chunk_ids", sa.Text, nullable=False),  # JSON list
    sa.Column("generation", sa.Text),
    # PostgreSQL only: insertion order for the row cap. SQLite has it already in rowid (see insertion_order).
    sa.Column("seq", sa.BigInteger, sa.Identity()),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.Text, sa.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("rating", sa.Text, sa.CheckConstraint("rating IN ('up', 'down')"), nullable=False),
    sa.Column("comment", sa.Text),
    sqlite_autoincrement=True,
)


def insertion_order(dialect: str) -> sa.ColumnElement[Any]:
    """The column that counts insertions: the cap keeps the newest `max_answers` by it."""
    return sa.literal_column("answers.rowid") if dialect == "sqlite" else answers.c.seq


def database_url(location: Path | str) -> URL:
    """A SQLAlchemy URL from a URL string, or from a path of a SQLite file."""
    if isinstance(location, str) and "://" in location:
        return make_url(location)
    return URL.create("sqlite", database=str(location))


def create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # timeout: how long a write waits for another process's (advisor gaps expiring old rows).
        engine = sa.create_engine(url, connect_args={"timeout": 10})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        # Without it a connection to an unreachable host waits for TCP's own timeout (minutes).
        connect_args["connect_timeout"] = 5
    # pre_ping: connections the pool kept across a database restart are tested and replaced, not handed out dead.
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")  # per connection in SQLite; feedback goes with its answer
    # Write-ahead logging: an answer's record commits without a disk sync of the whole database, and readers
    # (advisor gaps) never block the server's writes. NORMAL with WAL loses nothing when the app crashes.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Brings the schema to the newest revision, in one transaction; a file or database made before the
    migrations existed is adopted (its tables are kept, with their rows)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic says "Context impl ..." at INFO on every start, which `advisor gaps` would print each run.
    quiet = logging.getLogger("alembic.runtime.migration")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.WARNING)
    with _sqlite_file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Processes started together (`advisor serve --workers N`) migrate one SQLite file in turn: SQLite's own
    transaction starts only at the first write, so two could both find no tables and both create them."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    try:
        handle = open(f"{database}.migrate-lock", "a")  # noqa: SIM115 (closed below)
    except OSError:
        yield  # a folder the server cannot write to: one process at a time is then the operator's business
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
