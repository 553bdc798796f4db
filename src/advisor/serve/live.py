"""Serving the newest good index generation: an AdvisorHolder that swaps in a new generation without a
restart. Each request takes the current Advisor once and uses only it, so it is answered from exactly one
generation; a swap replaces the reference and never touches an Advisor in use."""

from __future__ import annotations

import logging
import threading

from ..ask import Advisor
from ..indexing import Library

log = logging.getLogger("advisor")


class AdvisorHolder:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        # The pointer is read before loading: a generation published meanwhile is then seen as a change.
        self._pointer = self._read_pointer()
        self._advisor = self._load()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def current(self) -> Advisor:
        return self._advisor

    def reload_if_changed(self) -> bool:
        """Load and swap in the published generation when it changed; True when a new one was swapped in.
        A generation that fails verification is refused (logged) and the one in service stays."""
        pointer = self._read_pointer()
        if pointer == self._pointer:
            return False
        with self._lock:
            if pointer == self._pointer:
                return False
            try:
                advisor = self._load()
            except Exception as exc:  # whatever the failure, keep serving and do not retry it every second
                log.error("Index generation %s refused, still serving %s: %s", pointer, self._advisor.generation, exc)
                self._pointer = pointer
                return False
            self._pointer = pointer
            if advisor.generation == self._advisor.generation:
                return False
            log.info("Serving index generation %s (was %s)", advisor.generation, self._advisor.generation)
            self._advisor = advisor
            return True

    def start_watching(self, interval: float = 1.0) -> None:
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.reload_if_changed()
                except Exception:  # a watcher that dies would silently stop live reload
                    log.exception("Index reload failed")

        self._thread = threading.Thread(target=loop, name="index-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _load(self) -> Advisor:
        return Advisor.load(settings=self.library.settings, embedder=self.library.embedder)

    def _read_pointer(self) -> str | None:
        return self.library.published()
