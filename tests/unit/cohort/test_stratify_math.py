"""Adjusted Rand index, Jaccard, kNN pairs and the permutation test, checked by hand."""

from __future__ import annotations

import re

import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.agreement import adjusted_rand_index, permutation_p
from medtwin.platform.stratify import jaccard_matrix, knn_pairs
from medtwin.random_seed import SEED_RULE


def test_ari_hand_computed():
    # Contingency [[2, 1, 0], [0, 1, 2]]: sum C(n_ij, 2) = 2; rows C(3,2)*2 = 6; columns 1+1+1 = 3;
    # expected 6*3/C(6,2) = 1.2; max (6+3)/2 = 4.5; ARI = (2-1.2)/(4.5-1.2) = 0.8/3.3.
    a = [0, 0, 0, 1, 1, 1]
    b = ["x", "x", "y", "y", "z", "z"]
    assert adjusted_rand_index(a, b) == pytest.approx(0.8 / 3.3)
    assert adjusted_rand_index(b, a) == pytest.approx(0.8 / 3.3)


def test_ari_identity_renaming_and_anticorrelation():
    assert adjusted_rand_index([0, 0, 1, 1, 2], ["b", "b", "a", "a", "c"]) == 1.0
    # Every pair together in one labeling is apart in the other: ARI below 0.
    # Contingency all ones (2x2): index 0; rows 1+1 = 2; columns 2; expected 2*2/6; max 2.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(
        (0 - 4 / 6) / (2 - 4 / 6)
    )
    with pytest.raises(InputError):
        adjusted_rand_index([0], [0, 1])


def test_permutation_p_is_small_only_for_real_structure():
    truth = [i // 10 for i in range(40)]  # four groups of ten
    test = permutation_p(truth, truth, n=200, seed=0)
    assert test.ari == 1.0
    assert test.p == pytest.approx(1 / 201)
    assert (test.permutations, test.seed) == (200, 0)
    # Labelings unrelated to the truth: p is uniform, so about 1 in 20 falls below 0.05.
    rng = np.random.default_rng(3)
    ps = []
    for _ in range(20):
        noise = list(rng.integers(0, 4, size=40))
        test = permutation_p(truth, noise, n=100, seed=0)
        assert abs(test.ari) < 0.25
        ps.append(test.p)
    assert sum(p < 0.05 for p in ps) <= 3
    assert 0.3 < float(np.median(ps)) < 0.7
    assert permutation_p(truth, noise, n=100, seed=0) == test  # seeded
    other = permutation_p(truth, noise, n=100, seed=7)
    assert (other.ari, other.seed) == (test.ari, 7)  # the seed it used, recorded


def test_jaccard_and_knn_pairs():
    sets = [frozenset({1, 2, 3}), frozenset({2, 3, 4}), frozenset({9}), frozenset({1, 2, 3, 4})]
    sim = jaccard_matrix(sets)
    assert sim[0, 1] == pytest.approx(2 / 4)
    assert sim[0, 3] == pytest.approx(3 / 4)
    assert sim[2].sum() == 0.0
    assert np.allclose(sim, sim.T)
    pairs = knn_pairs(["a", "b", "c", "d"], sim, 1)
    # a→d (.75), b→d (.75), d→a or d→b (tie .75: a first by id); c has no neighbour.
    assert pairs == [
        {"a": "a", "b": "d", "score": 0.75},
        {"a": "b", "b": "d", "score": 0.75},
    ]
    with pytest.raises(InputError):
        knn_pairs(["a"], np.zeros((1, 1)), 0)


@pytest.mark.parametrize("n", [0, -5])
def test_permutation_p_needs_a_permutation(n: int) -> None:
    """With n = -5, (1 + 0) / (1 + n) gave p = -0.25, which the CLI called better than chance."""
    with pytest.raises(InputError, match=f"permutations must be >= 1, got {n}"):
        permutation_p([0, 0, 1, 1], [0, 0, 1, 1], n=n, seed=0)


def test_a_negative_seed_is_an_input_error_not_numpys_value_error() -> None:
    with pytest.raises(InputError, match=rf"seed {re.escape(SEED_RULE)}, got -1"):
        permutation_p([0, 0, 1, 1], [0, 0, 1, 1], n=5, seed=-1)


def test_stratify_refuses_a_negative_seed_before_storing_anything() -> None:
    from medtwin.platform.stratify import stratify_cohort
    from medtwin.store.memory import MemoryStore

    store = MemoryStore()
    with pytest.raises(InputError, match=rf"seed {re.escape(SEED_RULE)}, got -3"):
        stratify_cohort(store, ["P1", "P2"], labels_key="pathotype", seed=-3)


def test_stratify_refuses_permutations_below_one_on_the_command_line() -> None:
    from click.testing import CliRunner

    from medtwin.cli import cli

    got = CliRunner().invoke(cli, ["cohort", "stratify", "--labels", "x", "--permutations", "-5"])
    assert got.exit_code == 2
    assert "'--permutations': -5 is not in the range x>=1" in got.output
