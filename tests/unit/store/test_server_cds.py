"""Class-data sharing of the server JVM: list the classes, dump in the background, then map.

No JVM runs here: the dump is handed to a recording ``spawn``. The real JVM path runs whenever
the test server restarts (``logs/neo4j.log`` shows a refused archive).
"""

from __future__ import annotations

import gc
import os
import select
import warnings
from pathlib import Path

import pytest

from medtwin.store.server_cds import ServerCds, _spawn, usable_class_list

SERVER = ["java", "-cp", "/x/plugins/*:/x/lib/*", "-XX:+UseG1GC", "--add-opens=a/b=C",
          "-Dfile.encoding=UTF-8", "-Xms1g", "-Xmx1g", "org.neo4j.Main"]  # fmt: skip


class Spawned:
    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, cmd: list[str], out: Path) -> int:
        self.commands.append(cmd)
        return os.getpid()  # a live pid: the dump counts as running


def _root(tmp_path: Path) -> Path:
    for sub in ("plugins", "lib"):
        (tmp_path / sub).mkdir()
    (tmp_path / "lib" / "neo4j.jar").write_bytes(b"jar")
    return tmp_path


def test_first_start_lists_classes_next_start_dumps_later_starts_map_the_archive(tmp_path):
    spawned = Spawned()
    cds = ServerCds(_root(tmp_path), spawn=spawned)
    first = cds.command(SERVER)
    listed = next(f for f in first if f.startswith("-XX:DumpLoadedClassList="))
    assert first == [SERVER[0], listed, *SERVER[1:]]
    assert spawned.commands == []
    Path(listed.split("=", 1)[1]).write_text(
        "java/lang/Object\norg/neo4j/A\n@lambda-proxy x\norg/ne"
    )

    assert cds.command(SERVER) == SERVER  # this start runs plain; the dump goes on beside it
    assert spawned.commands == []  # not while the server starts
    cds.dump_pending()  # once it answers
    cds.dump_pending()  # (once)
    (dump,) = spawned.commands
    at = dump.index("-Xshare:dump")
    assert dump[at - 1] == "java"
    assert dump[:3] == ["env", dump[1], dump[2]]
    assert "-XX:+UseG1GC" in dump
    assert "--add-opens=a/b=C" in dump
    assert "-Xmx1g" not in dump
    assert dump[dump.index("-cp") + 1] == SERVER[2]
    classes = next(f for f in dump if f.startswith("-XX:SharedClassListFile=")).split("=", 1)[1]
    assert Path(classes).read_text() == "java/lang/Object\norg/neo4j/A\n"
    assert cds.command(SERVER) == SERVER
    assert len(spawned.commands) == 1

    archive = next(f for f in dump if f.startswith("-XX:SharedArchiveFile=")).split("=", 1)[1]
    Path(archive.removesuffix(".tmp")).write_bytes(b"archive")  # what the dump's mv leaves
    mapped = cds.command(SERVER)
    assert mapped[1] == f"-XX:SharedArchiveFile={archive.removesuffix('.tmp')}"
    assert mapped[2] == "-Xshare:auto"
    assert mapped[3:] == SERVER[1:]


def test_a_changed_jar_starts_over_and_removes_the_old_files(tmp_path):
    root = _root(tmp_path)
    cds = ServerCds(root, spawn=Spawned())
    old = cds.command(SERVER)[1].split("=", 1)[1]
    Path(old).write_text("java/lang/Object\n")
    (root / "lib" / "neo4j.jar").write_bytes(b"a newer jar")
    new = cds.command(SERVER)[1]
    assert new.startswith("-XX:DumpLoadedClassList=")
    assert new.split("=", 1)[1] != old
    assert not Path(old).exists()


def test_a_dump_that_ended_without_an_archive_is_not_retried(tmp_path):
    spawned = Spawned()
    cds = ServerCds(_root(tmp_path), spawn=lambda cmd, out: spawned(cmd, out) and 2**22 + 7)
    listed = cds.command(SERVER)[1].split("=", 1)[1]
    Path(listed).write_text("java/lang/Object\n")
    cds.command(SERVER)
    cds.dump_pending()  # spawns; its pid (2**22 + 7) is not a live process
    for _ in range(2):
        assert cds.command(SERVER) == SERVER
        cds.dump_pending()
    assert len(spawned.commands) == 1


def test_turned_off_or_without_java_the_command_is_unchanged(tmp_path, monkeypatch):
    assert ServerCds(_root(tmp_path), enabled=False).command(SERVER) == SERVER
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert ServerCds(tmp_path).command(SERVER) == SERVER


def test_usable_class_list_keeps_whole_class_lines_only():
    assert usable_class_list("a/B\n@lambda-form-invoker [LF_RESOLVE] x\n# c\nc/D\n") == "a/B\nc/D\n"
    assert usable_class_list("a/B\nc/D") == "a/B\n"
    assert usable_class_list("") == ""


def test_the_dump_runs_detached_from_this_process(tmp_path):
    log = tmp_path / "dump.log"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a running Popen collected here warned in CI
        pid = _spawn(["sh", "-c", "sleep 0.3; echo built"], log)
        gc.collect()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # not this process's child: nothing to reap here
    # Wait for its exit (a pidfd: it is not this process's child), not up to 10 s for the line,
    # which timed a shell's start on a loaded machine; the 120 s only bound a hang.
    try:
        exited = os.pidfd_open(pid)
    except ProcessLookupError:
        pass  # gone (and reaped) already
    else:
        try:
            select.select([exited], [], [], 120)
        finally:
            os.close(exited)
    assert log.read_text() == "built\n"
