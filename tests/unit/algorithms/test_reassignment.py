"""The reassignment (permutation) p of the own − swapped gain (stop 51): by hand, against scipy,
and its leave-one-case-out shortcuts against the direct computation."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import permutation_test

import medtwin.platform.algorithms.reassignment as reassignment
from medtwin.errors import InputError
from medtwin.platform.algorithms.controls import swap_gain
from medtwin.platform.algorithms.reassignment import (
    reassignment_gains,
    reassignment_test,
    reassignment_without_each,
)
from medtwin.platform.algorithms.sign_flip import sign_flip_test, sign_flip_without_each

# M[k, i]: ranking k on case i's labels (swap_gain's doctest matrix)
TOY = [[0.9, 0.2, 0.5], [0.7, 0.6, 0.5], [0.5, 0.4, 0.5]]


def test_toy_three_cases_all_six_assignments_by_hand() -> None:
    # G[k, i] = M[k, i] - mean of column i's other two rows:
    # column 0 (0.9, 0.7, 0.5) -> 0.3, 0, -0.3; column 1 (0.2, 0.6, 0.4) -> -0.3, 0.3, 0;
    # column 2 (0.5 each) -> 0
    g = reassignment_gains(TOY)
    assert g.round(12).tolist() == [[0.3, -0.3, 0.0], [0.0, 0.3, 0.0], [-0.3, 0.0, 0.0]]
    # T(pi) = mean_i G[pi(i), i] over the 6 assignments pi = (pi(0), pi(1), pi(2)):
    # 012: 0.2 (observed), 021: 0.1, 102: -0.1, 120: 0, 201: -0.2, 210: 0
    hand = {(0, 1, 2): 0.2, (0, 2, 1): 0.1, (1, 0, 2): -0.1, (1, 2, 0): 0.0, (2, 0, 1): -0.2,
            (2, 1, 0): 0.0}  # fmt: skip
    for pi, t in hand.items():
        assert g[list(pi), [0, 1, 2]].mean() == pytest.approx(t)
    r = reassignment_test(TOY)
    # the observed statistic is the mean gain the harness reports
    assert r.mean == pytest.approx(float(np.mean(swap_gain(TOY)[2])))
    assert r.mean == pytest.approx(0.2)
    # >= 0.2: the identity only; |T| >= 0.2: the identity and 201
    assert (r.p_greater, r.p_two_sided) == (pytest.approx(1 / 6), pytest.approx(2 / 6))
    assert (r.exact, r.permutations, r.seed, r.n, r.cases) == (True, 6, None, 3, 3)


def test_a_ranking_the_same_for_every_case_has_p_one() -> None:
    # degree-like: every ranking identical, every assignment gives gain 0 up to float noise
    m = np.tile([[0.61, 0.73, 0.58, 0.9, 0.55]], (5, 1)) / 3 * 3
    r = reassignment_test(m)
    assert abs(r.mean) < 1e-12
    assert (r.p_greater, r.p_two_sided) == (1.0, 1.0)


def _case(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = np.round(rng.random((n, n)), 2)
    m[np.arange(n), np.arange(n)] += 0.1
    m[1, 0] = m[2, 0]  # ties
    return m


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_exact_p_equals_scipy_permutation_test_pairings(seed: int) -> None:
    # scipy permutes which ranking meets which case's labels ("pairings" of one sample, the
    # ranking indices) and enumerates all 6! when n_resamples is infinite. (Seed 1 is left
    # out: its |T| = 0.001 is tied, in exact arithmetic, by 3 assignments that floats put
    # 1e-16 below; our 1e-12 tolerance counts them, scipy's relative 1e-14 does not.)
    m = _case(seed, 6)
    g = reassignment_gains(m)
    cols = np.arange(6)

    def mean_gain(rankings: np.ndarray) -> float:
        return float(g[rankings.astype(int), cols].mean())

    ours = reassignment_test(m)
    greater = permutation_test(
        (cols,), mean_gain, permutation_type="pairings", n_resamples=np.inf,
        alternative="greater", vectorized=False,
    )  # fmt: skip
    # E T = 0 under H0, so the two-sided p is the one-sided p of |T| (scipy's "two-sided"
    # doubles the smaller tail instead)
    two = permutation_test(
        (cols,), lambda r: abs(mean_gain(r)), permutation_type="pairings",
        n_resamples=np.inf, alternative="greater", vectorized=False,
    )  # fmt: skip
    assert ours.exact
    assert ours.permutations == math.factorial(6)
    assert ours.p_greater == pytest.approx(greater.pvalue, rel=1e-12)
    assert ours.p_two_sided == pytest.approx(two.pvalue, rel=1e-12)
    assert ours.mean == pytest.approx(greater.statistic)


def test_random_assignments_approach_the_exact_p_and_record_their_seed() -> None:
    m = _case(3, 8)
    exact = reassignment_test(m)
    random = reassignment_test(m, max_exact=0, n_random=40_000, seed=7)
    assert (random.exact, random.seed, random.permutations) == (False, 7, 40_001)
    assert random.p_greater == pytest.approx(exact.p_greater, abs=0.01)
    assert random.p_two_sided == pytest.approx(exact.p_two_sided, abs=0.01)
    assert reassignment_test(m, max_exact=0, n_random=500, seed=7) == reassignment_test(
        m, max_exact=0, n_random=500, seed=7
    )


def test_cases_without_an_auroc_keep_their_ranking_in_the_assignments() -> None:
    # case 2 has no AUROC (a column of NaN): it is not averaged, but its ranking can be
    # assigned to the others; over all 6 assignments, by hand from G
    m = np.array([[0.9, 0.2, np.nan], [0.7, 0.6, np.nan], [0.5, 0.4, np.nan]])
    g = reassignment_gains(m)
    ts = [np.mean([g[p[0], 0], g[p[1], 1]]) for p in itertools.permutations(range(3))]
    r = reassignment_test(m)
    assert (r.n, r.cases) == (3, 2)
    assert r.mean == pytest.approx(ts[0])
    assert r.p_greater == pytest.approx(sum(t >= ts[0] - 1e-12 for t in ts) / 6)
    assert math.isnan(reassignment_test(np.full((3, 3), np.nan)).p_greater)


def test_bad_input_is_refused() -> None:
    with pytest.raises(InputError, match="square matrix"):
        reassignment_test([[1.0, 2.0]])
    with pytest.raises(InputError, match="n_random"):
        reassignment_test(TOY, n_random=0)


@pytest.mark.parametrize("n", [6, 30])
def test_leave_one_out_shortcut_equals_the_direct_test(n: int, monkeypatch) -> None:
    # the shortcut closes each random assignment around the left-out case; forced below the
    # exact limit at n = 6 it must approach the exact p of every reduced 5-case matrix
    m = _case(4, n)
    m[:, 3] = np.nan  # a case without an AUROC
    direct = [
        reassignment_test(np.delete(np.delete(m, i, 0), i, 1), n_random=60_000, seed=1)
        for i in range(n)
    ]
    monkeypatch.setattr(reassignment, "REASSIGN_EXACT_MAX", 2)
    loo = reassignment_without_each(m, n_random=60_000, seed=2)
    assert loo.seed == 2  # one set of random assignments, its seed recorded
    for i, d in enumerate(direct):
        assert loo.mean[i] == pytest.approx(d.mean, abs=1e-12)
        assert loo.p_greater[i] == pytest.approx(d.p_greater, abs=0.012)
        assert loo.p_two_sided[i] == pytest.approx(d.p_two_sided, abs=0.012)


def test_sign_flip_leave_one_out_from_one_sign_matrix() -> None:
    x = np.random.default_rng(5).normal(0.05, 0.2, size=26)
    x[4] = np.nan
    loo = sign_flip_without_each(x, n_random=60_000, seed=3)
    assert loo.seed == 3
    assert math.isnan(loo.p[4])
    for i in (0, 7, 25):
        direct = sign_flip_test(np.delete(x, i), n_random=60_000, seed=9).p
        assert loo.p[i] == pytest.approx(direct, abs=0.01)
    # 21 cases: each leave-out has 20, enumerated exactly, as sign_flip_test itself does
    small = x[:22]
    exact = sign_flip_without_each(small, seed=3)
    assert exact.p[0] == sign_flip_test(np.delete(small, 0)).p
    assert exact.seed is None  # nothing drawn: no seed to record
