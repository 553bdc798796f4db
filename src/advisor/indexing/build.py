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
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from ..config import Settings
from ..errors import AdvisorError
from ..ingest.chunking import chunk_document
from ..ingest.documents import read_folder
from ..records import Chunk, SkippedFile
from . import index_store, vector_index
from .embedding import Embedder
from .faults import checkpoint
from .manifest import DocumentEntry, Manifest, ModelInfo

PROGRESS_MIN_CHUNKS = 64
EMBED_SLICE = 256


@dataclass(frozen=True)
class DocumentReport:
    source: str
    role: str
    chunks: int
    status: str  # new | updated | unchanged | kept (unreadable now; previous version kept)


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[DocumentReport, ...]
    skipped: tuple[SkippedFile, ...]
    removed: tuple[str, ...]
    chunks: int
    embedded: int
    reused: int
    seconds: float
    generation: str | None
    up_to_date: bool
    index_dir: str
    files: int = field(default=0)

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index_dir": self.index_dir,
            "generation": self.generation,
            "up_to_date": self.up_to_date,
            "files": self.files,
            "added": self.count("new"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "kept": self.count("kept"),
            "removed": list(self.removed),
            "documents": [d.__dict__ for d in self.documents],
            "skipped": [s.__dict__ for s in self.skipped],
            "chunks": self.chunks,
            "embedded": self.embedded,
            "reused": self.reused,
            "seconds": round(self.seconds, 3),
        }

    def format(self) -> str:
        lines = [f"Corpus: {self.files} files: {len(self.documents)} indexed, {len(self.skipped)} skipped."]
        for d in self.documents:
            lines.append(f"  indexed  {d.source}  [{d.role}]  {d.chunks} chunks ({d.status})")
        for s in self.skipped:
            lines.append(f"  skipped  {s.source}: {s.reason}")
        for source in self.removed:
            lines.append(f"  removed  {source} (no longer in the corpus)")
        summary = (
            f"Documents: {self.count('new')} added, {self.count('updated')} updated, {len(self.removed)} removed, "
            f"{self.count('unchanged')} unchanged"
        )
        if self.count("kept"):
            summary += f", {self.count('kept')} kept from the previous build (unreadable now)"
        lines.append(summary + ".")
        if self.up_to_date:
            lines.append(f"Index {self.index_dir}/ is up to date (generation {self.generation}); nothing re-embedded.")
        else:
            lines.append(
                f"Chunks: {self.chunks} ({self.embedded} embedded, {self.reused} re-used). "
                f"Published generation {self.generation} in {self.index_dir}/ in {self.seconds:.1f} s."
            )
        return "\n".join(lines)


def build(
    settings: Settings, full: bool = False, embedder: Embedder | None = None, wait_seconds: float = 0.0
) -> BuildReport:
    """Build or update the index; another build of the same index makes this one wait up to wait_seconds,
    then refuse with a clear message."""
    if not settings.corpus_dir.is_dir():
        raise AdvisorError(
            f"Corpus folder {settings.corpus_dir}/ does not exist. Use --corpus DIR or ADVISOR_CORPUS_DIR."
        )
    with index_store.build_lock(settings.index_dir, wait_seconds):
        return _build(settings, full, embedder)


