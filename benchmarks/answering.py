"""Answering speed: `python -m benchmarks.answering [--onet-index DIR] [--rounds R] [--out FILE]`.

Times Advisor.ask end to end (question embedding included: the query cache is off) on the questions of
eval/dev.yaml and eval/test.yaml (with their chat history), on the product index and, when given, on an index
of the imported O*NET roles. Rounds of the two indexes are interleaved and medians of the per-round
percentiles reported, since the machine is shared and noisy; the CPU flags that decide the embedding speed
(AVX-512, AMX) are printed beside the figures. Not a test: nothing here asserts a time.

Targets (issue #12): product p50 <= 5 ms and p95 <= 15 ms; O*NET p95 <= 25 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor import Advisor, Settings
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.quality.evaluation import PARTS, Case, load_cases

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
TARGETS = {"product": {"p50_ms": 5.0, "p95_ms": 15.0}, "onet": {"p95_ms": 25.0}}
ONET_QUESTIONS = [
    "How much do registered nurses make?",
    "what education do electricians need",
    "What do chief executives do?",
    "how many years of experience for a construction manager",
    "compare registered nurses and electricians pay",
    "which pays more, plumbers or electricians?",
    "do dental hygienists need a license",
    "what does a data scientist earn",
    "pay for software developers",
    "accountant salary",
    "what training does a pharmacist need",
    "tasks of a web developer",
]


def cpu_flags() -> str:
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        return "unknown"
    found = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8") if f in flags.split()]
    return ", ".join(found) or "none of avx2/avx512/amx"


def advisor_for(index: Path) -> Advisor:
    settings = replace(Settings.from_env(), index_dir=index, query_cache=0)
    return Advisor.load(settings=settings, embedder=Embedder.from_settings(settings))


def interleaved(
    indexes: dict[str, tuple[Advisor, list[T]]], rounds: int, call: Callable[[Advisor, T], object], warm: int = 5
) -> dict[str, list[list[float]]]:
    """Seconds per call, per round, per index; the indexes' rounds interleaved, after a few warming calls (the
    model, the speller, the title vectors)."""
    for advisor, items in indexes.values():
        for item in items[:warm]:
            call(advisor, item)
    out: dict[str, list[list[float]]] = {name: [] for name in indexes}
    for _ in range(rounds):
        for name, (advisor, items) in indexes.items():
            times = []
            for item in items:
                start = time.perf_counter()
                call(advisor, item)
                times.append(time.perf_counter() - start)
            out[name].append(times)
    return out


def report(
    per_index: dict[str, list[list[float]]],
    rounds: int,
    targets: dict[str, dict[str, float]],
    what: str,
    extra: Callable[[str], dict[str, Any]] = lambda _name: {},
) -> dict[str, Any]:
    """Medians of the per-round p50 and p95, printed beside the CPU flags and the targets; what: "Advisor.ask
    over {n} questions" (n: the calls per round, and any field extra(name) adds)."""
    result: dict[str, Any] = {"cpu_flags": cpu_flags(), "rounds": rounds}
    for name, per_round in per_index.items():
        p50 = statistics.median(float(np.percentile(r, 50)) * 1000 for r in per_round)
        p95 = statistics.median(float(np.percentile(r, 95)) * 1000 for r in per_round)
        result[name] = {"n": len(per_round[0]), **extra(name), "p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
    print(f"CPU flags: {result['cpu_flags']}; {rounds} interleaved rounds, medians of per-round percentiles")
    for name in per_index:
        figures = result[name]
        limits = ", ".join(f"{k} <= {v:g}" for k, v in targets[name].items())
        print(
            f"  {name:<8} {what.format(**figures)}: p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms"
            f"   (target {limits})"
        )
    return result


def templated(advisor: Advisor, every: int = 17) -> list[str]:
    """Everyday questions about a spread of the index's roles (every n-th title)."""
    out = []
    for n, role in enumerate(advisor.roles[::every]):
        template = ("how much does a {} make", "what does a {} do all day", "what education for {}?")[n % 3]
        out.append(template.format(role.lower()))
    return out


def product_questions() -> list[tuple[str, list[dict[str, str]]]]:
    cases: list[Case] = [c for path in PARTS.values() for c in load_cases(ROOT / path).cases]
    return [(c.question, list(c.history)) for c in cases]


def arguments(module: str, doc: str) -> argparse.Namespace:
    """The options every timing of Advisor calls takes: --onet-index, --rounds, --out."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{module}", description=doc.splitlines()[0])
    parser.add_argument("--onet-index", type=Path, help="an index of the imported O*NET roles (advisor import onet)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved repetitions (medians of percentiles)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    return parser.parse_args()


def product_advisor(folder: Path) -> Advisor:
    """An advisor over the product corpus, indexed afresh in folder."""
    index = folder / "index"
    build(replace(Settings.from_env(), corpus_dir=ROOT / "corpus", index_dir=index))
    return advisor_for(index)


def main() -> int:
    args = arguments("answering", __doc__ or "")
    with tempfile.TemporaryDirectory() as tmp:
        indexes = {"product": (product_advisor(Path(tmp)), product_questions())}
        if args.onet_index:
            onet = advisor_for(args.onet_index)
            indexes["onet"] = (onet, [(q, []) for q in ONET_QUESTIONS + templated(onet)])
        per_index = interleaved(indexes, args.rounds, lambda advisor, item: advisor.ask(*item))
    result = report(per_index, args.rounds, TARGETS, "Advisor.ask over {n} questions")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
