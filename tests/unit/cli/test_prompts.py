"""Confirmation prompts are asked on stderr: with ``--json``, stdout is the JSON report only."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients as use_cases
from medtwin.store.memory import MemoryStore


def _one_patient(memory_cli) -> MemoryStore:
    store = memory_cli({"1": "GA"})
    use_cases.add_patient(
        store,
        PatientProfile(
            patient_id="P1",
            changes=(GeneChange(entrez="1", log2fc=1.0),),
            symptoms=(),
            exposures=(),
            metadata={},
            input_checksums={},
            unmapped=(),
        ),
    )
    return store


def test_patient_delete_json_asks_on_stderr(memory_cli) -> None:
    """Before, `patient delete P1 --json` printed the question on stdout, before the JSON."""
    _one_patient(memory_cli)
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "--json"], input="y\n")
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["nodes_deleted"] >= 1
    assert "Delete patient P1 and all their data? [y/N]" in got.stderr


@pytest.mark.parametrize("answer", ["n\n", ""], ids=["no", "stdin at its end"])
def test_patient_delete_refused_is_one_json_error_line(memory_cli, answer) -> None:
    """A "no", or no answer, was click's text `Aborted!` under --json; now an InputError line."""
    _one_patient(memory_cli)
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "--json"], input=answer)
    assert got.exit_code == 1
    assert got.stdout == ""
    assert got.stderr.startswith("Delete patient P1 and all their data? [y/N]")
    assert json.loads(got.stderr.splitlines()[-1]) == {  # a line of its own, after the question
        "error": "InputError",
        "message": "not confirmed: patient P1 kept; pass --yes to delete without asking",
        "hint": None,
    }
    kept = CliRunner().invoke(cli, ["patient", "show", "P1", "--json"])
    assert json.loads(kept.stdout)["id"] == "P1"


def test_patient_delete_refused_in_text_is_one_line(memory_cli) -> None:
    _one_patient(memory_cli)
    got = CliRunner().invoke(cli, ["patient", "delete", "P1"], input="")
    assert got.exit_code == 1
    assert got.stderr.splitlines()[-1] == (
        "InputError: not confirmed: patient P1 kept; pass --yes to delete without asking"
    )
    assert "Aborted" not in got.stderr


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("NOPE", "add one with `medtwin patient add NOPE ...`"),
        ("p1", "did you mean P1? (patient ids are case-sensitive)"),
    ],
)
def test_patient_delete_of_an_unknown_id_asks_nothing(memory_cli, given, hint) -> None:
    """Told at once that there is no such patient (stop 59's CLI probe): before, it asked
    "Delete patient NOPE and all their data? [y/N]" first, and only a "y" learnt it."""
    store = _one_patient(memory_cli)
    got = CliRunner().invoke(cli, ["patient", "delete", given], input="y\n")
    assert got.exit_code == 1
    assert "Delete patient" not in got.stderr
    assert got.stderr.splitlines() == [f"NotFoundError: no patient {given}", f"hint: {hint}"]
    assert [p.id for p in use_cases.list_patients(store)] == ["P1"]


def test_db_restore_asks_on_stderr(tmp_path) -> None:
    """Refused (a user error, not click's `Aborted!`) before any server is touched; `--yes`
    still skips the question."""
    dump = tmp_path / "neo4j.dump"
    dump.write_bytes(b"")
    got = CliRunner().invoke(cli, ["db", "restore", str(dump)], input="n\n")
    assert got.exit_code == 1
    assert got.stdout == ""
    written = time.strftime("%Y-%m-%d %H:%M", time.localtime(dump.stat().st_mtime))
    assert f"Replace the whole database with the backup written {written}? " in got.stderr
    assert "deletions since are applied again and the audit trail is kept). [y/N]" in got.stderr
    assert got.stderr.splitlines()[-1] == (
        "InputError: not confirmed: the database was not replaced; "
        "pass --yes to restore without asking"
    )
    assert "--yes" in CliRunner().invoke(cli, ["db", "restore", "--help"]).stdout
