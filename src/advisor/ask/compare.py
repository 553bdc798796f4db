"""Answers about several roles at once: two or more roles compared on one point, what two roles share, and which
of all the roles does something. Each role's value is its own document's words, cited; a role whose document
does not speak to the point is named as such and never given a value."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..ingest.facts import DEGREE_RANK
from ..records import Answer, Citation, Fact, Query
from .answering import MIN_SCORE, Citing, display, missing_terms, topic_lead
from .evidence import Evidence, Scored
from .facts import CERTIFICATION, DEGREE, EXPERIENCE, PAY_ORDER, asks_hourly, asks_range, hourly
from .intent import label
from .questions import asked_class, phrase_around

PAIR_POOL = 12  # each document's best lines on the topic, looked at for ones that say the same thing
PAIR_COSINE = 0.6  # two lines this close in meaning say much the same thing
PAIR_MARGIN = 0.2  # a line in a pair scores at most this much below its document's best line
MAX_PAIRS = 3
MORE_LINES = 1  # lines per role beyond the best one
DEGREE_LINES = 2  # lines on other degree levels, beyond the first
MORE_POOL = 6  # of a role's best lines, those looked at for more
MORE_MARGIN = 0.04  # a further line scores at most this much below the best one
SAME_STATEMENT = 0.85  # a line this close in meaning to one shown says it again
_TOOLS = re.compile(
    r"\b(tech\w*|tools?|languages?|programming|software|stack|frameworks?|platforms?|skills?|code|coding)\b", re.I
)
_WHICH_OF = re.compile(r"\bwhich (of|one)\b", re.I)
_MORE = re.compile(r"\b(more|most|higher|highest|best|better|bigger|longer|greater|max(imum)?|top)\b", re.I)
_LESS = re.compile(r"\b(less|least|lower|lowest|fewer|fewest|shorter|min(imum)?|cheapest)\b", re.I)
_LEVELS = {
    "doctorate": re.compile(r"\bph\.?\s?d|\bdoctor", re.I),
    "master": re.compile(r"\bmaster", re.I),
    "bachelor": re.compile(r"\bbachelor|\bcollege\b|\buniversity\b", re.I),
}


@dataclass(frozen=True)
class Finding:
    """What one role's document says on the point: a unit (scored), the fact it states, or nothing."""

    role: str
    scored: Scored | None
    fact: Fact | None = None
    more: tuple[Scored, ...] = ()  # further lines of the document on the point, about as close as the first


