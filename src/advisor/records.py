"""The records passed between pipeline stages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

INTENTS = ("pay", "requirements", "growth", "responsibilities", "other")


@dataclass(frozen=True)
class Section:
    """A run of a document's text under one heading path; offsets are into Document.text."""

    path: tuple[str, ...]
    start: int
    end: int

    @property
    def title(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class Document:
    id: str
    role: str
    source: str
    text: str
    sections: tuple[Section, ...]
    sha256: str
    source_page: str | None = None
    aliases: tuple[str, ...] = ()  # other titles of the role (front matter `aliases`)
    attribution: str | None = None  # license text to show with passages of this document


@dataclass(frozen=True)
class SkippedFile:
    source: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    role: str
    section: tuple[str, ...]  # the heading path, outermost first
    source: str
    text: str
    start: int
    end: int
    n_tokens: int

    @property
    def section_title(self) -> str:
        """The heading path as people read it: "Salary Ranges > ML Performance Architect (Estimated)"."""
        return " > ".join(self.section)

    @property
    def embed_text(self) -> str:
        # The prefix makes a passage findable by what it is about, not only by its own words.
        return f"{self.role} > {self.section_title}\n{self.text}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "role": self.role,
            "section": list(self.section),
            "source": self.source,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "n_tokens": self.n_tokens,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        fields = {k: data[k] for k in cls.__dataclass_fields__}
        section = fields["section"]
        # Generations written before the path was a list hold the joined title.
        fields["section"] = tuple(section.split(" > ") if isinstance(section, str) else section)
        return cls(**fields)


@dataclass(frozen=True)
class Unit:
    """An answer unit: one sentence or list item of a document, with the headings and lead-in line it stands
    under. Answers are made of units; each is cited through the chunk that holds it."""

    id: str
    doc_id: str
    role: str  # the document's role
    source: str
    section: tuple[str, ...]
    label: str  # the lead-in it belongs to ("Most positions require", "Education"), "" when none
    text: str  # as the document says it, without list markers or emphasis marks
    start: int  # offsets of the unit in its document's text
    end: int
    chunk_id: str  # the chunk that holds it
    # "item" (a list item or a sentence of one), "prose", "note" (a footnote-like remark), or "source" (about the
    # document itself: where its data comes from, its license), which is never an answer
    kind: str
    key: str = ""  # hash of the text it is embedded as: vectors are re-used while it is unchanged
    group: int = -1  # the list it is an item of, numbered within its document (-1: not a list item)

    @property
    def embed_text(self) -> str:
        """What the unit is embedded as: its deepest heading and lead-in give it its topic. The role's own name
        is left out of its words, as it is left out of a question's: "Senior Communications Systems Engineers
        work in diverse environments" must be as close to "where do they work?" as the role's name is far."""
        context = [part for part in (self.section[-1] if self.section else "", self.label) if part]
        return ": ".join([*context, without_title(self.text, self.role)])

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "section": list(self.section)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**{**fields, "section": tuple(fields["section"])})


@dataclass(frozen=True)
class Fact:
    """A typed fact a document states, with the unit that states it: what comparisons are made of."""

    unit_id: str
    role: str  # the document's role (whom a heading makes it about is decided when answering)
    kind: str  # e.g. "pay.median", "pay.range", "experience.years", "education.degree", "certification"
    value: str  # as the document says it: "$185,000 - $205,000", "Typically 5+ years", "Ph.D."
    low: float | None = None  # the figures in it, when it has any (dollars, years, percent)
    high: float | None = None
    qualifier: str = ""  # "required", "preferred" or "" (as the document's words put it)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class RoleFact:
    """A typed fact of one role, with the passage that states it: what `advisor facts` and GET /api/roles/{role}
    list."""

    kind: str  # "pay.median", "experience.years", "education.master", "certification", "named", ...
    label: str  # the kind in words: "Median pay", "Years of experience", "Skills and tools"
    value: str  # as the document says it
    low: float | None
    high: float | None
    qualifier: str  # "required", "preferred" or ""
    section: str  # the heading path of the passage that states it
    source: str  # the document's file
    quote: str  # the sentence or list item that states it

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Query:
    """A question made self-contained: the role(s) and the topic it is about, taken from the conversation when
    the question does not say them; analysed once, read by every later stage."""

    text: str  # as asked (chat shorthand spelled out)
    role: str | None
    intent: str  # pay | requirements | growth | responsibilities | other: a prior, not the whole topic
    asked_role: str | None = None  # what the person called the role, when it is no document's role
    role_from_history: bool = False
    topic: str = ""  # what is asked, with the role named replaced by "this role" (or an earlier turn's topic)
    terms: tuple[str, ...] = ()  # the words that carry the point ("visa", "python")
    form: str = "open"  # yes-no | how-much | how-many | which | open
    roles: tuple[str, ...] = ()  # every role it is about, for comparisons
    mode: str = "single"  # single | compare | common | across
    inferred: bool = False  # the intent comes from the headings the question matches, not from its words


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float = 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    role: str
    section: str
    source: str
    text: str
    score: float
    sentences: tuple[tuple[int, int], ...] = ()  # cited spans, as offsets into text
    attribution: str | None = None  # license text of the source document (imported public data)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": self.n,
            "role": self.role,
            "section": self.section,
            "source": self.source,
            "text": self.text,
            "score": round(float(self.score), 6),
        }
        if self.attribution:
            data["attribution"] = self.attribution
        return data


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...] = ()
    role: str | None = None
    intent: str | None = None
    abstained: bool = False
    covered: tuple[str, ...] = field(default=())  # what the documents do cover, said when abstaining
    missing: tuple[str, ...] = field(default=())  # points asked that the documents do not mention
    # What the message was and what the reply does: "answer" (a question about roles), "greeting", "thanks",
    # "goodbye", "help", "catalogue" (the roles known), "fit" (which roles fit a background).
    act: str = "answer"
    ranking: tuple[str, ...] = field(default=())  # for "fit": the roles that fit (else come close), best first

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "role": self.role,
            "intent": self.intent,
            "abstained": self.abstained,
            "not_mentioned": list(self.missing),
            "act": self.act,
        }
        if self.act == "fit":
            data["ranking"] = list(self.ranking)
        return data


@dataclass(frozen=True)
class IndexInfo:
    """The index generation an Advisor answers from."""

    generation: str
    chunks: int
    roles: int
    model: str


def without_title(text: str, role: str) -> str:
    """text without the role's title in it (singular or plural, with a seniority word or an article before it);
    the text itself when that would leave nothing."""
    kept = _title_pattern(role).sub(" ", text)
    kept = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", kept)).strip()
    return kept if re.search(r"\w", kept) else text


@lru_cache(maxsize=4096)
def _title_pattern(role: str) -> re.Pattern[str]:
    # "Registered Nurses" and "a registered nurse"; "Senior Cloud Engineer" and "cloud engineers".
    words = re.findall(r"[A-Za-z0-9+#]+", role.split(",")[0])
    if words and words[0].lower() in _SENIORITY:
        words = words[1:]
    if not words:
        return re.compile(r"(?!x)x")
    *head, last = words
    singular = last[:-1] if last.lower().endswith("s") and not last.lower().endswith("ss") else last
    title = r"\s+".join([*map(re.escape, head), re.escape(singular) + r"(?:e?s)?"])
    seniority = "|".join(_SENIORITY)
    return re.compile(rf"(?:\b(?:an?|the)\s+)?(?:\b(?:{seniority})\.?\s+)?\b{title}\b(?:'s|’s)?", re.I)


_SENIORITY = ("senior", "sr", "junior", "jr", "lead", "principal", "staff", "chief")
