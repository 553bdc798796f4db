"""`advisor eval`: a question set with the facts each answer must state and the passage it must cite,
scored for retrieval (hit@k, MRR), fact accuracy, citation accuracy and abstention accuracy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import AdvisorError
from ..records import Answer

DEFAULT_QUESTIONS = Path("eval/questions.yaml")
METRICS = ("hit_at_k", "mrr", "fact_accuracy", "citation_accuracy", "abstention_accuracy")


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    history: tuple[dict[str, str], ...] = ()
    abstain: bool = False
    role: str | None = None
    intent: str | None = None
    facts: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    cite_section: str | None = None
    cite_text: str | None = None


@dataclass(frozen=True)
class Suite:
    cases: tuple[Case, ...]
    k: int
    thresholds: dict[str, float]


@dataclass(frozen=True)
class CaseResult:
    case: Case
    answer: Answer
    rank: int | None  # rank of the expected passage among the retrieved ones (1-based)
    facts_ok: bool
    citation_ok: bool
    abstention_ok: bool
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class EvalResult:
    results: tuple[CaseResult, ...]
    metrics: dict[str, float]
    thresholds: dict[str, float]
    k: int
    failed_metrics: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.failed_metrics

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "thresholds": self.thresholds,
            "k": self.k,
            "passed": self.passed,
            "cases": [
                {
                    "id": r.case.id,
                    "question": r.case.question,
                    "passed": r.passed,
                    "problems": list(r.problems),
                    "rank": r.rank,
                    "answer": r.answer.to_dict(),
                }
                for r in self.results
            ],
        }

    def format(self, verbose: bool = False) -> str:
        answered = sum(1 for r in self.results if not r.case.abstain)
        lines = [
            f"{len(self.results)} cases ({answered} answerable, {len(self.results) - answered} must abstain)",
        ]
        for r in self.results:
            if verbose or not r.passed:
                mark = "ok  " if r.passed else "FAIL"
                lines.append(f"  {mark} {r.case.id}: {r.case.question}")
                lines.extend(f"         - {p}" for p in r.problems)
        lines.append("")
        for name in METRICS:
            value, floor = self.metrics[name], self.thresholds.get(name, 0.0)
            status = "ok" if value >= floor else "BELOW THRESHOLD"
            label = name if name != "hit_at_k" else f"hit@{self.k}"
            lines.append(f"  {label:<22} {value:6.3f}   (threshold {floor:.2f})  {status}")
        lines.append("PASSED" if self.passed else "FAILED: " + ", ".join(self.failed_metrics))
        return "\n".join(lines)


def load_cases(path: Path) -> Suite:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AdvisorError(f"Cannot read the question set {path}: {exc}") from None
    cases = []
    for i, raw in enumerate(data.get("cases", [])):
        try:
            cite = raw.get("cite") or {}
            cases.append(
                Case(
                    id=str(raw.get("id", i)),
                    question=raw["question"],
                    history=tuple(_history(raw.get("history", []))),
                    abstain=bool(raw.get("abstain", False)),
                    role=raw.get("role"),
                    intent=raw.get("intent"),
                    facts=tuple(raw.get("facts", [])),
                    forbidden=tuple(raw.get("forbidden", [])),
                    cite_section=cite.get("section"),
                    cite_text=cite.get("text"),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise AdvisorError(f"Case {i} of {path} is malformed ({exc!r}).") from None
    thresholds = {k: float(v) for k, v in (data.get("thresholds") or {}).items()}
    return Suite(tuple(cases), int(data.get("k", 5)), thresholds)


def _history(items: list[Any]) -> list[dict[str, str]]:
    """Earlier user questions; plain strings are user turns."""
    out = []
    for item in items:
        out.append({"role": "user", "content": item} if isinstance(item, str) else dict(item))
    return out


def evaluate(advisor: Any, suite: Suite) -> EvalResult:
    results = []
    for case in suite.cases:
        history = _with_answers(advisor, case.history)
        plan = advisor.plan(case.question, history)
        answer = advisor.answer(plan)
        rank = _rank(case, [h.chunk for h in plan.hits])
        results.append(_judge(case, answer, rank, suite.k))
    metrics = _metrics(results, suite.k)
    failed = tuple(m for m in METRICS if metrics[m] < suite.thresholds.get(m, 0.0))
    return EvalResult(tuple(results), metrics, suite.thresholds, suite.k, failed)


def _with_answers(advisor: Any, history: tuple[dict[str, str], ...]) -> list[dict[str, str]]:
    """A history as the chat would hold it: each user turn followed by the advisor's own answer."""
    out: list[dict[str, str]] = []
    for message in history:
        out.append(message)
        if message["role"] == "user":
            out.append({"role": "assistant", "content": advisor.ask(message["content"], list(out)).text})
    return out


def _matches(case: Case, section: str, text: str) -> bool:
    if case.cite_section and case.cite_section.lower() not in section.lower():
        return False
    return not case.cite_text or case.cite_text.lower() in text.lower()


def _rank(case: Case, chunks: list[Any]) -> int | None:
    if case.abstain or not (case.cite_section or case.cite_text):
        return None
    for i, chunk in enumerate(chunks, start=1):
        if _matches(case, chunk.section_title, chunk.text):
            return i
    return None


def _judge(case: Case, answer: Answer, rank: int | None, k: int) -> CaseResult:
    problems = []
    if not case.abstain and (case.cite_section or case.cite_text) and (rank is None or rank > k):
        problems.append(f"expected passage retrieved at rank {rank}, not in the top {k}")
    abstention_ok = answer.abstained == case.abstain
    if not abstention_ok:
        problems.append("should abstain" if case.abstain else f"abstained: {answer.text[:120]}")
    text = answer.text.lower()
    missing = [f for f in case.facts if f.lower() not in text]
    present = [f for f in case.forbidden if f.lower() in text]
    facts_ok = not missing and not present
    if missing:
        problems.append(f"missing facts: {missing}")
    if present:
        problems.append(f"states what it must not: {present}")
    citation_ok = True
    if not case.abstain and (case.cite_section or case.cite_text):
        citation_ok = any(_matches(case, c.section, c.text) for c in answer.citations)
        if not citation_ok:
            cited = [c.section for c in answer.citations]
            problems.append(f"does not cite {case.cite_section!r} / {case.cite_text!r}; cites {cited}")
    if case.abstain and answer.citations:
        citation_ok = False
        problems.append("abstention carries citations")
    if case.role and answer.role != case.role:
        problems.append(f"role {answer.role!r}, expected {case.role!r}")
    if case.intent and answer.intent != case.intent:
        problems.append(f"intent {answer.intent!r}, expected {case.intent!r}")
    return CaseResult(case, answer, rank, facts_ok, citation_ok, abstention_ok, tuple(problems))


def _metrics(results: list[CaseResult], k: int) -> dict[str, float]:
    answerable = [r for r in results if not r.case.abstain]
    ranked = [r for r in answerable if r.case.cite_section or r.case.cite_text]

    def share(items: list[CaseResult], ok) -> float:
        return round(sum(1 for r in items if ok(r)) / len(items), 4) if items else 1.0

    return {
        "hit_at_k": share(ranked, lambda r: r.rank is not None and r.rank <= k),
        "mrr": round(sum(1.0 / r.rank for r in ranked if r.rank) / len(ranked), 4) if ranked else 1.0,
        "fact_accuracy": share(results, lambda r: r.facts_ok),
        "citation_accuracy": share(results, lambda r: r.citation_ok),
        "abstention_accuracy": share(results, lambda r: r.abstention_ok),
    }
