"""Several processes (#14): `python -m benchmarks.processes [--rounds R] [--seconds S] [--out FILE]`.

Measures, on this machine, with real subprocesses on the product index (built with `advisor index` in a temporary
folder):
- `POST /api/ask` throughput (answers/s) and p50/p95 latency with 16 concurrent clients through nginx (Debian's
  /usr/sbin/nginx running the shipped deploy/nginx.conf, as tests/backends/nginx.py starts it), in front of 1 and of
  2 `advisor serve` processes (`advisor serve --workers 2`; the 1-process nginx lists only its first port);
- recording answers to PostgreSQL (ADVISOR_DATABASE_URL, a throwaway cluster started as tests/backends/postgres.py
  does) against the default SQLite file: the same 16 clients through nginx, 1 process;
- the resident memory (VmRSS) of the serving process of `python app.py` against `advisor serve`, after the first
  answer.
The three load configurations run in interleaved rounds (the order rotates each round) and medians are reported.
Each run is a fixed question mix (the single-turn questions of eval/dev.yaml, in order), the question cache off and
the rate limit lifted. The load generator runs on the same cores as the servers and nginx. The CPU flags and the
load average before and after are printed beside the figures (the machine is shared). Not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor.quality.evaluation import DEV_QUESTIONS, load_cases

# The start-up of nginx and of PostgreSQL is the tests' own (no second copy to drift from deploy/nginx.conf).
from tests.backends.nginx import run_nginx
from tests.backends.postgres import BIN as POSTGRES_BIN
from tests.backends.postgres import Postgres
from tests.servers import free_port, stop_process, wait_healthy

from .__main__ import machine, pct
from .answering import cpu_flags

ROOT = Path(__file__).resolve().parents[1]
ADVISOR = Path(sys.executable).with_name("advisor")
CLIENTS = 16
CONFIGS = ("1 process", "2 processes", "1 process, PostgreSQL")


def free_port_pair() -> int:
    """A port P with P+1 free too (`advisor serve --workers 2` listens on both)."""
    for _ in range(100):
        port = free_port()
        if port < 65535:
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port + 1))
                    return port
                except OSError:
                    continue
    raise RuntimeError("no two consecutive free ports")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def vm_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS"))


class Process:
    """A server process (`advisor serve ...` or `python app.py`), its log in a file; stopped with SIGTERM."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, health: list[str]) -> None:
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        for url in health:
            wait_healthy(url, self.process, log)

    def stop(self) -> None:
        stop_process(self.process, timeout=30)


def server_env(index: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ADVISOR_INDEX_DIR": str(index),
        "ADVISOR_CORPUS_DIR": str(ROOT / "corpus"),
        **extra,
    }


def load_env(index: Path, nginx_ports: list[int], **extra: str) -> dict[str, str]:
    """A process behind nginx, as deploy/README.md sets it up, with the rate limit lifted and no question cache."""
    hosts = ",".join(["127.0.0.1", *(f"127.0.0.1:{p}" for p in nginx_ports)])
    return server_env(
        index,
        ADVISOR_TRUSTED_PROXIES="127.0.0.1",
        ADVISOR_ALLOWED_HOSTS=hosts,
        ADVISOR_RATE_LIMIT="1000000",
        ADVISOR_QUERY_CACHE="0",
        ADVISOR_MAX_WAITING="64",
        **extra,
    )


