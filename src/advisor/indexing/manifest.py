"""The manifest of an index generation: what was built, from what, and how, as one typed record.

It is written as `manifest.json` beside the vectors, chunks, answer units and facts, and read back by the
loader (to verify the generation), the builder (to re-use what did not change) and the Advisor (aliases,
attribution, and whether the configuration still matches).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..config import ChunkSettings
from ..records import SkippedFile

# 2: answer units (their vectors) and facts are part of a generation.
FORMAT_VERSION = 2


@dataclass(frozen=True)
class ModelInfo:
    name: str
    dimension: int
    backend: str = "torch"  # generations built before the backend was recorded were embedded with torch


@dataclass(frozen=True)
class DocumentEntry:
    source: str
    role: str
    sha256: str
    chunks: int
    aliases: tuple[str, ...] = ()
    attribution: str | None = None
    kept_because: str | None = None  # unreadable at the last build; its previous version was kept

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "role": self.role, "sha256": self.sha256, "chunks": self.chunks}
        if self.aliases:
            data["aliases"] = list(self.aliases)
        if self.attribution:
            data["attribution"] = self.attribution
        if self.kept_because:
            data["kept_because"] = self.kept_because
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentEntry:
        return cls(
            source=str(data["source"]),
            role=str(data["role"]),
            sha256=str(data["sha256"]),
            chunks=int(data["chunks"]),
            aliases=tuple(data.get("aliases", ())),
            attribution=data.get("attribution"),
            kept_because=data.get("kept_because"),
        )


@dataclass(frozen=True)
class VectorIndexInfo:
    type: str  # "flat" or "hnsw"
    m: int | None = None
    ef_construction: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Manifest:
    model: ModelInfo
    chunking: ChunkSettings
    documents: tuple[DocumentEntry, ...]
    chunk_count: int
    unit_count: int = 0
    fact_count: int = 0
    vectors: VectorIndexInfo = field(default_factory=lambda: VectorIndexInfo("flat"))
    skipped: tuple[SkippedFile, ...] = ()
    embed_keys: tuple[str, ...] = ()  # per chunk, the hash of the text its vector was made from
    reader_digest: str | None = None
    settings_digest: str | None = None
    built_at: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    # Set when the generation is written:
    format: int = FORMAT_VERSION
    generation: str = ""
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256

    def published(self, generation: str, files: dict[str, str]) -> Manifest:
        return replace(self, format=FORMAT_VERSION, generation=generation, files=files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": asdict(self.model),
            "chunking": self.chunking.to_dict(),
            "settings_digest": self.settings_digest,
            "documents": [d.to_dict() for d in self.documents],
            "skipped": [asdict(s) for s in self.skipped],
            "counts": {
                "documents": len(self.documents),
                "chunks": self.chunk_count,
                "units": self.unit_count,
                "facts": self.fact_count,
                "skipped": len(self.skipped),
            },
            "embed_keys": list(self.embed_keys),
            "reader_digest": self.reader_digest,
            "built_at": self.built_at,
            "versions": dict(self.versions),
            "vectors": self.vectors.to_dict(),
            "format": self.format,
            "generation": self.generation,
            "files": dict(self.files),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Raises KeyError, TypeError or ValueError on a manifest that is not one."""
        model = data["model"]
        return cls(
            model=ModelInfo(str(model["name"]), int(model["dimension"]), str(model.get("backend", "torch"))),
            chunking=ChunkSettings(**data["chunking"]),
            documents=tuple(DocumentEntry.from_dict(d) for d in data.get("documents", [])),
            chunk_count=int(data.get("counts", {}).get("chunks", -1)),
            unit_count=int(data.get("counts", {}).get("units", 0)),
            fact_count=int(data.get("counts", {}).get("facts", 0)),
            vectors=VectorIndexInfo(**data.get("vectors", {"type": "flat"})),
            skipped=tuple(SkippedFile(**s) for s in data.get("skipped", [])),
            embed_keys=tuple(data.get("embed_keys", ())),
            reader_digest=data.get("reader_digest"),
            settings_digest=data.get("settings_digest"),
            built_at=str(data.get("built_at", "")),
            versions=dict(data.get("versions", {})),
            format=data.get("format", 0),
            generation=str(data.get("generation", "")),
            files=dict(data.get("files", {})),
        )
