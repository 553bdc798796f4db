"""The roles the index knows, listed whole or by subject ("roles about nursing"), a page at a time: a role is
about a subject when its title or alternate titles say it, else when its document is close to it in meaning or
speaks of it again and again."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..text.lexical import content_stems
from .evidence import Evidence
from .examples import Examples

PAGE = 20
ABOUT_FLOOR = 0.38  # cosine of a subject to a role's title or document above which the role is about it
ABOUT_MARGIN = 0.12  # roles this close to the best match count as about the subject too
MENTIONS = 3  # a document that speaks of the subject in this many lines is about it


@dataclass(frozen=True)
class Listing:
    """One page of the roles about a subject ("" for all); found_by: how they were found ("title", "other
    titles": their alternate titles say it, "meaning": what their documents are about)."""

    subject: str
    roles: tuple[str, ...]
    total: int
    page: int
    found_by: str = "title"

    @property
    def more(self) -> int:
        return max(0, self.total - (self.page + 1) * PAGE)


# Fields of work, and kinds of job found in any field: what "X jobs" can mean.
_FIELDS = (
    "nursing",
    "banking",
    "construction",
    "software development",
    "accounting",
    "teaching",
    "law",
    "telecommunications",
    "healthcare",
    "marketing",
    "engineering",
    "agriculture",
    "retail",
    "manufacturing",
)
_JOB_KINDS = (
    "remote", "part-time", "full-time", "entry-level", "well-paid", "easy", "cool", "fun", "summer", "good",
    "flexible", "local", "weekend", "temporary", "senior", "junior", "online", "new", "interesting", "stable",
)  # fmt: skip


class Catalogue:
    def __init__(
        self,
        roles: Sequence[str],
        aliases: Mapping[str, Sequence[str]],
        evidence: Evidence,
        embed_documents: Callable[[list[str]], np.ndarray],
        embed_query: Callable[[str], np.ndarray],
        title_vectors: Callable[[], np.ndarray] | None = None,
    ) -> None:
        """title_vectors: the roles' titles embedded, in roles' order, asked for on first need (the Advisor's
        own); without it they are embedded here."""
        self.roles = tuple(roles)
        self._title_vectors = title_vectors or (lambda: embed_documents(list(self.roles)))
        self._names = {r: content_stems(" ".join([r, *aliases.get(r, ())])) for r in self.roles}
        self._titles = {r: content_stems(r) for r in self.roles}
        self.evidence = evidence
        self._embed_documents = embed_documents
        self._embed_query = embed_query
        self._vectors: np.ndarray | None = None  # per role: its title and its document's centroid, on first need
        self._kinds = Examples({"field": _FIELDS, "kind of job": _JOB_KINDS}, embed_documents, embed_query)

    def names_a_field(self, words: str) -> bool:
        """Whether words before "jobs" name a field of work ("banking jobs") rather than a kind of job in any
        field ("remote jobs", "summer jobs", "cool jobs"): by the closer of a few examples of each."""
        closeness = self._kinds.closeness(words)
        return closeness["field"] > closeness["kind of job"]

    def listing(self, subject: str = "", page: int = 0, in_title: bool = False) -> Listing:
        """in_title: only the roles whose titles say the subject ("which roles have 'engineer' in the title?")."""
        found, ways = list(self.roles), ["title"]
        if in_title:
            stems = content_stems(subject)
            found, ways = [r for r in self.roles if stems and stems <= self._titles[r]], ["in title"]
        elif subject:
            # "telecoms or radio systems" names two fields: the roles about either.
            found, ways = [], []
            for part in (p.strip() for p in re.split(r",|/| or | and ", subject)):
                roles, way = self.about(part) if part else ([], "title")
                found += [r for r in roles if r not in found]
                ways.append(way)
        found_by = next((w for w in ("meaning", "other titles", "in title") if w in ways), "title")
        start = page * PAGE
        return Listing(subject, tuple(found[start : start + PAGE]), len(found), page, found_by)

    def about(self, subject: str) -> tuple[list[str], str]:
        """The roles about a subject, those whose titles say it first, and how they were found."""
        stems = content_stems(subject)
        if not stems:
            return [], "title"
        titled = [r for r in self.roles if stems <= self._titles[r]]
        named = [r for r in self.roles if stems <= self._names[r] and r not in titled]
        if titled or named:
            return titled + named, "other titles" if named else "title"
        scores = self._closeness(subject)
        best = float(scores.max()) if len(scores) else 0.0
        close = {r for r, s in zip(self.roles, scores, strict=True) if s >= ABOUT_FLOOR and s >= best - ABOUT_MARGIN}
        spoken = {r for r in self.roles if self._mentions(r, stems) >= MENTIONS}
        order = np.argsort(-scores, kind="stable")
        return [self.roles[i] for i in order if self.roles[i] in close | spoken], "meaning"

    def _closeness(self, subject: str) -> np.ndarray:
        if self._vectors is None:
            titles = self._title_vectors()
            centroids = np.zeros_like(titles)
            for i, role in enumerate(self.roles):
                positions = self.evidence.positions(role)
                if len(positions):
                    mean = self.evidence.vectors[positions].mean(axis=0)
                    centroids[i] = mean / max(float(np.linalg.norm(mean)), 1e-9)
            self._vectors = np.stack([titles, centroids])
        query = self._embed_query(subject)
        return np.asarray((self._vectors @ query).max(axis=0))

    def _mentions(self, role: str, stems: set[str]) -> int:
        return sum(1 for p in self.evidence.positions(role) if stems <= self.evidence.stems[int(p)])


def describe(listing: Listing, known: int) -> str:
    """A listing as the reply to "which roles do you know?" or "roles about X"."""
    shown = "\n".join(f"- {role}" for role in listing.roles)
    first = listing.page * PAGE + 1
    span = ":" if listing.total <= PAGE else f"; {first}-{first + len(listing.roles) - 1}:"
    if not listing.subject:
        head = f"I know {known:,} role{'s' if known != 1 else ''}"
        head += span
    elif not listing.total and listing.found_by == "in title":
        return f"None of the {known:,} roles I know has “{listing.subject}” in its title."
    elif not listing.total:
        return (
            f"None of the {known:,} roles I know is about {listing.subject}. Ask “which roles do you know?” for the "
            "list, or ask about a role by its title."
        )
    elif listing.found_by == "in title":
        count = f"{listing.total:,} role{'s' if listing.total != 1 else ''}"
        head = f"{count} with “{listing.subject}” in the title" + span
    else:
        count = f"{listing.total:,} role{'s' if listing.total != 1 else ''}"
        why = {"meaning": "by what their documents cover", "other titles": "by their titles and other titles"}.get(
            listing.found_by, "by title"
        )
        head = f"{count} about {listing.subject} ({why})"
        head += span
    if not listing.roles:
        return f"{head.rstrip(':;')}. That was the whole list."
    tail = f"\nSay “more” for the next {min(PAGE, listing.more)}." if listing.more else ""
    if listing.total > PAGE and not listing.subject:
        tail += " Or ask for roles about a subject (“roles about nursing”)." if tail else ""
    return f"{head}\n{shown}{tail}"
