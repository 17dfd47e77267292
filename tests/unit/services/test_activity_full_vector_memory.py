"""A DE twin's activities come from the input's full vector; its module and seeds do not change."""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import patients, twin_regulators, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import TwinParams
from medtwin.platform.regulators import RegulatorReference, patient_activity
from medtwin.store.memory import MemoryStore

FAST = TwinParams(module_samples=50, max_seeds=50)
# TF "2" activates genes 3..9 and represses 10..12 (10 targets; ULM needs >= 5 measured)
REGULON = {str(g): 1.0 for g in range(3, 10)} | {str(g): -1.0 for g in range(10, 13)}
# Every tested gene: targets up / down by their mode of regulation, the rest small, alternating.
FULL = {g: 3.0 * m for g, m in REGULON.items()} | {
    str(g): (0.5 if g % 2 else -0.5) for g in range(13, 31)
}


def _store() -> MemoryStore:
    store = MemoryStore()
    ring = [(str(i), str(i % 30 + 1)) for i in range(1, 31)]
    store.add_reference(genes={str(i): f"G{i}" for i in range(1, 31)}, ppi=ring)
    store.add_regulator_layers({"2": REGULON}, {})
    return store


def _twin(with_vector: bool) -> tuple[MemoryStore, dict[str, object]]:
    store = _store()
    # the significant changes (what a DE table keeps at padj <= 0.05): three targets only
    changes = tuple(GeneChange(entrez=g, log2fc=FULL[g], zscore=FULL[g], padj=0.001)
                    for g in ("3", "4", "10"))  # fmt: skip
    vec = (ActivityStats(statistic="de evidence", stats=FULL),) if with_vector else ()
    profile = PatientProfile(
        patient_id="PD", changes=changes, input_checksums={"pd.tsv": "0" * 64},
        activity_stats=vec,
    )  # fmt: skip
    patients.add_patient(store, profile)
    twins.build_twin(store, "PD", FAST)
    return store, store.twins.twin("PD", None)


def test_activities_equal_patient_activity_on_the_full_vector() -> None:
    store, twin = _twin(with_vector=True)
    ref = RegulatorReference(regulons={"2": REGULON}, footprints={})
    exp = patient_activity(FULL, ref).tf["2"]
    (row,) = [r for r in store.twins.activity(twin["id"]) if r["id"] == "2"]
    assert row["score"] == pytest.approx(exp.score)
    assert row["p"] == pytest.approx(exp.p)
    assert row["n_targets"] == exp.n_targets == len(REGULON)
    assert row["score"] > 0
    report = twin_regulators.twin_regulators(store, "PD")
    assert (report.n_genes_with_statistic, report.n_tfs_scored) == (len(FULL), 1)
    ctx = reference_context()
    inputs = twin_regulators.patient_regulator_inputs(store, ctx, "PD", twin, ("regulator",))
    assert inputs["gene_stats"] == FULL


def test_without_the_vector_no_tf_is_scored_and_the_twin_is_the_same() -> None:
    store_v, twin_v = _twin(with_vector=True)
    store_c, twin_c = _twin(with_vector=False)
    # Before: the three changes were the statistics (3 genes, 0 TFs scored). Thresholded changes
    # are not every measured gene: no activity is computed, and the report says why.
    assert store_c.twins.activity(twin_c["id"]) == []
    report = twin_regulators.twin_regulators(store_c, "PD")
    assert (report.n_genes_with_statistic, report.n_tfs_scored, report.regulators) == (0, 0, ())
    assert report.note is not None
    assert "no vector of every measured gene: input pd.tsv (profile)" in report.note
    assert 'context_regulators(store, "PD", "cell-type")' in report.note  # Python's words
    assert twins.twin_versions(store_c, "PD")[0].activity_note is not None
    assert twins.twin_versions(store_v, "PD")[0].activity_note is None
    genes_v = store_v.twins.genes(twin_v["id"])
    genes_c = store_c.twins.genes(twin_c["id"])
    assert genes_v == genes_c  # module, seeds, evidence and scores: the changes' alone
    assert {g["entrez"] for g in genes_c if g["role"] == "seed"} == {"3", "4", "10"}
    assert store_v.twins.inputs("PD")[0]["id"] == store_c.twins.inputs("PD")[0]["id"]


def test_the_lincs_layer_is_read_for_either_reversal_method() -> None:
    """``activity_reversal`` reads the drugs' LINCS z as ``reversal`` does (before: only
    ``reversal`` asked for the layer, so ``rank --method activity_reversal`` scored no drug)."""
    store, twin = _twin(with_vector=True)
    asked: list[bool] = []

    class Recording(ReferenceContext):
        def regulators(self, store, *, perturbations=False, warn=True):  # type: ignore[no-untyped-def]
            asked.append(perturbations)
            return super().regulators(store, perturbations=perturbations, warn=warn)

    ctx = Recording()
    for methods in (("regulator",), ("reversal",), ("activity_reversal",)):
        twin_regulators.patient_regulator_inputs(store, ctx, "PD", twin, methods)
    assert asked == [False, True, True]