class Comparer:
    def __init__(self, evidence: Evidence, facts: Sequence[Fact], citing: Citing) -> None:
        self.evidence = evidence
        self.citing = citing
        position = {u.id: i for i, u in enumerate(evidence.units)}
        self._facts: dict[str, list[tuple[int, Fact]]] = {}
        for fact in facts:
            i = position.get(fact.unit_id)
            if i is not None:
                self._facts.setdefault(evidence.subjects[i], []).append((i, fact))

    def facts_of(self, role: str) -> list[tuple[int, Fact]]:
        return self._facts.get(role, [])

    def findings(
        self,
        query: Query,
        roles: Sequence[str],
        vector: np.ndarray,
        stems: frozenset[str],
        carries: Callable[[str], float],
    ) -> list[Finding]:
        kinds = _fact_kinds(query)
        points = [t for t in query.terms if not _COMPARATIVE.fullmatch(t)]
        whole = query.intent in ("growth", "responsibilities", "requirements") and not points
        # "What programming languages?": the line listing some ("such as Bash, PowerShell, and Python").
        members_of = asked_class(query.topic or query.text)
        out = []
        for role in roles:
            positions = self.evidence.positions(role)
            fact = self._best_fact(role, kinds, query) if kinds else None
            if fact is not None:
                i, f = fact
                # "What do you study for X vs Y?": the other degree levels the document states, beside the first.
                more = self._other_degrees(role, kinds, i, f) if f.kind.startswith("education.") else ()
                out.append(Finding(role, Scored(i, 1.0, 1.0, 1.0), f, more))
                continue
            ranked = self.evidence.rank(positions, vector, stems, query.intent, members_of=members_of)
            # "Which has a clearer career path?": a document with nothing on the topic named has no line on it.
            silent = query.intent != "other" and not query.inferred and not self._speaks_to(positions, query.intent)
            if (
                kinds
                or silent
                or not ranked
                or ranked[0].score < MIN_SCORE
                or missing_terms(self.evidence, positions, points, ranked, carries, members_of=members_of)
            ):
                out.append(Finding(role, None))
                continue
            # The topic as a whole ("which has a clearer career path?"): each document's list on it, from its start.
            lead = topic_lead(ranked, self.evidence, query.intent) if whole else None
            if lead is not None:
                out.append(Finding(role, lead, more=self._following(lead)))
            else:
                out.append(Finding(role, ranked[0], more=self._more(ranked)))
        return out

    def _following(self, lead: Scored) -> tuple[Scored, ...]:
        """The items after the lead in its list, as many as a role shows besides its first line."""
        first = self.evidence.units[lead.position]
        if first.group < 0:
            return ()
        out: list[Scored] = []
        for i in range(lead.position + 1, len(self.evidence.units)):
            unit = self.evidence.units[i]
            if len(out) >= MORE_LINES or (unit.doc_id, unit.group) != (first.doc_id, first.group):
                break
            out.append(Scored(i, lead.score, 0.0, 0.0))
        return tuple(out)

    def _speaks_to(self, positions: np.ndarray, intent: str) -> bool:
        return any(intent in self.evidence.intents[i] for i in positions.tolist())

    def _other_degrees(self, role: str, kinds: Sequence[str], first: int, fact: Fact) -> tuple[Scored, ...]:
        """One line per degree level the document states besides the first fact's, none saying the same thing
        as a line already shown."""
        shown, levels = [first], {fact.kind}
        for j, g in self.facts_of(role):
            if g.kind not in kinds or g.kind in levels or len(shown) > DEGREE_LINES:
                continue
            if float((self.evidence.vectors[shown] @ self.evidence.vectors[j]).max()) >= SAME_STATEMENT:
                continue
            shown.append(j)
            levels.add(g.kind)
        return tuple(Scored(j, 1.0, 1.0, 1.0) for j in shown[1:])

    def _more(self, ranked: Sequence[Scored]) -> tuple[Scored, ...]:
        """Lines about as close to the point as the best one, saying something else ("hybrid" beside "remote
        work options"): one line per role can leave out half of what the document says on it."""
        first = ranked[0]
        out: list[Scored] = []
        for s in ranked[1:MORE_POOL]:
            if len(out) >= MORE_LINES or s.score < first.score - MORE_MARGIN:
                break
            if self.evidence.units[s.position].kind == "note":
                continue
            near = (
                self.evidence.vectors[[first.position, *(o.position for o in out)]] @ self.evidence.vectors[s.position]
            )
            if float(near.max()) < SAME_STATEMENT:
                out.append(s)
        return tuple(out)

    def compare(self, query: Query, findings: Sequence[Finding], point: str) -> Answer:
        """Two or more named roles, side by side; the lead says which is higher when the question asks."""
        found = [f for f in findings if f.scored is not None]
        numbers, citations = self._cite(found)
        lines = [self._line(f, numbers, point) for f in findings]
        lead = _lead(query, found, numbers)
        if not found:
            lead = f"None of these documents says anything on {point}."
        text = "\n".join([lead, *lines] if lead else [f"On {point}, by each role's document:", *lines])
        missing = tuple(f.role for f in findings if f.scored is None)
        # "Which of the two mentions on-call work?": when one document alone says it, that role is the answer.
        asks_which = query.form == "which" or _WHICH_OF.search(query.text) is not None
        role = found[0].role if len(found) == 1 and len(findings) >= 2 and asks_which else None
        return Answer(text, citations, role, query.intent, abstained=not found, missing=_points(missing, point))

    def across(self, query: Query, findings: Sequence[Finding], point: str) -> Answer:
        """Which of all the roles: those whose documents say it, each cited; the others named in one line."""
        found = [f for f in findings if f.scored is not None and _qualifies(query, f)]
        numbers, citations = self._cite(found)
        if not found:
            text = f"None of the role documents says anything on {point}."
            return Answer(text, citations, None, query.intent, abstained=True, missing=(point,))
        lead = _lead(query, found, numbers)
        names = ", ".join(f.role for f in found)
        head = lead or (f"The {names} document says so:" if len(found) == 1 else f"The documents that say so: {names}.")
        lines = [head, *(self._line(f, numbers, point) for f in found)]
        others = [f.role for f in findings if f not in found]
        if others:
            plural = len(others) > 1
            lines.append(f"The {', '.join(others)} document{'s do' if plural else ' does'} not mention it.")
        return Answer("\n".join(lines), citations, None, query.intent)

    def common(self, query: Query, roles: Sequence[str], point: str, rank: Callable[[str], Sequence[Scored]]) -> Answer:
        """What two or more roles' documents both say: the tools, languages, fields of study and degrees they
        both name, and (for two roles) the lines on the question's topic that say much the same thing; rank
        gives a role's units for the question, best first."""
        shared = self._shared_facts(query, roles)
        pairs = self._same_lines(roles, rank) if len(roles) == 2 else []
        if not shared and not pairs:
            text = f"The {' and '.join(roles)} documents name nothing in common on {point}."
            return Answer(text, (), None, query.intent, missing=(point,))
        units = [self.evidence.units[i] for items in shared.values() for i, _f in items]
        units += [self.evidence.units[s.position] for pair in pairs for s in pair]
        numbers, citations = self.citing.cite(units, [1.0] * len(units))
        lines = [f"What the {' and the '.join(roles)} documents have in common:"]
        for key, items in shared.items():
            marks = "".join(f"[{numbers[self.evidence.units[i].chunk_id]}]" for i, _f in items)
            lines.append(f"- Both name {_common_label(key, items)} {marks}")
        for pair in pairs:
            lines_of = [self.evidence.units[s.position] for s in pair]
            said = "; ".join(
                f"{role}: {display(unit)} [{numbers[unit.chunk_id]}]"
                for role, unit in zip(roles, lines_of, strict=True)
            )
            lines.append(f"- Both say much the same: {said}")
        return Answer("\n".join(lines), citations, None, query.intent)

    def _shared_facts(self, query: Query, roles: Sequence[str]) -> dict[str, list[tuple[int, Fact]]]:
        """The tools, languages, fields and degrees every one of the roles' documents names, when the question
        is about them or about nothing in particular."""
        topic = query.topic or query.text
        anything = not query.terms  # "what do they have in common?"
        degrees = bool(DEGREE.search(topic)) or anything
        named = bool(_TOOLS.search(topic)) or anything
        if not (degrees or named):
            return {}
        shared: dict[str, list[tuple[int, Fact]]] = {}
        for role in roles:
            seen: dict[str, tuple[int, Fact]] = {}
            for i, fact in self.facts_of(role):
                key = _common_key(fact)
                if key is None or key in seen:
                    continue
                if degrees if key.startswith("education.") else named:
                    seen[key] = (i, fact)
            for key, item in seen.items():
                shared.setdefault(key, []).append(item)
        return {k: v for k, v in shared.items() if len(v) == len(roles)}

    def _same_lines(self, roles: Sequence[str], rank: Callable[[str], Sequence[Scored]]) -> list[tuple[Scored, ...]]:
        """Lines of two documents on the question's topic that say much the same thing, closest first."""
        first, second = (
            [s for s in rank(role) if self.evidence.units[s.position].kind != "note"][:PAIR_POOL] for role in roles
        )
        if not first or not second:
            return []
        a = self.evidence.vectors[[s.position for s in first]]
        b = self.evidence.vectors[[s.position for s in second]]
        similarity = a @ b.T
        order = sorted(
            ((float(similarity[i, j]), i, j) for i in range(len(first)) for j in range(len(second))),
            key=lambda item: -item[0],
        )
        pairs: list[tuple[Scored, ...]] = []
        used_a: set[int] = set()
        used_b: set[int] = set()
        for cosine, i, j in order:
            if cosine < PAIR_COSINE or len(pairs) >= MAX_PAIRS:
                break
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs.append((first[i], second[j]))
        return pairs

    def _best_fact(self, role: str, kinds: Sequence[str], query: Query) -> tuple[int, Fact] | None:
        candidates = [(i, f) for i, f in self.facts_of(role) if f.kind in kinds]
        if not candidates:
            return None
        order = {k: n for n, k in enumerate(kinds)}
        level = next((name for name, pattern in _LEVELS.items() if pattern.search(query.topic)), None)
        if level is not None:
            leveled = [(i, f) for i, f in candidates if f.kind == f"education.{level}"]
            return leveled[0] if leveled else None
        return min(candidates, key=lambda item: (order[item[1].kind], item[0]))

    def _cite(self, found: Sequence[Finding]) -> tuple[dict[str, int], tuple[Citation, ...]]:
        scored = [s for f in found if f.scored is not None for s in (f.scored, *f.more)]
        return self.citing.cite([self.evidence.units[s.position] for s in scored], [s.score for s in scored])

    def _line(self, finding: Finding, numbers: Mapping[str, int], point: str) -> str:
        if finding.scored is None:
            return f"- {finding.role}: the document does not mention {point}."
        said = []
        # In the document's order: "Bachelor's or Master's ..." before "Ph.D. often preferred."
        for s in sorted((finding.scored, *finding.more), key=lambda s: self.evidence.units[s.position].start):
            unit = self.evidence.units[s.position]
            said.append(f"{display(unit)} [{numbers[unit.chunk_id]}]")
        return f"- {finding.role}: " + "; ".join(said)


