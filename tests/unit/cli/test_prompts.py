"""Confirmation prompts are asked on stderr: with ``--json``, stdout is the JSON report only."""

from __future__ import annotations

import json

from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients as use_cases


def _one_patient(memory_cli) -> None:
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


def test_patient_delete_json_asks_on_stderr(memory_cli) -> None:
    """Before, `patient delete P1 --json` printed the question on stdout, before the JSON."""
    _one_patient(memory_cli)
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "--json"], input="y\n")
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["nodes_deleted"] >= 1
    assert "Delete patient P1 and all their data? [y/N]" in got.stderr


def test_patient_delete_refused_prints_nothing_on_stdout(memory_cli) -> None:
    _one_patient(memory_cli)
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "--json"], input="n\n")
    assert got.exit_code == 1
    assert got.stdout == ""
    assert "Aborted" in got.stderr
    kept = CliRunner().invoke(cli, ["patient", "show", "P1", "--json"])
    assert json.loads(kept.stdout)["id"] == "P1"


def test_db_restore_asks_on_stderr(tmp_path) -> None:
    """Refused before any server is touched; `--yes` still skips the question."""
    dump = tmp_path / "neo4j.dump"
    dump.write_bytes(b"")
    got = CliRunner().invoke(cli, ["db", "restore", str(dump)], input="n\n")
    assert got.exit_code == 1
    assert got.stdout == ""
    assert "Replace the whole database with the backup? [y/N]" in got.stderr
    assert "--yes" in CliRunner().invoke(cli, ["db", "restore", "--help"]).stdout
