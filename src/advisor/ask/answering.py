"""Extractive answers: first the unit that answers the question, in the document's words and figures (with a
short "Yes" or "It depends" when the question wants one), then the units that support it; or, when the document
does not speak to the point asked, a plain "does not mention" and which documents do. Every statement carries
the [n] of the passage it comes from; nothing else is written but the connecting words."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from ..ingest.facts import DEGREE_RANK, HOURLY, amounts, degree_levels
from ..records import Answer, Chunk, Citation, Query, Unit
from ..text.lexical import stem
from .evidence import Evidence, Scored
from .facts import asks_hourly
from .intent import label, primary_heading
from .questions import asked_amount

# How many supporting units follow the lead, by the form of the question: a figure wants little around it.
MAX_SUPPORT = {"yes-no": 2, "how-many": 2, "how-much": 3, "which": 5, "open": 5}
SUPPORT_MARGIN = 0.16  # a supporting unit scores at most this much below the lead
MIN_SCORE = 0.32  # below this nothing in the document answers
GAP_DENSE = 0.55  # a key term no unit says, and no unit this close in meaning: the point is not covered
CARRIES = 0.45  # a term at least this close in meaning to its question is what the question is about
# Two key terms side by side are one thing when both are this close to the question, the second nearly as close.
COMPOUND_FLOOR = 0.35
HEAD_SHARE = 0.9
SIBLING_MARGIN = 0.3  # the items of the lead's own list that follow it, when a question asks for a list
DUPLICATE_COSINE = 0.93
TOPIC_UNITS = 3  # a list answers a topic question by its best this many units
TOPIC_MARGIN = 0.1  # lists this close in how well they answer count as equal
_OPTIONAL = re.compile(r"\b(preferred|may|might|some|sometimes|in some cases|vary|varies|depending)\b", re.I)
_REQUIRED = re.compile(r"\b(required?|requires|must|need(s|ed)?|essential|typically|most positions)\b", re.I)
_HEDGE = re.compile(r"\b(some|may|might|in some cases|occasionally|sometimes)\b", re.I)
_OPEN_ENDED = re.compile(r"\bor more\b|\bover \$|\bat least \$|\$[\d,]+\s?[kKmM]?\+|\bupwards\b|\band up\b", re.I)
_LONG_LEAD_IN = re.compile(r"\b(include|includes|encompass|encompasses|following)$", re.I)


@dataclass(frozen=True)
class Citing:
    """The passages an answer cites, numbered in the order they are first used."""

    chunks: Mapping[str, Chunk]

    def cite(self, units: Sequence[Unit], scores: Sequence[float]) -> tuple[dict[str, int], tuple[Citation, ...]]:
        numbers: dict[str, int] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        best: dict[str, float] = {}
        for unit, score in zip(units, scores, strict=True):
            numbers.setdefault(unit.chunk_id, len(numbers) + 1)
            chunk = self.chunks[unit.chunk_id]
            spans.setdefault(unit.chunk_id, []).append((unit.start - chunk.start, unit.end - chunk.start))
            best[unit.chunk_id] = max(best.get(unit.chunk_id, score), score)
        citations = tuple(
            Citation(
                n=n,
                chunk_id=chunk_id,
                role=self.chunks[chunk_id].role,
                section=self.chunks[chunk_id].section_title,
                source=self.chunks[chunk_id].source,
                text=self.chunks[chunk_id].text,
                score=best[chunk_id],
                sentences=tuple(sorted(set(spans[chunk_id]))),
            )
            for chunk_id, n in numbers.items()
        )
        return numbers, citations


def select(
    ranked: Sequence[Scored],
    evidence: Evidence,
    form: str,
    whole_list: bool = False,
    lead: Scored | None = None,
    subsections: bool = True,
) -> list[Scored]:
    """The lead unit and the units that support it: close to the lead's score, not a repeat of a chosen one.
    whole_list: the question asks for a topic as a whole ("what qualifications?"), which the list the lead
    stands in answers, every item of it. lead: the unit to lead with (the figure asked), else the best.
    subsections: whether a lead that opens a section brings the first line of each of its subsections."""
    if lead is None and (not ranked or ranked[0].score < MIN_SCORE):
        return []
    lead = lead or norm_first(ranked, evidence)
    chosen = [lead]
    rest = [s for s in ranked if s is not lead]
    limit = 1 + MAX_SUPPORT.get(form, 4)
    first = evidence.units[lead.position]
    if subsections and form in ("which", "open") and first.kind == "prose":
        # "... face various challenges:" opening a section of subsections: the subsections are the answer.
        for position in evidence.subsections(lead.position)[: limit - 1]:
            chosen.append(next((r for r in rest if r.position == position), Scored(position, lead.score, 0.0, 0.0)))
    if whole_list and len(chosen) > 1:
        return chosen  # a topic's overview and its subsections: nothing from elsewhere
    if whole_list and first.kind == "item" and first.label:
        # A section of several lists, each under its own lead-in ("1. Performance Evaluation ...", "2.
        # Architectural Design ..."): the topic as a whole is their lead-ins, each shown by its best line.
        lists = _sibling_lists(rest, evidence, lead)
        if len(lists) >= 2:
            return chosen + sorted(lists, key=lambda r: evidence.units[r.position].start)[: limit - 1]
    if form in ("which", "open") and first.kind == "item":
        # "What benefits...?": the list the lead stands in answers it; its items come before anything else. A
        # topic asked as a whole gets the list's first items, in the order its document gives them (the main
        # ones first), not those that happen to share the question's words.
        in_order = sorted(rest, key=lambda r: evidence.units[r.position].start) if whole_list else rest
        for candidate in in_order:
            unit = evidence.units[candidate.position]
            if len(chosen) >= limit:
                break
            floor = -1.0 if whole_list else max(MIN_SCORE, lead.score - SIBLING_MARGIN)
            if (
                same_list(unit, first)
                and candidate.score >= floor
                and not any(_same(evidence, candidate.position, c.position) for c in chosen)
            ):
                chosen.append(candidate)
    if whole_list and len(chosen) > 1:
        return chosen  # the topic's list is the answer: nothing from elsewhere
    for candidate in rest:
        if len(chosen) >= limit or candidate.score < max(MIN_SCORE, ranked[0].score - SUPPORT_MARGIN):
            break
        if candidate in chosen or any(_same(evidence, candidate.position, c.position) for c in chosen):
            continue
        chosen.append(candidate)
    return chosen


# A sentence that leans on the one before it ("For example, they may require a master's degree"): alone, it
# says the example without what it is an example of.
_LEANS_BACK = re.compile(r"^(for (example|instance)|however|in addition|these|such)\b", re.I)


def with_antecedents(chosen: Sequence[Scored], evidence: Evidence) -> list[Scored]:
    """The chosen units, each sentence that leans on the one before it preceded by that sentence (of the same
    item or paragraph), when it is not chosen already."""
    have = {s.position for s in chosen}
    out: list[Scored] = []
    for s in chosen:
        unit = evidence.units[s.position]
        before = s.position - 1
        if _LEANS_BACK.match(unit.text) and before >= 0 and before not in have:
            previous = evidence.units[before]
            if (previous.doc_id, previous.section, previous.label, previous.group) == (
                unit.doc_id,
                unit.section,
                unit.label,
                unit.group,
            ) and previous.kind != "source":
                out.append(Scored(before, s.score, s.dense, s.lexical))
                have.add(before)
        out.append(s)
    return out


def topic_lead(
    ranked: Sequence[Scored], evidence: Evidence, intent: str, facets: frozenset[str] = frozenset()
) -> Scored | None:
    """For a question about a topic as a whole ("what do they do?"), the opening unit of the list or section
    that answers it best as a whole: by the mean score of its best few units, so a list of the topic's
    main points beats one good line in another list; of lists about as good, the first in the document. facets:
    the narrower topics the question names ("outlook": demand), which pick the lists when the document has them."""
    groups: dict[tuple[str, int, tuple[str, ...]], list[Scored]] = {}
    # A narrower topic the question names (the job's demand, not its career path), if the document has it.
    narrow = any(facets & evidence.facets[r.position] and intent in evidence.intents[r.position] for r in ranked)
    # No topic, only a sub-topic of none ("the hardest part": challenges): the lines under its headings, those
    # under no topic's heading first (the work's challenges, not "Market Demand > Challenges in Meeting Demand").
    free = any(facets & evidence.facets[r.position] and evidence.intents[r.position] <= {"other"} for r in ranked)
    for r in ranked:
        unit = evidence.units[r.position]
        if intent == "other":
            on_topic = bool(facets & evidence.facets[r.position]) and (
                not free or evidence.intents[r.position] <= {"other"}
            )
        else:
            on_topic = intent in evidence.intents[r.position] and (
                not narrow or bool(facets & evidence.facets[r.position])
            )
        if on_topic and unit.kind != "note":
            groups.setdefault((unit.doc_id, unit.group, unit.section if unit.group < 0 else ()), []).append(r)
    if not groups:
        return None

    def strength(members: list[Scored]) -> float:
        best = sorted((m.score for m in members), reverse=True)[:TOPIC_UNITS]
        return sum(best) / TOPIC_UNITS

    strengths = {key: strength(members) for key, members in groups.items()}
    best = max(strengths.values())
    # Of lists that answer about as well, those under a heading named for the topic ("Core Responsibilities",
    # not the overview's summary of it), and of those the document's first: the main one before "Additional ...".
    near = [groups[key] for key, value in strengths.items() if value >= best - TOPIC_MARGIN]
    members = min(
        near,
        key=lambda ms: (
            not primary_heading(evidence.units[ms[0].position].section, intent),
            min(evidence.units[m.position].start for m in ms),
        ),
    )
    lead = min(members, key=lambda r: evidence.units[r.position].start)
    # A line that opens an enclosing section on the narrower topic ("... is in high demand across various
    # industries" over "Growing Demand", "Emerging Opportunities") introduces the best list and its neighbours.
    first = evidence.units[lead.position]
    for group in groups.values() if narrow else ():
        opening = min(group, key=lambda r: evidence.units[r.position].start)
        unit = evidence.units[opening.position]
        encloses = len(unit.section) < len(first.section) and first.section[: len(unit.section)] == unit.section
        if (
            unit.kind == "prose"
            and unit.doc_id == first.doc_id
            and encloses
            and facets & evidence.facets[opening.position]
        ):
            return opening
    return lead


def norm_first(ranked: Sequence[Scored], evidence: Evidence) -> Scored:
    """The lead: the best unit, unless it states an exception ("Some roles may consider 4+ years") to a rule a
    close runner-up states plainly about the same kind of fact ("Typically 5+ years"): the rule comes first, the
    exception after it."""
    # A remark about the text ("These estimates are based on ...") supports an answer; it never leads one.
    best = next((r for r in ranked if evidence.units[r.position].kind != "note"), ranked[0])
    first = evidence.units[best.position]
    if not _HEDGE.search(first.text):
        return best
    for candidate in ranked:
        if candidate.score < best.score - SIBLING_MARGIN:
            break
        unit = evidence.units[candidate.position]
        if candidate is best or unit.kind == "note":
            continue
        related = bool(_families(evidence, best.position) & _families(evidence, candidate.position))
        if related and not _HEDGE.search(unit.text):
            return candidate
    return best


def _sibling_lists(ranked: Sequence[Scored], evidence: Evidence, lead: Scored) -> list[Scored]:
    """The best-ranked item of each other list with a lead-in in the lead's own section and on its topic (not
    the skills list beside the duties in a document without headings)."""
    first = evidence.units[lead.position]
    topics = evidence.intents[lead.position] - {"other"}
    best: dict[int, Scored] = {}
    for r in ranked:
        unit = evidence.units[r.position]
        if (
            unit.kind == "item"
            and unit.label
            and unit.doc_id == first.doc_id
            and unit.section == first.section
            and unit.group != first.group
            and topics & evidence.intents[r.position]
        ):
            best.setdefault(unit.group, r)
    return list(best.values())


def same_list(a: Unit, b: Unit) -> bool:
    return a.group >= 0 and (a.doc_id, a.group) == (b.doc_id, b.group)


def _families(evidence: Evidence, position: int) -> set[str]:
    """The kinds of fact a unit states, by family ("education", "pay", "experience")."""
    return {kind.split(".")[0] for kind in evidence.fact_kinds[position]} - {"named"}


def missing_terms(
    evidence: Evidence,
    positions: np.ndarray,
    terms: Sequence[str],
    ranked: Sequence[Scored],
    carries: Callable[[str], float],
    facets: frozenset[str] = frozenset(),
    text: str = "",
    members_of: str | None = None,
) -> list[str]:
    """The question's key terms the document does not speak to, most telling first: no unit says them (in any
    close spelling), no unit comes close to the question in meaning, and the term carries the question (its
    meaning is close to the whole question's: "visa" in "does it come with visa sponsorship?", unlike "basis"
    in "what do they do on a daily basis?"), more than any term the document does say. A question on a
    sub-topic the document has a section on (its demand, its benefits) is not a gap, however it is worded.
    text: the question, where two key terms side by side name one thing ("security clearance"). members_of:
    the class the question asks members of ("what programming languages?"): a document that lists some
    ("languages such as Bash, PowerShell, and Python") answers it, whatever word qualifies the class."""
    if not terms or (ranked and max(s.dense for s in ranked) >= GAP_DENSE):
        return []
    if facets & evidence.facets_of(positions):
        return []
    if members_of and evidence.lists_members(positions, members_of):
        return []
    said = [t for t in terms if evidence.says(positions, t)]
    unsaid = [(carries(t), t) for t in terms if t not in said]
    # "a security clearance": the document saying "security" does not say the thing asked, which is named by
    # the last word; the two words together are the point, and the first alone is no evidence against it.
    # Both words must bear on the question ("the management side", "use jax" are no such pair).
    modifiers = set()
    for first, head in pairwise(terms):
        if (
            first in said
            and head not in said
            and f"{first} {head}" in text.lower()
            and _one_thing(first, head, carries)
        ):
            modifiers.add(first)
            unsaid.append((carries(f"{first} {head}"), f"{first} {head}"))
    anchor = max((carries(t) for t in said if t not in modifiers), default=0.0)
    return [t for weight, t in sorted(unsaid, key=lambda x: -x[0]) if weight >= CARRIES and weight > anchor]


def _one_thing(first: str, head: str, carries: Callable[[str], float]) -> bool:
    weight = carries(head)
    return carries(first) >= COMPOUND_FLOOR and weight >= COMPOUND_FLOOR and weight >= HEAD_SHARE * carries(first)


def compose(
    query: Query,
    subject: str,
    chosen: Sequence[Scored],
    evidence: Evidence,
    citing: Citing,
    intro: str | None = None,
    unstated: str | None = None,
) -> Answer:
    """The answer from the chosen units: the lead first, the rest as supporting items in document order.
    unstated: the figure asked that the document does not give ("how many years of experience"), said first."""
    units = [evidence.units[s.position] for s in chosen]
    numbers, citations = citing.cite(units, [s.score for s in chosen])
    lead, rest = units[0], sorted(units[1:], key=lambda u: (u.doc_id, u.start))
    lead_stems = evidence.stems[chosen[0].position]
    verdict = _verdict(query, units, lead_stems) if query.form == "yes-no" and unstated is None else ""
    if unstated is not None:
        intro = f"The {subject} document does not say {unstated}; what it says: "
    opening = intro or _opening(query, subject, lead)
    lines = [f"{verdict}{opening}{display(lead)} [{numbers[lead.chunk_id]}]"]
    lines += [f"- {display(u, under=lead.section)} [{numbers[u.chunk_id]}]" for u in rest]
    missing = (unstated,) if unstated is not None else ()
    return Answer("\n".join(lines), citations, subject, query.intent, abstained=False, missing=missing)


def not_mentioned(
    query: Query,
    subject: str,
    phrase: str,
    others: Mapping[str, int],
    evidence: Evidence,
    citing: Citing,
    covered: str,
    context: Sequence[Scored] = (),
) -> Answer:
    """The point asked is not in the subject's document: say so, and which documents do speak to it; context:
    what the document does say on the question's topic, shown as such (not as the answer)."""
    text = f"The {subject} document does not mention {phrase}."
    units = [evidence.units[p] for p in list(others.values())[:3]]
    shown = [evidence.units[s.position] for s in context]
    numbers, citations = citing.cite([*units, *shown], [1.0] * len(units) + [s.score for s in context])
    if others:
        named = "; ".join(
            f"the {s} document [{numbers[evidence.units[p].chunk_id]}]" for s, p in list(others.items())[:3]
        )
        text += f" It is mentioned in {named}."
    if shown:
        lines = [f"- {display(u)} [{numbers[u.chunk_id]}]" for u in sorted(shown, key=lambda u: u.start)]
        text += f"\nWhat it does say on {label(query.intent)}:\n" + "\n".join(lines)
    elif not others:
        text += f" It covers: {covered}."
    return Answer(text=text, citations=citations, role=subject, intent=query.intent, abstained=False, missing=(phrase,))


