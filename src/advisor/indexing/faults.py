"""Fault-injection points for the crash tests of the index lifecycle.

`checkpoint(name)` does nothing unless ADVISOR_FAULT_PAUSE names that point: then the process writes the file
named by ADVISOR_FAULT_MARKER and waits there, so that a test can kill it (SIGKILL) at exactly that moment.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def checkpoint(name: str) -> None:
    if os.environ.get("ADVISOR_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("ADVISOR_FAULT_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    while True:  # until the test kills this process
        time.sleep(0.1)
