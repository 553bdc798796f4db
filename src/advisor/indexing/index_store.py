"""The index directory: generations of (FAISS vectors, chunk metadata as JSON, manifest), published by an
atomic rename of a pointer file so that a reader only ever sees a complete generation."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from ..errors import AdvisorError, IndexCorruptError, IndexMissingError
from ..records import Chunk, Fact, Unit
from .faults import checkpoint
from .manifest import FORMAT_VERSION, Manifest

POINTER = "CURRENT"
LOCK = ".build.lock"
GENERATIONS = "generations"
MANIFEST = "manifest.json"
CHUNKS = "chunks.json"
VECTORS = "vectors.faiss"
UNITS = "units.json"
UNIT_VECTORS = "units.npy"
FACTS = "facts.json"


@dataclass(frozen=True)
class StoredIndex:
    path: Path
    manifest: Manifest
    chunks: tuple[Chunk, ...]
    vectors: faiss.Index
    units: tuple[Unit, ...] = ()
    unit_vectors: np.ndarray | None = None  # one row per unit, in unit order
    facts: tuple[Fact, ...] = ()

    @property
    def generation(self) -> str:
        return self.manifest.generation

    def all_vectors(self) -> np.ndarray:
        """A copy of the stored vectors, in chunk order."""
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
        manifest = Manifest.from_dict(json.loads((path / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AdvisorError) as exc:
        raise IndexCorruptError(f"Index generation {path} has no readable manifest ({exc}). {how_to_fix}") from None
    if manifest.format != FORMAT_VERSION:
        raise IndexCorruptError(
            f"Index in {path} has format {manifest.format!r}, this version reads {FORMAT_VERSION}. {how_to_fix}"
        )
    for name, expected in manifest.files.items():
        try:
            actual = _sha256(path / name)
        except OSError:
            raise IndexCorruptError(f"Index file {path / name} is missing. {how_to_fix}") from None
        if actual != expected:
            raise IndexCorruptError(f"Index file {path / name} does not match its checksum. {how_to_fix}")
    try:
        chunks = tuple(Chunk.from_dict(c) for c in json.loads((path / CHUNKS).read_text(encoding="utf-8")))
        vectors = faiss.read_index(str(path / VECTORS))
        units = tuple(Unit.from_dict(u) for u in json.loads((path / UNITS).read_text(encoding="utf-8")))
        unit_vectors = np.load(path / UNIT_VECTORS, allow_pickle=False)
        facts = tuple(Fact.from_dict(f) for f in json.loads((path / FACTS).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexCorruptError(f"Index in {path} cannot be read ({exc}). {how_to_fix}") from None
    dimension = manifest.model.dimension
    per_document = sum(d.chunks for d in manifest.documents)
    if manifest.chunk_count != len(chunks) or per_document != len(chunks):
        raise IndexCorruptError(
            f"Index in {path}: the manifest counts {manifest.chunk_count} chunks ({per_document} by document) but "
            f"the metadata holds {len(chunks)}. {how_to_fix}"
        )
    if vectors.ntotal != len(chunks) or vectors.d != dimension:
        raise IndexCorruptError(
            f"Index in {path} holds {vectors.ntotal} vectors of dimension {vectors.d} for {len(chunks)} chunks "
            f"(manifest: dimension {dimension}). {how_to_fix}"
        )
    if (
        manifest.unit_count != len(units)
        or unit_vectors.shape != (len(units), dimension)
        or manifest.fact_count != len(facts)
    ):
        raise IndexCorruptError(
            f"Index in {path}: the manifest counts {manifest.unit_count} answer units and {manifest.fact_count} "
            f"facts, the files hold {len(units)} units, {unit_vectors.shape[0]} unit vectors and {len(facts)} "
            f"facts. {how_to_fix}"
        )
    return StoredIndex(path, manifest, chunks, vectors, units, unit_vectors, facts)


@dataclass(frozen=True)
class Contents:
    """What a generation holds besides its manifest."""

    chunks: list[Chunk]
    index: faiss.Index
    units: list[Unit]
    unit_vectors: np.ndarray
    facts: list[Fact]


def write(index_dir: Path, contents: Contents, manifest: Manifest, keep: int) -> Path:
    """Write a new generation beside the others, then publish it by swapping the pointer."""
    generations = index_dir / GENERATIONS
    generations.mkdir(parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=generations))
    try:
        faiss.write_index(contents.index, str(staging / VECTORS))
        checkpoint("wrote-vectors")
        _write_text(staging / CHUNKS, json.dumps([c.to_dict() for c in contents.chunks], ensure_ascii=False))
        checkpoint("wrote-chunks")
        _write_text(staging / UNITS, json.dumps([u.to_dict() for u in contents.units], ensure_ascii=False))
        with open(staging / UNIT_VECTORS, "wb") as fh:
            np.save(fh, np.ascontiguousarray(contents.unit_vectors, dtype=np.float32), allow_pickle=False)
            fh.flush()
            os.fsync(fh.fileno())
        _write_text(staging / FACTS, json.dumps([f.to_dict() for f in contents.facts], ensure_ascii=False))
        files = (CHUNKS, VECTORS, UNITS, UNIT_VECTORS, FACTS)
        manifest = manifest.published(name, {n: _sha256(staging / n) for n in files})
        _write_text(staging / MANIFEST, json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False))
        checkpoint("wrote-manifest")
        _fsync_dir(staging)
        final = generations / name
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    checkpoint("before-publish")
    _publish(index_dir, name)
    checkpoint("after-publish")
    _prune(generations, keep=keep, current=name)
    return final


def generation_names(index_dir: Path) -> list[str]:
    """Complete generations, newest first (staging folders start with a dot and are not generations)."""
    folder = index_dir / GENERATIONS
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)


def load_serving(index_dir: Path) -> tuple[StoredIndex, list[str]]:
    """The current generation if it verifies, else the newest earlier one that does; with the reasons each
    refused generation was refused. A reader never gets a broken or mixed generation."""
    current = current_generation(index_dir)
    if current is None and not generation_names(index_dir):
        load(index_dir)  # raises the clear "no index" error
    refused: list[str] = []
    others = [n for n in generation_names(index_dir) if current is None or n != current.name]
    candidates = ([current.name] if current else []) + others
    for name in candidates:
        try:
            return load_generation(index_dir / GENERATIONS / name), refused
        except IndexCorruptError as exc:
            refused.append(str(exc))
    raise IndexCorruptError("No index generation in {} verifies: {}".format(index_dir, " | ".join(refused)))


def rollback(index_dir: Path, wait_seconds: float = 0.0) -> str:
    """Point CURRENT at the newest good generation older than the current one (under the build lock, so that
    no build publishes meanwhile); returns its name."""
    if current_generation(index_dir) is None:
        raise IndexMissingError(f"No index in {index_dir}/ to roll back.")
    with build_lock(index_dir, wait_seconds):
        current = current_generation(index_dir)
        if current is None:
            raise IndexMissingError(f"No index in {index_dir}/ to roll back.")
        older = [n for n in generation_names(index_dir) if n < current.name]
        for name in older:
            try:
                load_generation(index_dir / GENERATIONS / name)
            except IndexCorruptError:
                continue
            _publish(index_dir, name)
            return name
    raise AdvisorError(
        f"No earlier generation to roll back to in {index_dir}/ (kept: {', '.join(generation_names(index_dir))}). "
        "ADVISOR_KEEP_GENERATIONS sets how many are kept."
    )


@contextmanager
def build_lock(index_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """One build at a time per index folder. The lock is an OS file lock: it is released when its process
    ends, even by a crash or SIGKILL, so a dead build never blocks the next one."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the duration of the build
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise AdvisorError(
                        f"Another build of {index_dir}/ is running ({holder}); wait for it to finish "
                        "(or use --wait SECONDS)."
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        fh.flush()
        _clean_staging(index_dir)
        yield
    finally:
        fh.close()


def _clean_staging(index_dir: Path) -> None:
    """Half-written generations of builds that crashed; only ever called under the build lock."""
    folder = index_dir / GENERATIONS
    if folder.is_dir():
        for p in folder.iterdir():
            if p.name.startswith("."):
                shutil.rmtree(p, ignore_errors=True)
    for p in index_dir.glob(f".{POINTER}.*.tmp"):
        p.unlink(missing_ok=True)


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
