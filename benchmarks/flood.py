"""Connection flood against a real `advisor serve`: `python -m benchmarks.flood [--connections N] [--rounds R]`.

Reproduces the slow-body flood of the security review (F3): N connections each send the headers of
`POST /api/ask` with `Content-Length: 16000`, then one body byte every 5 s, from one address (127.0.0.2): "held"
as in the review (connections are opened once), and "reconnecting" (one the server closes is opened again at once,
so the flood keeps N connections open for its whole length). While the flood runs, a normal
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
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor import Settings
from advisor.indexing.build import build

from .__main__ import Server, machine, pct

ROOT = Path(__file__).resolve().parents[1]
PER_WORKER = 5_000  # sockets one flood process opens (its own open-file limit stays far away)
QUESTION = "How much does an ML Performance Architect make?"
# The attacker's address; visitors ask from 127.0.0.1 (every 127.x.y.z address is this machine's loopback).
FLOOD_SOURCE = "127.0.0.2"


def flood_worker(port: int, count: int, seconds: float, reconnect: bool, source: str, out: Any) -> None:
    """`count` slow connections for `seconds`; with reconnect, one the server closes is opened again at once.
    Puts the totals (connections opened, refused at connect, closed by the server) on out."""
    head = (
        f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        "Content-Length: 16000\r\n\r\n"
    ).encode()
    stats = {"opened": 0, "failed": 0, "closed": 0}

    async def slot(deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
            except OSError:
                stats["failed"] += 1
                await asyncio.sleep(0.1)
                continue
            stats["opened"] += 1
            try:
                writer.write(head)
                while time.monotonic() < deadline:
                    writer.write(b" ")
                    await writer.drain()
                    try:
                        await asyncio.wait_for(reader.read(1), 5)
                        stats["closed"] += 1  # a response (503) or the end of the stream: the server let go
                        break
                    except TimeoutError:
                        pass
            except OSError:
                stats["closed"] += 1
            finally:
                writer.close()
            if not reconnect:
                return

    async def run() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(slot(deadline) for _ in range(count)))

    asyncio.run(run())
    out.put(stats)


def normal_requests(url: str, seconds: float) -> dict[str, Any]:
    """A question every half second, each on a new connection (as separate visitors would ask)."""
    latencies, errors, failures = [], 0, []
    begin = time.monotonic()
    end = begin + seconds
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0))
    while time.monotonic() < end:
        start = time.perf_counter()
        try:
            status = client.post(f"{url}/api/ask", json={"question": QUESTION}).status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        if status == 200:
            latencies.append(time.perf_counter() - start)
        else:
            errors += 1
            failures.append(f"{status} at {time.monotonic() - begin:.1f} s")
        time.sleep(0.5)
    client.close()
    total = len(latencies) + errors
    return {
        "requests": total,
        "answered": len(latencies),
        "p50_ms": pct(latencies, 50) * 1000,
        "p95_ms": pct(latencies, 95) * 1000,
        "errors": errors,
        "failures": failures,
    }


def one_round(index: Path, work: Path, connections: int, seconds: float, reconnect: bool) -> dict[str, Any]:
    server = Server(index, ROOT / "corpus", "onnx-int8", work)
    port = server.port
    try:
        quiet = normal_requests(server.url, seconds / 3)
        log_before = server.log.stat().st_size
        results: Any = multiprocessing.get_context("spawn").Queue()
        workers = [
            multiprocessing.get_context("spawn").Process(
                target=flood_worker,
                args=(port, min(PER_WORKER, connections - i), seconds, reconnect, FLOOD_SOURCE, results),
            )
            for i in range(0, connections, PER_WORKER)
        ]
        for w in workers:
            w.start()
        time.sleep(min(5.0, seconds / 4))  # let the flood build up
        open_files = server.open_files()
        during = normal_requests(server.url, seconds / 2)
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
    modes = {"held": False, "reconnecting": True}
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = replace(Settings.from_env(env={}), corpus_dir=ROOT / "corpus", index_dir=work / "index")
        build(settings)
        for r in range(args.rounds):
            for mode, reconnect in modes.items():  # interleaved
                result = one_round(settings.index_dir, work, args.connections, args.seconds, reconnect)
                runs[mode].append(result)
                print(f"round {r + 1}, {mode}: {result}", file=sys.stderr, flush=True)

    print(f"Machine: {machine()}")
    print(f"Flood: {args.connections} slow connections for {args.seconds:g} s, {args.rounds} rounds (medians)")
    rows: list[tuple[str, ...]] = [("", *modes)]
    for name, fmt in (
        ("normal requests answered, no flood", "{quiet.answered:.0f} of {quiet.requests:.0f}"),
        ("normal requests answered, during the flood", "{flood.answered:.0f} of {flood.requests:.0f}"),
        ("p50 / p95, no flood (ms)", "{quiet.p50_ms:.0f} / {quiet.p95_ms:.0f}"),
        ("p50 / p95, during the flood (ms)", "{flood.p50_ms:.0f} / {flood.p95_ms:.0f}"),
        ("flood connections made / refused at connect", "{flood_opened:.0f} / {flood_failed:.0f}"),
        ("flood connections closed by the server", "{flood_closed_by_server:.0f}"),
        ("server's open files during the flood", "{server_open_files:.0f}"),
        ("server log growth during the flood (bytes)", "{log_growth_bytes:.0f}"),
    ):
        rows.append((name, *(fmt.format_map(_Medians(runs[mode])) for mode in modes)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    failures = {mode: [f for run in runs[mode] for f in run["flood"]["failures"]] for mode in modes}
    print(f"Failed normal requests during the flood: {failures}")
    return 0


class _Medians(dict):  # type: ignore[type-arg]
    """format_map helper: "{flood.p50_ms}" is the median of that figure over the runs."""

    def __init__(self, runs: list[dict[str, Any]]) -> None:
        super().__init__()
        self.runs = runs

    def __missing__(self, key: str) -> Any:
        values = [run[key] for run in self.runs]
        if isinstance(values[0], dict):
            return _Field({k: statistics.median(float(v[k]) for v in values) for k in values[0] if k != "failures"})
        return statistics.median(float(v) for v in values)


class _Field:
    def __init__(self, values: dict[str, float]) -> None:
        self.__dict__.update(values)


if __name__ == "__main__":
    sys.exit(main())
