"""The index as the faces (the CLI, the web server, app.py) see it: build it, keep building it as the corpus
changes, roll it back, and say which generation is published. Faces call this and Advisor, nothing deeper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import Settings
from . import index_store
from .build import build, watch
from .embedding import Embedder, TextEmbedder
from .report import BuildReport


class Library:
    def __init__(self, settings: Settings, embedder: TextEmbedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder

    @property
    def embedder(self) -> TextEmbedder:
        """One model per process, shared by building and answering (it loads on first use)."""
        if self._embedder is None:
            self._embedder = Embedder.from_settings(self.settings)
        return self._embedder

    def build(self, full: bool = False, wait_seconds: float = 0.0) -> BuildReport:
        """Build or update the index (see indexing.build); waits up to wait_seconds for another build."""
        return build(self.settings, full=full, embedder=self.embedder, wait_seconds=wait_seconds)

    def watch(
        self,
        on_report: Callable[[BuildReport], None],
        on_error: Callable[[Exception], None],
        debounce_ms: int = 1500,
        stop_event: Any = None,
    ) -> None:
        """Rebuild whenever the corpus changes, until stop_event is set (or forever)."""
        watch(self.settings, on_report, on_error, debounce_ms, stop_event, embedder=self.embedder)

    def rollback(self, wait_seconds: float = 0.0) -> str:
        """Publish the previous good generation again; returns its name."""
        return index_store.rollback(self.settings.index_dir, wait_seconds)

    def published(self) -> str | None:
        """The generation the index folder publishes now (None when there is none)."""
        path = index_store.current_generation(self.settings.index_dir)
        return path.name if path else None