def point_of(query: Query) -> str:
    """The point compared, in words for "does not mention ...": the question's own words."""
    if query.intent == "pay":
        return "pay"
    if EXPERIENCE.search(query.topic) and query.intent == "requirements":
        return "years of experience"
    if DEGREE.search(query.topic):
        return "degrees"
    # "Which has a clearer career path?": the topic is the point, not the word comparing it.
    terms = [t for t in query.terms if not _COMPARATIVE.fullmatch(t)]
    if not terms and query.intent != "other":
        return label(query.intent)
    return phrase_around(query.topic, terms[0]) if terms else "this"


_COMPARATIVE = re.compile(
    r"more|most|less|least|better|best|worse|worst|clearer|easier|harder|bigger|faster|higher|lower|greater|"
    r"stronger|longer|shorter|nicer|safer|broader|wider|steadier|clearest|easiest|hardest|biggest|fastest",
    re.I,
)


def _fact_kinds(query: Query) -> tuple[str, ...]:
    if query.intent == "pay":
        # The range first when it is asked ("pay range"), the median else ("which pays the most?" ranks the
        # roles, not their top ends); "which pays more an hour?": hourly figures, never set against yearly ones.
        order = sorted(PAY_ORDER, key=lambda k: k != "pay.range") if asks_range(query) else list(PAY_ORDER)
        return tuple(hourly(k) for k in order) if asks_hourly(query) else tuple(order)
    if EXPERIENCE.search(query.topic) and not DEGREE.search(query.topic):
        return ("experience.years",)
    if DEGREE.search(query.topic):
        # Every level a document may state, the highest first: a certificate is the answer for some roles.
        return tuple(f"education.{level}" for level in sorted(DEGREE_RANK, key=lambda k: -DEGREE_RANK[k]))
    if CERTIFICATION.search(query.topic):
        return ("certification",)
    return ()


