"""Fixtures for the patient loaders: a dict-backed gene resolver and the sample folder."""

from __future__ import annotations

from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.loaders.patient_tables import HpoVocabulary

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"


class FakeGenes:
    """Symbol / synonym / Entrez id -> Entrez id, case-insensitive, like GeneIndex.resolve."""

    def __init__(self, symbols: dict[str, str]) -> None:
        self._map = {k.upper(): v for k, v in symbols.items()}
        self._ids = set(symbols.values())

    def resolve(self, symbol_or_entrez: str) -> str | None:
        if symbol_or_entrez in self._ids:
            return symbol_or_entrez
        return self._map.get(symbol_or_entrez.upper())


def two_type_h5ad(path: Path, var_names: list[str], counts: np.ndarray) -> Path:
    """Write 40 cells (20 of type A, then 20 of B) with ``counts`` (40 x genes), log1p, as h5ad."""
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame(
            {"cell_type": ["A"] * 20 + ["B"] * 20}, index=[f"c{i}" for i in range(40)]
        ),
        var=pd.DataFrame(index=var_names),
    )
    adata.write_h5ad(path)
    return path


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def genes() -> FakeGenes:
    return FakeGenes(
        {
            "TNF": "7124",
            "IL6": "3569",
            "CD4": "920",
            "STAT3": "6774",
            "TP53": "7157",
            "BRCA1": "672",
            "GA": "1",
            "GX": "1",  # synonym of GA
            "GB": "2",
            "GC": "3",
        }
    )


@pytest.fixture
def hpo() -> HpoVocabulary:
    return HpoVocabulary(
        ids=frozenset({"HP:0001945", "HP:0002829", "HP:0000001", "HP:0000005"}),
        replaced_by={"HP:0000005": "HP:0000001"},
        names={"fever": "HP:0001945", "arthralgia": "HP:0002829"},
    )
