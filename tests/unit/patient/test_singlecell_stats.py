"""Each cell type's full Wilcoxon z vector kept by the h5ad reader (issue 18 items 2 + 6).

The toy file has two cell types of four cells each (marker mode, each type vs the rest), so
scanpy's Wilcoxon z can be computed by hand: n1 = n2 = 4, N = 8, expected rank sum
n1 (N + 1) / 2 = 18, sd = sqrt(n1 n2 (N + 1) / 12) = sqrt(12). A gene higher in every A cell has
A's rank sum 5 + 6 + 7 + 8 = 26, z = 8 / sqrt(12) = 2.3094 (and -2.3094 for B); a constant gene
has every rank 4.5, z = 0.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.platform import singlecell
from medtwin.platform.singlecell import read_h5ad

Z = 8 / math.sqrt(12)


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """TNF up in A, CD4 up in B, IL6 constant, NOTAGENE (unresolvable) up in A."""
    counts = np.ones((8, 4))
    counts[0:4, 0] += np.arange(10, 14)  # TNF: A cells 11..14, B cells 1
    counts[4:8, 1] += np.arange(10, 14)  # CD4: B cells 11..14
    counts[0:4, 3] += 5  # NOTAGENE
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame({"ct": ["A"] * 4 + ["B"] * 4}, index=[f"c{i}" for i in range(8)]),
        var=pd.DataFrame(index=["TNF", "CD4", "IL6", "NOTAGENE"]),
    )
    path = tmp_path / "toy.h5ad"
    adata.write_h5ad(path)
    return path


def test_every_resolved_gene_keeps_its_hand_computed_wilcoxon_z(toy: Path, genes) -> None:
    profile = read_h5ad(toy, genes, patient_id="P1", cell_type_key="ct", padj_max=1.0)
    got = {(s.cell_type, s.tissue): s for s in profile.cell_type_stats}
    assert set(got) == {("A", None), ("B", None)}
    assert got["A", None].statistic == "wilcoxon z"
    assert got["A", None].stats == pytest.approx({"7124": Z, "920": -Z, "3569": 0.0}, abs=1e-3)
    assert got["B", None].stats == pytest.approx({"7124": -Z, "920": Z, "3569": 0.0}, abs=1e-3)
    # The changes stay the thresholded ones: IL6 (z 0) is no change, but it is in the vector.
    assert {(c.cell_type, c.symbol) for c in profile.changes} >= {("A", "TNF"), ("B", "CD4")}
    assert "IL6" not in {c.symbol for c in profile.changes}


def test_cap_keeps_the_largest_magnitudes(toy: Path, genes, monkeypatch) -> None:
    monkeypatch.setattr(singlecell, "MAX_STAT_GENES", 2)
    profile = read_h5ad(toy, genes, patient_id="P1", cell_type_key="ct", tissue="blood")
    for s in profile.cell_type_stats:
        assert set(s.stats) == {"7124", "920"}
        assert s.tissue == "blood"


def test_full_vector_is_stored_outside_the_input_digest(toy: Path, genes) -> None:
    from medtwin.platform import patients
    from tests.unit.services.conftest import reference_store

    profile = read_h5ad(toy, genes, patient_id="P1", cell_type_key="ct")
    bare = profile.model_copy(update={"cell_type_stats": ()})
    a, b = reference_store(), reference_store()
    patients.add_patient(a, profile)
    patients.add_patient(b, bare)
    (with_stats,), (without,) = a.twins.inputs("P1"), b.twins.inputs("P1")
    assert with_stats["id"] == without["id"]  # same changes, same input id
    assert "cell_type_stats_json" not in without
    stored = json.loads(with_stats["cell_type_stats_json"])
    assert [s["cell_type"] for s in stored] == ["A", "B"]
    assert stored[0]["stats"]["920"] == pytest.approx(-Z, abs=1e-3)


def test_a_repeated_var_name_gives_its_gene_one_change_per_cell_type(tmp_path: Path, genes) -> None:
    """Two columns named TNF, one up in A and one (weaker) down in A: before, cell type A held
    two contradictory TNF changes; now it keeps the column of the largest |z|, as its entry in
    the full vector does (the full vector's rule since it was kept)."""
    counts = np.ones((8, 3))
    counts[0:4, 0] += np.arange(10, 14)  # TNF #1: up in A, every A cell above every B cell
    counts[4:8, 1] += np.array([0.0, 0.0, 3.0, 4.0])  # TNF #2: weaker, up in B (down in A)
    counts[4:8, 2] += np.arange(10, 14)  # CD4: up in B
    path = tmp_path / "twice.h5ad"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Variable names are not unique")
        anndata.AnnData(
            X=np.log1p(counts).astype(np.float32),
            obs=pd.DataFrame({"ct": ["A"] * 4 + ["B"] * 4}, index=[f"c{i}" for i in range(8)]),
            var=pd.DataFrame(index=["TNF", "TNF", "CD4"]),
        ).write_h5ad(path)
    profile = read_h5ad(path, genes, patient_id="P1", cell_type_key="ct", padj_max=1.0)
    tnf = [(c.cell_type, c.log2fc > 0) for c in profile.changes if c.symbol == "TNF"]
    assert sorted(tnf) == [("A", True), ("B", False)]
    stats = {s.cell_type: s.stats for s in profile.cell_type_stats}
    assert stats["A"]["7124"] == pytest.approx(Z, abs=1e-3)
