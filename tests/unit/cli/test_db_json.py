"""`db start|stop|backup|restore --json`: one JSON object on stdout; errors one JSON line on stderr.

Only `db status` had `--json`. The server is replaced (``db._local``): no Java, no database; the
real server's lifecycle is in ``tests/reliability/test_zz_backup.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, db
from medtwin.errors import ServerInstallError
from medtwin.settings import Settings
from medtwin.store.server_lifecycle import ServerStatus


class _Server:
    """What the db commands call of ``LocalServer``, recording the calls."""

    def __init__(self, home: Path, *, running: bool = True) -> None:
        self.settings = Settings(home=home)
        self.root = home / "neo4j"
        self.running = running
        self.calls: list[str] = []

    def start(self, *, status: Callable[[str], None] | None = None, progress: Any = None) -> float:
        self.calls.append("start")
        if status is not None:  # as a server still starting says (test_db_start_status.py)
            status(
                "waiting for Neo4j at bolt://127.0.0.1:7687 to answer "
                "(3 s since the start; gives up at 125 s)"
            )
        self.running = True
        return 12.3456

    def stop(self) -> bool:
        self.calls.append("stop")
        was, self.running = self.running, False
        return was

    def pid(self) -> int | None:
        return 4242 if self.running else None

    def status(self) -> ServerStatus:
        return ServerStatus(
            installed=True, running=self.running, pid=4242 if self.running else None,
            uri="bolt://127.0.0.1:7687", browser_url=None, neo4j_version="5.26.12",
            gds_version="2.13.9", home=str(self.root),
        )  # fmt: skip

    def backup(self, file: Path, *, force: bool, progress: Any = None) -> int:
        if file.exists() and not force:
            raise ServerInstallError(f"{file} exists", hint="pass --force to overwrite it")
        file.write_bytes(b"dump")
        return 4

    def restore(self, file: Path, *, progress: Any = None) -> None:
        self.calls.append("restore")

    def is_installed(self) -> bool:
        return True

    def install(self, *, force: bool, progress: Any = None) -> bool:
        self.calls.append("install")
        if self.settings.home.name == "offline":
            raise ServerInstallError("Maven failed", hint="check the network or MAVEN_OPTS")
        return force


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> _Server:
    got = _Server(tmp_path)
    monkeypatch.setattr(db, "_local", lambda: got)
    # no database to ask for running writes (tests/unit/cli/test_backup_writers.py does)
    monkeypatch.setattr(db, "_refuse_running_writes", lambda: None)
    return got


def _json(args: list[str]) -> Any:
    got = CliRunner().invoke(cli, [*args, "--json"])
    assert got.exit_code == 0, got.output
    assert got.stderr == ""
    return json.loads(got.stdout)  # one object: the whole of stdout


def test_start_json_is_status_with_the_wait(server: _Server, tmp_path: Path) -> None:
    server.running = False
    got = _json(["db", "start"])
    assert server.calls == ["start"]
    assert got == {
        **server.status().as_dict(),  # db status --json's keys and values
        "ready_after_seconds": 12.346,
        "password_file": str(tmp_path / "neo4j-password"),
    }
    assert got["running"] is True


def test_stop_json_says_whether_it_was_running(server: _Server) -> None:
    assert _json(["db", "stop"]) == {
        "running": False, "was_running": True, "home": str(server.root),
    }  # fmt: skip
    assert _json(["db", "stop"])["was_running"] is False  # nothing to stop: still exit 0


def test_backup_and_restore_json_name_the_file(server: _Server, tmp_path: Path) -> None:
    dump = tmp_path / "new" / "x.dump"
    got = _json(["db", "backup", str(dump)])
    assert got.keys() == {"path", "bytes", "seconds"}
    assert (got["path"], got["bytes"]) == (str(dump), 4)
    server.running = False  # no database to keep the audit trail of (test_zz_backup does)
    back = _json(["db", "restore", "--yes", str(dump)])
    assert (back["path"], back["bytes"]) == (str(dump), 4)
    assert (back["audit_kept"], back["audit_events"], back["deleted_again"]) == (False, 0, [])
    assert server.calls == ["restore"]


def test_json_errors_are_one_json_line_on_stderr(server: _Server, tmp_path: Path) -> None:
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"old")
    got = CliRunner().invoke(cli, ["db", "backup", str(dump), "--json"])
    assert got.exit_code == 1
    assert got.stdout == ""
    assert json.loads(got.stderr) == {
        "error": "ServerInstallError", "hint": "pass --force to overwrite it",
        "message": f"{dump} exists",
    }  # fmt: skip
    declined = CliRunner().invoke(cli, ["db", "restore", str(dump), "--json"], input="n\n")
    assert declined.exit_code == 1
    assert declined.stdout == ""
    assert json.loads(declined.stderr.splitlines()[-1])["error"] == "InputError"
    assert server.calls == []  # refused before the server was touched


@pytest.mark.parametrize("kind", ["missing", "folder", "pipe"])
def test_restore_of_no_readable_file_is_the_readers_one_line(
    server: _Server, tmp_path: Path, kind: str
) -> None:
    """The readers' words and exit 1, as ``rank --targets`` and ``patient add`` say them.

    Before, click's ``exists=True`` said ``Invalid value for 'FILE': Path '…' does not exist.``
    (exit 2, click's usage text), and a pipe reached the confirmation's ``stat`` and the restore.
    """
    dump = tmp_path / "x.dump"
    if kind == "folder":
        dump.mkdir()
    elif kind == "pipe":
        os.mkfifo(dump)
    why = {
        "missing": "file not found; check the path",
        "folder": "is a folder, not a file; give the file in it",
        "pipe": "is a pipe or device, not a regular file; save it to a file and give that",
    }[kind]
    got = CliRunner().invoke(cli, ["db", "restore", "--yes", str(dump)])
    assert (got.exit_code, got.output) == (1, f"SourceFormatError: {dump}: {why}\n")
    as_json = CliRunner().invoke(cli, ["db", "restore", str(dump), "--json"])
    assert (as_json.exit_code, as_json.stdout) == (1, "")
    assert json.loads(as_json.stderr) == {
        "error": "SourceFormatError", "hint": None, "message": f"{dump}: {why}",
    }  # fmt: skip
    assert server.calls == []  # refused before the question and the server


def test_text_output_is_unchanged(server: _Server, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "stop"]).stdout == "stopped\n"
    assert runner.invoke(cli, ["db", "stop"]).stdout == "not running\n"
    started = runner.invoke(cli, ["db", "start"]).stdout
    assert started == (
        "Neo4j 5.26.12 + GDS 2.13.9 running at bolt://127.0.0.1:7687 (ready after 12.3 s)\n"
    )


def test_install_json(server: _Server) -> None:
    # Before: `db install` had no --json (`--json` was a usage error).
    got = _json(["db", "install", "--force"])
    assert server.calls == ["install"]
    assert got == {
        "neo4j_version": db.NEO4J_VERSION,
        "gds_version": db.GDS_VERSION,
        "installed_now": True,
        "home": str(server.root),
        "seconds": got["seconds"],
    }
    assert isinstance(got["seconds"], float)


def test_install_error_is_a_json_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "_local", lambda: _Server(tmp_path / "offline"))
    got = CliRunner().invoke(cli, ["db", "install", "--json"])
    assert got.exit_code == 1
    assert got.stdout == ""
    assert json.loads(got.stderr) == {
        "error": "ServerInstallError",
        "message": "Maven failed",
        "hint": "check the network or MAVEN_OPTS",
    }
