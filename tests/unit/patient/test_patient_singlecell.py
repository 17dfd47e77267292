from __future__ import annotations

import logging
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.platform.singlecell import read_h5ad

GENES = ["TNF", "IL6", "CD4", "TP53", "NOTAGENE", "STAT3"]


@pytest.fixture
def h5ad(tmp_path: Path) -> Path:
    """80 cells: types A and B x case/control (20 each) + 2 cells of type C (too few).

    TNF and NOTAGENE are up in case cells of type A; CD4 is up in all B cells. Values are
    log1p of counts, the other genes are constant 1 count, so only the planted genes differ.
    """
    rng = np.random.default_rng(0)
    cell_types = ["A"] * 40 + ["B"] * 40 + ["C"] * 2
    conditions = (["case"] * 20 + ["control"] * 20) * 2 + ["case", "control"]
    counts = np.ones((len(cell_types), len(GENES)))
    counts += rng.integers(0, 2, size=counts.shape)  # 1 or 2 counts of noise
    counts[0:20, 0] += 20  # TNF in A case
    counts[0:20, 4] += 20  # NOTAGENE in A case
    counts[40:80, 2] += 30  # CD4 in B
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame(
            {"cell_type": cell_types, "condition": conditions},
            index=[f"cell{i}" for i in range(len(cell_types))],
        ),
        var=pd.DataFrame(index=GENES),
    )
    path = tmp_path / "toy.h5ad"
    adata.write_h5ad(path)
    return path


def test_case_vs_control_per_cell_type(h5ad: Path, genes) -> None:
    profile = read_h5ad(
        h5ad,
        genes,
        patient_id="P1",
        cell_type_key="cell_type",
        condition_key="condition",
        case="case",
        control="control",
        min_abs_log2fc=1.0,
    )
    assert [(c.cell_type, c.symbol) for c in profile.changes] == [("A", "TNF")]
    change = profile.changes[0]
    assert change.entrez == "7124"
    assert change.log2fc > 3
    assert change.padj is not None
    assert change.padj < 0.05
    assert profile.unmapped == ("NOTAGENE",)
    assert profile.metadata["skipped_cell_types"] == "C"
    assert profile.metadata["comparison"] == "case vs control within each cell type"
    assert profile.metadata["cell_types"] == "A;B"
    assert set(profile.input_checksums) == {"toy.h5ad"}


def test_marker_mode(h5ad: Path, genes) -> None:
    profile = read_h5ad(
        h5ad,
        genes,
        patient_id="P1",
        cell_type_key="cell_type",
        min_abs_log2fc=1.0,
        direction="up",
    )
    assert [(c.cell_type, c.symbol) for c in profile.changes] == [("A", "TNF"), ("B", "CD4")]
    assert profile.metadata["comparison"] == "each cell type vs all other cells (marker programme)"
    both = read_h5ad(h5ad, genes, patient_id="P1", cell_type_key="cell_type", min_abs_log2fc=1.0)
    assert ("A", "CD4") in [(c.cell_type, c.symbol) for c in both.changes]  # down in A
    assert all(c.log2fc < 0 for c in both.changes if c.cell_type == "A" and c.symbol == "CD4")
    top = read_h5ad(
        h5ad,
        genes,
        patient_id="P1",
        cell_type_key="cell_type",
        min_abs_log2fc=1.0,
        max_genes_per_cell_type=1,
    )
    assert [c.cell_type for c in top.changes] == ["A", "B"]


def test_h5ad_bad_arguments(h5ad: Path, genes) -> None:
    with pytest.raises(SourceFormatError, match="no column 'celltype'"):
        read_h5ad(h5ad, genes, patient_id="P1", cell_type_key="celltype")
    with pytest.raises(InputError, match="needs both case and control"):
        read_h5ad(
            h5ad, genes, patient_id="P1", cell_type_key="cell_type", condition_key="condition"
        )
    with pytest.raises(SourceFormatError, match="no value 'RA'"):
        read_h5ad(
            h5ad,
            genes,
            patient_id="P1",
            cell_type_key="cell_type",
            condition_key="condition",
            case="RA",
            control="control",
        )
    with pytest.raises(InputError, match="no cell type has >= 30 cells"):
        read_h5ad(
            h5ad,
            genes,
            patient_id="P1",
            cell_type_key="cell_type",
            condition_key="condition",
            case="case",
            control="control",
            min_cells=30,
        )


def _two_types(tmp_path: Path, name: str, X: object) -> Path:
    n = 40
    adata = anndata.AnnData(
        X=X,
        obs=pd.DataFrame({"cell_type": ["A"] * 20 + ["B"] * 20}, index=[f"c{i}" for i in range(n)]),
        var=pd.DataFrame(index=GENES),
    )
    path = tmp_path / name
    adata.write_h5ad(path)
    return path


def _counts() -> np.ndarray:
    rng = np.random.default_rng(1)
    counts = rng.integers(1, 6, size=(40, len(GENES))).astype(np.float32)
    counts[:20, 0] += 200  # TNF in A
    return counts


def test_scaled_x_without_raw_is_refused(tmp_path: Path, genes) -> None:
    """The sweep's h5_scaled_noraw.h5ad: sc.pp.scale'd X, no .raw (fold changes meant nothing)."""
    logged = np.log1p(_counts())
    scaled = (logged - logged.mean(axis=0)) / logged.std(axis=0)
    path = _two_types(tmp_path, "scaled.h5ad", scaled.astype(np.float32))
    with pytest.raises(SourceFormatError, match="negative values") as info:
        read_h5ad(path, genes, patient_id="P1", cell_type_key="cell_type")
    assert "scaled.h5ad: .X holds negative values (min -" in str(info.value)
    assert "keep the log-normalised values in .raw before scaling" in str(info.value)


def test_counts_in_x_are_log_normalised_as_scanpy_would(tmp_path: Path, genes, caplog) -> None:
    """The sweep's h5_counts.h5ad: raw counts in X gave FTL a log2 fold change of 707."""
    counts = _counts()
    normalised = np.log1p(counts / counts.sum(axis=1, keepdims=True) * 1e4)
    by_hand = _two_types(tmp_path, "lognorm.h5ad", normalised.astype(np.float32))
    raw_counts = _two_types(tmp_path, "counts.h5ad", counts)
    expected = read_h5ad(by_hand, genes, patient_id="P1", cell_type_key="cell_type")
    with caplog.at_level(logging.WARNING):
        got = read_h5ad(raw_counts, genes, patient_id="P1", cell_type_key="cell_type")
    assert "counts.h5ad: .X looks like counts (values up to 2" in caplog.text
    assert [(c.entrez, c.cell_type) for c in got.changes] == [
        (c.entrez, c.cell_type) for c in expected.changes
    ]
    assert [c.log2fc for c in got.changes] == pytest.approx([c.log2fc for c in expected.changes])
    assert max(abs(c.log2fc) for c in got.changes) < 20
