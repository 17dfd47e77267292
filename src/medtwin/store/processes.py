"""Local processes: whether one runs (patient locks, the server's stop), and starting one detached.

Imports no driver.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

__all__ = ["pid_alive", "spawn_detached"]


def spawn_detached(cmd: list[str], log: Path, env: Mapping[str, str] | None = None) -> int | None:
    """Run ``cmd`` in the background of a shell that exits at once; its pid (``None``: no pid).

    The process is not a child of this one (nothing here must reap it, and no ``Popen`` is left
    to warn when collected); its output is appended to ``log``, stdin is ``/dev/null``. It runs
    in a session of its own, without a controlling terminal: a server started from a terminal
    went down with the terminal's hang-up when that window was closed (found in stop 54), and a
    Ctrl-C of the command that started it reached it too.
    """
    proc = subprocess.run(  # noqa: S603 -- our own command lines (server, CDS dump)
        ["sh", "-c", '"$@" >>"$MEDTWIN_SPAWN_LOG" 2>&1 </dev/null &\necho $!', "sh", *cmd],  # noqa: S607
        capture_output=True,
        text=True,
        env={**(os.environ if env is None else env), "MEDTWIN_SPAWN_LOG": str(log)},
        timeout=60,
        check=False,
        start_new_session=True,
    )
    try:
        return int(proc.stdout.strip())
    except ValueError:
        return None


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
