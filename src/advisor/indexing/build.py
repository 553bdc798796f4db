"""`advisor index`: read the corpus, chunk, embed what is new, and publish a new index generation.

Builds are incremental (vectors of unchanged chunk texts are re-used), serialized by a lock file, and
published atomically. A document that cannot be read now but was indexed before keeps its previous version.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import numpy as np
from tqdm import tqdm

from ..config import Settings
from ..errors import AdvisorError
from ..ingest import READER_VERSION
from ..ingest.chunking import chunk_document
from ..ingest.documents import read_folder
from ..records import Chunk, SkippedFile
from . import index_store, vector_index
from .embedding import Embedder, TextEmbedder
from .faults import checkpoint
from .manifest import DocumentEntry, Manifest, ModelInfo
from .report import BuildReport, DocumentReport

PROGRESS_MIN_CHUNKS = 64
EMBED_SLICE = 256


def build(
    settings: Settings, full: bool = False, embedder: TextEmbedder | None = None, wait_seconds: float = 0.0
) -> BuildReport:
    """Build or update the index; another build of the same index makes this one wait up to wait_seconds,
    then refuse with a clear message."""
    if not settings.corpus_dir.is_dir():
        raise AdvisorError(
            f"Corpus folder {settings.corpus_dir}/ does not exist. Use --corpus DIR or ADVISOR_CORPUS_DIR."
        )
    with index_store.build_lock(settings.index_dir, wait_seconds):
        return _build(settings, full, embedder)


def _build(settings: Settings, full: bool, embedder: TextEmbedder | None) -> BuildReport:
    started = time.perf_counter()
    # Even a full rebuild keeps what it needs of the previous generation: documents that cannot be read now
    # keep their previous version, and removed documents are reported. It only re-embeds everything.
    previous = _previous(settings)
    corpus = _gather(settings, previous, full)
    # Vectors of the same model run another way (torch, ONNX fp32, INT8) are close but not mixed in one index.
    same_vectors = previous is not None and previous.manifest.model.backend == settings.embed_backend
    if previous is not None and same_vectors and not full and _same_corpus(previous.manifest, corpus, settings):
        return corpus.report(settings, started, previous.generation, embedded=0, up_to_date=True)
    known: dict[str, np.ndarray] = {}
    if previous is not None and same_vectors:
        # A full rebuild re-embeds everything but the kept documents, which cannot be read again.
        known = _vector_cache(previous) if not full else _kept_vectors(previous, corpus)
    dimension = int(previous.vectors.d) if previous is not None and not full else None
    keys, vectors, embedded = _vectors(settings, corpus.chunks, known, embedder, dimension)
    generation = _publish(settings, corpus, keys, vectors)
    return corpus.report(settings, started, generation, embedded, up_to_date=False)


@dataclass
class _Corpus:
    """What a build indexes: every document's chunks in corpus order, its manifest entry and its status."""

    files: int
    skipped: tuple[SkippedFile, ...]
    chunks: list[Chunk] = field(default_factory=list)
    entries: list[DocumentEntry] = field(default_factory=list)
    documents: list[DocumentReport] = field(default_factory=list)
    removed: tuple[str, ...] = ()

    def add(self, entry: DocumentEntry, chunks: Sequence[Chunk], status: str) -> None:
        self.chunks.extend(chunks)
        self.entries.append(entry)
        self.documents.append(DocumentReport(entry.source, entry.role, entry.chunks, status))

    def report(
        self, settings: Settings, started: float, generation: str, embedded: int, up_to_date: bool
    ) -> BuildReport:
        return BuildReport(
            documents=tuple(self.documents),
            skipped=self.skipped,
            removed=self.removed,
            chunks=len(self.chunks),
            embedded=embedded,
            reused=len(self.chunks) - embedded,
            seconds=time.perf_counter() - started,
            generation=generation,
            up_to_date=up_to_date,
            index_dir=str(settings.index_dir),
            files=self.files,
        )


