"""Lock holders: a dead (or zombie) process holds no lock."""

from __future__ import annotations


def test_a_zombie_holds_no_lock():
    import os
    import subprocess
    import sys
    import time

    from medtwin.store.locks import pid_alive

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    for _ in range(100):  # exited but not reaped: a zombie
        with open(f"/proc/{child.pid}/stat") as fh:
            if fh.read().rpartition(")")[2].split()[0] == "Z":
                break
        time.sleep(0.05)
    assert not pid_alive(child.pid)
    assert pid_alive(os.getpid())
    child.wait()
    assert not pid_alive(child.pid)
