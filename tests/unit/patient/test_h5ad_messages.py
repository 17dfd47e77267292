"""What an h5ad whose obs or var is off is told: one line or one WARNING, no Python warning text.

Before, an h5ad without obs columns said "obs has no column 'cell_type'; columns are" (nothing
after), and repeated var names printed anndata's UserWarning twice, each with its source line.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_singlecell import read_anndata


def _h5ad(path: Path, var: list[str], obs: pd.DataFrame | None = None) -> Path:
    n = 40
    if obs is None:
        obs = pd.DataFrame({"cell_type": ["T", "B"] * (n // 2)}, index=[f"c{i}" for i in range(n)])
    x = np.random.default_rng(0).random((n, len(var))).astype(np.float32) * 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        anndata.AnnData(X=x, obs=obs, var=pd.DataFrame(index=var)).write_h5ad(path)
    return path


def test_obs_without_any_column_says_so_and_the_fix(tmp_path: Path) -> None:
    path = _h5ad(
        tmp_path / "a.h5ad", ["TNF", "IL6"], pd.DataFrame(index=[f"c{i}" for i in range(40)])
    )
    with pytest.raises(SourceFormatError) as e:
        read_anndata(path, cell_type_key="cell_type")
    assert str(e.value) == (
        f"{path}: obs has no column 'cell_type' and no column at all: annotate the cells "
        "(e.g. adata.obs['cell_type']) and write the file again"
    )


def test_obs_without_the_column_names_its_columns_and_the_options(tmp_path: Path) -> None:
    obs = pd.DataFrame({"louvain": ["0", "1"] * 20}, index=[f"c{i}" for i in range(40)])
    path = _h5ad(tmp_path / "a.h5ad", ["TNF", "IL6"], obs)
    with pytest.raises(SourceFormatError) as e:
        read_anndata(path, cell_type_key="cell_type")
    assert str(e.value) == (
        f"{path}: obs has no column 'cell_type'; its columns are 'louvain': name one of them "
        "(--cell-type-key, --condition-key, --tissue-key)"
    )


def test_an_obs_of_500_columns_names_the_first_10_and_counts_the_rest(tmp_path: Path) -> None:
    """Before, all 500 were listed: a message of 8,504 characters (277 now), path aside."""
    obs = pd.DataFrame(
        {f"qc_metric_{i}": [0.0] * 40 for i in range(500)}, index=[f"c{i}" for i in range(40)]
    )
    path = _h5ad(tmp_path / "a.h5ad", ["TNF", "IL6"], obs)
    with pytest.raises(SourceFormatError) as e:
        read_anndata(path, cell_type_key="cell_type")
    first = ", ".join(f"'qc_metric_{i}'" for i in range(10))
    assert str(e.value) == (
        f"{path}: obs has no column 'cell_type'; its columns are {first} and 490 more: name one "
        "of them (--cell-type-key, --condition-key, --tissue-key)"
    )


def test_repeated_var_names_are_one_warning_of_ours(tmp_path: Path, caplog) -> None:
    path = _h5ad(tmp_path / "a.h5ad", ["TNF", "TNF", "IL6", "CD4"])
    with warnings.catch_warnings(record=True) as python_warnings:
        warnings.simplefilter("always")
        with caplog.at_level(logging.WARNING, logger="medtwin"):
            read_anndata(path, cell_type_key="cell_type")
    assert [str(w.message) for w in python_warnings] == []
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == [
        "a.h5ad: 1 var name(s) occur more than once (TNF); each cell type keeps the column of "
        "the largest |z| of such a gene; give each gene one column (keep one copy, or "
        "adata.var_names_make_unique())"
    ]
