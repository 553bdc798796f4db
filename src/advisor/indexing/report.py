"""What a build did, for the person who ran it: every file indexed or skipped with its reason, and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..records import SkippedFile


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
    units: int = 0  # answer units (sentences and list items) and how many of them were embedded anew
    units_embedded: int = 0
    facts: int = 0

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
            "units": self.units,
            "units_embedded": self.units_embedded,
            "facts": self.facts,
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
                f"Chunks: {self.chunks} ({self.embedded} embedded, {self.reused} re-used); answer units: {self.units} "
                f"({self.units_embedded} embedded); facts: {self.facts}. "
                f"Published generation {self.generation} in {self.index_dir}/ in {self.seconds:.1f} s."
            )
        return "\n".join(lines)
