"""User errors print one line and exit 1 — no traceback."""

from __future__ import annotations

from click.testing import CliRunner

from medtwin.cli import cli


def test_status_of_unreachable_remote_server_is_reported(monkeypatch):
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("MEDTWIN_NEO4J_PASSWORD", "irrelevant-password")
    from medtwin.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "status", "--json"])
    get_settings.cache_clear()
    assert result.exit_code == 3
    assert '"running": false' in result.output


def test_status_text_reads_as_words(monkeypatch):
    """``running: no`` and ``—`` (before: ``running: False``, ``neo4j_version: None``)."""
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("MEDTWIN_NEO4J_PASSWORD", "irrelevant-password")
    from medtwin.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "status"])
    get_settings.cache_clear()
    assert result.exit_code == 3
    assert "       running: no\n" in result.output
    assert "False" not in result.output


def test_db_commands_refuse_remote_uri(monkeypatch):
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    from medtwin.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "stop"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.output.startswith("ServerInstallError: MEDTWIN_NEO4J_URI is neo4j+s://")
    assert "Traceback" not in result.output


def test_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "db" in result.output
