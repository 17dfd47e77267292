"""``medtwin db start`` says what it waits for: it was silent for the 15-50 s a start takes.

``LocalServer.wait_ready`` tells its ``status`` callback at each refused poll; the CLI passes
``StepProgress.status`` (a line at most every 10 s, on stderr; nothing with ``--json``). The
Bolt probe is replaced: these tests are about the callback, not the server (the real start is
run by every integration session).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, db
from medtwin.errors import GraphStoreUnavailable
from medtwin.settings import Settings
from medtwin.store import connection
from medtwin.store.server import LocalServer


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalServer:
    refusals = iter(range(3))

    def probe(uri: str, user: str, password: str) -> tuple[str, str]:
        if next(refusals, None) is not None:
            raise GraphStoreUnavailable(f"cannot reach {uri}")
        return "5.26.12", "2.13.9"

    monkeypatch.setattr(connection, "probe", probe)
    got = LocalServer(Settings(home=tmp_path, neo4j_password="x" * 12))
    monkeypatch.setattr(got, "pid", lambda: 4242)
    return got


def test_each_refused_poll_is_told_with_the_seconds_waited(server: LocalServer) -> None:
    heard: list[str] = []
    server.wait_ready(status=heard.append)
    assert len(heard) == 3  # the three refusals; none once it answers
    uri = server.settings.neo4j_uri
    assert heard[0].startswith(f"waiting for Neo4j at {uri} to answer (0 s of ")


def test_a_running_server_says_nothing(server: LocalServer, monkeypatch) -> None:
    monkeypatch.setattr(connection, "probe", lambda *_: ("5.26.12", "2.13.9"))
    heard: list[str] = []
    server.wait_ready(status=heard.append)
    assert heard == []


def test_db_start_prints_the_wait_on_stderr_and_json_stays_clean(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def start(*, status=None) -> float:
        server.wait_ready(status=status)
        return 1.0

    monkeypatch.setattr(server, "start", start)
    monkeypatch.setattr(db, "_local", lambda: server)
    got = CliRunner().invoke(cli, ["db", "start"])
    assert got.exit_code == 0, got.output
    assert f"waiting for Neo4j at {server.settings.neo4j_uri} to answer (0 s" in got.stderr
    assert got.stderr.count("waiting for Neo4j") == 1  # one line per 10 s, not one per poll
    monkeypatch.setattr(connection, "probe", lambda *_: ("5.26.12", "2.13.9"))
    assert "waiting" not in CliRunner().invoke(cli, ["db", "start", "--json"]).stderr