def _build(settings: Settings, full: bool, embedder: Embedder | None) -> BuildReport:
    started = time.perf_counter()
    # Even a full rebuild keeps what it needs of the previous generation: documents that cannot be read now
    # keep their previous version, and removed documents are reported. It only re-embeds everything.
    previous = _previous(settings)
    old_docs = {d.source: d for d in previous.manifest.documents} if previous else {}
    reusable = _reusable(previous, settings) and not full
    known = {s: d.sha256 for s, d in old_docs.items() if d.kept_because is None} if reusable else None
    read = read_folder(settings.corpus_dir, parse_timeout=settings.parse_timeout, known=known)
    parsed = {d.source: d for d in read.documents}
    old_chunks = _chunks_by_source(previous)

    chunks: list[Chunk] = []
    entries: list[DocumentEntry] = []
    statuses: list[DocumentReport] = []
    for source in read.order:
        if source not in parsed:  # unchanged since the previous build: its chunks are re-used as they are
            old = old_docs[source]
            chunks.extend(old_chunks[source])
            entries.append(old)
            statuses.append(DocumentReport(source, old.role, old.chunks, "unchanged"))
            continue
        doc = parsed[source]
        doc_chunks = chunk_document(doc, settings.chunking)
        chunks.extend(doc_chunks)
        entries.append(DocumentEntry(doc.source, doc.role, doc.sha256, len(doc_chunks), doc.aliases, doc.attribution))
        statuses.append(
            DocumentReport(doc.source, doc.role, len(doc_chunks), _status(old_docs.get(doc.source), doc.sha256))
        )
    # A document indexed before that cannot be read now keeps its previous version: a bad edit loses nothing.
    for skipped in read.skipped:
        old = old_docs.get(skipped.source)
        if old is None or previous is None or previous.manifest.chunking != settings.chunking:
            continue
        kept = old_chunks.get(skipped.source, [])
        chunks.extend(kept)
        entries.append(replace(old, chunks=len(kept), kept_because=skipped.reason))
        statuses.append(DocumentReport(skipped.source, old.role, len(kept), "kept"))
    present = {e.source for e in entries}
    removed = tuple(sorted(set(old_docs) - present))
    files = len(read.order) + len(read.skipped)

    # Vectors of the same model run another way (torch, ONNX fp32, INT8) are close but not mixed in one index.
    same_vectors = previous is not None and previous.manifest.model.backend == settings.embed_backend
    if same_vectors and not full and _same_corpus(previous.manifest, entries, settings, len(chunks)):
        return BuildReport(
            tuple(statuses), read.skipped, removed, len(chunks), 0, len(chunks),
            time.perf_counter() - started, previous.generation, True, str(settings.index_dir), files,
        )  # fmt: skip

    cache = _vector_cache(previous) if same_vectors and not full else {}
    keys = [_embed_key(c) for c in chunks]
    kept_sources = {e.source for e in entries if e.kept_because is not None}
    if full and same_vectors and kept_sources:
        # A kept document cannot be re-read, so even a full rebuild carries its vectors over.
        kept_keys = {k for k, c in zip(keys, chunks, strict=True) if c.source in kept_sources}
        cache.update({k: v for k, v in _vector_cache(previous).items() if k in kept_keys})
    missing = [i for i, k in enumerate(keys) if k not in cache]
    dimension = int(previous.vectors.d) if previous is not None and not full else None
    if missing:
        embedder = embedder or Embedder.from_settings(settings)
        dimension = embedder.dimension
        _embed_missing(embedder, [chunks[i].embed_text for i in missing], [keys[i] for i in missing], cache)
    if dimension is None:
        dimension = (embedder or Embedder.from_settings(settings)).dimension
    vectors = np.stack([cache[k] for k in keys]) if chunks else np.zeros((0, dimension), dtype=np.float32)

    index, described = vector_index.build(vectors, int(dimension), settings.hnsw_min_vectors)
    manifest = Manifest(
        model=ModelInfo(settings.model, int(dimension), settings.embed_backend),
        chunking=settings.chunking,
        documents=tuple(entries),
        chunk_count=len(chunks),
        vectors=described,
        skipped=read.skipped,
        embed_keys=tuple(keys),
        reader_digest=reader_digest(),
        settings_digest=settings_digest(settings),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        versions=_versions(),
    )
    path = index_store.write(settings.index_dir, chunks, index, manifest, keep=settings.keep_generations)
    return BuildReport(
        tuple(statuses), read.skipped, removed, len(chunks), len(missing), len(chunks) - len(missing),
        time.perf_counter() - started, path.name, False, str(settings.index_dir), files,
    )  # fmt: skip


def _embed_missing(embedder: Embedder, texts: list[str], keys: list[str], cache: dict[str, np.ndarray]) -> None:
    show = len(texts) >= PROGRESS_MIN_CHUNKS and sys.stderr.isatty()
    with tqdm(total=len(texts), desc="Embedding chunks", unit="chunk", disable=not show) as bar:
        for start in range(0, len(texts), EMBED_SLICE):
            vectors = embedder.embed_documents(texts[start : start + EMBED_SLICE])
            for key, vector in zip(keys[start : start + EMBED_SLICE], vectors, strict=True):
                cache[key] = vector
            bar.update(len(vectors))
            checkpoint("embedding")


@cache
def reader_digest() -> str:
    """Changes when the code that turns files into chunks changes; unchanged files are re-read then."""
    from .. import records
    from ..ingest import chunking, documents
    from ..text import units as text_units

    digest = hashlib.sha256()
    for module in (documents, chunking, text_units, records):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


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
    embedder: Embedder | None = None,
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


def _same_corpus(manifest: Manifest, entries: list[DocumentEntry], settings: Settings, chunks: int) -> bool:
    """Nothing to publish: same documents, same chunking, and the index type the size calls for now."""

    def key(items: Sequence[DocumentEntry]) -> list[tuple[str, str, str]]:
        return [(d.source, d.role, d.sha256) for d in items]

    index_type = vector_index.index_type(chunks, settings.hnsw_min_vectors)
    return (
        key(manifest.documents) == key(entries)
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
