"""``cohort activities --out F --json``: the summary as one JSON object on stdout.

Before, with ``--out`` the summary was the text line ``N of M patients with activities, …`` on
stderr under ``--json`` too, and stdout was empty: a script had nothing to parse. ``export`` and
``db backup`` with ``--json`` print what they wrote (path, bytes, counts) on stdout. The use
cases are replaced: no database.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, cohort


@pytest.fixture
def replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    from medtwin.platform import cohort_activities, cohort_summary, twin_currency

    def write(store: Any, ids: list[str], fh: Any, *, as_json: bool, **_: Any) -> tuple[int, int]:
        fh.write('{"columns": ["STAT1"], "rows": []}\n' if as_json else "patient_id\tSTAT1\n")
        return 1, 1

    monkeypatch.setattr(cohort, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(cohort, "audit_patients", lambda ids: None)
    monkeypatch.setattr(cohort_summary, "cohort_patients", lambda *_, **__: ["P1", "P2"])
    monkeypatch.setattr(cohort_activities, "write_activity_table", write)
    current = twin_currency.CohortCurrency(("P2",), "1 twin predates its inputs", "2 of 3 loaded")
    monkeypatch.setattr(twin_currency, "cohort_currency", lambda *_, **__: current)


@pytest.mark.usefixtures("replaced")
def test_out_with_json_prints_the_summary_as_json_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "new" / "acts.json"
    got = CliRunner().invoke(cli, ["cohort", "activities", "P1", "P2", "--out", str(out), "--json"])
    assert got.exit_code == 0, got.output
    assert got.stderr == ""  # the notes are keys of the object, not NOTE lines
    assert json.loads(got.stdout) == {  # one object: the whole of stdout
        "path": str(out),
        "bytes": out.stat().st_size,
        "kind": "all",
        "patients": 2,
        "patients_with_activities": 1,
        "regulators": 1,
        "stale_twins": 1,
        "stale_note": "1 twin predates its inputs",
        "completeness_note": "2 of 3 loaded",
    }
    assert json.loads(out.read_text())["columns"] == ["STAT1"]  # the table: in the file


@pytest.mark.usefixtures("replaced")
def test_text_and_the_table_on_stdout_are_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "acts.tsv"
    text = CliRunner().invoke(cli, ["cohort", "activities", "P1", "P2", "--out", str(out)])
    assert (text.exit_code, text.stdout) == (0, "")
    assert text.stderr == (
        f"1 of 2 patients with activities, 1 regulators -> {out}\n"
        "NOTE 1 twin predates its inputs\nNOTE 2 of 3 loaded\n"
    )
    # no --out: the table is stdout's (JSON under --json), the summary stderr's
    table = CliRunner().invoke(cli, ["cohort", "activities", "P1", "P2", "--json"])
    assert json.loads(table.stdout) == {"columns": ["STAT1"], "rows": []}
    assert table.stderr.startswith("1 of 2 patients with activities, 1 regulators\n")
