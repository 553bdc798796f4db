"""The index directory: generations of (FAISS vectors, chunk metadata as JSON, manifest), published by an
atomic rename of a pointer file so that a reader only ever sees a complete generation."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from .errors import IndexCorruptError, IndexMissingError
from .records import Chunk

FORMAT_VERSION = 1
POINTER = "CURRENT"
GENERATIONS = "generations"
MANIFEST = "manifest.json"
CHUNKS = "chunks.json"
VECTORS = "vectors.faiss"


@dataclass(frozen=True)
class StoredIndex:
    path: Path
    manifest: dict[str, Any]
    chunks: tuple[Chunk, ...]
    vectors: faiss.Index

    @property
    def generation(self) -> str:
        return str(self.manifest["generation"])

    def all_vectors(self) -> np.ndarray:
        if self.vectors.ntotal == 0:
            return np.zeros((0, self.vectors.d), dtype=np.float32)
        return self.vectors.reconstruct_n(0, self.vectors.ntotal)


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = index_dir / GENERATIONS / name
    return path if name and path.is_dir() else None


def load(index_dir: Path) -> StoredIndex:
    path = current_generation(index_dir)
    if path is None:
        raise IndexMissingError(
            f"No index in {index_dir}/. Build it with: advisor index --corpus CORPUS_DIR --index {index_dir}"
        )
    return load_generation(path)


def load_generation(path: Path) -> StoredIndex:
    how_to_fix = "Rebuild it with: advisor index --full"
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"Index generation {path} has no readable manifest ({exc}). {how_to_fix}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexCorruptError(
            f"Index in {path} has format {manifest.get('format')!r}, this version reads {FORMAT_VERSION}. {how_to_fix}"
        )
    for name, expected in manifest.get("files", {}).items():
        try:
            actual = _sha256(path / name)
        except OSError:
            raise IndexCorruptError(f"Index file {path / name} is missing. {how_to_fix}") from None
        if actual != expected:
            raise IndexCorruptError(f"Index file {path / name} does not match its checksum. {how_to_fix}")
    chunks = tuple(Chunk.from_dict(c) for c in json.loads((path / CHUNKS).read_text(encoding="utf-8")))
    vectors = faiss.read_index(str(path / VECTORS))
    dimension = manifest["model"]["dimension"]
    if vectors.ntotal != len(chunks) or vectors.d != dimension:
        raise IndexCorruptError(
            f"Index in {path} holds {vectors.ntotal} vectors of dimension {vectors.d} for {len(chunks)} chunks "
            f"(manifest: dimension {dimension}). {how_to_fix}"
        )
    return StoredIndex(path=path, manifest=manifest, chunks=chunks, vectors=vectors)


def write(index_dir: Path, chunks: list[Chunk], vectors: np.ndarray, manifest: dict[str, Any], keep: int) -> Path:
    """Write a new generation beside the others, then publish it by swapping the pointer."""
    generations = index_dir / GENERATIONS
    generations.mkdir(parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=generations))
    try:
        index = faiss.IndexFlatIP(int(manifest["model"]["dimension"]))
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(index, str(staging / VECTORS))
        _write_text(staging / CHUNKS, json.dumps([c.to_dict() for c in chunks], ensure_ascii=False))
        manifest = {
            **manifest,
            "format": FORMAT_VERSION,
            "generation": name,
            "files": {n: _sha256(staging / n) for n in (CHUNKS, VECTORS)},
        }
        _write_text(staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        _fsync_dir(staging)
        final = generations / name
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _publish(index_dir, name)
    _prune(generations, keep=keep, current=name)
    return final


def _publish(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".{POINTER}.{os.getpid()}.tmp"
    _write_text(tmp, name + "\n")
    os.replace(tmp, index_dir / POINTER)
    _fsync_dir(index_dir)


def _prune(generations: Path, keep: int, current: str) -> None:
    names = sorted(p.name for p in generations.iterdir() if p.is_dir() and not p.name.startswith("."))
    old = [n for n in names if n != current]
    for name in old[: max(0, len(old) - (keep - 1))]:
        shutil.rmtree(generations / name, ignore_errors=True)


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
