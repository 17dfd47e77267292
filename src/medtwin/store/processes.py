"""Whether a local process runs (patient locks, the server's stop); imports no driver."""

from __future__ import annotations

import os

__all__ = ["pid_alive"]


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this host (signal 0 delivered or refused)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    # A process killed with -9 whose parent died too stays a zombie until something reaps it
    # (in a container PID 1 often never does); os.kill(pid, 0) still succeeds for it, yet it
    # holds nothing and never will.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False
