"""``medtwin serve --json``: one JSON line at start-up, no secret; the text banner as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.api.http_protocol import JsonErrorsProtocol
from medtwin.api_keys import new_key
from medtwin.cli import cli, interfaces
from medtwin.settings import Settings
from tests.docs_pages import guide_text


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run recorded instead of run; settings with one key (its secret never shown)."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    return calls


def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, keys: str) -> None:
    s = Settings(home=tmp_path / "home", api_keys=keys, neo4j_password="s3cret-pw")
    monkeypatch.setattr(interfaces, "settings", lambda: s)


def test_json_is_one_line_with_the_banner_s_facts_and_no_secret(served, tmp_path, monkeypatch):
    secret, key = new_key("alice", "read")
    monkeypatch.setenv("MEDTWIN_API_KEYS", key.settings_entry())
    _settings(monkeypatch, tmp_path, key.settings_entry())
    got = CliRunner().invoke(cli, ["serve", "--port", "8014", "--json"])
    assert got.exit_code == 0, got.output
    lines = got.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        "url": "http://127.0.0.1:8014",
        "host": "127.0.0.1",
        "port": 8014,
        "workers": 1,
        "docs": "http://127.0.0.1:8014/docs",
        "viewer": "http://127.0.0.1:8014/v1/patients/{patient_id}/viewer",
        "api_keys": 1,
        "api_keys_from": "environment",
        "warning": None,
    }
    everything = got.stdout + got.stderr
    for hidden in (secret, key.sha256, "s3cret-pw"):
        assert hidden not in everything
    assert "medtwin API on" not in everything  # the text banner is not printed as well
    (kw,) = served
    # stdout holds the line alone: uvicorn's access log (stdout by default) goes to stderr
    assert kw.pop("log_config")["handlers"]["access"]["stream"] == "ext://sys.stderr"
    assert kw.pop("http") is JsonErrorsProtocol  # uvicorn's own refusals in JSON
    assert kw == {"host": "127.0.0.1", "port": 8014, "log_level": "info", "proxy_headers": False}


def test_help_and_readme_name_every_key_of_the_line(served, tmp_path, monkeypatch):
    """Both said "url, host, port, workers, docs, api_keys, api_keys_from": not viewer, warning."""
    import re

    monkeypatch.delenv("MEDTWIN_API_KEYS", raising=False)
    _settings(monkeypatch, tmp_path, "")
    keys = json.loads(CliRunner().invoke(cli, ["serve", "--json"]).stdout)
    help_text = CliRunner().invoke(cli, ["serve", "--help"], terminal_width=400).output
    (line,) = [x for x in guide_text().splitlines() if x.startswith("medtwin serve --json")]
    for text in (re.sub(r"\s+", " ", help_text), line):
        assert [k for k in keys if not re.search(rf"\b{k}\b", text)] == []


def test_json_names_the_env_file_and_the_empty_keys_warning(served, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDTWIN_API_KEYS", raising=False)
    (tmp_path / ".env").write_text("MEDTWIN_API_KEYS=\n", encoding="utf-8")
    _settings(monkeypatch, tmp_path, "")
    got = CliRunner().invoke(cli, ["serve", "--json"])
    assert got.exit_code == 0, got.output
    line = json.loads(got.stdout)
    assert line["api_keys"] == 0
    assert line["api_keys_from"] == str((tmp_path / ".env").resolve())
    assert line["warning"].startswith("MEDTWIN_API_KEYS is empty, so every /v1 route answers 401")


def test_text_banner_unchanged(served, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDTWIN_API_KEYS", raising=False)
    _settings(monkeypatch, tmp_path, "")
    got = CliRunner().invoke(cli, ["serve", "--port", "8014"])
    assert got.exit_code == 0, got.output
    assert got.stdout == ""
    assert got.stderr.splitlines() == [
        "warning: MEDTWIN_API_KEYS is empty, so every /v1 route answers 401; create a key with "
        "`medtwin api-key new NAME --scope write`",
        "medtwin API on http://127.0.0.1:8014 (docs: http://127.0.0.1:8014/docs)",
    ]
    assert served == [  # uvicorn's own logging, as before
        {
            "host": "127.0.0.1",
            "port": 8014,
            "log_level": "info",
            "proxy_headers": False,
            "http": JsonErrorsProtocol,
        }
    ]
