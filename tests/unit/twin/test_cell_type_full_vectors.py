"""Per-cell-type activities from each cell type's full statistic vector (issue 18 item 6)."""

from __future__ import annotations

import numpy as np
import pytest

from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import CellTypeStats, GeneChange
from medtwin.platform.algorithms.footprint import footprint_activity
from medtwin.platform.cell_regulators import Context, context_activity_rows, context_statistics
from medtwin.platform.regulators import RegulatorReference

REGULON = {str(g): 1.0 for g in range(3, 10)} | {str(g): -1.0 for g in range(10, 13)}
REF = RegulatorReference(regulons={"2": REGULON}, footprints={})


def _vector(shift: float, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    return {
        str(g): float(v + shift * REGULON.get(str(g), 0.0))
        for g, v in zip(range(1, 41), rng.normal(0, 0.5, 40), strict=True)
    }


def _significant(cell_type: str, vector: dict[str, float]) -> list[GeneChange]:
    """The twin's changes: only the three strongest genes, as a capped h5ad input keeps."""
    top = sorted(vector, key=lambda g: -abs(vector[g]))[:3]
    return [GeneChange(entrez=g, log2fc=vector[g], zscore=vector[g], cell_type=cell_type)
            for g in top]  # fmt: skip


def test_activities_equal_footprint_activity_on_the_full_vector():
    b, t = _vector(4.0, 1), _vector(-4.0, 2)
    changes = _significant("B", b) + _significant("T", t)
    full = [CellTypeStats(cell_type="B", statistic="z", stats=b),
            CellTypeStats(cell_type="T", statistic="z", stats=t)]  # fmt: skip
    before = context_activity_rows(context_statistics(changes, TwinParams()), REF)
    assert before == []  # three genes: fewer than tmin = 5 targets, no TF scored
    stats = context_statistics(changes, TwinParams(), full)
    assert stats == {Context("cell_type", None, "B"): b, Context("cell_type", None, "T"): t}
    rows = {r["cell_type"]: r for r in context_activity_rows(stats, REF)}
    for cell_type, vector in (("B", b), ("T", t)):
        exp = footprint_activity(vector, {"2": REGULON})["2"]
        assert rows[cell_type]["score"] == pytest.approx(exp.score)
        assert rows[cell_type]["p"] == pytest.approx(exp.p)
        assert rows[cell_type]["n_targets"] == exp.n_targets == len(REGULON)
    assert rows["B"]["score"] > 0 > rows["T"]["score"]


def test_full_vectors_follow_the_twin_selection_and_tissue():
    v = {"1": 2.0, "2": -1.0}
    full = [
        CellTypeStats(cell_type="B", tissue="blood", statistic="z", stats=v),
        CellTypeStats(cell_type="B", tissue="blood", statistic="z", stats={"1": -3.0}),
    ]
    weighted = context_statistics([], TwinParams(layer_weights={"expression": 0.5}), full)
    # two vectors of one context keep each gene's largest |value|, times the layer weight
    assert weighted == {Context("cell_type", "blood", "B"): {"1": -1.5, "2": -0.5}}
    assert context_statistics([], TwinParams(layers=("protein",)), full) == {}
    assert context_statistics([], TwinParams(time_point="t1"), full) == {}
    # a tissue context comes from the tissue's own vector, never from its changes
    ch = [GeneChange(entrez="1", log2fc=0.5, cell_type="B", tissue="blood")]
    assert context_statistics(ch, TwinParams(), full[:1]) == {Context("cell_type", "blood", "B"): v}
    got = context_statistics(ch, TwinParams(), full[:1], tissues={"blood": {"1": 0.7, "3": -0.2}})
    tissue = Context("tissue", "blood", None)
    assert got == {Context("cell_type", "blood", "B"): v, tissue: {"1": 0.7, "3": -0.2}}
