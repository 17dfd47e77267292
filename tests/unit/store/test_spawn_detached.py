"""A detached process (the Neo4j server) lives in its own session, away from the terminal.

Before stop 54 it shared the session of the command that started it: closing the terminal a
`medtwin db start` ran in sent the server the terminal's hang-up and it stopped (seen in neo4j.log
after a `db backup` run in a `script` terminal).
"""

from __future__ import annotations

import os
import signal
import time

from medtwin.store.processes import pid_alive, spawn_detached


def test_the_spawned_process_has_a_session_of_its_own(tmp_path):
    pid = spawn_detached(["sleep", "30"], tmp_path / "spawn.log")
    assert pid is not None
    try:
        assert os.getsid(pid) != os.getsid(0)  # the shell called setsid before it forked
    finally:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
