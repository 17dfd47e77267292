"""Oracles of ``platform/cooccurrence.py``: every pair's cosine (symptoms) and Jaccard index
(phenotypes) and shared-disease count against a pandas crosstab and scikit-learn's
``cosine_similarity`` / ``pairwise_distances(metric="jaccard")``, on seeded random annotations
with duplicate rows; plus a hand-computed toy case of each."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import pairwise_distances
from sklearn.metrics.pairwise import cosine_similarity

from medtwin.loaders.rows import DiseasePhenotypeRow, DiseaseSymptomRow
from medtwin.platform.cooccurrence import phenotype_cooccurrence, symptom_cooccurrence


def _symptom(d: str, s: str, w: float) -> DiseaseSymptomRow:
    return DiseaseSymptomRow(
        disease_id=d, symptom_id=s, tfidf=w, cooccurs=1, source="hsdn", source_version="1"
    )


def _phenotype(d: str, p: str) -> DiseasePhenotypeRow:
    return DiseasePhenotypeRow(disease_id=d, phenotype_id=p, source="hpo", source_version="1")


def _pairs(frame: pd.DataFrame, weight: np.ndarray, shared: np.ndarray, lo: float, k: int):
    terms = list(frame.index)
    return {
        (terms[i], terms[j]): (float(weight[i, j]), int(shared[i, j]))
        for i in range(len(terms))
        for j in range(i + 1, len(terms))
        if shared[i, j] >= k and weight[i, j] >= lo
    }


def _assert_same_pairs(edges, expected) -> None:
    got = {(e.a, e.b): (e.weight, e.shared) for e in edges}
    assert expected  # the thresholds leave pairs to compare
    assert got.keys() == expected.keys()
    for pair, (w, n) in expected.items():
        assert got[pair][0] == pytest.approx(w, abs=1e-12)
        assert got[pair][1] == n


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("lo", "k"), [(0.0, 1), (0.2, 2)])
def test_symptom_cosine_equals_sklearn_on_a_pandas_crosstab(seed: int, lo: float, k: int) -> None:
    rng = np.random.default_rng(seed)
    rows = [
        _symptom(f"d{rng.integers(12)}", f"S{rng.integers(15):02d}", float(rng.integers(1, 6)))
        for _ in range(70)
    ]  # repeated (disease, symptom) rows: their weights add up, as the sparse matrix sums them
    frame = pd.DataFrame([(r.symptom_id, r.disease_id, r.tfidf) for r in rows], columns=list("sdw"))
    table = frame.pivot_table(index="s", columns="d", values="w", aggfunc="sum", fill_value=0.0)
    shared = (table.to_numpy() > 0).astype(int) @ (table.to_numpy() > 0).T.astype(int)
    expected = _pairs(table, cosine_similarity(table.to_numpy()), shared, lo, k)
    _assert_same_pairs(symptom_cooccurrence(rows, min_weight=lo, min_shared=k), expected)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("lo", "k"), [(0.0, 1), (0.1, 3)])
def test_phenotype_jaccard_equals_sklearn_on_a_pandas_crosstab(
    seed: int, lo: float, k: int
) -> None:
    rng = np.random.default_rng(seed)
    rows = [_phenotype(f"OMIM:{rng.integers(15)}", f"HP:{rng.integers(12):07d}") for _ in range(90)]
    frame = pd.DataFrame([(r.phenotype_id, r.disease_id) for r in rows], columns=["p", "d"])
    table = pd.crosstab(frame.p, frame.d) > 0  # a repeated annotation counts once
    jaccard = 1.0 - pairwise_distances(table.to_numpy(), metric="jaccard")
    shared = table.to_numpy().astype(int) @ table.to_numpy().T.astype(int)
    expected = _pairs(table, jaccard, shared, lo, k)
    _assert_same_pairs(phenotype_cooccurrence(rows, min_weight=lo, min_shared=k), expected)


def test_hand_computed_toy_cases() -> None:
    # symptoms: A over (d1, d2, d3) = (1, 2, 0), B = (2, 0, 2), C = (0, 0, 5)
    # cos(A, B) = 2 / (sqrt 5 sqrt 8), 1 shared; cos(B, C) = 10 / (sqrt 8 * 5), 1 shared; A, C: 0
    rows = [
        _symptom("d1", "A", 1.0),
        _symptom("d2", "A", 2.0),
        _symptom("d1", "B", 2.0),
        _symptom("d3", "B", 2.0),
        _symptom("d3", "C", 5.0),
    ]
    got = [
        (e.a, e.b, e.weight, e.shared)
        for e in symptom_cooccurrence(rows, min_weight=0.0, min_shared=1)
    ]
    assert got == [
        ("A", "B", pytest.approx(2 / (math.sqrt(5) * math.sqrt(8))), 1),
        ("B", "C", pytest.approx(10 / (math.sqrt(8) * 5)), 1),
    ]
    # phenotypes: P over {1, 2, 3}, Q over {2, 3, 4, 5}, R over {5}: J(P, Q) = 2/5, J(Q, R) = 1/4
    annotations = {"P": "123", "Q": "2345", "R": "5"}
    rows_p = [_phenotype(f"OMIM:{d}", p) for p, ds in annotations.items() for d in ds]
    got_p = [
        (e.a, e.b, e.weight, e.shared)
        for e in phenotype_cooccurrence(rows_p, min_weight=0.0, min_shared=1)
    ]
    assert got_p == [("P", "Q", pytest.approx(2 / 5), 2), ("Q", "R", pytest.approx(1 / 4), 1)]
