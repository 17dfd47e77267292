"""A :mod:`tests.reliability.crash_worker` process held at a pause point, then killed -9.

Shared by the fault tests (kill at a point, then check what is left) and the cohort concurrency
tests (act while the worker is paused, then kill it; a second worker that waits for the first).
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


def start(op: str, patient: str, point: str, *more: str) -> subprocess.Popen[str]:
    """A crash worker running ``op`` on ``patient`` to ``point``; its stdout is a pipe.

    ``more``: the op's own arguments (``remove-input``'s input id).
    """
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_worker", op, patient, point, *more],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ.copy(),
    )


def line_starting(proc: subprocess.Popen[str], prefix: str) -> str:
    """The first line of ``proc``'s stdout starting with ``prefix`` (or its last, at its end)."""
    assert proc.stdout is not None
    deadline, line = time.monotonic() + 180, ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(prefix) or not line:
            break
    return line


@contextmanager
def paused(op: str, patient: str, point: str, *more: str) -> Iterator[subprocess.Popen[str]]:
    """A crash worker alive at ``point`` for the block; killed -9 after."""
    with start(op, patient, point, *more) as proc:
        try:
            line = line_starting(proc, "PAUSED")
            assert line.startswith(f"PAUSED {point}"), line
            yield proc
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
