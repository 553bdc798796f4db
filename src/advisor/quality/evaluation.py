"""`advisor eval`: question sets with the facts each answer must state and the passage it must cite, scored
for retrieval (hit@k, MRR), fact accuracy, citation accuracy, abstention accuracy, and the share of answers
right in every respect, overall and per kind of question.

Two parts: eval/dev.yaml, which the answering code may be tuned on, and eval/test.yaml, written apart from the
code and never tuned on; both are reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import AdvisorError
from ..records import Answer

DEV_QUESTIONS = Path("eval/dev.yaml")
TEST_QUESTIONS = Path("eval/test.yaml")
PARTS = {"dev": DEV_QUESTIONS, "test": TEST_QUESTIONS}
METRICS = ("hit_at_k", "mrr", "fact_accuracy", "citation_accuracy", "abstention_accuracy", "right")
# Words an answer uses to say a point is not covered.
_NOT_COVERED = re.compile(
    r"does not mention|do not mention|does not say|no information|not covered|does not cover", re.I
)

_MARKS = re.compile(r"\*\*|__")
_NOT_COVERED_CLAUSE = re.compile(r"(does not mention|does not say|no information on)[^.;\n]*", re.I)


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    history: tuple[dict[str, str], ...] = ()
    abstain: bool = False
    gap: bool = False  # the role's document does not speak to the point: the answer must say so
    kind: str = "other"
    style: str = "plain"
    role: str | None = None
    roles: tuple[str, ...] = ()  # every role a comparison must name
    intent: str | None = None
    facts: tuple[tuple[str, ...], ...] = ()  # each fact: the words it may be stated in (any one will do)
    forbidden: tuple[str, ...] = ()
    cites: tuple[tuple[str | None, str | None], ...] = ()  # (section, text) of passages that may be cited
    act: str | None = None  # what the reply must be ("greeting", "help", "catalogue", "fit", ...)
    # For a background ("which role fits me?"): the roles it was written for, one of which must rank first
    # (within the suite's fit_within); an empty list: no role fits, and the answer must say so.
    fit: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Suite:
    cases: tuple[Case, ...]
    k: int
    thresholds: dict[str, float]
    fit_within: int = 1  # how high a background's own role must rank (1: first)
    held_out: bool = False  # `held_out: true` in the file: never tuned on, its cases not listed


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
    held_out: bool = False

    @property
    def passed(self) -> bool:
        return not self.failed_metrics

    def to_dict(self, cases: bool = True) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "thresholds": self.thresholds,
            "k": self.k,
            "passed": self.passed,
            "right_by_kind": {kind: {"right": r, "cases": n} for kind, (r, n) in self.by_kind().items()},
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
            ]
            if cases
            else None,
        }

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """(right, cases) per kind of question."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.results:
            right, total = out.get(r.case.kind, (0, 0))
            out[r.case.kind] = (right + int(r.passed), total + 1)
        return dict(sorted(out.items()))

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
        lines.append("  right, by kind of question:")
        for kind, (right, total) in self.by_kind().items():
            lines.append(f"    {kind:<18} {right:>4} / {total:<4} {right / total:6.1%}")
        lines.append("")
        for name in METRICS:
            value, floor = self.metrics[name], self.thresholds.get(name, 0.0)
            status = "ok" if value >= floor else "BELOW THRESHOLD"
            label = name if name != "hit_at_k" else f"hit@{self.k}"
            lines.append(f"  {label:<22} {value:6.3f}   (threshold {floor:.2f})  {status}")
        lines.append("PASSED" if self.passed else "FAILED: " + ", ".join(self.failed_metrics))
        return "\n".join(lines)


def is_held_out(part: str) -> bool:
    """A part named test (eval/test.yaml, eval/onet-test.yaml, ...) is the one no change may be tuned on (so
    is a file that says `held_out: true`, whatever its name)."""
    return part == "test" or part.endswith("-test")


