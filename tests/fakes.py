"""A stand-in for the embedding model in unit tests: deterministic vectors, no model to load.

Each text becomes a hashed bag of its word stems, normalized, so texts that share words are close and texts
that share none are orthogonal. That is enough to test what retrieval, answering and conversation do with
vectors; what the real model makes of meaning is tested with the real model (the `embedder` fixture).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from advisor.text.lexical import stem

DIMENSION = 256


class FakeEmbedder:
    model_name = "fake"
    backend = "fake"

    def __init__(self, dimension: int = DIMENSION) -> None:
        self._dimension = dimension
        self.calls = 0

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        self.calls += 1
        return self._vector(text)

    def known_words(self) -> tuple[str, ...]:
        return ()

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float32)
        for word in re.findall(r"[a-z0-9$]+", text.lower()):
            digest = hashlib.blake2b(stem(word).encode(), digest_size=8).digest()
            vector[int.from_bytes(digest[:4], "little") % self._dimension] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            vector[0] = 1.0
            return vector
        return vector / norm
