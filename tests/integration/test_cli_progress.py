"""Progress of long CLI commands on the real server: a line per step off a terminal, none with
--json, and the platform's progress callbacks count every item."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients
from medtwin.platform.screen import SkippedGeneSetsWarning

pytestmark = pytest.mark.neo4j


def _steps(stderr: str) -> list[str]:
    """Progress lines without their time stamp."""
    return [
        m.group(1)
        for line in stderr.splitlines()
        if (m := re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (.+) \(\d+\.\d s\)$", line))
    ]


@pytest.fixture
def two_patients(tiny_reference: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    from medtwin.settings import get_settings

    store, _ = tiny_reference
    for pid, genes in (("CP1", range(1, 15)), ("CP2", range(41, 55))):
        patients.add_patient(
            store,
            PatientProfile(
                patient_id=pid,
                changes=tuple(GeneChange(entrez=str(i), log2fc=2.0) for i in genes),
                symptoms=(),
                exposures=(),
                metadata={},
                input_checksums={},
                unmapped=(),
            ),
        )
    password = _password()  # of the test server, read before its home is moved
    monkeypatch.setenv("MEDTWIN_NEO4J_PASSWORD", password)
    monkeypatch.setenv("MEDTWIN_HOME", str(tmp_path / "home"))  # own caches, same server
    get_settings.cache_clear()
    yield store
    get_settings.cache_clear()


def _password() -> str:
    from medtwin.settings import Settings
    from medtwin.store.connection import password_for

    return password_for(Settings())


def test_twin_build_and_rank_report_each_patient(two_patients: Any):
    runner = CliRunner()
    build = ["twin", "build", "CP1", "CP2", "--module-samples", "20", "--expand", "0"]
    result = runner.invoke(cli, build)
    assert result.exit_code == 0, result.output
    assert _steps(result.stderr) == ["twins 1/2", "twins 2/2"]
    assert "CP1" in result.stdout

    result = runner.invoke(cli, ["rank", "CP1", "CP2", "--samples", "30", "--top", "2"])
    assert result.exit_code == 0, result.output
    assert _steps(result.stderr) == ["rankings 1/2", "rankings 2/2"]
    assert result.stdout.count("Ranking ") == 2


def test_json_output_has_no_progress(two_patients: Any):
    runner = CliRunner()
    build = ["twin", "build", "--all", "--module-samples", "20", "--expand", "0", "--json"]
    result = runner.invoke(cli, build)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert {t["patient_id"] for t in json.loads(result.stdout)} == {"CP1", "CP2"}
    result = runner.invoke(cli, ["rank", "--all", "--samples", "30", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert len(json.loads(result.stdout)) == 2


def test_screen_reports_each_gene_set(two_patients: Any, tmp_path: Any):
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("A\tfirst cluster\t2\t3\t4\nB\tthird cluster\t45\t50\nC\tnone\t99999\n")
    out = tmp_path / "screen.tsv"
    args = ["screen", "--gmt", str(gmt), "--targets", "drugbank", "--samples", "30"]
    with warnings.catch_warnings(record=True) as python_warnings:
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    # C has no gene in the network: the command names it once, without the Python warning (its
    # text and source line were printed above that line; the warning is for Python callers)
    assert "skipped gene set C: no gene in the interactome" in result.stderr
    assert not [w for w in python_warnings if issubclass(w.category, SkippedGeneSetsWarning)]
    assert _steps(result.stderr) == ["gene sets 1/3", "gene sets 2/3", "gene sets 3/3"]
    assert out.exists()


def test_explain_prints_numbers_for_reading(two_patients: Any):
    """Rounded scores, yes/no and — (before: raw floats such as z 1.9618623379600528, True and
    None); --json keeps the full values."""
    runner = CliRunner()
    build = ["twin", "build", "CP1", "--module-samples", "20", "--expand", "0"]
    assert runner.invoke(cli, build).exit_code == 0
    ranked = runner.invoke(cli, ["rank", "CP1", "--samples", "30", "--top", "1", "--json"])
    assert ranked.exit_code == 0, ranked.output
    drug = json.loads(ranked.stdout)[0]["drugs"][0]
    result = runner.invoke(cli, ["explain", "CP1", drug["drug_id"]])
    assert result.exit_code == 0, result.output
    score = next(x for x in result.stdout.splitlines() if x.startswith("  rank "))
    z = re.search(r" z (\S+) ", score)
    assert z is not None
    assert z.group(1) == "—" if drug["z"] is None else z.group(1) == f"{drug['z']:+.2f}"
    targets = [x for x in result.stdout.splitlines() if x.startswith("  target ")]
    assert targets
    assert all(
        re.search(r"in twin (yes|no)  in module (yes|no)  log2fc (—|[+-]\d+\.\d\d)", t)
        for t in targets
    )
    assert "None" not in result.stdout
    assert "True" not in result.stdout
    assert "False" not in result.stdout
    full = json.loads(runner.invoke(cli, ["explain", "CP1", drug["drug_id"], "--json"]).stdout)
    assert full["score"]["z"] == drug["z"]
    # a "target" line is a target the ranking used, never an enzyme or transporter
    roles = {t["symbol"] or t["entrez"]: t["role"] for t in full["targets"]}
    assert all(roles[t.split()[1]] == "target" for t in targets)
    assert len(targets) == list(roles.values()).count("target")
    # the same "placed by" words as `rank` prints for the drug (the stored ranking is reused)
    table = runner.invoke(cli, ["rank", "CP1", "--samples", "30", "--top", "1"]).stdout
    placed = next(x.strip() for x in table.splitlines() if x.strip().startswith("placed by: "))
    assert f"  {placed}\n" in result.stdout
    assert full["placed_by"] == placed.removeprefix("placed by: ")


def test_twin_diff_prints_numbers_for_reading(two_patients: Any):
    """Before: ``inputs changed: False`` and ``z -0.5699077732723081 → …``."""
    runner = CliRunner()
    build = ["twin", "build", "CP1", "--module-samples", "20", "--expand", "0"]
    assert runner.invoke(cli, build).exit_code == 0
    assert runner.invoke(cli, [*build, "--seed-fdr", "0.5"]).exit_code == 0
    result = runner.invoke(cli, ["twin", "diff", "CP1", "--from", "1", "--to", "2"])
    assert result.exit_code == 0, result.output
    full = json.loads(
        runner.invoke(cli, ["twin", "diff", "CP1", "--from", "1", "--to", "2", "--json"]).stdout
    )
    assert "  inputs changed: no\n" in result.stdout
    z0, z1 = full["module_z"]
    assert f"z {z0:+.2f} → {z1:+.2f}\n" in result.stdout
    assert "False" not in result.stdout
    assert "None" not in result.stdout


def test_patient_show_and_audit_json(two_patients: Any):
    runner = CliRunner()
    shown = runner.invoke(cli, ["patient", "show", "CP1", "--json"])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.stdout)
    assert (body["id"], body["genes"], body["twin_versions"]) == ("CP1", 14, [])
    text = runner.invoke(cli, ["patient", "show", "CP1"]).stdout
    assert "  no twin yet (`medtwin twin build CP1`)\n" in text
    events = json.loads(runner.invoke(cli, ["patient", "audit", "CP1", "--json"]).stdout)
    assert [(e["action"], e["route"]) for e in events[:2]] == [
        ("read", "cli: cli patient show"),
        ("read", "cli: cli patient show"),
    ]
    missing = runner.invoke(cli, ["patient", "show", "NOBODY"])
    assert missing.exit_code == 1
    assert missing.output.startswith("NotFoundError: no patient NOBODY")
