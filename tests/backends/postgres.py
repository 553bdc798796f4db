"""A throwaway PostgreSQL 15 cluster on a free loopback port, for the session, from Debian's binaries.

initdb refuses to run as root, so when the tests run as root the cluster is made and run by the `postgres`
user, in a temporary folder that user owns. Trust authentication: it listens on 127.0.0.1 only and lives for one
test session. Each test gets a database of its own (`postgres_url`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ..servers import free_port

# Debian's PostgreSQL server binaries, of whichever version is installed (the newest if several).
BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda p: int(p.parent.name),
    default=Path("/usr/lib/postgresql/15/bin"),
)


class Postgres:
    """The cluster: `url(db)` for a database in it; `stop()` and `start()` for outage tests."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.data = folder / "data"
        self.sockets = folder / "sockets"

    def _run(self, *args: str) -> None:
        # As root, run as postgres (initdb and the server refuse root); otherwise as ourselves.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}\n{tail}")

    def init(self) -> None:
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c fsync=off"
        log = str(self.folder / "server.log")
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", "start")

    def stop(self) -> None:
        # immediate: as a crash or a pulled cable would end it, without waiting for clients.
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    if not (BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL is not installed ({BIN} is missing); ./test.sh installs it (Debian's postgresql).")
    folder = Path(tempfile.mkdtemp(prefix="advisor-pg-", dir="/tmp"))
    server = Postgres(folder, free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        # Already stopped (an outage test that failed half-way) or never started: nothing to stop.
        with contextlib.suppress(RuntimeError):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres: Postgres) -> str:
    """A SQLAlchemy URL of a new, empty database of the session's cluster."""
    return postgres.url(postgres.create_database())
