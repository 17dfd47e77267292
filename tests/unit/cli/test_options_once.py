"""`Once`: a single-valued option given twice is a usage error naming it (click kept the last)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import patients
from medtwin.cli.options import Once
from medtwin.store.memory import MemoryStore


@click.command()
@click.option("--name", cls=Once, help="A name.")
@click.option("--limit", cls=Once, default=0.5, show_default=True, help="A number.")
@click.option("--path", cls=Once, type=click.Path(path_type=Path), required=True, help="A path.")
def _probe(name: str | None, limit: float, path: Path) -> None:
    click.echo(json.dumps({"name": name, "limit": limit, "path": str(path)}))


def test_once_passes_one_value_or_the_default_as_a_plain_option() -> None:
    got = CliRunner().invoke(_probe, ["--path", "a"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == {"name": None, "limit": 0.5, "path": "a"}
    got = CliRunner().invoke(_probe, ["--path", "a", "--name", "x", "--limit", "2"])
    assert json.loads(got.stdout) == {"name": "x", "limit": 2.0, "path": "a"}


def test_once_keeps_type_required_and_help() -> None:
    bad = CliRunner().invoke(_probe, ["--path", "a", "--limit", "many"])
    assert bad.exit_code == 2
    assert "'many' is not a valid float" in bad.stderr
    missing = CliRunner().invoke(_probe, [])
    assert missing.exit_code == 2
    assert "Missing option '--path'" in missing.stderr
    text = CliRunner().invoke(_probe, ["--help"]).stdout
    assert "--limit FLOAT  A number.  [default: 0.5]" in text
    assert "--path PATH    A path.  [required]" in text


def test_once_refuses_a_second_value_naming_the_option() -> None:
    got = CliRunner().invoke(_probe, ["--path", "a", "--name", "x", "--name", "y"])
    assert got.exit_code == 2
    assert got.stdout == ""
    assert "Invalid value for '--name': given 2 times (x, y); give it once" in got.stderr


def test_once_is_for_single_values_only() -> None:
    with pytest.raises(TypeError):
        Once(["--many"], multiple=True)
    with pytest.raises(TypeError):
        Once(["--flag"], is_flag=True)


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
        ["add-cohort", "--expression", str(m), "--expression", str(m), "--samples", str(m)],
    )
    assert got.exit_code == 2
    assert "Invalid value for '--expression': given 2 times" in got.stderr
