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
from ..ingest.facts import unit_facts
from ..ingest.units import document_units
from ..records import Chunk, Fact, SkippedFile, Unit
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
        return corpus.report(settings, started, previous.generation, set(), up_to_date=True)
    known: dict[str, np.ndarray] = {}
    if previous is not None and same_vectors:
        # A full rebuild re-embeds everything but the kept documents, which cannot be read again.
        known = _vector_cache(previous) if not full else _kept_vectors(previous, corpus)
    dimension = int(previous.vectors.d) if previous is not None and not full else None
    # The model embeds answer units (sentences and list items); a chunk's vector is the mean of its units'
    # vectors. Units are what answers are chosen from, and embedding chunks as well would double the work.
    chunk_keys = [_embed_key(c) for c in corpus.chunks]
    members = _chunk_members(corpus)
    texts = {u.key: u.embed_text for u in corpus.units}
    texts.update({k: c.embed_text for k, c, m in zip(chunk_keys, corpus.chunks, members, strict=True) if not m})
    vectors, embedded = _vectors(settings, texts, known, embedder, dimension)
    for key, unit_keys in zip(chunk_keys, members, strict=True):
        if unit_keys:
            vectors.by_key[key] = _normalized(np.mean([vectors.by_key[k] for k in unit_keys], axis=0))
    generation = _publish(settings, corpus, chunk_keys, vectors)
    fresh = embedded | {k for k in chunk_keys if k not in known}  # derived anew from new unit vectors too
    return corpus.report(settings, started, generation, fresh, up_to_date=False)


@dataclass
class _Corpus:
    """What a build indexes: every document's chunks in corpus order, its manifest entry and its status."""

    files: int
    skipped: tuple[SkippedFile, ...]
    chunks: list[Chunk] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    entries: list[DocumentEntry] = field(default_factory=list)
    documents: list[DocumentReport] = field(default_factory=list)
    removed: tuple[str, ...] = ()

    def add(self, entry: DocumentEntry, parts: _Parts, status: str) -> None:
        self.chunks.extend(parts.chunks)
        self.units.extend(parts.units)
        self.facts.extend(parts.facts)
        self.entries.append(entry)
        self.documents.append(DocumentReport(entry.source, entry.role, entry.chunks, status))

    def report(
        self, settings: Settings, started: float, generation: str, embedded: set[str], up_to_date: bool
    ) -> BuildReport:
        """embedded: the keys of the vectors made anew (units embedded, chunks derived from them)."""
        chunks_embedded = sum(1 for c in self.chunks if _embed_key(c) in embedded)
        return BuildReport(
            documents=tuple(self.documents),
            skipped=self.skipped,
            removed=self.removed,
            chunks=len(self.chunks),
            embedded=chunks_embedded,
            reused=len(self.chunks) - chunks_embedded,
            units=len(self.units),
            units_embedded=sum(1 for u in self.units if u.key in embedded),
            facts=len(self.facts),
            seconds=time.perf_counter() - started,
            generation=generation,
            up_to_date=up_to_date,
            index_dir=str(settings.index_dir),
            files=self.files,
        )


@dataclass(frozen=True)
class _Parts:
    """What a build makes of one document: its chunks, its answer units and the facts they state."""

    chunks: Sequence[Chunk] = ()
    units: Sequence[Unit] = ()
    facts: Sequence[Fact] = ()


def _gather(settings: Settings, previous: index_store.StoredIndex | None, full: bool) -> _Corpus:
    """Reads what changed since the previous generation (everything for a full build) and re-uses the rest."""
    old_docs = {d.source: d for d in previous.manifest.documents} if previous else {}
    reusable = _reusable(previous, settings) and not full
    known = {s: d.sha256 for s, d in old_docs.items() if d.kept_because is None} if reusable else None
    read = read_folder(settings.corpus_dir, parse_timeout=settings.parse_timeout, known=known)
    parsed = {d.source: d for d in read.documents}
    old_parts = _parts_by_source(previous)
    corpus = _Corpus(files=len(read.order) + len(read.skipped), skipped=read.skipped)
    for source in read.order:
        if source not in parsed:  # unchanged since the previous build: what was made of it is re-used as it is
            corpus.add(old_docs[source], old_parts[source], "unchanged")
            continue
        doc = parsed[source]
        chunks = chunk_document(doc, settings.chunking)
        units = document_units(doc, chunks)
        entry = DocumentEntry(doc.source, doc.role, doc.sha256, len(chunks), doc.aliases, doc.attribution)
        corpus.add(entry, _Parts(chunks, units, unit_facts(units)), _status(old_docs.get(source), doc.sha256))
    # A document indexed before that cannot be read now keeps its previous version: a bad edit loses nothing.
    if previous is not None and previous.manifest.chunking == settings.chunking:
        for skipped in read.skipped:
            if skipped.source in old_docs:
                kept = old_parts.get(skipped.source, _Parts())
                entry = replace(old_docs[skipped.source], chunks=len(kept.chunks), kept_because=skipped.reason)
                corpus.add(entry, kept, "kept")
    corpus.removed = tuple(sorted(set(old_docs) - {e.source for e in corpus.entries}))
    return corpus