def format_parts(parts: dict[str, EvalResult], verbose: bool = False, show_held_out: bool = False) -> str:
    """Several parts (dev, test) side by side: each part's failures, then right per kind and the metrics, one
    column per part. A held-out part's cases are not listed unless asked for: reading its failures is how a
    change gets tuned on it without meaning to."""
    lines: list[str] = []
    for name, result in parts.items():
        answered = sum(1 for r in result.results if not r.case.abstain)
        lines.append(f"{name}: {len(result.results)} cases ({answered} answerable)")
        if (is_held_out(name) or result.held_out) and not show_held_out:
            wrong = sum(1 for r in result.results if not r.passed)
            lines.append(f"  {wrong} not right; held-out part, so not listed (--show-held-out lists them)")
            lines.append("")
            continue
        for r in result.results:
            if verbose or not r.passed:
                lines.append(f"  {'ok  ' if r.passed else 'FAIL'} {r.case.id}: {r.case.question}")
                lines.extend(f"         - {p}" for p in r.problems)
        lines.append("")
    names = list(parts)
    lines.append("  right, by kind of question" + "".join(f"{n:>18}" for n in names))
    kinds = sorted({kind for result in parts.values() for kind in result.by_kind()})
    for kind in kinds:
        cells = []
        for result in parts.values():
            right, total = result.by_kind().get(kind, (0, 0))
            cells.append(f"{right:>4}/{total:<4} {right / total:6.1%}" if total else f"{'-':>16}")
        lines.append(f"    {kind:<24}" + "".join(f"{c:>18}" for c in cells))
    lines.append("")
    lines.append("  metric (threshold)" + "".join(f"{n:>24}" for n in names))
    for metric in METRICS:
        cells = []
        for result in parts.values():
            value, floor = result.metrics[metric], result.thresholds.get(metric, 0.0)
            cells.append(f"{value:.3f} ({floor:.2f}){'' if value >= floor else ' LOW'}")
        label = metric if metric != "hit_at_k" else f"hit@{next(iter(parts.values())).k}"
        lines.append(f"    {label:<20}" + "".join(f"{c:>24}" for c in cells))
    failed = [f"{name}: {', '.join(r.failed_metrics)}" for name, r in parts.items() if not r.passed]
    lines.append("PASSED" if not failed else "FAILED: " + "; ".join(failed))
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
            # A passage to cite, or a list of passages any one of which will do.
            cites = cite if isinstance(cite, list) else [cite]
            cases.append(
                Case(
                    id=str(raw.get("id", i)),
                    question=raw["question"],
                    history=tuple(_history(raw.get("history", []))),
                    abstain=bool(raw.get("abstain", False)),
                    gap=bool(raw.get("gap", False)),
                    kind=str(raw.get("kind") or "other"),
                    style=str(raw.get("style") or "plain"),
                    role=raw.get("role"),
                    roles=tuple(raw.get("roles") or ()),
                    intent=raw.get("intent"),
                    facts=tuple(_alternatives(f) for f in raw.get("facts", [])),
                    forbidden=tuple(raw.get("forbidden", [])),
                    cites=tuple((c.get("section"), c.get("text")) for c in cites if c.get("section") or c.get("text")),
                    act=raw.get("act"),
                    fit=tuple(raw["fit"]) if raw.get("fit") is not None else None,
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise AdvisorError(f"Case {i} of {path} is malformed ({exc!r}).") from None
    thresholds = {k: float(v) for k, v in (data.get("thresholds") or {}).items()}
    held_out = bool(data.get("held_out", False))
    return Suite(tuple(cases), int(data.get("k", 5)), thresholds, int(data.get("fit_within", 1)), held_out)


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
        results.append(_judge(case, answer, rank, suite.k, suite.fit_within))
    metrics = _metrics(results, suite.k)
    failed = tuple(m for m in METRICS if metrics[m] < suite.thresholds.get(m, 0.0))
    return EvalResult(tuple(results), metrics, suite.thresholds, suite.k, failed, suite.held_out)


def _with_answers(advisor: Any, history: tuple[dict[str, str], ...]) -> list[dict[str, str]]:
    """A history as the chat would hold it: each user turn followed by the advisor's own answer."""
    out: list[dict[str, str]] = []
    for message in history:
        out.append(message)
        if message["role"] == "user":
            out.append({"role": "assistant", "content": advisor.ask(message["content"], list(out)).text})
    return out


def _alternatives(fact: Any) -> tuple[str, ...]:
    """A fact is a string, or a list of the several ways a right answer may state it."""
    return tuple(str(f) for f in fact) if isinstance(fact, list) else (str(fact),)


def _matches(case: Case, role: str, section: str, text: str) -> bool:
    # The passage as a reader sees it: without emphasis marks ("**Experience**: ...").
    seen = _MARKS.sub("", text).lower()
    return any(
        (not want_section or _in_section(want_section, role, section)) and (not want_text or want_text.lower() in seen)
        for want_section, want_text in case.cites
    )


def _in_section(wanted: str, role: str, section: str) -> bool:
    """A part of the heading path; or the role's title, which names the one section of a document with no
    headings of its own (cited as "Role > Introduction")."""
    return wanted.lower() in section.lower() or wanted.lower() == role.lower()


def _rank(case: Case, chunks: list[Any]) -> int | None:
    if case.abstain or case.gap or not case.cites:
        return None
    for i, chunk in enumerate(chunks, start=1):
        if _matches(case, chunk.role, chunk.section_title, chunk.text):
            return i
    return None


def _judge(case: Case, answer: Answer, rank: int | None, k: int, fit_within: int = 1) -> CaseResult:
    problems = []
    if case.act is not None and answer.act != case.act:
        problems.append(f"replied as {answer.act!r}, expected {case.act!r}: {answer.text[:120]}")
    if case.fit is not None:
        top = answer.ranking[:fit_within]
        if not case.fit and answer.ranking:
            problems.append(f"offers {list(answer.ranking)} for a background that fits no role")
        elif case.fit and not set(case.fit) & set(top):
            problems.append(f"ranks {list(answer.ranking)[:5]}; expected {list(case.fit)} in the top {fit_within}")
    if not case.abstain and not case.gap and case.cites and (rank is None or rank > k):
        problems.append(f"expected passage retrieved at rank {rank}, not in the top {k}")
    abstention_ok = answer.abstained == case.abstain
    if not abstention_ok:
        problems.append("should abstain" if case.abstain else f"abstained: {answer.text[:120]}")
    text = answer.text.lower()
    if case.gap and not _NOT_COVERED.search(answer.text):
        problems.append(f"does not say the point is not covered: {answer.text[:120]}")
    for role in case.roles:
        if role.lower() not in text:
            problems.append(f"does not name {role}")
    missing = [f[0] for f in case.facts if not any(way.lower() in text for way in f)]
    # Saying "does not mention Python" names the point without claiming it.
    claims = _NOT_COVERED_CLAUSE.sub(" ", text)
    present = [f for f in case.forbidden if f.lower() in claims]
    facts_ok = not missing and not present
    if missing:
        problems.append(f"missing facts: {missing}")
    if present:
        problems.append(f"states what it must not: {present}")
    citation_ok = True
    if not case.abstain and not case.gap and case.cites:
        citation_ok = any(_matches(case, c.role, c.section, c.text) for c in answer.citations)
        if not citation_ok:
            cited = [c.section for c in answer.citations]
            problems.append(f"does not cite {case.cites[0][0]!r} / {case.cites[0][1]!r}; cites {cited}")
    if case.abstain and answer.citations:
        citation_ok = False
        problems.append("abstention carries citations")
    if case.role and not case.roles and answer.role != case.role:
        problems.append(f"role {answer.role!r}, expected {case.role!r}")
    return CaseResult(case, answer, rank, facts_ok, citation_ok, abstention_ok, tuple(problems))


def _metrics(results: list[CaseResult], k: int) -> dict[str, float]:
    answerable = [r for r in results if not r.case.abstain and not r.case.gap]
    ranked = [r for r in answerable if r.case.cites]

    def share(items: list[CaseResult], ok) -> float:
        return round(sum(1 for r in items if ok(r)) / len(items), 4) if items else 1.0

    return {
        "hit_at_k": share(ranked, lambda r: r.rank is not None and r.rank <= k),
        "mrr": round(sum(1.0 / r.rank for r in ranked if r.rank) / len(ranked), 4) if ranked else 1.0,
        "fact_accuracy": share(results, lambda r: r.facts_ok),
        "citation_accuracy": share(results, lambda r: r.citation_ok),
        "abstention_accuracy": share(results, lambda r: r.abstention_ok),
        "right": share(results, lambda r: r.passed),
    }
