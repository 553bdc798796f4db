"""Connection flood against a real `advisor serve`: `python -m benchmarks.flood [--connections N] [--rounds R]`.

Reproduces the slow-body flood of the security review (F3): N connections each send the headers of
`POST /api/ask` with `Content-Length: 16000`, then one body byte every 5 s. While the flood runs, a normal
client asks a question every half second. Each round measures the normal requests without and with the flood
(interleaved), how many flood connections the server closed, the server's open file descriptors and the growth
of its log. Medians over the rounds; the CPU flags are printed beside the figures. Not a test: nothing here
asserts a time. The flood is spread over worker processes, since one process may not open 20,000 sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor import Settings
from advisor.indexer import build

from .__main__ import machine, pct

ROOT = Path(__file__).resolve().parents[1]
PER_WORKER = 5_000  # sockets one flood process opens (its own open-file limit stays far away)
QUESTION = "How much does an ML Performance Architect make?"


def flood_worker(port: int, count: int, seconds: float, out: Any) -> None:
    """count slow connections for `seconds`; puts (opened, failed, closed by the server) on out."""
    head = (
        f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        "Content-Length: 16000\r\n\r\n"
    ).encode()
    stats = {"opened": 0, "failed": 0, "closed": 0}

    async def slow(deadline: float) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            stats["failed"] += 1
            return
        stats["opened"] += 1
        try:
            writer.write(head)
            while time.monotonic() < deadline:
                writer.write(b" ")
                await writer.drain()
                try:
                    await asyncio.wait_for(reader.read(1), 5)
                    stats["closed"] += 1  # a response (503) or the end of the stream: the server let go
                    return
                except TimeoutError:
                    pass
        except OSError:
            stats["closed"] += 1
        finally:
            writer.close()

    async def run() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(slow(deadline) for _ in range(count)))

    asyncio.run(run())
    out.put(stats)


def normal_requests(url: str, seconds: float) -> dict[str, Any]:
    """A question every half second, each on a new connection (as separate visitors would ask)."""
    latencies, errors = [], 0
    end = time.monotonic() + seconds
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0))
    while time.monotonic() < end:
        start = time.perf_counter()
        try:
            ok = client.post(f"{url}/api/ask", json={"question": QUESTION}).status_code == 200
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append(time.perf_counter() - start)
        else:
            errors += 1
        time.sleep(0.5)
    client.close()
    total = len(latencies) + errors
    return {
        "requests": total,
        "answered": len(latencies),
        "p50_ms": pct(latencies, 50) * 1000,
        "p95_ms": pct(latencies, 95) * 1000,
        "errors": errors,
    }


class Server:
    """`advisor serve` with its default connection settings; its log goes to a file, to measure its growth."""

    def __init__(self, index: Path, work: Path, port: int) -> None:
        self.log = work / f"serve-{port}.log"
        env = {
            **os.environ, "ADVISOR_INDEX_DIR": str(index), "ADVISOR_RATE_LIMIT": "1000000",
            "ADVISOR_FEEDBACK_DB": str(work / f"feedback-{port}.sqlite3"),
        }  # fmt: skip
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "advisor", "serve", "--port", str(port)], env=env, stdout=log, stderr=log
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"advisor serve did not start: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def one_round(index: Path, work: Path, port: int, connections: int, seconds: float) -> dict[str, Any]:
    server = Server(index, work, port)
    try:
        quiet = normal_requests(server.url, seconds / 3)
        log_before = server.log.stat().st_size
        results: Any = multiprocessing.get_context("spawn").Queue()
        workers = [
            multiprocessing.get_context("spawn").Process(
                target=flood_worker, args=(port, min(PER_WORKER, connections - i), seconds, results)
            )
            for i in range(0, connections, PER_WORKER)
        ]
        for w in workers:
            w.start()
        time.sleep(min(5.0, seconds / 4))  # let the flood build up
        during = normal_requests(server.url, seconds / 2)
        open_files = server.open_files()
        stats = [results.get(timeout=seconds + 60) for _ in workers]
        for w in workers:
            w.join()
        log_growth = server.log.stat().st_size - log_before
    finally:
        server.stop()
    return {
        "quiet": quiet,
        "flood": during,
        "flood_opened": sum(s["opened"] for s in stats),
        "flood_failed": sum(s["failed"] for s in stats),
        "flood_closed_by_server": sum(s["closed"] for s in stats),
        "server_open_files": open_files,
        "log_growth_bytes": log_growth,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.flood", description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=20_000, help="slow connections in the flood")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each flood lasts")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = replace(Settings.from_env(env={}), corpus_dir=ROOT / "corpus", index_dir=work / "index")
        build(settings)
        rounds = []
        for r in range(args.rounds):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            rounds.append(one_round(settings.index_dir, work, port, args.connections, args.seconds))
            print(f"round {r + 1}: {rounds[-1]}", file=sys.stderr, flush=True)

    def med(path: str) -> float:
        values = []
        for item in rounds:
            value: Any = item
            for key in path.split("."):
                value = value[key]
            values.append(float(value))
        return statistics.median(values)

    print(f"Machine: {machine()}")
    print(f"Flood: {args.connections} slow connections for {args.seconds:g} s, {args.rounds} rounds (medians)")
    rows = [
        ("normal requests answered, no flood", f"{med('quiet.answered'):.0f} of {med('quiet.requests'):.0f}"),
        ("normal requests answered, during the flood", f"{med('flood.answered'):.0f} of {med('flood.requests'):.0f}"),
        ("p50 / p95, no flood", f"{med('quiet.p50_ms'):.0f} / {med('quiet.p95_ms'):.0f} ms"),
        ("p50 / p95, during the flood", f"{med('flood.p50_ms'):.0f} / {med('flood.p95_ms'):.0f} ms"),
        ("flood connections opened / refused at connect", f"{med('flood_opened'):.0f} / {med('flood_failed'):.0f}"),
        ("flood connections closed by the server", f"{med('flood_closed_by_server'):.0f}"),
        ("server's open files during the flood", f"{med('server_open_files'):.0f}"),
        ("server log growth during the flood", f"{med('log_growth_bytes') / 1024:.1f} KB"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
