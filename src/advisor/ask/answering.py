"""Extractive answers: a few sentences or list items from the best passages, each with its [n] marker,
or an honest abstention that says what the documents do cover. No text is generated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..records import Answer, Citation, Hit, Query
from ..text.lexical import RELATED, content_stems, role_tokens, stem
from ..text.units import is_list_item, strip_list_marker, units
from .intent import heading_intents, label, primary_heading, section_intents, text_intents
from .roles import names_role

MAX_STATEMENTS = 5
MAX_PASSAGES = 6
# A statement is kept when it scores at least this share of the best one: no filler after good answers.
RELATIVE_CUTOFF = 0.55
# Below this cosine a passage that shares no topic word with the question does not support an answer.
MIN_DENSE_SUPPORT = 0.5
_FIGURE = re.compile(r"\$\s?\d|\d+%")
_MONEY = re.compile(r"\$\s?\d")
_INTRO_SECTIONS = {"introduction", "overview", "summary", "about"}
_OVERVIEW = re.compile(r"\b(tell me about|what is an? |overview|describe|who is an? |explain|about the)\b", re.I)
# Words that say which intent a question has, not what it is about.
_INTENT_WORDS = frozenset(
    stem(w)
    for w in """need needs require required requirement requirements qualification qualifications skill skills
    pay paid salary salaries earn earns make makes much money compensation wage wages income
    grow growth career path advance advancement progression
    responsibility responsibilities duty duties do does day typical task tasks become get into""".split()
)


@dataclass(frozen=True)
class Unit:
    """A sentence or list item of a passage, a candidate statement of the answer."""

    hit_rank: int
    start: int  # offsets into the chunk's text
    end: int
    text: str
    label: str  # the "...include:" line a list item belongs to, if any
    intents: frozenset[str]
    overlap: float
    has_figure: bool
    listed: bool = False
    own_evidence: bool = False
    score: float = 0.0


def compose(query: Query, hits: Sequence[Hit], subject: str, source_note: str | None = None) -> Answer | None:
    """An answer from the hits, or None when no sentence supports one."""
    topic = topic_terms(query, subject)
    overview = is_overview(query, subject)
    candidates = [u for rank, hit in enumerate(hits[:MAX_PASSAGES]) for u in _candidates(hit, rank, topic)]
    # Topic overlap counts relative to the best passage, so a stray word in the question costs nothing.
    best_overlap = max((c.overlap for c in candidates), default=0.0)
    about_subject = [names_role(hit.chunk.section, subject) for hit in hits]
    scored = [
        replace(
            c,
            score=_score(query.intent, c, best_overlap, hits[c.hit_rank], overview)
            + (1.0 if about_subject[c.hit_rank] and query.intent != "other" else 0.0),
        )
        for c in candidates
    ]
    supported = [u for u in scored if u.score > 0]
    if not supported:
        return None
    best = max(u.score for u in supported)
    chosen = sorted((u for u in supported if u.score >= RELATIVE_CUTOFF * best), key=lambda u: -u.score)
    chosen = chosen[:MAX_STATEMENTS]
    # Present passage by passage, the passage with the best statement first, each in document order.
    lead: dict[int, float] = {}
    for u in chosen:
        lead[u.hit_rank] = max(lead.get(u.hit_rank, 0.0), u.score)
    chosen.sort(key=lambda u: (-lead[u.hit_rank], u.hit_rank, u.start))
    return _render(query, hits, chosen, subject, source_note)


def topic_terms(query: Query, subject: str) -> set[str]:
    """What the question is about, beyond the role it names and the kind of thing it asks."""
    exclude = frozenset(stem(t) for t in role_tokens(subject))
    return content_stems(query.text, exclude=exclude) - _INTENT_WORDS


def is_overview(query: Query, subject: str) -> bool:
    """'Tell me about the Senior Cloud Engineer role': a request for the document's overview."""
    if query.intent != "other":
        return False
    return not topic_terms(query, subject) or bool(_OVERVIEW.search(query.text))


def _candidates(hit: Hit, rank: int, topic: set[str]) -> list[Unit]:
    chunk = hit.chunk
    section_int = section_intents(chunk.section)
    headings = chunk.section
    deepest, ancestors = content_stems(headings[-1]), content_stems(" ".join(headings[:-1]))
    out: list[Unit] = []
    current_label = ""
    spans = list(units(chunk.text))
    for i, (start, end) in enumerate(spans):
        text = chunk.text[start:end]
        listed = is_list_item(text)
        nested_next = i + 1 < len(spans) and _indent(chunk.text, spans[i + 1][0]) > _indent(chunk.text, start)
        if text.rstrip().endswith(":") or (listed and nested_next):
            # "Key responsibilities include:" or "2. Programming Skills:" introduce what follows.
            current_label = strip_list_marker(text) if listed else text
            continue
        if not listed:
            current_label = ""
        body = strip_list_marker(text) if listed else text
        if len(body.split()) < 2 and not _FIGURE.search(body):
            continue
        own = content_stems(body) | content_stems(current_label)
        overlap = sum(_coverage(t, own, deepest, ancestors) for t in topic)
        out.append(
            Unit(
                hit_rank=rank,
                start=start,
                end=end,
                text=body,
                label=current_label,
                intents=section_int | heading_intents(current_label) | text_intents(body),
                overlap=overlap,
                has_figure=bool(_MONEY.search(body)),
                listed=listed,
                own_evidence=bool(_covered(topic, own) or text_intents(body)),
            )
        )
    return out