def _gather(settings: Settings, previous: index_store.StoredIndex | None, full: bool) -> _Corpus:
    """Reads what changed since the previous generation (everything for a full build) and re-uses the rest."""
    old_docs = {d.source: d for d in previous.manifest.documents} if previous else {}
    reusable = _reusable(previous, settings) and not full
    known = {s: d.sha256 for s, d in old_docs.items() if d.kept_because is None} if reusable else None
    read = read_folder(settings.corpus_dir, parse_timeout=settings.parse_timeout, known=known)
    parsed = {d.source: d for d in read.documents}
    old_chunks = _chunks_by_source(previous)
    corpus = _Corpus(files=len(read.order) + len(read.skipped), skipped=read.skipped)
    for source in read.order:
        if source not in parsed:  # unchanged since the previous build: its chunks are re-used as they are
            corpus.add(old_docs[source], old_chunks[source], "unchanged")
            continue
        doc = parsed[source]
        chunks = chunk_document(doc, settings.chunking)
        entry = DocumentEntry(doc.source, doc.role, doc.sha256, len(chunks), doc.aliases, doc.attribution)
        corpus.add(entry, chunks, _status(old_docs.get(source), doc.sha256))
    # A document indexed before that cannot be read now keeps its previous version: a bad edit loses nothing.
    if previous is not None and previous.manifest.chunking == settings.chunking:
        for skipped in read.skipped:
            if skipped.source in old_docs:
                kept = old_chunks.get(skipped.source, [])
                entry = replace(old_docs[skipped.source], chunks=len(kept), kept_because=skipped.reason)
                corpus.add(entry, kept, "kept")
    corpus.removed = tuple(sorted(set(old_docs) - {e.source for e in corpus.entries}))
    return corpus


def _kept_vectors(previous: index_store.StoredIndex, corpus: _Corpus) -> dict[str, np.ndarray]:
    kept = {e.source for e in corpus.entries if e.kept_because is not None}
    if not kept:
        return {}
    wanted = {_embed_key(c) for c in corpus.chunks if c.source in kept}
    return {k: v for k, v in _vector_cache(previous).items() if k in wanted}


def _vectors(
    settings: Settings,
    chunks: list[Chunk],
    known: dict[str, np.ndarray],
    embedder: TextEmbedder | None,
    dimension: int | None,
) -> tuple[list[str], np.ndarray, int]:
    """Every chunk's embedding key and vector (known ones re-used, the rest embedded) and how many were new."""
    keys = [_embed_key(c) for c in chunks]
    vectors = dict(known)
    missing = [i for i, k in enumerate(keys) if k not in vectors]
    if missing or dimension is None:
        model = embedder or Embedder.from_settings(settings)
        dimension = model.dimension
        _embed_missing(model, [chunks[i].embed_text for i in missing], [keys[i] for i in missing], vectors)
    matrix = np.stack([vectors[k] for k in keys]) if chunks else np.zeros((0, dimension), dtype=np.float32)
    return keys, matrix, len(missing)


def _publish(settings: Settings, corpus: _Corpus, keys: list[str], vectors: np.ndarray) -> str:
    """Writes the generation (vectors, chunks, manifest) and publishes it; returns its name."""
    dimension = int(vectors.shape[1])
    index, described = vector_index.build(vectors, dimension, settings.hnsw_min_vectors)
    manifest = Manifest(
        model=ModelInfo(settings.model, dimension, settings.embed_backend),
        chunking=settings.chunking,
        documents=tuple(corpus.entries),
        chunk_count=len(corpus.chunks),
        vectors=described,
        skipped=corpus.skipped,
        embed_keys=tuple(keys),
        reader_digest=reader_digest(),
        settings_digest=settings_digest(settings),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        versions=_versions(),
    )
    path = index_store.write(settings.index_dir, corpus.chunks, index, manifest, keep=settings.keep_generations)
    return path.name


