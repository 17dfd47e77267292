"""``medtwin db start`` says what it waits for: it was silent for the 15-50 s a start takes.

``LocalServer.wait_ready`` tells its ``status`` callback at each refused poll; the CLI passes
``StepProgress.status`` (a line at most every 10 s, on stderr; nothing with ``--json``). The
Bolt probe is replaced: these tests are about the callback, not the server (the real start is
run by every integration session).
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, db
from medtwin.errors import GraphStoreUnavailable
from medtwin.settings import Settings
from medtwin.store import connection, http, server_install, server_lifecycle
from medtwin.store.server import LocalServer
from medtwin.store.server_install import INSTALL_STEPS


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalServer:
    refusals = iter(range(3))

    def probe(uri: str, user: str, password: str) -> tuple[str, str]:
        if next(refusals, None) is not None:
            raise GraphStoreUnavailable(f"cannot reach {uri}")
        return "5.26.12", "2.13.9"

    monkeypatch.setattr(connection, "probe", probe)
    # `db start` ends with `status()`, whose HTTP probe went to the configured port with this
    # made-up password: under `make test` the real test server's, whose third failed login in a
    # row locks the user for 5 s, failing the server tests on the other worker (stop 60's CI run)
    monkeypatch.setattr(http, "probe_http", lambda *a, **k: ("5.26.12", "2.13.9"))
    got = LocalServer(Settings(home=tmp_path, neo4j_password="x" * 12))
    monkeypatch.setattr(got, "pid", lambda: 4242)
    return got


def test_each_refused_poll_is_told_with_the_seconds_waited(server: LocalServer) -> None:
    heard: list[str] = []
    server.wait_ready(status=heard.append)
    assert len(heard) == 3  # the three refusals; none once it answers
    uri = server.settings.neo4j_uri
    assert heard[0].startswith(f"waiting for Neo4j at {uri} to answer (0 s since the start; ")


def test_a_running_server_says_nothing(server: LocalServer, monkeypatch) -> None:
    monkeypatch.setattr(connection, "probe", lambda *_: ("5.26.12", "2.13.9"))
    heard: list[str] = []
    server.wait_ready(status=heard.append)
    assert heard == []


def test_db_start_prints_the_wait_on_stderr_and_json_stays_clean(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def start(*, status=None, progress=None) -> float:
        server.wait_ready(status=status)
        return 1.0

    monkeypatch.setattr(server, "start", start)
    monkeypatch.setattr(db, "_local", lambda: server)
    got = CliRunner().invoke(cli, ["db", "start"])
    assert got.exit_code == 0, got.output
    assert f"waiting for Neo4j at {server.settings.neo4j_uri} to answer (0 s since" in got.stderr
    assert got.stderr.count("waiting for Neo4j") == 1  # one line per 10 s, not one per poll
    monkeypatch.setattr(connection, "probe", lambda *_: ("5.26.12", "2.13.9"))
    assert "waiting" not in CliRunner().invoke(cli, ["db", "start", "--json"]).stderr


def test_the_wait_counts_from_the_moment_it_is_given(server: LocalServer) -> None:
    # db start's "ready after" counts from the spawn; the status counted from the wait only, so
    # "(100 s of at most 120 s)" then "ready after 147.3 s" (before: "(0 s of at most 120 s)")
    heard: list[str] = []
    server.wait_ready(status=heard.append, since=time.monotonic() - 47)
    limit = server.settings.start_timeout_s + 47
    assert heard[0].endswith(f"(47 s since the start; gives up at {limit:.0f} s)")


def test_start_reports_the_wait_and_the_readiness_from_the_spawn(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]  # a spawn of 47 s, then polls of 1 s (no real sleeping)

    def sleep(seconds: float) -> None:
        clock[0] += 1.0

    def spawn() -> bool:
        clock[0] += 47.0
        return True

    fake_time = SimpleNamespace(monotonic=lambda: clock[0], sleep=sleep)
    monkeypatch.setattr(server_lifecycle, "time", fake_time)
    pids = iter([None])
    monkeypatch.setattr(server, "pid", lambda: next(pids, 4242))
    for name in ("_write_conf", "slim_plugins", "protect_auth_files"):
        monkeypatch.setattr(server, name, lambda: 0)
    monkeypatch.setattr(server, "is_installed", lambda: True)
    monkeypatch.setattr(server, "_spawn_server", spawn)
    heard: list[str] = []
    waited = server.start(status=heard.append)
    assert waited == 50.0  # 47 s spawn + 3 refused polls of 1 s
    # the spawn is said at once, with what the wait waits for (stop 60: before, nothing until
    # the first refused poll, 3-10 s into a start under load)
    uri = server.settings.neo4j_uri
    assert heard[0] == (
        f"started Neo4j {server_install.NEO4J_VERSION} + GDS {server_install.GDS_VERSION} (pid "
        f"4242, heap {server.settings.heap_size}); waiting for Bolt at {uri} and GDS to answer "
        f"(gives up at {server.settings.start_timeout_s:.0f} s)"
    )
    assert [h.partition("(")[2].partition(" s ")[0] for h in heard[1:]] == ["47", "48", "49"]


def test_a_probe_that_blocks_does_not_silence_the_wait(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # once Bolt listens, one probe blocked for 28 s while the database started (measured at load
    # 19): the wait said nothing for those 28 s; now it says it still waits while a probe blocks
    def probe(uri: str, user: str, password: str) -> tuple[str, str]:
        time.sleep(0.6)
        return "5.26.12", "2.13.9"

    monkeypatch.setattr(connection, "probe", probe)
    monkeypatch.setattr(server_lifecycle, "_BLOCKED_S", 0.1)
    heard: list[str] = []
    server.wait_ready(status=heard.append)
    assert len(heard) >= 3, heard  # before: [] (the probe answered in the end; nothing said)
    assert all(h.startswith("waiting for Neo4j at ") for h in heard)


@pytest.fixture
def installer(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A Maven-free install: the two resolves make folders, the jar shuffles do nothing."""
    done: list[str] = []

    def resolve(pom_name: str, build: Path, out: str) -> Path:
        done.append(pom_name)
        (build / out).mkdir(parents=True, exist_ok=True)
        return build / out

    monkeypatch.setattr(server_install, "check_java", lambda: None)
    monkeypatch.setattr(server_install.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(server_install, "copy_plugin_jars", lambda *a: None)
    monkeypatch.setattr(server_install, "slim_plugin_jars", lambda *a: [])
    monkeypatch.setattr(server, "_resolve", resolve)
    for name in ("_write_conf", "slim_plugins", "_set_initial_password", "protect_auth_files"):
        monkeypatch.setattr(server, name, lambda: 0)
    monkeypatch.setattr(server, "pid", lambda: None)
    monkeypatch.setattr(db, "_local", lambda: server)
    return done


def test_install_tells_each_step_as_it_ends(server: LocalServer, installer: list[str]) -> None:
    heard: list[tuple[str, int, int]] = []
    assert server.install(force=True, progress=lambda *a: heard.append(a))
    assert installer == ["neo4j-server.pom.xml", "gds-plugin.pom.xml"]
    # 4 steps: the initial password's neo4j-admin JVM followed the 3rd step's line unannounced
    assert heard == [(step, i, 4) for i, step in enumerate(INSTALL_STEPS, start=1)]
    assert heard[-1][0] == "setting the initial password"
    heard.clear()
    assert not server.install(progress=lambda *a: heard.append(a))  # installed: no steps
    assert heard == []


def test_db_install_prints_a_line_per_step_and_json_stays_clean(
    server: LocalServer, installer: list[str]
) -> None:
    # before: one "installing ... from Maven Central" line (db start only), then ~80 s of nothing
    got = CliRunner().invoke(cli, ["db", "install", "--force"])
    assert got.exit_code == 0, got.output
    lines = got.stderr.splitlines()
    assert "from Maven Central (step 1/4: resolving the Neo4j server jars)" in lines[0]
    assert [line.split(" ", 2)[2].partition(" in ")[0] for line in lines[1:]] == [
        f"install step {i}/4 done: {step}" for i, step in enumerate(INSTALL_STEPS, start=1)
    ]
    assert lines[3].endswith("s; next: setting the initial password")
    assert lines[1].endswith("s; next: resolving the GDS plugin jars")
    quiet = CliRunner().invoke(cli, ["db", "install", "--force", "--json"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""


def test_db_start_prints_the_spawn_line_right_after_the_install_steps(
    server: LocalServer, installer: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a fresh `db start`: the install's 4 step lines, then at once the spawn's (measured before:
    # 17 s of nothing after "install step 3/3 done", the neo4j-admin JVM and the spawn)
    monkeypatch.setattr(server, "is_installed", lambda: False)
    monkeypatch.setattr(server, "_spawn_server", lambda: True)
    pids = iter([None])
    monkeypatch.setattr(server, "pid", lambda: next(pids, 4242))
    got = CliRunner().invoke(cli, ["db", "start"])
    assert got.exit_code == 0, got.output
    lines = [line.split(" ", 2)[2] for line in got.stderr.splitlines()]
    assert lines[4].startswith("install step 4/4 done: setting the initial password")
    assert lines[5].startswith(f"started Neo4j {server_install.NEO4J_VERSION} + GDS ")
    assert len(lines) == 6  # the wait's next line comes 10 s after this one (none here)
