"""`medtwin patient remove-input P ID` and `patient show`'s input ids (memory store)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from medtwin.cli import cli

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\n"
PROTEINS = "gene\tlog2ratio\nG5\t1.5\n"


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, ["patient", *args])


def _patient(memory_cli, tmp_path: Path):
    store = memory_cli({"1": "G1", "2": "G2", "5": "G5"})
    (tmp_path / "p1_de.tsv").write_text(DE)
    (tmp_path / "p1_prot.tsv").write_text(PROTEINS)
    got = _run("add", "P1", "--de", str(tmp_path / "p1_de.tsv"))
    assert got.exit_code == 0, got.output
    got = _run("add", "P1", "--proteins", str(tmp_path / "p1_prot.tsv"))
    assert got.exit_code == 0, got.output
    return store


def test_patient_show_lists_each_input_with_its_id(memory_cli, tmp_path: Path) -> None:
    """Before, `patient show` gave the number of inputs only: no id to remove one by."""
    store = _patient(memory_cli, tmp_path)
    ids = [i["id"].split("/")[1] for i in store.twins.inputs("P1")]
    got = _run("show", "P1")
    assert got.exit_code == 0, got.output
    lines = [line.strip() for line in got.stdout.splitlines() if "input " in line]
    assert [line.split()[1] for line in lines] == ids
    assert lines[0].split()[2:4] == ["de", "p1_de.tsv:"]
    assert "2 genes" in lines[0]
    shown = json.loads(_run("show", "P1", "--json").stdout)
    assert [i["id"] for i in shown["input_list"]] == [f"P1/{i}" for i in ids]


def test_remove_input_refuses_an_ambiguous_prefix_naming_the_candidates(
    memory_cli, tmp_path: Path
) -> None:
    """Before, the command did not exist (click: no such command, exit 2)."""
    store = _patient(memory_cli, tmp_path)
    held = store.patients["P1"].inputs
    for old, new in zip(list(held), ("P1/c0ffee00aaaaaaaa", "P1/c0ffee11bbbbbbbb"), strict=True):
        held[new] = {**held.pop(old), "id": new}
    got = _run("remove-input", "P1", "c0ffee")
    assert got.exit_code == 1
    assert "ambiguous" in got.stderr
    assert (
        "c0ffee00aaaaaaaa (de: p1_de.tsv), c0ffee11bbbbbbbb (proteins: p1_prot.tsv)" in got.stderr
    )
    assert "Traceback" not in got.output
    assert len(store.twins.inputs("P1")) == 2
    got = _run("remove-input", "P1", "c0ffee1", "--json")
    assert got.exit_code == 0, got.output
    body = json.loads(got.stdout)
    assert (body["removed"]["id"], body["removed"]["name"]) == (
        "P1/c0ffee11bbbbbbbb",
        "p1_prot.tsv",
    )
    assert body["inputs_left"] == 1
    got = _run("remove-input", "P1", "c0ffee1")  # a second time: no such input, exit 1
    assert got.exit_code == 1
    assert "patient P1 has no such input: 'c0ffee1'" in got.stderr
    got = _run("remove-input", "P1", "c0ffee")
    assert got.exit_code == 0, got.output
    assert got.stdout.startswith("patient P1: removed input c0ffee00aaaaaaaa (de p1_de.tsv: ")
    assert got.stdout.rstrip().endswith("inputs left 0")
