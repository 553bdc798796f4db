"""A generation's answer units, scored against a question: by meaning (the embedding of the question's topic
against each unit's "heading: unit" vector), by words (the question's topic words the unit or its headings say,
weighted by how rare they are), with the question's topic (pay, requirements, ...) as a small prior.

Also answers whether a unit set speaks to a word at all: the question's key term that no unit of a document
says, in any spelling close to it, is a point that document does not cover.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..records import Fact, Unit
from ..text.lexical import content_stems, stem, words
from .intent import heading_facets, heading_intents, text_facets, text_intents

# Weights of the signals; the dense similarity is the scale (cosine, about 0.1-0.8).
LEXICAL_WEIGHT = 0.35
HEADING_WEIGHT = 0.3  # the question against the unit's headings alone: what the unit is about
INTENT_WEIGHT = 0.12
FACET_WEIGHT = 0.12
MEMBERS_WEIGHT = 0.1  # a unit that lists members of the class asked for
# A list of members: "such as a, b and c", "including ...", "e.g. ...", or three items in a row.
_INTRODUCER = r"(?:such as|like|including|e\.g\.|for example)"
_ENUMERATION = re.compile(rf"\b{_INTRODUCER}\b|\w+, \w+[^,.;]*,? (and|or) \w+", re.I)
NOTE_PENALTY = 0.15  # a footnote-like remark ("These estimates are based on ...") is not an answer
PROSE_PENALTY = 0.05  # the framing sentences around a list say less than its items


@dataclass(frozen=True)
class Scored:
    position: int
    score: float
    dense: float
    lexical: float


def context_of(unit: Unit) -> str:
    """What a unit is about, by its place in the document: its heading path and lead-in."""
    return " > ".join([*unit.section, *([unit.label] if unit.label else [])])


def _intents(unit: Unit) -> frozenset[str]:
    """The topics a unit speaks to: those of its deepest heading (or lead-in) that names one, since a broad
    parent heading ("Career Development") holds sections on other topics ("Compensation and Benefits"); and a
    pay figure in its words."""
    for heading in reversed([*unit.section, unit.label]):
        found = heading_intents(heading)
        if found:
            return found | text_intents(unit.text)
    return text_intents(unit.text)


class Evidence:
    def __init__(
        self,
        units: Sequence[Unit],
        vectors: np.ndarray,
        subjects: Sequence[str],
        facts: Sequence[Fact] = (),
        context_vectors: Callable[[Sequence[str]], np.ndarray] | None = None,
    ) -> None:
        """context_vectors embeds the units' heading paths (few and shared by many units), for matching a
        question against what the units are about as well as what they say."""
        self.units = tuple(units)
        self.vectors = vectors
        contexts = [context_of(u) for u in units]
        distinct = list(dict.fromkeys(contexts))
        where = {c: n for n, c in enumerate(distinct)}
        self._context_index = np.asarray([where[c] for c in contexts], dtype=np.int64)
        self.contexts = distinct
        self.context_vectors = context_vectors(distinct) if context_vectors is not None and distinct else None
        self.context_intents = [heading_intents(c) for c in distinct]
        self.subjects = tuple(subjects)
        by_subject: dict[str, list[int]] = {}
        for i, subject in enumerate(subjects):
            if units[i].kind != "source":  # about the document, not the role: never an answer
                by_subject.setdefault(subject, []).append(i)
        self._by_subject = {s: np.asarray(p, dtype=np.int64) for s, p in by_subject.items()}
        # A unit says what its own words and its headings say ("Model drift" under "Common Challenges").
        self.stems = [
            frozenset(content_stems(u.text) | content_stems(u.label) | content_stems(" ".join(u.section)))
            if u.kind != "source"
            else frozenset()
            for u in units
        ]
        counts: dict[str, int] = {}
        for stems in self.stems:
            for s in stems:
                counts[s] = counts.get(s, 0) + 1
        self._idf = {s: math.log(1 + len(units) / c) for s, c in counts.items()}
        self._default_idf = math.log(1 + max(1, len(units)))
        self.intents = [_intents(u) for u in units]
        self.facets = _Facets(self.units)
        position = {u.id: i for i, u in enumerate(units)}
        self.fact_kinds: list[set[str]] = [set() for _ in units]
        for fact in facts:
            if fact.unit_id in position:
                self.fact_kinds[position[fact.unit_id]].add(fact.kind)
        # Sections (and their ancestors) that hold list items: the prose around such lists only frames them.
        listed = {(u.doc_id, u.section[:n]) for u in units if u.kind == "item" for n in range(1, len(u.section) + 1)}
        self._prior = np.asarray(
            [
                -NOTE_PENALTY
                if u.kind == "note"
                else -PROSE_PENALTY
                if u.kind == "prose" and (u.doc_id, u.section) in listed
                else 0.0
                for u in units
            ],
            dtype=np.float32,
        )
        self._words: dict[str, set[str]] = {}
        self._counts: Counter[str] = Counter()
        for u in (u for u in units if u.kind != "source"):
            said = [w.split("'")[0] for w in words(f"{' '.join(u.section)} {u.label} {u.text}")]
            self._words.setdefault(u.doc_id, set()).update(said)
            self._counts.update(said)

    def subsections(self, position: int) -> list[int]:
        """For a unit that opens a section with subsections ("... face various challenges:" over "Model
        Performance", "Scalability", ...), the first unit of each subsection, in document order."""
        unit = self.units[position]
        depth = len(unit.section)
        out: dict[tuple[str, ...], int] = {}
        for i in range(position + 1, len(self.units)):
            other = self.units[i]
            if other.doc_id != unit.doc_id or other.section[:depth] != unit.section:
                break
            if len(other.section) == depth + 1 and other.kind != "note":
                out.setdefault(other.section, i)
        return list(out.values())

    def vocabulary(self) -> Counter[str]:
        """Every word the documents use, with how often (for mending typos in questions)."""
        return Counter(self._counts)

    def topic(self, query: np.ndarray, floor: float, margin: float = 0.08) -> str | None:
        """The topic (pay, requirements, ...) of the headings that match the question best, when they match
        well and agree: what a question is about when its words do not say ("where can it lead?")."""
        if self.context_vectors is None:
            return None
        about = self.context_vectors @ query
        order = np.argsort(-about)
        best = float(about[order[0]])
        if best < floor:
            return None
        votes: dict[str, float] = {}
        for i in order[:5].tolist():
            if about[i] < best - margin:
                break
            for intent in self.context_intents[i]:
                votes[intent] = votes.get(intent, 0.0) + float(about[i])
        return max(votes, key=lambda k: votes[k]) if votes else None

    def facets_of(self, positions: np.ndarray) -> frozenset[str]:
        """The sub-topics (demand, advancement, benefits) these units' headings are about."""
        return frozenset().union(*(self.facets[i] for i in positions.tolist()))

    def positions(self, subject: str) -> np.ndarray:
        return self._by_subject.get(subject, np.zeros(0, dtype=np.int64))

    def rank(
        self,
        positions: np.ndarray,
        query: np.ndarray,
        topic_stems: frozenset[str],
        intent: str | None,
        wanted: dict[str, float] | None = None,
        facets: frozenset[str] = frozenset(),
        members_of: str | None = None,
    ) -> list[Scored]:
        """The units at positions, best first. wanted: fact kinds the question asks for ("pay.median": 0.2), a
        bonus for the units that state one; facets: the sub-topics the question names; members_of: the class
        whose members the question asks for ("which industries?"), a bonus for units that list some of it
        ("industries such as financial services, retail, and healthcare")."""
        if len(positions) == 0:
            return []
        members = self._members(positions, members_of) if members_of else set()
        dense = self.vectors[positions] @ query
        if self.context_vectors is not None:
            about = self.context_vectors @ query
            dense = dense + HEADING_WEIGHT * about[self._context_index[positions]]
        weights = {s: self._idf.get(s, self._default_idf) for s in topic_stems}
        total_weight = sum(weights.values())
        out = []
        specific = intent not in (None, "other")
        for j, i in enumerate(positions.tolist()):
            lexical = sum(w for s, w in weights.items() if s in self.stems[i]) / total_weight if total_weight else 0.0
            prior = 0.0
            # A unit under another topic's heading (an "Industry:" line among the salary factors, for a question
            # on hiring industries) loses what a unit on the topic asked gains.
            topics = self.intents[i] - {"other"}
            elsewhere = specific and bool(topics) and intent not in topics
            if specific:
                prior = -INTENT_WEIGHT if elsewhere else INTENT_WEIGHT if topics else 0.0
            if facets and facets & self.facets[i]:
                prior += FACET_WEIGHT
            if wanted and self.fact_kinds[i]:
                prior += max((wanted.get(k, 0.0) for k in self.fact_kinds[i]), default=0.0)
            if i in members and not elsewhere:
                prior += MEMBERS_WEIGHT
            score = float(dense[j]) + LEXICAL_WEIGHT * lexical + prior + float(self._prior[i])
            out.append(Scored(i, score, float(dense[j]), lexical))
        out.sort(key=lambda s: -s.score)
        return out

    def lists_members(self, positions: np.ndarray, members_of: str) -> bool:
        """Whether any of these units lists members of the class ("languages such as Bash, PowerShell, and
        Python" for "what programming languages?")."""
        return bool(self._members(positions, members_of))

    def _members(self, positions: np.ndarray, members_of: str) -> set[int]:
        """The units that list members of a class: those under a heading named for it ("Benefits and Perks" for
        "what benefits?"), which list its members whatever their words; else those that name the class with a
        list ("industries such as financial services, retail, and healthcare")."""
        listing = stem(members_of)
        heads = {i: _heads(self.units[i].section[-1] if self.units[i].section else "") for i in positions.tolist()}
        under = {i for i, h in heads.items() if listing in h}
        if under:
            return under
        naming = {i for i in heads if listing in self.stems[i] and _ENUMERATION.search(self.units[i].text)}
        # Of those, the ones whose list is of the class ("languages such as Bash, PowerShell, and Python", not
        # "scripting languages, automation tools, DevOps methodologies").
        introduced = re.compile(rf"\b{re.escape(listing)}\w*(?:\W+\w+){{0,4}}?\W+{_INTRODUCER}", re.I)
        return {i for i in naming if introduced.search(self.units[i].text)} or naming

    def enumerations_first(self, ranked: Sequence[Scored]) -> list[Scored]:
        """The units that list several things ("teams, QA, software architects, and stakeholders") before those
        that do not, each in rank order: the answer to a question asking for members of a class."""
        return sorted(ranked, key=lambda r: not _ENUMERATION.search(self.units[r.position].text))

    def says(self, positions: np.ndarray, term: str) -> bool:
        """Whether any of these units (or their headings) says the term, in its own spelling or one close to it
        (a typo), or in a word of the same stem."""
        if len(positions) == 0:
            return False
        target = stem(term.lower())
        if any(target in self.stems[i] for i in positions.tolist()):
            return True
        docs = {self.units[i].doc_id for i in positions.tolist()}
        vocabulary = set().union(*(self._words.get(d, set()) for d in docs))
        if term.lower() in vocabulary:
            return True
        # A shortening of a word of the document ("econ" for "economics", "admin" for "administration").
        if len(term) >= 4 and any(word.startswith(term.lower()) for word in vocabulary):
            return True
        # A word of the document at least 85% alike ("experiance" ~ "experience"); short words must match.
        return len(term) >= 5 and bool(difflib.get_close_matches(term.lower(), vocabulary, n=1, cutoff=0.85))

    def subjects_saying(self, term: str, exclude: str | None = None) -> dict[str, int]:
        """Subjects (roles) whose units say the term, with the position of the first unit that does."""
        target = stem(term.lower())
        out: dict[str, int] = {}
        for i, stems in enumerate(self.stems):
            subject = self.subjects[i]
            if subject != exclude and subject not in out and target in stems:
                out[subject] = i
        return out


class _Facets:
    """The sub-topics each unit speaks to, by its headings and by its own words ("Collaborate within dynamic
    teams"). Its words are read when a question first looks at the unit: reading every unit's at load would
    add to every start, mostly for units no question about such a sub-topic reaches."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self._units = units
        self._known: list[frozenset[str] | None] = [None] * len(units)

    def __getitem__(self, i: int) -> frozenset[str]:
        found = self._known[i]
        if found is None:
            unit = self._units[i]
            found = self._known[i] = heading_facets(context_of(unit)) | text_facets(unit.text)
        return found

    def __len__(self) -> int:
        return len(self._units)


@lru_cache(maxsize=65536)
def _heads(heading: str) -> frozenset[str]:
    """The stems of a heading's head nouns: its last word, and the words joined by "and" ("Benefits and Perks":
    benefits, perks; "Industry Trends": trends, not industry)."""
    tokens = words(heading.lower())
    if not tokens:
        return frozenset()
    heads = {tokens[-1]}
    for k, token in enumerate(tokens):
        if token in ("and", "&") and 0 < k < len(tokens) - 1:
            heads.update((tokens[k - 1], tokens[k + 1]))
    return frozenset(stem(t) for t in heads)
