"""``patient add``, ``patient add-cohort`` and ``rank`` carry the readers' warnings in ``--json``.

The same messages as on stderr (the log), now also in the JSON a script reads; before, the JSON
had no ``warnings`` and a script never learnt that rows were skipped. In-memory store.
"""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, patients, treatment
from medtwin.platform import patients as patients_uc
from medtwin.platform import twins
from medtwin.platform.context import reference_context
from medtwin.platform.models import TwinParams
from medtwin.settings import Settings
from tests.unit.services.conftest import profile, reference_store

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"


def test_patient_add_json_has_the_warnings_of_the_log(memory_cli, tmp_path: Path) -> None:
    memory_cli({"7124": "TNF", "3569": "IL6"})
    de = tmp_path / "p1_de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nTNF\t2\t0.001\nNA\t1\t0.01\nNOPE\t1\t0.01\n")
    got = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(de), "--json"])
    assert got.exit_code == 0, got.output
    said = json.loads(got.stdout)["warnings"]
    assert [w.split(": ")[0] for w in said] == ["p1_de.tsv", "p1_de.tsv"]
    assert "1 row(s) without a gene were skipped (first at line 3: 'NA'" in said[0]
    assert "did not resolve to an Entrez id" in said[1]
    assert said[1].endswith("NOPE")


def test_patient_add_json_without_anything_to_say(memory_cli, tmp_path: Path) -> None:
    memory_cli({"7124": "TNF"})
    de = tmp_path / "p1_de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nTNF\t2\t0.001\n")
    got = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(de), "--json"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["warnings"] == []


def test_add_cohort_json_says_each_warning_once(memory_cli, tmp_path: Path) -> None:
    memory_cli({"1": "GA", "2": "GB", "3": "GC", "4": "GX"})
    table = tmp_path / "expr.tsv"
    table.write_text((DATA / "cohort_expression.tsv").read_text() + "NA\t1\t2\t3\t4\t5\t6\n")
    sheet = DATA / "cohort_samples.tsv"
    args = ["add-cohort", "--expression", str(table), "--sample-sheet", str(sheet)]
    got = CliRunner().invoke(patients.patient, [*args, "--p-max", "1", "--json"])
    assert got.exit_code == 0, got.output
    out = json.loads(got.stdout)
    said = out["warnings"]
    assert len(said) == len(set(said)) == 2, said
    assert said[0].startswith("expr.tsv: 1 row(s) without a gene were skipped")
    # GB is 5.0 in every control: no t for any of the 3 patients (logged after the last one)
    assert said[1] == (
        "expr.tsv: 3 (patient, gene) pair(s) had a zero reference SD and no z; no change given"
    )
    assert all("warnings" not in row for row in out["added"])  # said once, not per patient


def test_rank_targets_json_has_the_warnings_of_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Before, `rank --targets FILE --json` printed the ranking without them (stderr only)."""
    store = reference_store()
    patients_uc.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=2))
    reference_context().clear()
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.setattr(treatment, "settings", lambda: Settings(home=tmp_path / "home"))
    trial = tmp_path / "trial.tsv"
    trial.write_text("drug_id\tgene\taction\nT1\tG1\tinhibitor\nT2\tNOPE\tfrobnicator\n")
    args = ["rank", "P1", "--targets", str(trial), "--samples", "20", "--method", "proximity"]
    got = CliRunner().invoke(cli, [*args, "--json"])
    assert got.exit_code == 0, got.output
    said = json.loads(got.stdout)[0]["warnings"]
    assert [w.split(": ")[0] for w in said] == ["trial.tsv", "trial.tsv"]
    assert "frobnicator" in said[0]
    assert said[1].startswith("trial.tsv: 1 gene(s) did not resolve to a gene in the database")
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == logged  # the same messages as the log (stderr)
    # a loaded source: the same shape, nothing to say (made now, then the stored one reused)
    for _ in range(2):
        plain = CliRunner().invoke(cli, ["rank", "P1", "--samples", "20", "--json"])
        assert plain.exit_code == 0, plain.output
        assert json.loads(plain.stdout)[0]["warnings"] == []


def test_screen_json_has_the_gmt_readers_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Before, `screen --json` listed the gene sets skipped but not the tokens left unresolved."""
    store = reference_store()
    reference_context().clear()
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.setattr(treatment, "settings", lambda: Settings(home=tmp_path / "home"))
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("S1\tna\tG1\tG2\tNOPE\nS2\tna\tG5\n")
    mine = tmp_path / "mine.gmt"  # drug<TAB>name<TAB>genes, read by the same reader
    mine.write_text("T1\ttrial one\tG1\tALSO_NOPE\n")
    args = ["screen", "--gmt", str(gmt), "--samples", "10", "--out", str(tmp_path / "s.tsv")]
    got = CliRunner().invoke(cli, [*args, "--targets", str(mine), "--json"])
    assert got.exit_code == 0, got.output
    said = json.loads(got.stdout)["warnings"]
    assert said == [
        "sets.gmt: 2 gene sets; 1 of 4 gene tokens did not resolve to an Entrez id (kept in "
        "GeneSet.unmapped)",
        "mine.gmt: 1 gene sets; 1 of 2 gene tokens did not resolve to an Entrez id (kept in "
        "GeneSet.unmapped)",
    ]
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == logged
