"""Several server processes: `advisor serve --port P --workers N` runs N `advisor serve` processes on the ports
P, P+1, ..., P+N-1, for a load balancer in front (deploy/nginx.conf lists 7861 and 7862).

One port per process, not N processes on one shared socket: the chat's Gradio session lives in the process that
served its page, and the kernel hands a shared socket's connections to any process, so a chat's queue request and its
result stream could reach two processes (measured: one chat in six failed with two workers on one port). With a port
each, the load balancer keeps a visitor's chat on one process.

Each process is a whole server: it loads the published index, switches to a new generation within
ADVISOR_RELOAD_INTERVAL, and has its own connection guard. This parent only starts them, restarts one that dies
after it had started, and passes SIGTERM / SIGINT on.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from ..errors import ConfigError

log = logging.getLogger("advisor")
# A process that exits sooner than this after its start failed to start (a port in use, a broken index):
# restarting it would only fail again.
STARTUP_SECONDS = 30.0


def check_workers(workers: int, port: int) -> None:
    if workers < 1:
        raise ConfigError(f"--workers takes the number of server processes, 1 or more; got {workers}.")
    if port + workers - 1 > 65535:
        raise ConfigError(
            f"--workers {workers} from port {port} needs ports up to {port + workers - 1}; the last is 65535."
        )


class Workers:
    def __init__(self, host: str, ports: list[int], index_dir: Path, stop_seconds: float) -> None:
        self.host = host
        self.ports = ports
        self.index_dir = index_dir
        self.stop_seconds = stop_seconds
        self.stopping = False
        self.processes: dict[int, tuple[subprocess.Popen[bytes], float]] = {}

    def _start(self, port: int) -> None:
        argv = [sys.executable, "-m", "advisor", "serve", "--host", self.host, "--port", str(port)]
        process = subprocess.Popen([*argv, "--index", str(self.index_dir)], env=os.environ.copy())
        log.info("Started server process %d on port %d", process.pid, port)
        self.processes[port] = (process, time.monotonic())

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        code = 0
        try:
            for port in self.ports:
                self._start(port)
            while not self.stopping:
                for port, (process, started) in list(self.processes.items()):
                    status = process.poll()
                    if status is None or self.stopping:
                        continue
                    if time.monotonic() - started < STARTUP_SECONDS:
                        log.error("The server process on port %d failed to start (exit %d); stopping.", port, status)
                        self.stopping, code = True, 1
                        break
                    log.warning("The server process on port %d exited (%d); starting it again.", port, status)
                    self._start(port)
                time.sleep(0.2)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code

    def _stop_all(self) -> None:
        for process, _ in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_seconds + 5
        for process, _ in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