def _lead(query: Query, found: Sequence[Finding], numbers: Mapping[str, int]) -> str:
    """ "X asks for the most years: ..." when the question asks which is more or less, and the figures say."""
    valued = [f for f in found if f.fact is not None and f.fact.low is not None]
    asked = f"{query.text} {query.topic}"
    more, less = _MORE.search(asked), _LESS.search(asked)
    if not valued or not (more or less or (query.mode == "compare" and len(valued) >= 2)):
        return ""
    if len(valued) == 1:
        only = valued[0]
        return f"Only {_source(only)} gives a figure: {_figure(only)}"
    lowest = bool(less and not more)
    best = (min if lowest else max)(valued, key=lambda f: (f.fact.low or 0.0, f.fact.high or 0.0))  # type: ignore[union-attr]
    assert best.fact is not None
    family = best.fact.kind.split(".")[0]
    what = {"experience": "years of experience", "pay": "pay figure"}.get(family, "figure")
    word = ("fewest" if lowest else "most") if family == "experience" else ("lowest" if lowest else "highest")
    verb = "asks for" if family == "experience" else "gives"
    source = _source(best)
    return f"{source[0].upper()}{source[1:]} {verb} the {word} {what}: {_figure(best)}"


def _source(finding: Finding) -> str:
    """Whose figure it is: the role's own document, or the document whose heading names the role."""
    assert finding.fact is not None
    if finding.fact.role == finding.role:
        return f"the {finding.role} document"
    return f"the {finding.fact.role} document, for {finding.role},"


def _figure(finding: Finding) -> str:
    """The fact's words, as a sentence's end."""
    assert finding.fact is not None
    value = finding.fact.value.rstrip(".")
    return f"{value}." if len(value) <= 90 else value[:87].rstrip() + "..."


def _qualifies(query: Query, finding: Finding) -> bool:
    if finding.fact is not None:
        return True
    return finding.scored is not None


def _points(roles: Sequence[str], point: str) -> tuple[str, ...]:
    return tuple(f"{point} ({role})" for role in roles)


def _common_key(fact: Fact) -> str | None:
    if fact.kind in ("named", "education.field"):
        return fact.value.lower()
    if fact.kind.startswith("education.") and fact.kind != "education.field":
        return fact.kind
    return None


def _common_label(key: str, items: Sequence[tuple[int, Fact]]) -> str:
    if key.startswith("education."):
        return f"a {key.split('.', 1)[1]}'s degree" if key != "education.doctorate" else "a Ph.D."
    return items[0][1].value
