"""Telling kinds of message apart by meaning: a few example texts per kind, embedded on first need, and a text
scored by its closest example of each kind (a greeting or a request for help, a request for roles that suit
the person or a question about the roles, a field of work or a kind of job)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np


class Examples:
    def __init__(
        self,
        kinds: Mapping[str, Sequence[str]],
        embed_documents: Callable[[list[str]], np.ndarray],
        embed_query: Callable[[str], np.ndarray],
    ) -> None:
        self._kinds = {kind: tuple(texts) for kind, texts in kinds.items()}
        self._labels = [kind for kind, texts in self._kinds.items() for _ in texts]
        self._embed_documents = embed_documents
        self._embed_query = embed_query
        self._vectors: np.ndarray | None = None

    def closeness(self, text: str) -> dict[str, float]:
        """Per kind, the cosine of the text to that kind's closest example."""
        if self._vectors is None:
            self._vectors = self._embed_documents([t for texts in self._kinds.values() for t in texts])
        scores = self._vectors @ self._embed_query(text)
        out: dict[str, float] = {}
        for label, score in zip(self._labels, scores.tolist(), strict=True):
            out[label] = max(out.get(label, -1.0), score)
        return out
