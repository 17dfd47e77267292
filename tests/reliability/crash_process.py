"""A :mod:`tests.reliability.crash_worker` process held at a pause point, then killed -9.

Shared by the fault tests (kill at a point, then check what is left) and the cohort concurrency
test (act while the worker is paused, then kill it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def paused(op: str, patient: str, point: str) -> Iterator[subprocess.Popen[str]]:
    """A crash worker alive at ``point`` for the block; killed -9 after."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_worker", op, patient, point],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ.copy(),
    ) as proc:
        try:
            assert proc.stdout is not None
            deadline, line = time.monotonic() + 180, ""
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                if line.startswith("PAUSED") or not line:
                    break
            assert line.startswith(f"PAUSED {point}"), line
            yield proc
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
