"""Benchmarks: `python -m benchmarks [--large N] [--rounds R] [--out FILE]`.

Measures ingestion (documents/s, chunks/s, tokens/s; cold build and incremental rebuild after one edit), answer
quality before/after (`advisor eval` with the fp32 torch path and with ours), query latency (Advisor.ask split by
stage; POST /api/ask with 1 and 16 clients against a real server process), vector search (exact vs HNSW, recall),
and memory (peak RSS while building and while serving, index size on disk). Every figure has a baseline beside it:
the plain path, sentence-transformers fp32 `encode` + FAISS IndexFlatIP, measured in the same run. Runs are
repeated and interleaved and medians reported, since the machine is shared and noisy. Question embeddings are not
cached in any latency figure. Prints a table and writes JSON. Not a test: nothing here asserts a time.

The other benchmarks are modules of this package, each with its own --help:
  python -m benchmarks.answering   Advisor.ask p50/p95, product and O*NET questions (issue #12)
  python -m benchmarks.flood       a slow-connection flood against a real `advisor serve` (security review)
  python -m benchmarks.processes   POST /api/ask through nginx with 1 and 2 processes, PostgreSQL against SQLite
                                   recording, VmRSS of `python app.py` against `advisor serve` (issue #14)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor import Advisor, Settings
from advisor.indexing import vector_index
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.ingest.chunking import chunk_document
from advisor.ingest.documents import read_folder
from advisor.quality.evaluation import DEV_QUESTIONS, evaluate, load_cases

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OURS, PLAIN = "onnx-int8", "torch"
TARGETS = {
    "embed_chunks_per_s": ">= 150 and >= 4x",
    "incremental_large_s": "< 3 s (1,000 docs)",
    "ask_p50_ms": "<= 10",
    "ask_p95_ms": "<= 25",
    "http16_p95_ms": "<= 100, 0 errors",
    "serving_rss_large_mb": "<= 800",
}


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def settings_for(corpus: Path, index: Path, backend: str) -> Settings:
    return replace(Settings.from_env(env={}), corpus_dir=corpus, index_dir=index, embed_backend=backend)


def large_corpus(folder: Path, n: int) -> Path | None:
    """O*NET occupations turned into role documents by the importer (the first n), if the data is here."""
    onet, wages = SHARED / "onet_29_3", SHARED / "bls_oews_2024" / "national_M2024_dl.xlsx"
    if not onet.is_dir():
        return None
    from advisor.ingest.onet import import_onet

    all_docs = folder / "all"
    import_onet(onet, all_docs, wages if wages.is_file() else None)
    chosen = folder / f"onet-{n}"
    chosen.mkdir()
    for path in sorted(all_docs.iterdir())[:n]:
        shutil.copy(path, chosen / path.name)
    return chosen


def chunk_texts(corpus: Path) -> list[str]:
    chunking = Settings.from_env(env={}).chunking
    return [c.embed_text for d in read_folder(corpus).documents for c in chunk_document(d, chunking)]


def embedding_throughput(texts: list[str], ours: Embedder, plain: Embedder, rounds: int) -> dict[str, float]:
    """chunks/s of our embedder and of the plain fp32 path on the same chunks, interleaved."""
    tokenizer = ours.encoder.tokenizer if hasattr(ours.encoder, "tokenizer") else None
    tokens = sum(len(e.ids) for e in tokenizer.encode_batch(texts)) if tokenizer else 0
    mine, base = [], []
    for _ in range(rounds):
        mine.append(len(texts) / timed(ours.embed_documents, texts)[0])
        base.append(len(texts) / timed(plain.embed_documents, texts)[0])
    return {
        "chunks": len(texts),
        "model_tokens_per_chunk": tokens / len(texts),
        "chunks_per_s": statistics.median(mine),
        "baseline_chunks_per_s": statistics.median(base),
        "ratio": statistics.median(mine) / statistics.median(base),
    }


def ingestion(corpus: Path, work: Path, embedders: dict[str, Embedder], rounds: int) -> dict[str, Any]:
    """In-process `advisor index`: cold full build, then an incremental build after one edited document."""
    out: dict[str, Any] = {}
    samples: dict[str, dict[str, list[float]]] = {b: {"cold": [], "incremental": []} for b in embedders}
    for r in range(rounds):
        for backend, embedder in embedders.items():
            settings = settings_for(corpus, work / f"{backend}-{r}", backend)
            seconds, report = timed(build, settings, full=True, embedder=embedder)
            samples[backend]["cold"].append(seconds)
            victim = sorted(corpus.glob("*.md"))[len(report.documents) // 2]
            original = victim.read_text(encoding="utf-8")
            victim.write_text(original + "\n\nEdited for the benchmark.\n", encoding="utf-8")
            samples[backend]["incremental"].append(timed(build, settings, embedder=embedder)[0])
            victim.write_text(original, encoding="utf-8")
            build(settings, embedder=embedder)  # back to the corpus as it was
    for backend in embedders:
        index = work / f"{backend}-0"
        stored = Advisor.load(settings=settings_for(corpus, index, backend), embedder=embedders[backend]).stored
        cold = statistics.median(samples[backend]["cold"])
        docs, chunks = len(stored.manifest.documents), len(stored.chunks)
        out[backend] = {
            "documents": docs,
            "chunks": chunks,
            "tiktoken_tokens": sum(c.n_tokens for c in stored.chunks),
            "cold_s": cold,
            "docs_per_s": docs / cold,
            "chunks_per_s": chunks / cold,
            "tokens_per_s": sum(c.n_tokens for c in stored.chunks) / cold,
            "incremental_one_edit_s": statistics.median(samples[backend]["incremental"]),
            "index_bytes": sum(p.stat().st_size for p in index.rglob("*") if p.is_file()),
            "index_dir": str(index),
        }
    return out


def quality(corpus: Path, work: Path, embedders: dict[str, Embedder]) -> dict[str, Any]:
    """`advisor eval` on the product corpus with each backend: the answers must not get worse."""
    suite = load_cases(ROOT / DEV_QUESTIONS)
    out = {}
    for backend, embedder in embedders.items():
        settings = settings_for(corpus, work / f"eval-{backend}", backend)
        build(settings, embedder=embedder)
        result = evaluate(Advisor.load(settings=settings, embedder=embedder), suite)
        out[backend] = {**result.to_dict()["metrics"], "passed": sum(r.passed for r in result.results)}
        out[backend]["cases"] = len(result.results)
    return out


def query_latency(index: Path, corpus: Path, questions: list[str], rounds: int) -> dict[str, Any]:
    """Advisor.ask end to end (no query cache), its stages, and the plain path: fp32 encode + IndexFlatIP."""
    settings = replace(settings_for(corpus, index, OURS), query_cache=0)
    advisor = Advisor.load(settings=settings, embedder=Embedder.from_settings(settings))
    plain = Embedder(backend=PLAIN, query_cache=0)
    flat = faiss.IndexFlatIP(advisor.stored.vectors.d)
    flat.add(advisor.stored.all_vectors())
    retriever, matrix = advisor.retriever, advisor.stored.all_vectors()
    total, embed, dense, lexical, compose, baseline = [], [], [], [], [], []
    ids = np.arange(len(advisor.stored.chunks))
    for q in questions[:3]:
        advisor.ask(q), plain.embed_query(q)  # warm both
    for _ in range(rounds):
        for q in questions:
            total.append(timed(advisor.ask, q)[0])
            t, vector = timed(advisor.embedder.embed_query, q)
            embed.append(t)
            dense.append(timed(vector_index.search, advisor.stored.vectors, matrix, vector, None, 32)[0])
            lexical.append(timed(retriever._bm25, q, ids, 32)[0])
            compose.append(timed(advisor.answer, advisor.plan(q))[0])
            start = time.perf_counter()
            flat.search(plain.embed_query(q).reshape(1, -1), 8)
            baseline.append(time.perf_counter() - start)
    ms = 1000.0
    return {
        "questions": len(total),
        "p50_ms": pct(total, 50) * ms,
        "p95_ms": pct(total, 95) * ms,
        "p99_ms": pct(total, 99) * ms,
        "throughput_qps": len(total) / sum(total),
        "embed_question_p50_ms": pct(embed, 50) * ms,
        "dense_search_p50_ms": pct(dense, 50) * ms,
        "bm25_p50_ms": pct(lexical, 50) * ms,
        "answer_composition_p50_ms": pct(compose, 50) * ms,
        # The rest: role and intent resolution, fusion and ranking.
        "resolution_and_fusion_p50_ms": (
            pct(total, 50) - pct(embed, 50) - pct(dense, 50) - pct(lexical, 50) - pct(compose, 50)
        )
        * ms,
        "baseline_embed_and_search_p50_ms": pct(baseline, 50) * ms,
        "baseline_embed_and_search_p95_ms": pct(baseline, 95) * ms,
    }


def vector_search(sizes: list[int], source: np.ndarray, queries: np.ndarray, rounds: int) -> list[dict[str, Any]]:
    """Exact (IndexFlatIP) against HNSW as the index layer builds it: on the real vectors of the large corpus, then
    on corpora grown from them (each synthetic vector a real one plus noise, so neighbourhoods look like a larger
    corpus of similar roles; near-duplicates make recall harder than on real text)."""
    rng = np.random.default_rng(0)
    out = []
    for n in [0, *sizes]:
        if n == 0:
            grown = np.ascontiguousarray(source, dtype=np.float32)
        else:
            picked = source[rng.integers(0, len(source), n)]
            grown = picked + rng.normal(0, 0.02, picked.shape).astype(np.float32)
            grown /= np.linalg.norm(grown, axis=1, keepdims=True)
        flat, _ = vector_index.build(grown, grown.shape[1], hnsw_min_vectors=len(grown) + 1)
        hnsw_build, (hnsw, _) = timed(vector_index.build, grown, grown.shape[1], 1)
        exact_t, approx_t, recall = [], [], []
        for _ in range(rounds):
            for q in queries:
                t, (exact, _s) = timed(vector_index.search, flat, grown, q, None, 32)
                exact_t.append(t)
                t, (approx, _s) = timed(vector_index.search, hnsw, grown, q, None, 32)
                approx_t.append(t)
                recall.append(len(set(exact) & set(approx)) / 32)
        out.append({
            "vectors": len(grown),
            "data": "real" if n == 0 else "synthetic",
            "flat_p50_ms": pct(exact_t, 50) * 1000,
            "hnsw_p50_ms": pct(approx_t, 50) * 1000,
            "hnsw_recall_at_32": float(np.mean(recall)),
            "hnsw_build_s": hnsw_build,
        })  # fmt: skip
    return out


class Server:
    """`advisor serve` in its own process (as deployed), with rate limits lifted and no query cache; its log goes
    to a file in work (a pipe nobody reads would block a server that logs much)."""

    def __init__(self, index: Path, corpus: Path, backend: str, work: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {
            **os.environ, "ADVISOR_INDEX_DIR": str(index), "ADVISOR_CORPUS_DIR": str(corpus),
            "ADVISOR_EMBED_BACKEND": backend, "ADVISOR_QUERY_CACHE": "0", "ADVISOR_RATE_LIMIT": "1000000",
            "ADVISOR_MAX_WAITING": "64", "ADVISOR_FEEDBACK_DB": str(work / f"feedback-{backend}-{self.port}.sqlite3"),
        }  # fmt: skip
        self.log = work / f"serve-{backend}-{self.port}.log"
        advisor = Path(sys.executable).with_name("advisor")
        cmd = [str(advisor), "serve", "--port", str(self.port)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, cwd=ROOT)
        self.url = f"http://127.0.0.1:{self.port}"
        import httpx

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"advisor serve exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("advisor serve did not start within 120 s")

    def peak_rss_mb(self) -> float:
        return _vm_hwm_mb(self.process.pid)

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def http_load(url: str, questions: list[str], clients: int, per_client: int) -> dict[str, Any]:
    import httpx

    def client(i: int) -> list[tuple[float, int]]:
        out = []
        with httpx.Client(timeout=60) as http:
            for k in range(per_client):
                # A different question each time: no request is served from the question-embedding cache.
                question = f"{questions[(i * per_client + k) % len(questions)]} ({i}.{k})"
                t, r = timed(http.post, f"{url}/api/ask", json={"question": question})
                out.append((t, r.status_code))
        return out

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [item for batch in pool.map(client, range(clients)) for item in batch]
    wall = time.perf_counter() - start
    latencies = [t for t, _ in results]
    return {
        "clients": clients,
        "requests": len(results),
        "errors": sum(status != 200 for _, status in results),
        "p50_ms": pct(latencies, 50) * 1000,
        "p95_ms": pct(latencies, 95) * 1000,
        "p99_ms": pct(latencies, 99) * 1000,
        "throughput_rps": len(results) / wall,
    }


def serving(indexes: dict[str, Path], corpus: Path, questions: list[str], work: Path, rounds: int) -> dict[str, Any]:
    """HTTP latency with 1 and 16 clients and the server's peak RSS, ours and the plain path, interleaved."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {b: {"1": [], "16": []} for b in indexes}
    rss: dict[str, list[float]] = {b: [] for b in indexes}
    for _ in range(rounds):
        for backend, index in indexes.items():
            server = Server(index, corpus, backend, work)
            try:
                http_load(server.url, questions[:4], 2, 2)  # warm-up
                runs[backend]["1"].append(http_load(server.url, questions, 1, 60))
                runs[backend]["16"].append(http_load(server.url, questions, 16, 20))
                rss[backend].append(server.peak_rss_mb())
            finally:
                server.stop()
    return {
        backend: {
            **{f"http_{n}": _median_dicts(runs[backend][n]) for n in ("1", "16")},
            "peak_rss_mb": statistics.median(rss[backend]),
        }
        for backend in indexes
    }


