"""Stored disease resemblance, biomarker suggestions and trajectories against the real server."""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.loaders.rows import DiseaseGeneRow, DiseaseRow
from medtwin.platform import (
    biomarker_suggestions,
    diseases,
    insight_reads,
    insights,
    patients,
    rankings,
    twins,
)
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.reports import patient_report
from medtwin.store.twins import TwinStore

pytestmark = pytest.mark.neo4j


def _profile(pid: str, changes: list[GeneChange]) -> PatientProfile:
    return PatientProfile(
        patient_id=pid, changes=tuple(changes), symptoms=(), exposures=(), metadata={},
        input_checksums={}, unmapped=(),
    )  # fmt: skip


def _diseases(store) -> None:
    store.merge_rows(
        [
            DiseaseRow(id=i, name=n, mesh_id=None, source="menche2015_interactome",
                       source_version="test")
            for i, n in (("mesh:one", "cluster one"), ("mesh:three", "cluster three"))
        ]
    )  # fmt: skip
    store.merge_rows(
        DiseaseGeneRow(disease_id=d, entrez=str(g), evidence=None,
                       source="menche2015_interactome", source_version="test")
        for d, genes in (("mesh:one", range(3, 12)), ("mesh:three", range(45, 54)))
        for g in genes
    )  # fmt: skip