async def _load(url: str, questions: list[str], clients: int, warm: float, seconds: float) -> dict[str, Any]:
    """`clients` clients asking back to back for warm + seconds; only the answers that start and end within the
    last `seconds` count."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        start = time.perf_counter()
        begin, end = start + warm, start + warm + seconds

        async def client(i: int) -> None:
            nonlocal errors
            k = i * 7  # each client starts at a different place in the mix
            while time.perf_counter() < end:
                question = questions[k % len(questions)]
                k += 1
                sent = time.perf_counter()
                try:
                    status = (await http.post("/api/ask", json={"question": question})).status_code
                except httpx.HTTPError:
                    status = 0
                done = time.perf_counter()
                if sent >= begin and done <= end:
                    latencies.append(done - sent)
                    errors += status != 200

        await asyncio.gather(*(client(i) for i in range(clients)))
    return {
        "answers": len(latencies),
        "errors": errors,
        "answers_per_s": (len(latencies) - errors) / seconds,
        "p50_ms": pct(latencies, 50) * 1000,
        "p95_ms": pct(latencies, 95) * 1000,
    }


def load(url: str, questions: list[str], warm: float, seconds: float) -> dict[str, Any]:
    return asyncio.run(_load(url, questions, CLIENTS, warm, seconds))


def build_index(work: Path) -> Path:
    index = work / "index"
    argv = [str(ADVISOR), "index", "--corpus", str(ROOT / "corpus"), "--index", str(index)]
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return index


@contextlib.contextmanager
def postgres_cluster(folder: Path) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port; yields the URL of a new database in it."""
    if not (POSTGRES_BIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL 15 is not installed ({POSTGRES_BIN}): ./test.sh installs it")
    server = Postgres(folder, free_port())
    server.init()
    server.start()
    try:
        yield server.url(server.create_database())
    finally:
        with contextlib.suppress(RuntimeError):
            server.stop()


def throughput(index: Path, work: Path, questions: list[str], rounds: int, seconds: float) -> dict[str, Any]:
    """The three load configurations, interleaved; medians of the runs."""
    nginx_ports = {name: free_port() for name in CONFIGS}
    env = load_env(index, list(nginx_ports.values()))
    pair, single = free_port_pair(), free_port()
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CONFIGS}
    servers: list[Process] = []
    pg_folder = Path(tempfile.mkdtemp(prefix="advisor-bench-pg-", dir="/tmp"))
    try:
        with contextlib.ExitStack() as stack:
            database = stack.enter_context(postgres_cluster(pg_folder))
            # SQLite: the default, one file shared by the two processes as `--workers 2` shares it.
            sqlite_env = {**env, "ADVISOR_FEEDBACK_DB": str(work / "answers.sqlite3")}
            argv = [str(ADVISOR), "serve", "--port", str(pair), "--workers", "2"]
            urls = [f"http://127.0.0.1:{pair}", f"http://127.0.0.1:{pair + 1}"]
            servers.append(Process(argv, sqlite_env, work / "serve-workers.log", urls))
            pg_env = {**env, "ADVISOR_DATABASE_URL": database, "ADVISOR_FEEDBACK_DB": str(work / "unused.sqlite3")}
            argv = [str(ADVISOR), "serve", "--port", str(single)]
            servers.append(Process(argv, pg_env, work / "serve-pg.log", [f"http://127.0.0.1:{single}"]))
            upstreams = {
                "1 process": [f"127.0.0.1:{pair}"],
                "2 processes": [f"127.0.0.1:{pair}", f"127.0.0.1:{pair + 1}"],
                "1 process, PostgreSQL": [f"127.0.0.1:{single}"],
            }
            urls_by_config = {
                name: stack.enter_context(run_nginx(upstreams[name], work / f"nginx-{n}", port=nginx_ports[name]))
                for n, name in enumerate(CONFIGS)
            }
            for url in urls_by_config.values():  # every process answers once before anything is timed
                for _ in range(4):
                    httpx.post(f"{url}/api/ask", json={"question": questions[0]}, timeout=60).raise_for_status()
            for r in range(rounds):
                order = CONFIGS[r % len(CONFIGS) :] + CONFIGS[: r % len(CONFIGS)]
                for name in order:
                    runs[name].append(load(urls_by_config[name], questions, 2.0, seconds))
                    figures = runs[name][-1]
                    print(
                        f"  round {r + 1} {name}: {figures['answers_per_s']:.0f} answers/s, p50 "
                        f"{figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, {figures['errors']} errors",
                        file=sys.stderr,
                        flush=True,
                    )
            recorded = _recorded(database)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)
    out: dict[str, Any] = {}
    for name, items in runs.items():
        out[name] = {k: statistics.median(d[k] for d in items) for k in ("answers_per_s", "p50_ms", "p95_ms")}
        out[name]["errors"] = sum(d["errors"] for d in items)
        out[name]["answers"] = sum(d["answers"] for d in items)
        out[name]["runs"] = [round(d["answers_per_s"], 1) for d in items]
    out["postgres_rows_recorded"] = recorded
    return out


