"""Hybrid retrieval: dense (FAISS inner product) and lexical (bm25s) rankings fused by reciprocal rank,
restricted to a set of chunks, with the passages of sections matching the intent ranked first."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from ..indexing import vector_index
from ..indexing.embedding import TextEmbedder
from ..indexing.index_store import StoredIndex
from ..records import Chunk, Hit
from .intent import passage_intents, primary_heading
from .roles import names_role

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Sum of 1 / (k + rank) over the rankings each item appears in (rank starts at 1)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def rank_hits(
    fused: dict[int, float],
    intent_of: Sequence[frozenset[str]],
    intent: str | None,
    boosted: frozenset[int] | set[int] = frozenset(),
    first: frozenset[int] | set[int] = frozenset(),
) -> list[int]:
    """Items ordered by (matches the intent, is in first, fused score); a boosted item counts as one extra
    first place in the fusion."""
    specific = intent is not None and intent != "other"

    def key(i: int) -> tuple[bool, bool, float]:
        bonus = 1.0 / (RRF_K + 1) if i in boosted else 0.0
        return (specific and intent in intent_of[i], i in first, fused[i] + bonus)

    return sorted(fused, key=key, reverse=True)


@dataclass(frozen=True)
class _Lexical:
    model: bm25s.BM25
    stemmer: object


class Retriever:
    def __init__(self, stored: StoredIndex, embedder: TextEmbedder) -> None:
        self.stored = stored
        self.embedder = embedder
        self.chunks: tuple[Chunk, ...] = stored.chunks
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        first_of: dict[tuple[str, tuple[str, ...]], int] = {}
        for i, c in enumerate(self.chunks):
            first_of.setdefault((c.doc_id, c.section), i)
        self._section_start = [first_of[(c.doc_id, c.section)] for c in self.chunks]
        self.intents: list[frozenset[str]] = [passage_intents(c.section, c.text) for c in self.chunks]
        self.primary: list[frozenset[str]] = [
            frozenset(i for i in intents if primary_heading(c.section, i))
            for c, intents in zip(self.chunks, self.intents, strict=True)
        ]
        self._lexical = _build_bm25([c.embed_text for c in self.chunks])
        # A view into the FAISS index's own storage (no second copy); valid while self.stored holds the index.
        self._matrix = vector_index.matrix(stored.vectors)

    def search(
        self,
        text: str,
        allowed: Sequence[int] | None = None,
        intent: str | None = None,
        k: int = 8,
        subject: str | None = None,
    ) -> list[Hit]:
        """The best k passages among allowed ones. Passages whose heading is squarely about the intent, or
        names the subject role itself, get a boost."""
        ids = np.arange(len(self.chunks)) if allowed is None else np.asarray(sorted(set(allowed)), dtype=np.int64)
        if len(ids) == 0:
            return []
        depth = min(len(ids), max(k * 4, 32))
        dense_ids, dense_scores = self._dense(text, ids, depth)
        lexical_ids = self._bm25(text, ids, depth)
        fused = reciprocal_rank_fusion([dense_ids, lexical_ids])
        dense_rank = {i: r for r, i in enumerate(dense_ids, start=1)}
        lexical_rank = {i: r for r, i in enumerate(lexical_ids, start=1)}
        dense_score = dict(zip(dense_ids, dense_scores, strict=True))
        boosted = {i for i in fused if intent in self.primary[i]}
        # The role's own section ("ML Performance Architect (Estimated)") comes before related roles' rows.
        own = {i for i in fused if subject and names_role(self.chunks[i].section, subject)}
        order = self._with_section_starts(rank_hits(fused, self.intents, intent, boosted, own)[:k], ids)
        # A section start added for its follower shares the follower's score.
        for before, after in itertools.pairwise(order):
            fused.setdefault(before, fused.get(after, 0.0))
        return [
            Hit(
                chunk=self.chunks[i],
                score=fused[i],
                dense_rank=dense_rank.get(i),
                lexical_rank=lexical_rank.get(i),
                dense_score=float(dense_score.get(i, 0.0)),
            )
            for i in order
        ]

    def position_of(self, chunk: Chunk) -> int:
        """Where a chunk stands in the index (its row in the vectors)."""
        return self.position[chunk.id]

    def any_about(self, positions: Sequence[int] | None, intent: str) -> bool:
        """Whether any of these passages (all when None) is about the intent, by its section or its words."""
        ids = range(len(self.chunks)) if positions is None else positions
        return any(intent in self.intents[i] for i in ids)

    def _with_section_starts(self, order: list[int], allowed: np.ndarray) -> list[int]:
        """Put the first chunk of a section right before a later chunk of it that was found: a section's
        opening ("Their core responsibilities include: 1. ...") is where its content starts."""
        allowed_set = set(allowed.tolist())
        out: list[int] = []
        for i in order:
            first = self._section_start[i]
            if first != i and first not in out and first in allowed_set:
                out.append(first)
            if i not in out:
                out.append(i)
        return out

    def _dense(self, text: str, ids: np.ndarray, depth: int) -> tuple[list[int], list[float]]:
        query = self.embedder.embed_query(text)
        allowed = ids if len(ids) < len(self.chunks) else None
        return vector_index.search(self.stored.vectors, self._matrix, query, allowed, depth)

    def _bm25(self, text: str, ids: np.ndarray, depth: int) -> list[int]:
        if self._lexical is None:
            return []
        tokens = bm25s.tokenize(
            [text], stopwords="en", stemmer=self._lexical.stemmer, show_progress=False, return_ids=False
        )
        if not tokens or not tokens[0]:
            return []
        mask = np.zeros(len(self.chunks), dtype=np.float32)
        mask[ids] = 1.0
        docs, scores = self._lexical.model.retrieve(tokens, k=depth, show_progress=False, weight_mask=mask, n_threads=0)
        # Zero means no query word occurs in the passage: that is no lexical evidence at all.
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def _build_bm25(texts: list[str]) -> _Lexical | None:
    if not texts:
        return None
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    model = bm25s.BM25()
    model.index(tokens, show_progress=False)
    return _Lexical(model=model, stemmer=stemmer)
