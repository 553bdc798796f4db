"""Benchmarks: `python -m benchmarks [--large N] [--rounds R] [--out FILE]`.

Measures ingestion (documents/s, chunks/s, tokens/s; cold build and incremental rebuild after one edit), query
latency (Advisor.ask and POST /api/ask with 1 and 16 clients, split by stage), memory (peak RSS while building
and serving, index size on disk), each beside a baseline: the plain path (sentence-transformers fp32 `encode` +
FAISS IndexFlatIP). Runs are repeated and interleaved and medians reported, since the machine is shared and noisy.
Prints a table and writes JSON. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor import Advisor, Settings
from advisor.chunking import chunk_document
from advisor.documents import read_folder
from advisor.embedding import Embedder
from advisor.evaluation import DEFAULT_QUESTIONS, load_cases
from advisor.indexer import build

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def large_corpus(folder: Path, n: int) -> Path | None:
    """O*NET occupations turned into role documents by the importer (the first n), if the data is here."""
    onet, wages = SHARED / "onet_29_3", SHARED / "bls_oews_2024" / "national_M2024_dl.xlsx"
    if not onet.is_dir():
        return None
    from advisor.onet import import_onet

    all_docs = folder / "all"
    import_onet(onet, all_docs, wages if wages.is_file() else None)
    chosen = folder / f"onet-{n}"
    chosen.mkdir()
    for path in sorted(all_docs.iterdir())[:n]:
        shutil.copy(path, chosen / path.name)
    return chosen


def embedding_throughput(corpus: Path, embedder: Embedder, rounds: int) -> dict[str, float]:
    """Ours (Embedder.embed_documents) vs the plain path (model.encode fp32), interleaved."""
    settings = Settings.from_env(env={})
    texts = [c.embed_text for d in read_folder(corpus).documents for c in chunk_document(d, settings.chunking)]
    tokens = sum(len(t.split()) for t in texts)  # words, a stable proxy; tiktoken counts are in the index report
    ours, plain = [], []
    for _ in range(rounds):
        ours.append(len(texts) / timed(embedder.embed_documents, texts)[0])
        plain.append(len(texts) / timed(embedder.model.encode, texts, batch_size=32, convert_to_numpy=True)[0])
    return {
        "chunks": len(texts),
        "words_per_chunk": tokens / len(texts),
        "chunks_per_s": statistics.median(ours),
        "baseline_chunks_per_s": statistics.median(plain),
        "ratio": statistics.median(ours) / statistics.median(plain),
    }


def ingestion(corpus: Path, work: Path, embedder: Embedder, rounds: int) -> dict[str, float]:
    cold, incremental = [], []
    report = None
    for r in range(rounds):
        settings = replace(Settings.from_env(env={}), corpus_dir=corpus, index_dir=work / f"index-{r}")
        seconds, report = timed(build, settings, full=True, embedder=embedder)
        cold.append(seconds)
        victim = sorted(corpus.glob("*.md"))[0]
        original = victim.read_text(encoding="utf-8")
        victim.write_text(original + "\n\nEdited for the benchmark.\n", encoding="utf-8")
        incremental.append(timed(build, settings, embedder=embedder)[0])
        victim.write_text(original, encoding="utf-8")
    docs, chunks = len(report.documents), report.chunks
    tokens = sum(c.n_tokens for c in Advisor.load(settings=settings, embedder=embedder).stored.chunks)
    size = sum(p.stat().st_size for p in (work / "index-0").rglob("*") if p.is_file())
    return {
        "documents": docs,
        "chunks": chunks,
        "tokens": tokens,
        "cold_s": statistics.median(cold),
        "docs_per_s": docs / statistics.median(cold),
        "chunks_per_s": chunks / statistics.median(cold),
        "tokens_per_s": tokens / statistics.median(cold),
        "incremental_one_edit_s": statistics.median(incremental),
        "index_bytes": size,
    }


def query_latency(advisor: Advisor, questions: list[str], rounds: int) -> dict[str, float]:
    """Advisor.ask end to end, the stages separately (question embedding uncached), and the plain baseline."""
    model, index = advisor.embedder.model, advisor.stored.vectors
    total, embed, dense, lexical = [], [], [], []
    ids = np.arange(len(advisor.stored.chunks))
    for _ in range(rounds):
        for q in questions:
            advisor.embedder._query_cache.cache_clear()
            total.append(timed(advisor.ask, q)[0])
            t, vector = timed(model.encode, [q], normalize_embeddings=True, convert_to_numpy=True)
            embed.append(t)
            dense.append(timed(index.search, vector.astype(np.float32), 8)[0])
            lexical.append(timed(advisor.retriever._bm25, q, ids, 32)[0])
    base_index = faiss.IndexFlatIP(index.d)
    base_index.add(advisor.stored.all_vectors())
    plain: list[float] = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            base_index.search(model.encode([q], normalize_embeddings=True, convert_to_numpy=True).astype(np.float32), 8)
            plain.append(time.perf_counter() - start)
    ms = 1000.0
    return {
        "questions": len(total),
        "p50_ms": pct(total, 50) * ms,
        "p95_ms": pct(total, 95) * ms,
        "p99_ms": pct(total, 99) * ms,
        "embed_question_p50_ms": pct(embed, 50) * ms,
        "dense_search_p50_ms": pct(dense, 50) * ms,
        "bm25_p50_ms": pct(lexical, 50) * ms,
        "rest_p50_ms": (pct(total, 50) - pct(embed, 50) - pct(dense, 50) - pct(lexical, 50)) * ms,
        "baseline_p50_ms": pct(plain, 50) * ms,
        "baseline_p95_ms": pct(plain, 95) * ms,
    }


def http_latency(advisor: Advisor, questions: list[str], clients: int, per_client: int) -> dict[str, float]:
    import httpx

    sys.path.insert(0, str(ROOT))
    from advisor.config import ServerSettings
    from advisor.server import create_app
    from tests.servers import serve_app

    settings = ServerSettings(
        feedback_db=Path(tempfile.mkdtemp()) / "f.sqlite3", rate_limit_per_minute=1_000_000, max_waiting=64
    )
    latencies: list[float] = []
    errors = 0
    with serve_app(create_app(advisor, settings)) as url:

        def client(i: int) -> list[tuple[float, int]]:
            out = []
            with httpx.Client(timeout=60) as http:
                for k in range(per_client):
                    q = questions[(i + k) % len(questions)]
                    t, r = timed(http.post, f"{url}/api/ask", json={"question": q})
                    out.append((t, r.status_code))
            return out

        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            for result in pool.map(client, range(clients)):
                for t, status in result:
                    latencies.append(t)
                    errors += status != 200
        wall = time.perf_counter() - start
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": pct(latencies, 50) * 1000,
        "p95_ms": pct(latencies, 95) * 1000,
        "p99_ms": pct(latencies, 99) * 1000,
        "throughput_rps": len(latencies) / wall,
    }


def peak_rss_mb(code: str) -> float:
    """Peak resident memory of a fresh Python process running code."""
    probe = f"{code}\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=200, help="O*NET documents in the large corpus (max 1016)")
    parser.add_argument("--rounds", type=int, default=3, help="repetitions of each measurement (medians)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    embedder = Embedder()
    _ = embedder.model  # load once, outside every measurement
    results: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
    }
    product = work / "product"
    shutil.copytree(ROOT / "corpus", product)
    results["embedding_product"] = embedding_throughput(product, embedder, args.rounds)
    results["ingestion_product"] = ingestion(product, work / "p", embedder, args.rounds)
    large = large_corpus(work / "large", args.large)
    if large is not None:
        results["embedding_large"] = embedding_throughput(large, embedder, 1)
        results["ingestion_large"] = ingestion(large, work / "l", embedder, 1)

    advisor = Advisor.load(
        settings=replace(Settings.from_env(env={}), index_dir=work / "p" / "index-0"), embedder=embedder
    )
    questions = [c.question for c in load_cases(ROOT / DEFAULT_QUESTIONS).cases if not c.history]
    results["query_product"] = query_latency(advisor, questions, args.rounds)
    results["http_1_client"] = http_latency(advisor, questions, clients=1, per_client=60)
    results["http_16_clients"] = http_latency(advisor, questions, clients=16, per_client=15)
    load = "from advisor import Advisor, Settings\nfrom dataclasses import replace\nfrom pathlib import Path\n"
    for name, index in (("product", work / "p" / "index-0"), ("large", work / "l" / "index-0")):
        if index.is_dir():
            results[f"serving_rss_mb_{name}"] = peak_rss_mb(
                load + f"a = Advisor.load(settings=replace(Settings.from_env(), index_dir=Path({str(index)!r})))\n"
                "a.ask('How much does an ML Performance Architect make?')"
            )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(format_table(results))
    print(f"\nJSON: {args.out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def format_table(r: dict) -> str:
    lines = [f"Role Advisor benchmarks — {r['date']} — {r['machine']}", ""]
    for key in ("embedding_product", "embedding_large"):
        if key in r:
            e = r[key]
            lines.append(
                f"{key:<22} {e['chunks']:>6} chunks  ours {e['chunks_per_s']:7.1f} chunks/s  "
                f"baseline {e['baseline_chunks_per_s']:7.1f} chunks/s  ratio {e['ratio']:.2f}x"
            )
    for key in ("ingestion_product", "ingestion_large"):
        if key in r:
            i = r[key]
            lines.append(
                f"{key:<22} {i['documents']:>5} docs {i['chunks']:>6} chunks  cold {i['cold_s']:6.1f} s "
                f"({i['docs_per_s']:.1f} docs/s, {i['chunks_per_s']:.1f} chunks/s, {i['tokens_per_s']:.0f} tokens/s)  "
                f"incremental after one edit {i['incremental_one_edit_s']:.2f} s  index {i['index_bytes'] / 1e6:.1f} MB"
            )
    q = r["query_product"]
    lines.append(
        f"{'Advisor.ask (product)':<22} p50 {q['p50_ms']:.1f} ms  p95 {q['p95_ms']:.1f} ms  p99 {q['p99_ms']:.1f} ms  "
        f"[embed {q['embed_question_p50_ms']:.1f} | dense {q['dense_search_p50_ms']:.2f} | bm25 {q['bm25_p50_ms']:.2f} "
        f"| rest {q['rest_p50_ms']:.1f}]  baseline p50 {q['baseline_p50_ms']:.1f} ms"
    )
    for key in ("http_1_client", "http_16_clients"):
        h = r[key]
        lines.append(
            f"{'POST /api/ask ' + str(h['clients']) + ' cl.':<22} p50 {h['p50_ms']:.1f} ms  p95 {h['p95_ms']:.1f} ms  "
            f"p99 {h['p99_ms']:.1f} ms  {h['throughput_rps']:.1f} req/s  errors {h['errors']}/{h['requests']}"
        )
    for key in ("serving_rss_mb_product", "serving_rss_mb_large"):
        if key in r:
            lines.append(f"{key:<22} {r[key]:.0f} MB peak RSS")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
