"""Activities and URs per cell type / tissue, and the cohort activity table (issue 18 item 6)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import (
    cell_regulators,
    cohort_activities,
    patients,
    stratify,
    twin_regulators,
    twins,
)
from medtwin.platform.algorithms.footprint import footprint_activity
from medtwin.platform.context import reference_context
from medtwin.platform.models import TwinParams
from tests.integration.test_twin_regulators import REGULON, _layers, regulon_rows

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, max_seeds=50)


def _stats(seed: int, shift: float) -> dict[str, float]:
    """60 genes of noise; the regulon of G2 moved by ``shift`` along its mode of regulation."""
    rng = np.random.default_rng(seed)
    y = {str(g): float(v) for g, v in zip(range(1, 61), rng.normal(0, 0.5, 60), strict=True)}
    for g, mor in REGULON.items():
        y[g] += shift * mor
    return y


def _profile(pid: str, parts: dict[tuple[str | None, str], dict[str, float]], **meta: str):
    changes = tuple(
        GeneChange(entrez=g, log2fc=v, zscore=v, cell_type=ct, tissue=tissue)
        for (tissue, ct), stats in parts.items()
        for g, v in stats.items()
    )
    return PatientProfile(
        patient_id=pid, changes=changes, symptoms=(), exposures=(), metadata=dict(meta),
        input_checksums={f"{pid}.tsv": "0" * 64}, unmapped=(),
    )  # fmt: skip


def _vector(stats: dict[str, float]) -> tuple[ActivityStats, ...]:
    """The input's vector of every measured gene: without one a twin has no patient-level
    activity (medtwin.platform.activity_inputs), only per-context ones."""
    return (ActivityStats(statistic="z", stats=stats),)


def _count(store, query: str, **params) -> int:
    return int(store.driver.execute_query(query, database_=store.database, **params).records[0][0])


def test_activity_per_cell_type_and_tissue_stored_versioned_deleted(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    b, t, f = _stats(1, 4.0), _stats(2, 0.0), _stats(3, -4.0)
    parts = {("blood", "B"): b, ("blood", "T"): t, ("synovium", "F"): f}
    # the synovium keeps its vector of every measured gene; blood only its thresholded changes
    joint = ActivityStats(statistic="z", tissue="synovium", stats=f)
    patients.add_patient(
        store, _profile("PC", parts).model_copy(update={"activity_stats": (joint,)})
    )
    v1 = twins.build_twin(store, "PC", FAST)
    v2 = twins.build_twin(store, "PC", FAST)

    got = cell_regulators.context_regulators(store, "PC", "cell-type")
    assert got.by == "cell_type"
    assert [c.context for c in got.contexts] == ["blood / B", "blood / T", "synovium / F"]
    ref = {"2": REGULON}
    for c, stats in zip(got.contexts, (b, t, f), strict=True):
        expected = footprint_activity(stats, ref)["2"]
        assert c.n_tfs_scored == 1
        urs = {u.entrez: u for u in c.regulators}
        assert ("2" in urs) == (expected.q <= 0.05)
        if "2" in urs:
            assert urs["2"].activity == pytest.approx(expected.score)
            assert urs["2"].q == pytest.approx(expected.q)
            state = "active" if expected.score > 0 else "inactive"
            assert urs["2"].words.startswith(f"G2 {state} in {c.context} (t ")
    assert got.contexts[0].regulators[0].activity > 0 > got.contexts[2].regulators[0].activity

    # A tissue's activities come from its vector of every measured gene: the synovium's. Blood
    # has none (before: scored from its cell types' thresholded changes) and the twin says why.
    tissues = cell_regulators.context_regulators(store, "PC", "tissue", q=1.0)
    assert [c.context for c in tissues.contexts] == ["synovium"]
    expected = footprint_activity(f, ref)["2"]
    assert tissues.contexts[0].regulators[0].activity == pytest.approx(expected.score)
    assert set(tissues.contexts[0].pathways) == {"MAPK"}
    assert tissues.note is not None
    assert tissues.note.startswith("no vector of every measured gene in tissue blood: input ")

    # The patient-level layer is apart from the context edges. Before, it was the ULM on the
    # thresholded cell-type changes (one TF, one pathway); the input keeps no vector of every
    # measured gene for the whole patient, so it is empty now and the twin says why.
    assert twin_regulators.twin_activity(store, "PC") == []
    assert twins.twin_versions(store, "PC")[0].activity_note is not None
    per_twin = (
        "MATCH (:Twin {id: $id})-[a:ACTIVITY]->() WHERE a.context IS NOT NULL RETURN count(a)"
    )
    n1, n2 = _count(store, per_twin, id=v1.id), _count(store, per_twin, id=v2.id)
    assert n1 == n2 == 4 * 2  # 3 cell types + the synovium, one TF and one pathway each

    report = patients.delete_patient(store, "PC")
    assert report.remaining_patient_nodes == 0
    assert _count(store, "MATCH ()-[a:ACTIVITY]->() RETURN count(a)") == 0


def test_cli_by_cell_type_and_bulk_twin_has_none(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    patients.add_patient(store, _profile("PD", {(None, "B"): _stats(1, 4.0)}))
    patients.add_patient(store, _profile("PE", {}) .model_copy(update={"changes": tuple(
        GeneChange(entrez=g, log2fc=v, zscore=v) for g, v in _stats(1, 4.0).items())}))  # fmt: skip
    twins.build_twin(store, "PD", FAST)
    twins.build_twin(store, "PE", FAST)
    runner = CliRunner()
    got = runner.invoke(cli, ["twin", "regulators", "PD", "--by", "cell-type", "--json"])
    assert got.exit_code == 0, got.output
    body = json.loads(got.output)
    assert [c["context"] for c in body["contexts"]] == ["B"]
    assert body["contexts"][0]["regulators"][0]["symbol"] == "G2"
    text = runner.invoke(cli, ["twin", "regulators", "PD", "--by", "cell-type"])
    assert "G2 active in B (t " in text.output
    none = runner.invoke(cli, ["twin", "regulators", "PE", "--by", "tissue"])
    assert none.exit_code == 1
    assert "no activities per tissue" in none.output
    assert "Traceback" not in none.output
    # a two-tissue twin without a vector of every gene in either tissue: no activities, why
    patients.add_patient(
        store, _profile("PF", {("blood", "B"): _stats(1, 4.0), ("joint", "F"): _stats(3, -4.0)})
    )
    twins.build_twin(store, "PF", FAST)
    got = runner.invoke(cli, ["twin", "regulators", "PF", "--by", "tissue"])
    assert got.exit_code == 0, got.output
    lines = got.output.splitlines()
    assert lines[0].startswith("PF@v1: 0 upstream regulators in 0 tissues")
    assert lines[1].startswith(
        "NOTE no vector of every measured gene in tissue blood: input PF.tsv"
    )
    assert "no vector of every measured gene in tissue joint" in lines[1]


def test_cohort_activity_table_equals_each_twin(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _layers(store)
    for i, shift in enumerate((4.0, -3.0, 0.5)):
        stats = _stats(i, shift)  # every gene, and the input keeps that vector
        p = _profile(f"Q{i}", {}, cohort="acts").model_copy(
            update={"changes": tuple(
                GeneChange(entrez=g, log2fc=v, zscore=v) for g, v in stats.items()),
                "activity_stats": _vector(stats)}
        )  # fmt: skip
        patients.add_patient(store, p)
        twins.build_twin(store, f"Q{i}", FAST)
    patients.add_patient(store, _profile("Q9", {}, cohort="acts").model_copy(
        update={"changes": (GeneChange(entrez="50", log2fc=1.0, padj=0.01),)}))  # fmt: skip
    twins.build_twin(store, "Q9", FAST)  # one gene: no TF, no pathway scored

    ids = ["Q0", "Q1", "Q2", "Q9"]
    buf = io.StringIO()
    n, cols = cohort_activities.write_activity_table(store, ids, buf)
    assert (n, cols) == (3, 2)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue()), delimiter="\t"))
    assert [r["patient_id"] for r in rows] == ["Q0", "Q1", "Q2"]
    for r in rows:
        stored = {
            a["kind"]: a["score"] for a in twin_regulators.twin_activity(store, r["patient_id"])
        }
        assert float(r["tf:G2"]) == pytest.approx(stored["tf"], rel=1e-5)
        assert float(r["pathway:MAPK"]) == pytest.approx(stored["pathway"], rel=1e-5)

    out = tmp_path / "acts.tsv"
    runner = CliRunner()
    got = runner.invoke(cli, ["cohort", "activities", "--cohort", "acts", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert out.read_text() == buf.getvalue()
    js = runner.invoke(cli, ["cohort", "activities", "--cohort", "acts", "--kind", "tf", "--json"])
    body = json.loads(js.stdout)
    assert body["columns"] == ["tf:G2"]
    assert [r["patient_id"] for r in body["rows"]] == ["Q0", "Q1", "Q2"]


def test_stratify_on_activities_recovers_two_regulator_states(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    second = {str(g): 1.0 for g in range(13, 23)}
    store.start_dataset("dorothea_hs", {"sha256": "t2", "version": "test"})
    store.merge_rows(regulon_rows("1", second))
    store.finish_dataset("dorothea_hs", {"RegulationRow": len(second)}, 0.0)
    reference_context().clear()
    ids = []
    for i in range(6):
        sign = 1.0 if i % 2 else -1.0
        stats = _stats(10 + i, 3.0 * sign)
        for g in second:
            stats[g] -= 3.0 * sign
        pid = f"S{i}"
        changes = tuple(GeneChange(entrez=g, log2fc=v, zscore=v) for g, v in stats.items())
        profile = _profile(pid, {}, cohort="strat", state="up" if sign > 0 else "down")
        update = {"changes": changes, "activity_stats": _vector(stats)}
        patients.add_patient(store, profile.model_copy(update=update))
        twins.build_twin(store, pid, FAST)
        ids.append(pid)
    got = stratify.stratify_cohort(
        store, ids, k=2, features="activities", labels_key="state", permutations=50
    )
    assert got.method == "correlation:activities"
    assert got.patients == 6
    assert got.ari == 1.0
    runner = CliRunner()
    out = runner.invoke(
        cli, ["cohort", "stratify", "--cohort", "strat", "--features", "activities", "-k", "2",
              "--labels", "state", "--json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["ari"] == 1.0
    with pytest.raises(InputError, match="only 1 pathways scored"):  # MAPK alone
        stratify.stratify_cohort(store, ids, features="pathways")
    with pytest.raises(InputError, match="at least 2 patients with pathways"):
        stratify.stratify_cohort(store, ["S0"], features="pathways")


def test_cohort_run_workers_store_each_patients_activities(tiny_reference, test_settings):
    from medtwin.platform import cohort
    from medtwin.platform.models import RankParams
    from medtwin.store.neo4j import Neo4jStore

    store, _ = tiny_reference
    _layers(store)
    expected = {}
    for i, shift in enumerate((4.0, -4.0)):
        stats = _stats(20 + i, shift)
        changes = tuple(GeneChange(entrez=g, log2fc=v, zscore=v) for g, v in stats.items())
        profile = _profile(f"W{i}", {}, cohort="workers")
        update = {"changes": changes, "activity_stats": _vector(stats)}
        patients.add_patient(store, profile.model_copy(update=update))
        expected[f"W{i}"] = footprint_activity(stats, {"2": REGULON})["2"].score
    run = cohort.run_cohort(
        store, test_settings, ["W0", "W1"], open_store=Neo4jStore.open, twin_params=FAST,
        rank_params=RankParams(targets="drugbank", n_samples=50, seed=7), workers=1,
    )  # fmt: skip
    assert run.count("done") == 2, run.failed
    columns = cohort_activities.activity_columns(store, ["W0", "W1"], "tf")
    rows = list(cohort_activities.activity_rows(store, ["W0", "W1"], columns, "tf"))
    assert columns == ["tf:G2"]
    assert {r.patient_id: r.values[0] for r in rows} == pytest.approx(expected)


def test_full_vector_scores_the_cell_type_and_leaves_module_and_ranking(tiny_reference, tmp_path):
    """An h5ad-style input: 3 significant changes (the module) + the cell type's full vector."""
    from medtwin.loaders.patient_rows import CellTypeStats
    from medtwin.platform import rankings
    from medtwin.platform.models import RankParams

    store, _ = tiny_reference
    _layers(store)
    b = _stats(1, 4.0)
    top = dict(sorted(b.items(), key=lambda kv: -abs(kv[1]))[:3])
    capped = _profile("PF", {(None, "B"): top})
    full = (CellTypeStats(cell_type="B", statistic="wilcoxon z", stats=b),)
    patients.add_patient(store, capped.model_copy(update={"cell_type_stats": full}))
    patients.add_patient(store, _profile("PG", {(None, "B"): top}))
    with_full, without = twins.build_twin(store, "PF", FAST), twins.build_twin(store, "PG", FAST)

    got = cell_regulators.context_regulators(store, "PF", "cell-type", q=1.0)
    (context,) = got.contexts
    expected = footprint_activity(b, {"2": REGULON})["2"]
    assert context.n_tfs_scored == 1
    assert context.regulators[0].activity == pytest.approx(expected.score)
    assert context.regulators[0].n_targets == expected.n_targets
    with pytest.raises(NotFoundError):  # three genes: no TF reaches its minimum of targets
        cell_regulators.context_regulators(store, "PG", "cell-type")

    def genes(twin_id: str) -> list[tuple[str, str]]:
        return sorted((g["entrez"], str(g.get("role"))) for g in store.twins.genes(twin_id))

    assert genes(with_full.id) == genes(without.id)
    assert with_full.module_size == without.module_size

    def top10(pid: str) -> list[str]:
        result = rankings.rank_drugs(store, pid, RankParams(n_samples=100), cache_dir=tmp_path)
        return [d.drug_id for d in result.drugs[:10]]

    assert top10("PF") == top10("PG")
