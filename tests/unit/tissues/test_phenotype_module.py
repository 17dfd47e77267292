"""Phenotype modules: the co-occurrence rule and the degree-matched overlap null on a toy."""

from __future__ import annotations

import math

import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network
from medtwin.platform.phenotype_module import phenotype_module

# A 40-gene ring: every gene has degree 2, so the degree-matched null is uniform sampling without
# replacement and the overlap of a random set of |G| genes with the module is hypergeometric.
RING = Network.from_edges([(str(i), str(i % 40 + 1)) for i in range(1, 41)])
MODULE = ["1", "2", "3", "4", "5"]


def _hypergeom_tail(k: int, n_pop: int, n_good: int, n_draw: int) -> float:
    total = math.comb(n_pop, n_draw)
    return (
        sum(
            math.comb(n_good, i) * math.comb(n_pop - n_good, n_draw - i)
            for i in range(k, min(n_good, n_draw) + 1)
        )
        / total
    )


def test_module_rule_sums_cooccurrence_weights() -> None:
    theta = {"Symptom": 0.3, "Phenotype": 0.2}
    edges = [
        ("S1", "S2", 0.6, "Symptom"),  # strong with one symptom: joins
        ("S1", "S3", 0.2, "Symptom"),  # weak with one symptom only: stays out
        ("S1", "S4", 0.2, "Symptom"),
        ("S9", "S4", 0.15, "Symptom"),  # weak with two symptoms, sum 0.35 >= 0.3: joins
        ("S1", "H1", 0.12, "Phenotype"),  # HPO scale: any stored edge (>= 0.1) joins
        ("S3", "S5", 0.9, "Symptom"),  # not touching the patient's symptoms: ignored
    ]
    got = phenotype_module(["S1", "S9"], edges, {}, MODULE, RING, n_samples=10, min_weight=theta)
    assert got.co_occurring == (("S2", 0.6), ("S4", 0.35))  # H1: 0.12 < 0.2
    default = phenotype_module(["S1", "S9"], edges, {}, MODULE, RING, n_samples=10)
    # Default θ: 0.5 for HSDN symptoms (S4's 0.35 is out), 0.1 for HPO terms (H1 is in).
    assert default.co_occurring == (("S2", 0.6), ("H1", 0.12))
    assert got.p is None  # no phenotype gene: no test
    assert not got.significant


def test_planted_cooccurring_symptom_with_module_genes_is_significant() -> None:
    # The patient presents S1 (annotated to gene 1); S2 co-occurs with it and is annotated to
    # genes 2, 3, 4: all four phenotype genes lie in the 5-gene module of a 40-gene network.
    annotations = {"S1": ["1"], "S2": ["2", "3", "4"], "S3": ["30"]}
    got = phenotype_module(
        ["S1"],
        [("S1", "S2", 0.6, "Symptom"), ("S1", "S3", 0.1, "Symptom")],
        annotations,
        MODULE,
        RING,
        n_samples=2000,
        seed=7,
    )
    assert got.genes == ("1", "2", "3", "4")
    assert got.overlap == 4
    assert got.overlap_genes == ("1", "2", "3", "4")
    # Null mean = |G| |M| / N = 4 * 5 / 40 = 0.5 (hypergeometric), sd^2 = 0.5 * 35/40 * 36/39.
    assert got.mu == pytest.approx(0.5, abs=0.05)
    assert got.sigma == pytest.approx(math.sqrt(0.5 * 35 / 40 * 36 / 39), abs=0.05)
    # P(overlap >= 4) = 5 / 91390 ~ 5e-5: no random set reaches it, so p sits at 1/(n+1).
    assert _hypergeom_tail(4, 40, 5, 4) == pytest.approx(5 / 91390)
    assert got.p == pytest.approx(1 / 2001)
    assert got.significant
    assert (got.n_samples, got.seed) == (2000, 7)


def test_shuffled_annotations_are_not_significant() -> None:
    # The same symptoms, but the co-occurring symptom's genes moved away from the module.
    annotations = {"S1": ["20"], "S2": ["21", "30", "35"]}
    got = phenotype_module(
        ["S1"], [("S1", "S2", 0.6, "Symptom")], annotations, MODULE, RING, n_samples=2000, seed=7
    )
    assert got.overlap == 0
    assert got.p == pytest.approx(1.0)
    assert not got.significant


def test_without_the_cooccurring_symptom_the_link_is_weaker() -> None:
    # S2 joins only through co-occurrence: below the threshold its genes are not used.
    annotations = {"S1": ["1"], "S2": ["2", "3", "4"]}
    got = phenotype_module(
        ["S1"], [("S1", "S2", 0.1, "Symptom")], annotations, MODULE, RING, n_samples=2000, seed=7
    )
    assert got.co_occurring == ()
    assert got.overlap == 1
    # P(overlap >= 1) for one gene drawn from 40 with 5 in the module = 1/8: not significant.
    assert got.p == pytest.approx(5 / 40, abs=0.03)
    assert not got.significant


def test_seeded_null_is_reproducible() -> None:
    args = (
        ["S1"],
        [("S1", "S2", 0.6, "Symptom")],
        {"S1": ["1", "9"], "S2": ["2", "17"]},
        MODULE,
        RING,
    )
    a = phenotype_module(*args, n_samples=300, seed=3)
    b = phenotype_module(*args, n_samples=300, seed=3)
    assert (a.mu, a.sigma, a.p) == (b.mu, b.sigma, b.p)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(InputError, match="min_weight"):
        phenotype_module(["S1"], [], {}, MODULE, RING, min_weight={"Symptom": 0})
    with pytest.raises(InputError, match="n_samples"):
        phenotype_module(["S1"], [], {}, MODULE, RING, n_samples=5)


def test_edge_of_a_kind_without_threshold_is_refused() -> None:
    with pytest.raises(InputError, match="no min_weight"):
        phenotype_module(
            ["S1"], [("S1", "S2", 0.9, "Disease")], {}, MODULE, RING, min_weight={"Symptom": 0.3}
        )