def _embed_missing(embedder: TextEmbedder, texts: list[str], keys: list[str], cache: dict[str, np.ndarray]) -> None:
    show = len(texts) >= PROGRESS_MIN_CHUNKS and sys.stderr.isatty()
    with tqdm(total=len(texts), desc="Embedding chunks", unit="chunk", disable=not show) as bar:
        for start in range(0, len(texts), EMBED_SLICE):
            vectors = embedder.embed_documents(texts[start : start + EMBED_SLICE])
            for key, vector in zip(keys[start : start + EMBED_SLICE], vectors, strict=True):
                cache[key] = vector
            bar.update(len(vectors))
            checkpoint("embedding")


def reader_digest() -> str:
    """Which reading and chunking code a generation's chunks come from; unchanged files are re-read when it differs."""
    return f"reader-v{READER_VERSION}"


def _reusable(previous: index_store.StoredIndex | None, settings: Settings) -> bool:
    """Whether the previous generation's chunks of an unchanged file are what reading it again would give."""
    return (
        previous is not None
        and previous.manifest.reader_digest == reader_digest()
        and previous.manifest.chunking == settings.chunking
    )


def _chunks_by_source(previous: index_store.StoredIndex | None) -> dict[str, list[Chunk]]:
    out: dict[str, list[Chunk]] = {}
    for chunk in previous.chunks if previous else ():
        out.setdefault(chunk.source, []).append(chunk)
    return out


def settings_digest(settings: Settings) -> str:
    """What makes vectors comparable: the model, how it runs and the chunking settings."""
    data = f"{settings.model}\x1f{settings.embed_backend}\x1f{sorted(settings.chunking.to_dict().items())}"
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def watch(
    settings: Settings,
    on_report: Callable[[BuildReport], None],
    on_error: Callable[[Exception], None],
    debounce_ms: int = 1500,
    stop_event: Any = None,
    embedder: TextEmbedder | None = None,
) -> None:
    """Rebuild whenever files in the corpus change (changes within debounce_ms are taken together)."""
    from watchfiles import watch as watch_changes

    embedder = embedder or Embedder.from_settings(settings)
    for _changes in watch_changes(settings.corpus_dir, debounce=debounce_ms, stop_event=stop_event):
        try:
            on_report(build(settings, embedder=embedder, wait_seconds=60))
        except Exception as exc:  # a watcher must survive any failed build and try again on the next change
            on_error(exc)


def _previous(settings: Settings) -> index_store.StoredIndex | None:
    """The serving generation when it was built with this model; a broken or foreign one is just rebuilt."""
    try:
        stored, _refused = index_store.load_serving(settings.index_dir)
    except AdvisorError:
        return None
    return stored if stored.manifest.model.name == settings.model else None


def _same_corpus(manifest: Manifest, corpus: _Corpus, settings: Settings) -> bool:
    """Nothing to publish: same documents, same chunking, and the index type the size calls for now."""

    def key(items: Sequence[DocumentEntry]) -> list[tuple[str, str, str]]:
        return [(d.source, d.role, d.sha256) for d in items]

    index_type = vector_index.index_type(len(corpus.chunks), settings.hnsw_min_vectors)
    return (
        key(manifest.documents) == key(corpus.entries)
        and manifest.chunking == settings.chunking
        and manifest.vectors.type == index_type
    )


def _status(old: DocumentEntry | None, sha: str) -> str:
    if old is None:
        return "new"
    return "unchanged" if old.sha256 == sha else "updated"


def _embed_key(chunk: Chunk) -> str:
    return hashlib.sha256(chunk.embed_text.encode()).hexdigest()


def _vector_cache(previous: index_store.StoredIndex) -> dict[str, np.ndarray]:
    keys = previous.manifest.embed_keys
    vectors = previous.all_vectors()
    if len(keys) != len(vectors):
        return {}
    return dict(zip(keys, vectors, strict=True))


def _versions() -> dict[str, str]:
    out = {}
    for name in ("role-advisor", "onnxruntime", "sentence-transformers", "faiss-cpu", "tiktoken", "bm25s", "torch"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out
