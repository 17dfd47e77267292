"""Activities per cell type / tissue in memory (issue 18 item 6): statistics and stored rows."""

from __future__ import annotations

import numpy as np
import pytest

from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.footprint import footprint_activity
from medtwin.platform.cell_regulators import Context, context_activity_rows, context_statistics
from medtwin.platform.regulators import RegulatorReference

REGULON = {str(g): 1.0 for g in range(3, 10)} | {str(g): -1.0 for g in range(10, 13)}


def _changes(cell_type: str, tissue: str | None, shift: float, seed: int) -> list[GeneChange]:
    rng = np.random.default_rng(seed)
    out = []
    for g, v in zip(range(1, 41), rng.normal(0, 0.5, 40), strict=True):
        v += shift * REGULON.get(str(g), 0.0)
        out.append(
            GeneChange(entrez=str(g), log2fc=v, zscore=v, cell_type=cell_type, tissue=tissue)
        )
    return out


def test_each_context_is_scored_from_its_own_changes_only():
    b, t = _changes("B", "blood", 4.0, 1), _changes("T", "blood", -4.0, 2)
    variant = GeneChange(entrez="3", log2fc=0.0, layer="variant", cell_type="B")
    # blood's changes are thresholded (no vector of every gene in blood): no tissue context
    # (before: the tissue was scored from the changes of its cell types)
    assert list(context_statistics([*b, *t, variant], TwinParams())) == [
        Context("cell_type", "blood", "B"), Context("cell_type", "blood", "T"),
    ]  # fmt: skip
    blood = {c.entrez: c.log2fc for c in b}  # a vector of every measured gene in blood
    stats = context_statistics([*b, *t, variant], TwinParams(), tissues={"blood": blood})
    assert list(stats) == [
        Context("cell_type", "blood", "B"), Context("cell_type", "blood", "T"),
        Context("tissue", "blood", None),
    ]  # fmt: skip
    assert stats[Context("tissue", "blood", None)] == blood
    ref = RegulatorReference(regulons={"2": REGULON}, footprints={})
    rows = context_activity_rows(stats, ref)
    by = {(r["context"], r["cell_type"]): r for r in rows}
    exp_b = footprint_activity({c.entrez: c.log2fc for c in b}, {"2": REGULON})["2"]
    exp_t = footprint_activity({c.entrez: c.log2fc for c in t}, {"2": REGULON})["2"]
    assert by[("cell_type", "B")]["score"] == pytest.approx(exp_b.score)
    assert by[("cell_type", "T")]["score"] == pytest.approx(exp_t.score)
    assert exp_b.score > 0 > exp_t.score
    assert by[("cell_type", "B")]["tissue"] == "blood"
    assert by[("tissue", None)]["tissue"] == "blood"
    assert {r["method"] for r in rows} == {"ulm"}


def test_layers_and_time_point_of_the_twin_select_the_changes():
    ch = [
        GeneChange(entrez="1", log2fc=1.0, cell_type="B", time_point="t0"),
        GeneChange(entrez="1", log2fc=-2.0, cell_type="B", time_point="t1"),
        GeneChange(entrez="2", log2fc=3.0, cell_type="B", layer="protein"),
    ]
    got = context_statistics(ch, TwinParams(time_point="t1", layers=("expression",)))
    assert got == {Context("cell_type", None, "B"): {"1": -2.0}}
    assert context_statistics([GeneChange(entrez="1", log2fc=1.0)], TwinParams()) == {}


def test_memory_store_keeps_context_rows_reports_them_and_deletes_them():
    from medtwin.errors import InputError, NotFoundError
    from medtwin.platform import cell_regulators, patients, twins
    from medtwin.platform.context import ReferenceContext
    from tests.unit.services.conftest import profile, reference_store

    store = reference_store()
    patients.add_patient(store, profile())
    twin = twins.build_twin(store, "P1", TwinParams(module_samples=20))
    ctx = ReferenceContext()
    with pytest.raises(NotFoundError, match="no activities per cell type"):
        cell_regulators.context_regulators(store, "P1", "cell-type", ctx=ctx)
    row = {"score": 3.0, "p": 1e-4, "q": 1e-3, "method": "ulm", "n_targets": 6}
    rows = [
        {**row, "kind": "tf", "id": "1", "context": "cell_type", "cell_type": "T", "tissue": None},
        {**row, "kind": "tf", "id": "2", "context": "cell_type", "cell_type": "T", "tissue": None,
         "score": -5.0},
        {**row, "kind": "tf", "id": "3", "context": "cell_type", "cell_type": "B", "tissue": None,
         "q": 0.2},
        {**row, "kind": "tf", "id": "99", "context": "cell_type", "cell_type": "B", "tissue": None},
        {**row, "kind": "pathway", "id": "MAPK", "context": "tissue", "cell_type": None,
         "tissue": "blood", "method": "mlm"},
    ]  # fmt: skip
    before = store.twins.count_patient_data("P1")[1]
    assert store.twins.save_context_activity(twin.id, rows) == 4  # gene 99 is not in the graph
    assert store.twins.count_patient_data("P1")[1] == before + 4
    got = cell_regulators.context_regulators(store, "P1", "cell_type", ctx=ctx)
    assert [c.context for c in got.contexts] == ["B", "T"]
    b, t = got.contexts
    assert (b.n_tfs_scored, b.regulators) == (1, ())  # q 0.2 > 0.05
    assert [u.symbol for u in t.regulators] == ["G2", "G1"]  # no network: by |z|
    assert t.regulators[0].words == "G2 inactive in T (t -5.0, q 0.001), 1st most central there"
    tissue = cell_regulators.context_regulators(store, "P1", "tissue", ctx=ctx)
    assert tissue.contexts[0].pathways == {"MAPK": {"score": 3.0, "p": 1e-4, "q": 1e-3}}
    with pytest.raises(InputError, match="valid: cell-type, tissue"):
        cell_regulators.context_regulators(store, "P1", "organ", ctx=ctx)
    nodes, rels = store.twins.count_patient_data("P1")
    report = patients.delete_patient(store, "P1")
    assert report.relationships_deleted == rels
    assert store.twins.count_patient_data("P1") == (0, 0)
