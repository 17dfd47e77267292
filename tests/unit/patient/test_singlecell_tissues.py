"""Multi-tissue single-cell input: --tissue for a whole file, --tissue-key for a column."""

from __future__ import annotations

from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.platform.singlecell import read_h5ad

GENES = ["TNF", "IL6", "CD4", "TP53", "STAT3"]


@pytest.fixture
def two_tissues(tmp_path: Path) -> Path:
    """Blood (Mono, T) and synovium (Fibro, Mono) cells; TNF marks blood Mono, IL6 synovium Fibro.

    Each cell type has 15 cells; other genes carry 1-2 counts of noise.
    """
    rng = np.random.default_rng(1)
    tissue = ["blood"] * 30 + ["synovium"] * 30
    cell = ["Mono"] * 15 + ["T"] * 15 + ["Fibro"] * 15 + ["Mono"] * 15
    counts = 1 + rng.integers(0, 2, size=(60, len(GENES))).astype(float)
    counts[0:15, 0] += 25  # TNF in blood Mono
    counts[30:45, 1] += 25  # IL6 in synovium Fibro
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame({"tissue": tissue, "cell_type": cell}, index=[f"c{i}" for i in range(60)]),
        var=pd.DataFrame(index=GENES),
    )
    path = tmp_path / "two.h5ad"
    adata.write_h5ad(path)
    return path


def _up(profile) -> set[tuple[str | None, str | None, str | None]]:
    return {(c.tissue, c.cell_type, c.symbol) for c in profile.changes if c.log2fc > 2}


def test_tissue_key_compares_cell_types_within_each_tissue(two_tissues: Path, genes) -> None:
    profile = read_h5ad(
        two_tissues, genes, patient_id="MT1", cell_type_key="cell_type", tissue_key="tissue"
    )
    assert _up(profile) == {("blood", "Mono", "TNF"), ("synovium", "Fibro", "IL6")}
    assert {c.tissue for c in profile.changes} == {"blood", "synovium"}
    assert profile.metadata["tissues"] == "blood;synovium"
    assert profile.metadata["cell_types"] == "blood/Mono;blood/T;synovium/Fibro;synovium/Mono"
    assert profile.metadata["n_cells"] == "60"


def test_tissue_names_every_change_of_the_file(two_tissues: Path, genes) -> None:
    profile = read_h5ad(
        two_tissues, genes, patient_id="MT1", cell_type_key="cell_type", tissue="joint"
    )
    assert {c.tissue for c in profile.changes} == {"joint"}
    assert profile.metadata["tissues"] == "joint"


def test_without_tissue_changes_carry_none(two_tissues: Path, genes) -> None:
    profile = read_h5ad(two_tissues, genes, patient_id="MT1", cell_type_key="cell_type")
    assert {c.tissue for c in profile.changes} == {None}
    assert "tissues" not in profile.metadata


def test_tissue_and_tissue_key_together_are_refused(two_tissues: Path, genes) -> None:
    with pytest.raises(InputError, match="not both"):
        read_h5ad(
            two_tissues,
            genes,
            patient_id="MT1",
            cell_type_key="cell_type",
            tissue="blood",
            tissue_key="tissue",
        )


def test_unknown_tissue_key_names_the_columns(two_tissues: Path, genes) -> None:
    with pytest.raises(SourceFormatError, match="no column 'organ'"):
        read_h5ad(
            two_tissues, genes, patient_id="MT1", cell_type_key="cell_type", tissue_key="organ"
        )


def test_blank_tissue_is_refused(two_tissues: Path, genes) -> None:
    with pytest.raises(InputError, match="blank"):
        read_h5ad(two_tissues, genes, patient_id="MT1", cell_type_key="cell_type", tissue=" ")


def test_read_inputs_gives_each_h5ad_its_tissue(two_tissues: Path, genes) -> None:
    from medtwin.platform.inputs import read_inputs

    got = read_inputs(
        "MT1",
        {"h5ad": (two_tissues, two_tissues)},
        None,
        lambda: genes,
        tissues=("blood", "synovium"),
    )
    assert [kind for kind, _ in got] == ["h5ad", "h5ad"]
    assert [{c.tissue for c in p.changes} for _, p in got] == [{"blood"}, {"synovium"}]
    with pytest.raises(InputError, match="1 tissue\\(s\\) for 2 h5ad file\\(s\\)"):
        read_inputs("MT1", {"h5ad": (two_tissues, two_tissues)}, None, lambda: genes,
                    tissues=("blood",))  # fmt: skip
