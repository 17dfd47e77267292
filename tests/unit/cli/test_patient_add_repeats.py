"""`patient add`'s input options given twice are usage errors naming them (click kept the last)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import patients
from medtwin.store.memory import MemoryStore


def test_patient_add_refuses_two_de_files(memory_cli, tmp_path: Path) -> None:
    """Before: `patient add P --de a.tsv --de b.tsv` read b.tsv only, without a word."""
    store: MemoryStore = memory_cli({"7124": "TNF", "7157": "TP53"})
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    a.write_text("gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\n")
    b.write_text("gene\tlog2fc\tpadj\nTP53\t2.0\t0.001\n")
    got = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(a), "--de", str(b)])
    assert got.exit_code == 2
    assert "Invalid value for '--de': given 2 times" in got.stderr
    assert not store.patient_exists("P1")
    one = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(a), "--json"])
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["genes"] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--symptoms", "HP:1", "--symptoms", "HP:2"],
        ["--padj-max", "0.1", "--padj-max", "0.2"],
        ["--cell-type-key", "a", "--cell-type-key", "b"],
    ],
)
def test_patient_add_refuses_other_repeats(memory_cli, args: list[str]) -> None:
    memory_cli({"7124": "TNF"})
    got = CliRunner().invoke(patients.patient, ["add", "P1", *args])
    assert got.exit_code == 2
    assert f"Invalid value for '{args[0]}': given 2 times" in got.stderr


def test_add_cohort_refuses_two_expression_matrices(tmp_path: Path) -> None:
    m = tmp_path / "m.tsv"
    m.write_text("gene\ts1\n")
    got = CliRunner().invoke(
        patients.patient,
        ["add-cohort", "--expression", str(m), "--expression", str(m), "--sample-sheet", str(m)],
    )
    assert got.exit_code == 2
    assert "Invalid value for '--expression': given 2 times" in got.stderr