def abstain(query: Query, reason: str, covered: Sequence[str]) -> Answer:
    text = reason
    if covered:
        text += " They cover: " + "; ".join(covered) + "."
    return Answer(
        text=text,
        citations=(),
        role=query.role or query.asked_role,
        intent=query.intent,
        abstained=True,
        covered=tuple(covered),
    )


def display(unit: Unit, under: tuple[str, ...] = ()) -> str:
    """A unit as an answer line: with its label when the label says what the line is ("Median Salary: ..."),
    or with its own heading when it stands in a subsection of the lead's ("Model Performance: ...")."""
    if under and len(unit.section) > len(under) and unit.section[: len(under)] == under:
        return f"{unit.section[-1]}: {unit.text}"
    if unit.label and len(unit.label) <= 40 and not _LONG_LEAD_IN.search(unit.label):
        return f"{unit.label}: {unit.text}"
    return unit.text


def _opening(query: Query, subject: str, lead: Unit) -> str:
    if lead.role != subject:
        return f"The {lead.role} document says, for a {subject}: "
    return f"According to the {subject} document: "


def _verdict(query: Query, chosen: Sequence[Unit], lead_stems: frozenset[str]) -> str:
    """ "Yes." / "No." / "It depends." before the lead, only when the answer settles it: a pay figure asked
    ("six figures", "$150k") against the first figures the answer gives; a degree level asked against the
    levels the lead names (a higher level required means yes, only lower ones no); a point asked that the lead
    says, as required or as an option. An answer that does not settle the question gets no verdict, only the
    document's words."""
    lead = chosen[0]
    text = display(lead)
    amount = asked_amount(query.topic or query.text)
    if query.intent == "pay" or amount is not None:
        # An hourly figure says nothing about a yearly amount, nor a yearly one about an hourly amount.
        per_hour = asks_hourly(query)
        stated = [(u, amounts(u.text)) for u in chosen if bool(HOURLY.search(display(u))) == per_hour]
        given = [(u, figures) for u, figures in stated if figures]
        if amount is None or not given:
            return ""
        # The typical pay (the median when the answer gives it, else its first figure) reaches the amount.
        typical = next((f for u, f in given if "median" in display(u).lower()), given[0][1])
        if min(typical) >= amount:
            return "Yes. "
        top_unit, top = max(((u, max(f)) for u, f in given), key=lambda x: x[1])
        open_ended = _OPEN_ENDED.search(top_unit.text)
        return "It depends. " if top >= amount or open_ended else "No. "
    asked, named = degree_levels(query.topic or query.text), degree_levels(text)
    if len(asked) == 1 and named:
        rank, ranks = DEGREE_RANK[next(iter(asked))], [DEGREE_RANK[level] for level in named]
        if min(ranks) >= rank:
            return "It depends. " if _OPTIONAL.search(text) else "Yes. "
        return "No. " if max(ranks) < rank else "It depends. "
    if not all(stem(term) in lead_stems for term in query.terms):
        return ""
    if _OPTIONAL.search(text):
        return "It depends. "
    if _REQUIRED.search(text) or query.intent in ("other", "growth", "responsibilities"):
        return "Yes. "
    return ""


def _same(evidence: Evidence, a: int, b: int) -> bool:
    """The same statement twice (in two sections, or reworded a little): close vectors and mostly the same
    words and figures. "Median Salary: $185,000" and "Salary Range: $150,000 - $230,000" are not the same."""
    first, second = _normal(evidence.units[a].text), _normal(evidence.units[b].text)
    if first == second:
        return True
    words_a, words_b = set(first.split()), set(second.split())
    overlap = len(words_a & words_b) / max(1, len(words_a | words_b))
    return overlap >= 0.6 and float(evidence.vectors[a] @ evidence.vectors[b]) >= DUPLICATE_COSINE


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