def _indent(text: str, pos: int) -> int:
    line_start = text.rfind("\n", 0, pos) + 1
    return pos - line_start


def _covered(topic: set[str], terms: set[str]) -> int:
    """How many of the question's topic words the text says, in those words or related ones."""
    return sum(1 for t in topic if t in terms or RELATED.get(t, set()) & terms)


def _coverage(term: str, own: set[str], deepest: set[str], ancestors: set[str]) -> float:
    """A topic word said by the sentence itself or by its own heading counts fully; by a parent heading, or
    only in related words ("education" for "degree"), less."""
    if term in own or term in deepest:
        return 1.0
    if _covered({term}, own) or _covered({term}, deepest):
        return 0.8
    return 0.75 if _covered({term}, ancestors) else 0.0


def _score(intent: str, unit: Unit, best_overlap: float, hit: Hit, overview: bool) -> float:
    if intent == "pay" and "pay" not in unit.intents:
        # Figures must come from what is said about pay, never from a passage that happens to match.
        return 0.0
    section = hit.chunk.section
    if overview:
        is_intro = section[0].lower() in _INTRO_SECTIONS
        score = (2.0 if is_intro else 0.0) + (1.5 if "responsibilities" in unit.intents else 0.0)
    else:
        score = 0.0
        if intent != "other" and intent in unit.intents:
            score += (1.5 if best_overlap else 2.0) + (0.5 if primary_heading(section, intent) else 0.0)
        if intent == "pay" and unit.has_figure:
            score += 1.5
        if best_overlap:
            score += 3.0 * unit.overlap / best_overlap
        if score == 0.0 and intent == "other" and hit.dense_score >= MIN_DENSE_SUPPORT:
            score = 0.5
        if not unit.listed and not unit.own_evidence:
            # A connecting or summary sentence ("By focusing on these areas...") is about its section only
            # in general; the items of the section say the specifics.
            score *= 0.5
    return score + 0.5 / (unit.hit_rank + 1) if score > 0 else 0.0


def _render(query: Query, hits: Sequence[Hit], chosen: list[Unit], subject: str, note: str | None) -> Answer:
    numbers: dict[int, int] = {}
    spans: dict[int, list[tuple[int, int]]] = {}
    lines = []
    shown_label = None
    for unit in chosen:
        n = numbers.setdefault(unit.hit_rank, len(numbers) + 1)
        spans.setdefault(unit.hit_rank, []).append((unit.start, unit.end))
        label_text = _label(unit)
        if label_text is None:
            lines.append(f"- {unit.text} [{n}]")
        elif label_text == shown_label:
            lines.append(f"  - {unit.text} [{n}]")
        elif label_text.endswith(":"):
            # A short label ("Most positions require:") gives a bare list item its meaning; items under
            # the same label are grouped under it.
            lines.append(f"- {label_text}")
            lines.append(f"  - {unit.text} [{n}]")
        else:
            lines.append(f"- {label_text}: {unit.text} [{n}]")
        shown_label = label_text
    citations = tuple(
        Citation(
            n=n,
            chunk_id=hits[rank].chunk.id,
            role=hits[rank].chunk.role,
            section=hits[rank].chunk.section_title,
            source=hits[rank].chunk.source,
            text=hits[rank].chunk.text,
            score=hits[rank].score,
            sentences=tuple(spans[rank]),
        )
        for rank, n in sorted(numbers.items(), key=lambda item: item[1])
    )
    topic = f" on {label(query.intent)}" if query.intent != "other" else ""
    header = note or f"What the {subject} document says{topic}:"
    return Answer(
        text=header + "\n" + "\n".join(lines),
        citations=citations,
        role=subject,
        intent=query.intent,
        abstained=False,
    )


def _label(unit: Unit) -> str | None:
    """The label to show with a list item, if it adds meaning: short, and not a bare "...include:"."""
    if not unit.label or len(unit.label) > 60 or unit.label.rstrip(":").endswith("include"):
        return None
    return unit.label if unit.label.endswith(":") else unit.label + ":"


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
