"""`advisor index`: read the corpus, chunk, embed what is new, and publish a new index generation."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import numpy as np

from . import index_store
from .chunking import chunk_document
from .config import Settings
from .documents import read_folder
from .embedding import Embedder
from .errors import AdvisorError
from .records import Chunk, SkippedFile

PROGRESS_MIN_CHUNKS = 64


@dataclass(frozen=True)
class DocumentReport:
    source: str
    role: str
    chunks: int
    status: str  # new | updated | unchanged


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "index_dir": self.index_dir,
            "generation": self.generation,
            "up_to_date": self.up_to_date,
            "files": self.files,
            "documents": [d.__dict__ for d in self.documents],
            "skipped": [s.__dict__ for s in self.skipped],
            "removed": list(self.removed),
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
        if self.up_to_date:
            lines.append(f"Index {self.index_dir}/ is up to date (generation {self.generation}); nothing re-embedded.")
        else:
            lines.append(
                f"Chunks: {self.chunks} ({self.embedded} embedded, {self.reused} re-used). "
                f"Published generation {self.generation} in {self.index_dir}/ in {self.seconds:.1f} s."
            )
        return "\n".join(lines)


def build(settings: Settings, full: bool = False, embedder: Embedder | None = None) -> BuildReport:
    started = time.perf_counter()
    if not settings.corpus_dir.is_dir():
        raise AdvisorError(
            f"Corpus folder {settings.corpus_dir}/ does not exist. Use --corpus DIR or ADVISOR_CORPUS_DIR."
        )
    read = read_folder(settings.corpus_dir)
    chunks: list[Chunk] = []
    per_doc: list[tuple[str, str, str, int]] = []
    for doc in read.documents:
        doc_chunks = chunk_document(doc, settings.chunking)
        chunks.extend(doc_chunks)
        per_doc.append((doc.source, doc.role, doc.sha256, len(doc_chunks)))

    previous = _previous(settings) if not full else None
    old_docs = {d["source"]: d for d in previous.manifest["documents"]} if previous else {}
    statuses = [DocumentReport(src, role, n, _status(old_docs.get(src), sha)) for src, role, sha, n in per_doc]
    removed = tuple(sorted(set(old_docs) - {src for src, *_ in per_doc}))
    files = len(read.documents) + len(read.skipped)
    skipped = read.skipped

    if previous is not None and _same_corpus(previous.manifest, per_doc, settings):
        return BuildReport(
            tuple(statuses),
            skipped,
            removed,
            len(chunks),
            0,
            len(chunks),
            time.perf_counter() - started,
            previous.generation,
            True,
            str(settings.index_dir),
            files,
        )

    embedder = embedder or Embedder(settings.model, settings.embed_batch_size)
    cache = _vector_cache(previous) if previous is not None else {}
    keys = [_embed_key(c) for c in chunks]
    missing = [i for i, k in enumerate(keys) if k not in cache]
    if missing:
        progress = len(missing) >= PROGRESS_MIN_CHUNKS and sys.stderr.isatty()
        fresh = embedder.embed_documents([chunks[i].embed_text for i in missing], progress=progress)
        for i, vector in zip(missing, fresh, strict=True):
            cache[keys[i]] = vector
    dimension = embedder.dimension if missing or not chunks else len(next(iter(cache.values())))
    vectors = np.stack([cache[k] for k in keys]) if chunks else np.zeros((0, dimension), dtype=np.float32)

    manifest = {
        "model": {"name": settings.model, "dimension": int(dimension)},
        "chunking": settings.chunking.to_dict(),
        "documents": [{"source": src, "role": role, "sha256": sha, "chunks": n} for src, role, sha, n in per_doc],
        "skipped": [s.__dict__ for s in skipped],
        "counts": {"documents": len(per_doc), "chunks": len(chunks), "skipped": len(skipped)},
        "embed_keys": keys,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
    }
    path = index_store.write(settings.index_dir, chunks, vectors, manifest, keep=settings.keep_generations)
    return BuildReport(
        tuple(statuses),
        skipped,
        removed,
        len(chunks),
        len(missing),
        len(chunks) - len(missing),
        time.perf_counter() - started,
        path.name,
        False,
        str(settings.index_dir),
        files,
    )


def _previous(settings: Settings) -> index_store.StoredIndex | None:
    """The current generation when its vectors can be re-used; a broken or foreign one is just rebuilt."""
    try:
        stored = index_store.load(settings.index_dir)
    except AdvisorError:
        return None
    if stored.manifest["model"]["name"] != settings.model:
        return None
    return stored


def _same_corpus(manifest: dict[str, Any], per_doc: list[tuple[str, str, str, int]], settings: Settings) -> bool:
    old = [(d["source"], d["role"], d["sha256"]) for d in manifest["documents"]]
    return (
        old == [(src, role, sha) for src, role, sha, _n in per_doc]
        and manifest["chunking"] == settings.chunking.to_dict()
    )


def _status(old: dict[str, Any] | None, sha: str) -> str:
    if old is None:
        return "new"
    return "unchanged" if old["sha256"] == sha else "updated"


def _embed_key(chunk: Chunk) -> str:
    return hashlib.sha256(chunk.embed_text.encode()).hexdigest()


def _vector_cache(previous: index_store.StoredIndex) -> dict[str, np.ndarray]:
    keys = previous.manifest.get("embed_keys", [])
    vectors = previous.all_vectors()
    if len(keys) != len(vectors):
        return {}
    return dict(zip(keys, vectors, strict=True))


def _versions() -> dict[str, str]:
    out = {}
    for name in ("sentence-transformers", "faiss-cpu", "tiktoken", "bm25s", "torch"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out