def serving_rss(index: Path, corpus: Path, backend: str, questions: list[str], work: Path) -> float:
    server = Server(index, corpus, backend, work)
    try:
        http_load(server.url, questions, 4, 10)
        return server.peak_rss_mb()
    finally:
        server.stop()


def build_process(corpus: Path, index: Path, backend: str) -> dict[str, float]:
    """`advisor index --full` as a user runs it (model loading included): wall time and peak RSS."""
    env = {**os.environ, "ADVISOR_EMBED_BACKEND": backend}
    cmd = [str(Path(sys.executable).with_name("advisor")), "index", "--full", "--corpus", str(corpus)]
    start = time.perf_counter()
    process = subprocess.Popen([*cmd, "--index", str(index)], env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    # VmHWM, polled: the kernel's ru_maxrss of a child also counts this (large) process it was forked from.
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _vm_hwm_mb(process.pid))
        time.sleep(0.05)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed with status {process.returncode}")
    return {"wall_s": time.perf_counter() - start, "peak_rss_mb": peak}


def _vm_hwm_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")), 0.0)


def _median_dicts(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {k: statistics.median(d[k] for d in items) if k != "errors" else sum(d[k] for d in items) for k in items[0]}


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    flags = Path("/proc/cpuinfo").read_text()
    isa = [f for f in ("avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8") if f" {f}" in flags]
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} CPUs ({', '.join(isa)}), Linux {platform.release()}, Python {python}"


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__.splitlines()[0],
        epilog="\n".join(__doc__.split("\n\n")[-1].splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--large", type=int, default=1016, help="O*NET documents in the large corpus (max 1016; 0: product corpus only)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="repetitions of each measurement (medians)")
    parser.add_argument("--sample", type=int, default=1500, help="chunks of the large corpus in the embedding race")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args()

    import onnxruntime
    import torch

    work = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    embedders = {OURS: Embedder(backend=OURS), PLAIN: Embedder(backend=PLAIN)}
    for embedder in embedders.values():
        embedder.embed_documents(["load and warm the model outside every measurement"])
    r: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": {"onnxruntime": onnxruntime.__version__, "torch": torch.__version__, "faiss": faiss.__version__},
        "rounds": args.rounds,
    }
    step = _progress()
    product = work / "product"
    shutil.copytree(ROOT / "corpus", product)
    step("embedding (product)")
    r["embedding_product"] = embedding_throughput(chunk_texts(product), *embedders.values(), args.rounds)
    step("ingestion (product)")
    r["ingestion_product"] = ingestion(product, work / "p", embedders, args.rounds)
    step("answer quality before/after")
    r["quality"] = quality(product, work / "q", embedders)
    questions = [c.question for c in load_cases(ROOT / DEV_QUESTIONS).cases if not c.history]
    step("Advisor.ask latency")
    r["query_product"] = query_latency(Path(r["ingestion_product"][OURS]["index_dir"]), product, questions, args.rounds)
    step("HTTP latency and serving memory (product)")
    indexes = {b: Path(r["ingestion_product"][b]["index_dir"]) for b in embedders}
    r["serving_product"] = serving(indexes, product, questions, work, max(1, args.rounds - 1))

    large = large_corpus(work / "large", args.large) if args.large > 0 else None
    if large is not None:
        texts = chunk_texts(large)
        sample = [texts[i] for i in np.random.default_rng(1).permutation(len(texts))[: args.sample]]
        step(f"embedding (large, {len(sample)} of {len(texts)} chunks)")
        r["embedding_large"] = embedding_throughput(sample, *embedders.values(), args.rounds)
        step(f"ingestion (large, {args.large} documents; ours only, the baseline is the embedding race)")
        r["ingestion_large"] = ingestion(large, work / "l", {OURS: embedders[OURS]}, 1)
        step("advisor index --full as a process (large)")
        r["build_process_large"] = build_process(large, work / "l-process", OURS)
        step("serving memory (large)")
        large_index = Path(r["ingestion_large"][OURS]["index_dir"])
        r["serving_rss_large_mb"] = serving_rss(large_index, large, OURS, questions, work)
        step("vector search: exact vs HNSW")
        vectors = Advisor.load(settings=settings_for(large, large_index, OURS), embedder=embedders[OURS])
        queries = embedders[OURS].embed_documents(questions[:20])
        r["vector_search"] = vector_search([20_000, 100_000], vectors.stored.all_vectors(), queries, args.rounds)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, indent=2))
    print(format_table(r))
    print(f"\nJSON: {args.out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _progress() -> Callable[[str], None]:
    started = time.perf_counter()

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {name} ...", file=sys.stderr, flush=True)

    return step


def format_table(r: dict[str, Any]) -> str:
    """One row per figure: ours, the plain path's, the ratio, and the issue's target where there is one."""
    rows: list[tuple[str, str, str, str, str]] = []

    def row(name: str, ours: float, plain: float | None, fmt: str, target: str = "", higher_is_better: bool = True):
        ratio = ""
        if plain:
            ratio = f"{ours / plain:.1f}x" if higher_is_better else f"{plain / ours:.1f}x"
        rows.append((name, format(ours, fmt), format(plain, fmt) if plain is not None else "", ratio, target))

    for key, label in (("embedding_product", "product"), ("embedding_large", "large")):
        if key in r:
            e = r[key]
            target = TARGETS["embed_chunks_per_s"] if key == "embedding_large" else ""
            name = f"embed chunks/s ({label}, {e['model_tokens_per_chunk']:.0f} model tokens)"
            row(name, e["chunks_per_s"], e["baseline_chunks_per_s"], ".1f", target)
    i = r["ingestion_product"]
    row("index product: cold s", i[OURS]["cold_s"], i[PLAIN]["cold_s"], ".2f", higher_is_better=False)
    row("index product: chunks/s", i[OURS]["chunks_per_s"], i[PLAIN]["chunks_per_s"], ".1f")
    row("index product: 1 edit s", i[OURS]["incremental_one_edit_s"], i[PLAIN]["incremental_one_edit_s"], ".2f",
        higher_is_better=False)  # fmt: skip
    if "ingestion_large" in r:
        g = r["ingestion_large"][OURS]
        label = f"index {g['documents']} docs"
        row(f"{label}: cold s ({g['chunks']} chunks)", g["cold_s"], None, ".1f")
        row(f"{label}: docs/s", g["docs_per_s"], None, ".1f")
        row(f"{label}: chunks/s", g["chunks_per_s"], None, ".1f")
        row(f"{label}: tiktoken tokens/s", g["tokens_per_s"], None, ".0f")
        row(f"{label}: 1 edit s", g["incremental_one_edit_s"], None, ".2f", TARGETS["incremental_large_s"])
        row(f"{label}: index MB on disk", g["index_bytes"] / 1e6, None, ".1f")
        p = r["build_process_large"]
        row("advisor index --full (process): s", p["wall_s"], None, ".1f")
        row("advisor index --full: peak RSS MB", p["peak_rss_mb"], None, ".0f")
    for metric in ("hit_at_k", "mrr", "fact_accuracy", "citation_accuracy", "abstention_accuracy", "passed"):
        q = r["quality"]
        row(f"eval {metric}", q[OURS][metric], q[PLAIN][metric], ".3f" if metric != "passed" else ".0f", "not lower")
    q = r["query_product"]
    row("Advisor.ask p50 ms", q["p50_ms"], None, ".2f", TARGETS["ask_p50_ms"])
    row("Advisor.ask p95 ms", q["p95_ms"], None, ".2f", TARGETS["ask_p95_ms"])
    row("Advisor.ask p99 ms", q["p99_ms"], None, ".2f")
    row("  embed question p50 ms", q["embed_question_p50_ms"], q["baseline_embed_and_search_p50_ms"], ".2f",
        "baseline: embed+flat", higher_is_better=False)  # fmt: skip
    row("  dense search p50 ms", q["dense_search_p50_ms"], None, ".3f", "< 1")
    row("  BM25 p50 ms", q["bm25_p50_ms"], None, ".3f", "< 1")
    row("  resolution + fusion p50 ms", q["resolution_and_fusion_p50_ms"], None, ".2f")
    row("  answer composition p50 ms", q["answer_composition_p50_ms"], None, ".2f")
    s = r["serving_product"]
    for n in ("1", "16"):
        ours, plain = s[OURS][f"http_{n}"], s[PLAIN][f"http_{n}"]
        target = TARGETS["http16_p95_ms"] if n == "16" else ""
        row(f"POST /api/ask {n} cl. p50 ms", ours["p50_ms"], plain["p50_ms"], ".1f", higher_is_better=False)
        row(f"POST /api/ask {n} cl. p95 ms", ours["p95_ms"], plain["p95_ms"], ".1f", target, higher_is_better=False)
        row(f"POST /api/ask {n} cl. p99 ms", ours["p99_ms"], plain["p99_ms"], ".1f", higher_is_better=False)
        row(f"POST /api/ask {n} cl. req/s", ours["throughput_rps"], plain["throughput_rps"], ".1f")
        row(f"POST /api/ask {n} cl. errors", ours["errors"], plain["errors"], ".0f")
    row("serving RSS MB (product)", s[OURS]["peak_rss_mb"], s[PLAIN]["peak_rss_mb"], ".0f", higher_is_better=False)
    if "serving_rss_large_mb" in r:
        row("serving RSS MB (large)", r["serving_rss_large_mb"], None, ".0f", TARGETS["serving_rss_large_mb"])
    for v in r.get("vector_search", []):
        row(f"{v['vectors']:,} {v['data']} vectors: search ms HNSW | flat", v["hnsw_p50_ms"], v["flat_p50_ms"], ".2f",
            f"recall@32 {v['hnsw_recall_at_32']:.3f}", higher_is_better=False)  # fmt: skip

    header = ("figure", "ours", "baseline", "ratio", "target")
    widths = [max(len(str(x[k])) for x in [header, *rows]) for k in range(5)]
    lines = [f"Role Advisor benchmarks, {r['date']}", r["machine"], f"ours: {OURS}; baseline: plain fp32 torch", ""]
    for line in [header, *rows]:
        cells = [c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(line, widths, strict=True))]
        lines.append("  ".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