def test_resemblance_is_stored_on_the_twin_read_back_and_deleted_with_the_patient(
    tiny_reference, tmp_path, monkeypatch
):
    store, _ = tiny_reference
    _diseases(store)
    changes = [GeneChange(entrez=str(i), log2fc=2.0, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(store, _profile("PR1", changes))
    twins.build_twin(store, "PR1", TwinParams(module_samples=50))
    assert insights.stored_diseases(store, "PR1") == []
    first = insights.twin_diseases(store, "PR1", tmp_path, n_samples=200, seed=3)
    stored = insights.stored_diseases(store, "PR1")
    assert [(m.disease_id, m.rank, m.n_samples, m.seed) for m in stored] == [
        ("mesh:one", 1, 200, 3), ("mesh:three", 2, 200, 3),
    ]  # fmt: skip
    assert stored == first

    def boom(*a, **k):
        raise AssertionError("recomputed although stored")

    monkeypatch.setattr(diseases, "twin_resemblance", boom)  # the use case insights re-exports
    assert insights.twin_diseases(store, "PR1", tmp_path, n_samples=200, seed=3) == first
    with pytest.raises(AssertionError, match="recomputed"):  # other seed: not the stored result
        insights.twin_diseases(store, "PR1", tmp_path, n_samples=200, seed=4)
    monkeypatch.undo()
    again = insights.twin_diseases(store, "PR1", tmp_path, n_samples=100, seed=5)
    assert {m.seed for m in insights.stored_diseases(store, "PR1")} == {5}
    assert len(again) == 2  # replaced, not added
    # a new twin version has no resemblance until asked
    twins.build_twin(store, "PR1", TwinParams(module_samples=50))
    assert insights.stored_diseases(store, "PR1") == []
    assert len(insights.stored_diseases(store, "PR1", version=1)) == 2
    patients.delete_patient(store, "PR1")
    assert TwinStore(store).count_patient_data("PR1") == (0, 0)
    assert store.read("insight/get_resemblances", twin_id="PR1@v1") == []


def test_biomarkers_put_the_variant_plus_expression_target_first(tiny_reference, tmp_path):
    store, _ = tiny_reference
    changes = [GeneChange(entrez=str(i), log2fc=1.0 + i / 10, padj=1e-4) for i in range(1, 15)]
    changes.append(
        GeneChange(entrez="3", log2fc=0.0, layer="variant", variant_id="rs42",
                   consequence="stop_gained")
    )  # fmt: skip
    patients.add_patient(store, _profile("PB1", changes))
    twins.build_twin(store, "PB1", TwinParams(module_samples=50))
    rankings.rank_drugs(store, "PB1", RankParams(n_samples=100), cache_dir=tmp_path)
    got = insights.twin_biomarkers(store, "PB1")
    # DB00001 (inhibitor) targets genes 2 and 3, both changed and in the module; gene 2 is the
    # ligand of the tiny liana layer; gene 3 carries a variant and an expression change.
    assert [s.symbol for s in got.suggestions] == ["G3", "G2"]
    g3, g2 = got.suggestions
    assert g3.layers == ("expression", "variant")
    assert g3.chain.startswith("variant rs42 in G3 (HIGH) → G3 up (z ")
    assert "drug1 (rank " in g3.chain
    assert "inhibits G3 → measure G3 protein; if elevated, drug1 is supported" in g3.chain
    assert (g2.ligand, g3.ligand) == (True, False)
    assert all(d.effect == "counteracts" for s in got.suggestions for d in s.drugs)
    html = patient_report(store, "PB1")
    assert "What to measure" in html
    assert "variant rs42 in G3 (HIGH)" in html
    assert "Which diseases does this twin resemble?" in html
    # stored on the twin: read back without recomputing, recomputed for other limits
    stored = store.twins.twins("PB1")[0]["id"]
    assert [r["rank"] for r in store.insights.biomarkers(stored)] == [1, 2]


def test_biomarkers_are_stored_on_the_twin_and_deleted_with_the_patient(
    tiny_reference, tmp_path, monkeypatch
):
    store, _ = tiny_reference
    changes = [GeneChange(entrez=str(i), log2fc=1.0 + i / 10, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(store, _profile("PB3", changes))
    twins.build_twin(store, "PB3", TwinParams(module_samples=50))
    rankings.rank_drugs(store, "PB3", RankParams(n_samples=100), cache_dir=tmp_path)
    first = insights.twin_biomarkers(store, "PB3")
    assert first.suggestions
    twin_id = first.twin_id
    assert len(store.insights.biomarkers(twin_id)) == len(first.suggestions)

    def boom(*a, **k):
        raise AssertionError("recomputed although stored")

    monkeypatch.setattr(biomarker_suggestions, "suggest_biomarkers", boom)
    assert insights.twin_biomarkers(store, "PB3") == first
    with pytest.raises(AssertionError, match="recomputed"):  # other limits: not the stored result
        insights.twin_biomarkers(store, "PB3", top=1)
    monkeypatch.undo()
    rankings.rank_drugs(store, "PB3", RankParams(n_samples=100, seed=9), cache_dir=tmp_path)
    again = insights.twin_biomarkers(store, "PB3")  # a new ranking: recomputed and replaced
    keys = {r["key"] for r in store.insights.biomarkers(twin_id)}
    assert len(keys) == 1
    assert again.ranking_id in keys.pop()
    patients.delete_patient(store, "PB3")
    assert TwinStore(store).count_patient_data("PB3") == (0, 0)
    assert store.insights.biomarkers(twin_id) == []


def test_none_found_is_stored_too(tiny_reference, tmp_path, monkeypatch):
    # "no suggestion" for this ranking and these limits is read back, not computed at every call
    store, _ = tiny_reference
    changes = [GeneChange(entrez=str(i), log2fc=1.0 + i / 10, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(store, _profile("PB4", changes))
    twins.build_twin(store, "PB4", TwinParams(module_samples=50))
    rankings.rank_drugs(store, "PB4", RankParams(n_samples=100), cache_dir=tmp_path)
    monkeypatch.setattr(biomarker_suggestions, "suggest_biomarkers", lambda *a, **k: [])
    first = insights.twin_biomarkers(store, "PB4")
    assert first.suggestions == ()
    assert insight_reads.computed_biomarkers(store, "PB4") == first  # GET: 200, none (not 404)

    def boom(*a, **k):
        raise AssertionError("recomputed although stored")

    monkeypatch.setattr(biomarker_suggestions, "suggest_biomarkers", boom)
    assert insights.twin_biomarkers(store, "PB4") == first
    with pytest.raises(AssertionError, match="recomputed"):  # other limits: computed
        insights.twin_biomarkers(store, "PB4", top_drugs=3)
    rankings.rank_drugs(store, "PB4", RankParams(n_samples=100, seed=4), cache_dir=tmp_path)
    with pytest.raises(AssertionError, match="recomputed"):  # a new ranking: computed
        insights.twin_biomarkers(store, "PB4")


def test_biomarkers_need_a_ranking(tiny_reference):
    from medtwin.errors import NotFoundError

    store, _ = tiny_reference
    patients.add_patient(store, _profile("PB2", [GeneChange(entrez="2", log2fc=1.0, padj=0.01)]))
    twins.build_twin(store, "PB2", TwinParams(module_samples=50))
    with pytest.raises(NotFoundError, match="has not been ranked"):
        insights.twin_biomarkers(store, "PB2")


def test_trajectory_builds_one_twin_per_time_point_and_reuses_them(tiny_reference, tmp_path):
    from medtwin.errors import InputError

    store, _ = tiny_reference
    # The module grows outward inside the first clique (1..20) over three time points.
    grow = {"w0": range(1, 5), "w4": range(1, 9), "w12": range(1, 14)}
    changes = [
        GeneChange(entrez=str(g), log2fc=2.0, padj=1e-4, time_point=tp)
        for tp, genes in grow.items()
        for g in genes
    ]
    patients.add_patient(store, _profile("PT1", changes))
    with pytest.raises(InputError, match="no input at time point"):
        insights.twin_trajectory(store, "PT1", tmp_path, time_points=["w0", "w99"])
    with pytest.raises(InputError, match=r"^one time point asked for \(w0\); a traj") as one:
        insights.twin_trajectory(store, "PT1", tmp_path, time_points=["w0"])
    assert one.value.hint == "name two or more of patient PT1's: w0, w4, w12"
    # Not "has 0 time point(s) (none)" (before).
    patients.add_patient(store, _profile("PT0", changes[:3]))
    patients.add_patient(store, _profile("PT00", [GeneChange(entrez="1", log2fc=2.0)]))
    with pytest.raises(InputError, match=r"^patient PT0's inputs carry one time point \(w0\);"):
        insights.twin_trajectory(store, "PT0", tmp_path)
    with pytest.raises(InputError, match=r"^patient PT00's inputs carry no time point;"):
        insights.twin_trajectory(store, "PT00", tmp_path)
    got = insights.twin_trajectory(store, "PT1", tmp_path)
    assert got.time_points == ("w0", "w4", "w12")  # natural order, not the text order
    assert [(p.version, p.built, p.module_size) for p in got.points] == [
        (1, True, 4), (2, True, 8), (3, True, 13),
    ]  # fmt: skip
    assert all(p.ranking_id for p in got.points)
    versions = twins.twin_versions(store, "PT1")
    assert sorted(v.params.time_point or "" for v in versions) == ["w0", "w12", "w4"]
    assert set(got.steps[0].entered) == {f"G{i}" for i in range(5, 9)}
    assert got.steps[0].left == ()
    assert got.early_genes
    entered_later = {f"G{i}" for i in range(5, 14)}
    for e in got.early_genes:
        assert e.entrez in {"1", "2", "3", "4"}
        assert set(e.later_neighbours) <= entered_later
    assert got.drugs
    assert all(len(d.ranks) == 3 for d in got.drugs)
    # second call: the three twins are reused, nothing new is built
    again = insights.twin_trajectory(store, "PT1", tmp_path)
    assert [p.built for p in again.points] == [False, False, False]
    assert len(twins.twin_versions(store, "PT1")) == 3
    assert again.early_genes == got.early_genes
    html = patient_report(store, "PT1")
    assert "<h2>Over time</h2>" in html


def test_read_only_trajectory_lists_missing_time_points(tiny_reference, tmp_path):
    store, _ = tiny_reference
    changes = [
        GeneChange(entrez=str(g), log2fc=2.0, padj=1e-4, time_point=tp)
        for tp in ("t1", "t2")
        for g in range(1, 6)
    ]
    patients.add_patient(store, _profile("PT2", changes))
    got = insights.twin_trajectory(store, "PT2", None, build=False, rank=False)
    assert got.missing == ("t1", "t2")
    assert got.points == ()
    assert twins.twin_versions(store, "PT2") == []
