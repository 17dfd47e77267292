"""`medtwin report`, `export` and `twin trajectory` as a user runs them (their use cases have their
own tests; these check the commands' wiring, files and output on the real server)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients

pytestmark = pytest.mark.neo4j

# The module grows inside the first clique (1..20) from w0 to w4.
GROW = {"w0": range(1, 8), "w4": range(1, 13)}


@pytest.fixture
def ranked_vw1(tiny_reference):
    store, _ = tiny_reference
    changes = tuple(
        GeneChange(entrez=str(g), log2fc=2.0, padj=1e-4, time_point=tp)
        for tp, genes in GROW.items()
        for g in genes
    )
    patients.add_patient(
        store,
        PatientProfile(
            patient_id="VW1",
            changes=changes,
            symptoms=(),
            exposures=(),
            metadata={},
            input_checksums={},
            unmapped=(),
        ),  # fmt: skip
    )
    runner = CliRunner()
    built = runner.invoke(cli, ["twin", "build", "VW1", "--module-samples", "50"])
    assert built.exit_code == 0, built.output
    ranked = runner.invoke(cli, ["rank", "VW1", "--samples", "100", "--top", "3"])
    assert ranked.exit_code == 0, ranked.output
    return store


def test_report_writes_one_self_contained_file(ranked_vw1, tmp_path: Path) -> None:
    got = CliRunner().invoke(cli, ["report", "VW1", "--out-dir", str(tmp_path), "--explain", "2"])
    assert got.exit_code == 0, got.output
    path = tmp_path / "VW1.html"
    assert f"report: {path}" in got.output
    html = path.read_text(encoding="utf-8")
    assert "medtwin report: patient VW1" in html
    assert "<svg" in html  # the plots are inline
    assert "<script src=" not in html
    assert [p.name for p in tmp_path.iterdir()] == ["VW1.html"]  # no temporary file left


def test_export_cyjs_and_graphml_hold_the_same_graph(ranked_vw1, tmp_path: Path) -> None:
    runner = CliRunner()
    cyjs, graphml = tmp_path / "vw1.cyjs", tmp_path / "vw1.graphml"
    got = runner.invoke(cli, ["export", "VW1", "--out", str(cyjs)])
    assert got.exit_code == 0, got.output
    got = runner.invoke(cli, ["export", "VW1", "--format", "graphml", "--out", str(graphml)])
    assert got.exit_code == 0, got.output
    elements = json.loads(cyjs.read_text())["elements"]
    g = nx.read_graphml(graphml)
    assert len(elements["nodes"]) == g.number_of_nodes() > 0
    assert len(elements["edges"]) == g.number_of_edges()
    assert {n["data"]["id"] for n in elements["nodes"]} == set(g.nodes)
    missing = runner.invoke(cli, ["export", "VW1", "--version", "9", "--out", str(cyjs)])
    assert missing.exit_code != 0
    assert "no twin version 9" in missing.output


def test_trajectory_builds_and_ranks_each_time_point(ranked_vw1) -> None:
    runner = CliRunner()
    got = runner.invoke(cli, ["twin", "trajectory", "VW1", "--top-drugs", "3"])
    assert got.exit_code == 0, got.output
    assert "VW1: 2 time point(s) w0 → w4" in got.output
    again = runner.invoke(cli, ["twin", "trajectory", "VW1", "--no-build", "--json"])
    assert again.exit_code == 0, again.output
    body = json.loads(again.stdout)
    assert [p["time_point"] for p in body["points"]] == ["w0", "w4"]
    one = runner.invoke(cli, ["twin", "trajectory", "VW1", "--time-points", "w0"])
    assert one.exit_code != 0
    assert "one time point asked for (w0)" in one.output


def test_twin_build_of_several_goes_past_a_failure_and_skips_current(ranked_vw1) -> None:
    runner = CliRunner()
    args = ["twin", "build", "--module-samples", "50", "--skip-current"]
    got = runner.invoke(cli, [*args, "VW1", "NOPE"])
    assert got.exit_code == 1, got.output
    assert "VW1@v1" in got.stdout
    assert "current, kept" in got.stdout
    assert "NotFoundError: no patient NOPE\n" in got.stderr
    assert "patient NOPE: NotFoundError" not in got.stderr  # named once, by the message
    assert "1 of 2 twins not built" in got.stderr
    rebuilt = runner.invoke(cli, [*args[:-1], "VW1", "--json"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert [(t["id"], t["status"]) for t in json.loads(rebuilt.stdout)] == [("VW1@v2", "built")]
    # a reload of a reference dataset after the twin was built makes it stale
    ranked_vw1.driver.execute_query(
        "MATCH (d:Dataset) WITH d LIMIT 1 SET d.loaded_at = datetime() + duration('PT1S')",
        database_=ranked_vw1.database,
    )
    again = runner.invoke(cli, [*args, "VW1", "--json"])
    assert [t["id"] for t in json.loads(again.stdout)] == ["VW1@v3"]
    ranked_vw1.driver.execute_query(
        "MATCH (d:Dataset) SET d.loaded_at = datetime() - duration('PT1H')",
        database_=ranked_vw1.database,
    )
    kept = runner.invoke(cli, [*args, "VW1", "--json"])
    assert [(t["id"], t["status"]) for t in json.loads(kept.stdout)] == [("VW1@v3", "current")]


def _add(store, pid: str) -> None:
    patients.add_patient(
        store,
        PatientProfile(
            patient_id=pid, changes=(GeneChange(entrez="1", log2fc=2.0, padj=1e-4),),
            symptoms=(), exposures=(), metadata={}, input_checksums={}, unmapped=(),
        ),
    )  # fmt: skip


def test_patients_of_all_and_of_a_failed_batch_are_audited(ranked_vw1) -> None:
    """`twin build --all` and `rank --all` wrote every patient unaudited (the audit read the
    ids from the arguments only); a patient that failed in a batch was audited as done."""
    from medtwin.store.audit import list_events

    store = ranked_vw1
    _add(store, "VW2")
    runner = CliRunner()
    before = {e.id for e in list_events(store, None, limit=1000)}
    built = runner.invoke(cli, ["twin", "build", "--all", "--module-samples", "50"])
    assert built.exit_code == 0, built.output
    ranked = runner.invoke(cli, ["rank", "--all", "--samples", "100", "--rerank"])
    assert ranked.exit_code == 0, ranked.output
    _add(store, "VW3")  # no twin: its ranking fails, VW1's is made
    failed = runner.invoke(cli, ["rank", "VW1", "VW3", "--samples", "100"])
    assert failed.exit_code == 1, failed.output
    new = [e for e in reversed(list_events(store, None, limit=1000)) if e.id not in before]
    got = [(e.route.removeprefix("cli: ").split(" ", 1)[1], e.patient_id, e.status) for e in new]
    assert got == [
        ("twin build", "VW1", 0),
        ("twin build", "VW2", 0),
        ("rank", "VW1", 0),
        ("rank", "VW2", 0),
        ("rank", "VW1", 0),
        ("rank", "VW3", 1),
    ]