def _kept_vectors(previous: index_store.StoredIndex, corpus: _Corpus) -> dict[str, np.ndarray]:
    kept = {e.source for e in corpus.entries if e.kept_because is not None}
    if not kept:
        return {}
    wanted = {_embed_key(c) for c in corpus.chunks if c.source in kept}
    wanted |= {u.key for u in corpus.units if u.source in kept}
    return {k: v for k, v in _vector_cache(previous).items() if k in wanted}


@dataclass(frozen=True)
class _Vectors:
    by_key: dict[str, np.ndarray]
    dimension: int

    def matrix(self, keys: Sequence[str]) -> np.ndarray:
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.by_key[k] for k in keys])


def _vectors(
    settings: Settings,
    texts: dict[str, str],
    known: dict[str, np.ndarray],
    embedder: TextEmbedder | None,
    dimension: int | None,
) -> tuple[_Vectors, set[str]]:
    """A vector for every text (by its key): known ones re-used, the rest embedded; and the keys embedded."""
    vectors = dict(known)
    missing = [k for k in texts if k not in vectors]
    if missing or dimension is None:
        model = embedder or Embedder.from_settings(settings)
        dimension = model.dimension
        _embed_missing(model, [texts[k] for k in missing], missing, vectors)
    return _Vectors(vectors, dimension), set(missing)


def _chunk_members(corpus: _Corpus) -> list[list[str]]:
    """For each chunk, the keys of the units that lie inside it (overlapping chunks share some)."""
    by_doc: dict[str, list[Unit]] = {}
    for unit in corpus.units:
        by_doc.setdefault(unit.doc_id, []).append(unit)
    return [[u.key for u in by_doc.get(c.doc_id, ()) if c.start <= u.start and u.end <= c.end] for c in corpus.chunks]


def _normalized(vector: np.ndarray) -> np.ndarray:
    return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)


def _publish(settings: Settings, corpus: _Corpus, chunk_keys: list[str], vectors: _Vectors) -> str:
    """Writes the generation (vectors, chunks, units, facts, manifest) and publishes it; returns its name."""
    matrix = vectors.matrix(chunk_keys)
    index, described = vector_index.build(matrix, vectors.dimension, settings.hnsw_min_vectors)
    manifest = Manifest(
        model=ModelInfo(settings.model, vectors.dimension, settings.embed_backend),
        chunking=settings.chunking,
        documents=tuple(corpus.entries),
        chunk_count=len(corpus.chunks),
        unit_count=len(corpus.units),
        fact_count=len(corpus.facts),
        vectors=described,
        skipped=corpus.skipped,
        embed_keys=tuple(chunk_keys),
        reader_digest=reader_digest(),
        settings_digest=settings_digest(settings),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        versions=_versions(),
    )
    contents = index_store.Contents(
        chunks=corpus.chunks,
        index=index,
        units=corpus.units,
        unit_vectors=vectors.matrix([u.key for u in corpus.units]),
        facts=corpus.facts,
    )
    path = index_store.write(settings.index_dir, contents, manifest, keep=settings.keep_generations)
    return path.name


def _embed_missing(embedder: TextEmbedder, texts: list[str], keys: list[str], cache: dict[str, np.ndarray]) -> None:
    show = len(texts) >= PROGRESS_MIN_CHUNKS and sys.stderr.isatty()
    with tqdm(total=len(texts), desc="Embedding passages", unit="text", disable=not show) as bar:
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


def _parts_by_source(previous: index_store.StoredIndex | None) -> dict[str, _Parts]:
    if previous is None:
        return {}
    chunks: dict[str, list[Chunk]] = {}
    units: dict[str, list[Unit]] = {}
    facts: dict[str, list[Fact]] = {}
    for chunk in previous.chunks:
        chunks.setdefault(chunk.source, []).append(chunk)
    source_of = {}
    for unit in previous.units:
        units.setdefault(unit.source, []).append(unit)
        source_of[unit.id] = unit.source
    for fact in previous.facts:
        facts.setdefault(source_of.get(fact.unit_id, ""), []).append(fact)
    return {s: _Parts(c, units.get(s, []), facts.get(s, [])) for s, c in chunks.items()}


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
    """Nothing to publish: same documents, read and chunked by the same code and settings, and the index type
    the size calls for now. New reading code changes the units (and what they are embedded as) of every file."""

    def key(items: Sequence[DocumentEntry]) -> list[tuple[str, str, str]]:
        return [(d.source, d.role, d.sha256) for d in items]

    index_type = vector_index.index_type(len(corpus.chunks), settings.hnsw_min_vectors)
    return (
        key(manifest.documents) == key(corpus.entries)
        and manifest.reader_digest == reader_digest()
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
    cache = dict(zip(keys, vectors, strict=True))
    if previous.unit_vectors is not None and len(previous.unit_vectors) == len(previous.units):
        cache.update({u.key: v for u, v in zip(previous.units, previous.unit_vectors, strict=True)})
    return cache


def _versions() -> dict[str, str]:
    out = {}
    for name in ("role-advisor", "onnxruntime", "sentence-transformers", "faiss-cpu", "tiktoken", "bm25s", "torch"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out
