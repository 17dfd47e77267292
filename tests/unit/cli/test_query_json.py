"""``medtwin query --json`` lists the library as JSON, and ``--show --json`` gives the Cypher in
JSON (stop 59's CLI probe: both printed their text lines under ``--json``). No database: neither
opens the store."""

from __future__ import annotations

import json

from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.platform.library import LIBRARY


def test_the_list_under_json_is_json() -> None:
    result = CliRunner().invoke(cli, ["query", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [q["name"] for q in listed] == sorted(LIBRARY)
    first = LIBRARY[listed[0]["name"]]
    assert listed[0]["question"] == first.question
    assert listed[0]["params"] == first.params


def test_show_under_json_is_json() -> None:
    name = sorted(LIBRARY)[0]
    result = CliRunner().invoke(cli, ["query", name, "--show", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["name"] == name
    assert "MATCH" in shown["cypher"] or "CALL" in shown["cypher"]
