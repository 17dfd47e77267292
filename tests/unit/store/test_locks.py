"""Lock holders: a dead (or zombie) process holds no lock."""

from __future__ import annotations


def test_a_zombie_holds_no_lock():
    import os
    import subprocess
    import sys

    from medtwin.store.locks import pid_alive

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    # Wait for its exit but leave it unreaped: a zombie. (Polling for 5 s instead timed the
    # interpreter's start-up, which a loaded machine can stretch past that.)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    with open(f"/proc/{child.pid}/stat") as fh:
        assert fh.read().rpartition(")")[2].split()[0] == "Z"
    assert not pid_alive(child.pid)
    assert pid_alive(os.getpid())
    child.wait()
    assert not pid_alive(child.pid)
