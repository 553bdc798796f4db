"""The records passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
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
class Query:
    """A question made self-contained: the role and topic it is about, taken from history when not said."""

    text: str
    role: str | None
    intent: str
    asked_role: str | None = None  # what the person called the role, when it is no document's role
    role_from_history: bool = False


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "role": self.role,
            "intent": self.intent,
            "abstained": self.abstained,
        }


@dataclass(frozen=True)
class IndexInfo:
    """The index generation an Advisor answers from."""

    generation: str
    chunks: int
    roles: int
    model: str