def _recorded(sqlalchemy_url: str) -> int | None:
    """Answers the PostgreSQL-backed process recorded (it did write there, not to SQLite)."""
    import psycopg

    url = sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(url) as c:
            names = [r[0] for r in c.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            if "answers" not in names:
                return None
            return int(c.execute("SELECT count(*) FROM answers").fetchone()[0])  # type: ignore[index]
    except psycopg.Error:
        return None


def memory(index: Path, work: Path, question: str, rounds: int) -> dict[str, Any]:
    """VmRSS of the serving process after its first answer: `python app.py` against `advisor serve`."""
    samples: dict[str, list[float]] = {"python app.py": [], "advisor serve": []}
    for r in range(rounds):
        for name in samples:
            port = free_port()
            env = server_env(index, ADVISOR_PORT=str(port), ADVISOR_FEEDBACK_DB=str(work / f"rss-{r}-{port}.sqlite3"))
            argv = [sys.executable, "app.py"] if name == "python app.py" else [str(ADVISOR), "serve"]
            url = f"http://127.0.0.1:{port}"
            server = Process(argv, env, work / f"rss-{r}-{port}.log", [url])
            try:
                httpx.post(f"{url}/api/ask", json={"question": question}, timeout=60).raise_for_status()
                time.sleep(0.5)
                samples[name].append(vm_rss_mb(server.process.pid))
            finally:
                server.stop()
    return {name: {"vm_rss_mb": statistics.median(v), "runs": [round(x) for x in v]} for name, v in samples.items()}


def format_report(r: dict[str, Any]) -> str:
    t, m = r["throughput"], r["memory"]
    lines = [
        f"Role Advisor, several processes (#14), {r['date']}",
        r["machine"],
        f"CPU flags: {r['cpu_flags']}; load average before {r['load_before']}, after {r['load_after']}",
        f"POST /api/ask, {CLIENTS} clients through nginx, {r['questions']} questions (eval/dev.yaml), "
        f"{r['rounds']} interleaved rounds of {r['seconds']:g} s, medians:",
    ]
    for name in CONFIGS:
        f = t[name]
        lines.append(
            f"  {name:<22} {f['answers_per_s']:6.1f} answers/s  p50 {f['p50_ms']:5.0f} ms  p95 {f['p95_ms']:5.0f} ms"
            f"  errors {f['errors']}/{f['answers']}  (runs: {', '.join(f'{x:g}' for x in f['runs'])} answers/s)"
        )
    one, two, pg = t["1 process"], t["2 processes"], t["1 process, PostgreSQL"]
    lines.append(f"  2 processes / 1: {two['answers_per_s'] / one['answers_per_s']:.2f}x answers/s")
    lines.append(
        f"  PostgreSQL / SQLite: {pg['answers_per_s'] / one['answers_per_s']:.2f}x answers/s "
        f"({t['postgres_rows_recorded']} answers recorded in PostgreSQL)"
    )
    lines.append("VmRSS of the serving process after its first answer, product index (median of runs):")
    for name, f in m.items():
        lines.append(f"  {name:<22} {f['vm_rss_mb']:6.0f} MB  (runs: {', '.join(map(str, f['runs']))})")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.processes", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the load runs (medians)")
    parser.add_argument("--seconds", type=float, default=12.0, help="timed length of one load run")
    parser.add_argument("--memory-rounds", type=int, default=2, help="starts of each server for the VmRSS figures")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    args = parser.parse_args()
    if not Path("/usr/sbin/nginx").exists():
        print("nginx is not installed (Debian's nginx package; ./test.sh installs it).", file=sys.stderr)
        return 1
    questions = [c.question for c in load_cases(ROOT / DEV_QUESTIONS).cases if not c.history]
    work = Path(tempfile.mkdtemp(prefix="advisor-bench-processes-"))
    started = time.perf_counter()
    try:
        r: dict[str, Any] = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": machine(),
            "cpu_flags": cpu_flags(),
            "load_before": load_average(),
            "rounds": args.rounds,
            "seconds": args.seconds,
            "questions": len(questions),
        }
        print("building the product index (advisor index) ...", file=sys.stderr, flush=True)
        index = build_index(work)
        print("throughput through nginx ...", file=sys.stderr, flush=True)
        r["throughput"] = throughput(index, work, questions, args.rounds, args.seconds)
        print("resident memory ...", file=sys.stderr, flush=True)
        r["memory"] = memory(index, work, questions[0], args.memory_rounds)
        r["load_after"] = load_average()
        r["wall_s"] = round(time.perf_counter() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(format_report(r))
    print(f"({r['wall_s']} s)")
    if args.out:
        args.out.write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
