"""Oracles of ``algorithms/concordance.py`` (and of its bootstrap in ``bootstrap.py``): brute-force
pair loops written from the definitions of its module docstring, ``scipy.stats.kendalltau`` (τ-b)
and exact enumeration of bootstrap resamples, on hand-computed and seeded random cases.

The module computes own, swapped and gain with matrices and inclusion–exclusion; nothing here
reuses that code: each swapped pair term is a plain mean over the other patients ``k, l``.
Results are read by position or key only (their types may gain fields).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import kendalltau

from medtwin.platform.algorithms.bootstrap import bootstrap_own_swapped
from medtwin.platform.algorithms.concordance import (
    harrell_c_gain_form,
    kendall_tau_b_gain_form,
    swapped_kendall_tau_b,
)

SEEDS = range(8)


def _groups(strata, n):
    labels = [0] * n if strata is None else list(strata)
    return [[i for i in range(n) if labels[i] == g] for g in dict.fromkeys(labels)]


def _others(group, i, j, ids):
    """(k, l) of the stratum with k, l not the patients of i, j and not the same patient (the
    module docstring's k, l; ``m`` stands for l here)."""
    who = list(range(max(group) + 1)) if ids is None else list(ids)
    return [
        (k, m)
        for k in group
        for m in group
        if who[k] != who[i] and who[m] != who[j] and who[k] != who[m]
    ]


def _c_term(a: float, b: float) -> float:
    """Harrell's pair term where the first patient fails first: 1 concordant, ½ tied score."""
    return 1.0 if a < b else 0.5 if a == b else 0.0


def _comparable_brute(t, e, i, j) -> bool:
    """i is known to fail before j (module docstring): i's event observed, and T_i < T_j or a tie
    with j censored."""
    return e[i] == 1 and (t[i] < t[j] or (t[i] == t[j] and e[j] == 0))


def harrell_c_brute(s, t, e, strata=None) -> float:
    num = den = 0.0
    for group in _groups(strata, len(s)):
        for i, j in itertools.permutations(group, 2):
            if _comparable_brute(t, e, i, j):
                num += _c_term(s[i], s[j])
                den += 1
    return num / den


def swapped_harrell_c_brute(s, t, e, strata=None, ids=None) -> float:
    num = den = 0.0
    for group in _groups(strata, len(s)):
        for i, j in itertools.permutations(group, 2):
            if _comparable_brute(t, e, i, j):
                pairs = _others(group, i, j, ids)
                num += sum(_c_term(s[k], s[m]) for k, m in pairs) / len(pairs)
                den += 1
    return num / den


def tau_b_brute(s, y, strata=None, ids=None, *, swapped=False) -> float:
    """Kendall's τ-b pooled over strata (module docstring), or its swapped form."""
    num = n0 = ties_s = ties_y = 0.0
    for group in _groups(strata, len(s)):
        for i, j in itertools.combinations(group, 2):
            y_sign = np.sign(y[j] - y[i])
            if swapped:
                pairs = _others(group, i, j, ids)
                sign = sum(np.sign(s[m] - s[k]) for k, m in pairs) / len(pairs)
                tie = sum(s[m] == s[k] for k, m in pairs) / len(pairs)
            else:
                sign, tie = np.sign(s[j] - s[i]), float(s[j] == s[i])
            num += sign * y_sign
            n0 += 1
            ties_s += tie
            ties_y += y_sign == 0
    return num / math.sqrt((n0 - ties_s) * (n0 - ties_y))


def _survival(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 12))
    s = np.round(rng.normal(size=n), 1)  # ties in score
    t = rng.integers(1, 6, size=n).astype(float)  # ties in time
    e = (rng.random(n) < 0.7).astype(float)
    e[0] = 1.0
    strata = rng.choice(["a", "b"], size=n)
    strata[:3], strata[3:6] = "a", "b"  # at least three patients a stratum: "others" exist
    return s, t, e, strata


def _ordinal(seed: int):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(6, 12))
    s = rng.integers(0, 4, size=n).astype(float)
    y = rng.integers(0, 3, size=n).astype(float)
    s[:2], y[:2] = [0.0, 3.0], [0.0, 2.0]  # neither side constant in stratum "a"
    strata = np.array(["a"] * 3 + list(rng.choice(["a", "b"], size=n - 3)))
    strata[3:6] = "b"
    s[3:5], y[3:5] = [0.0, 3.0], [0.0, 2.0]
    return s, y, strata


def test_harrell_c_gain_form_hand_computed_five_patients() -> None:
    # Deaths at 1, 2, 4, censored at 3 and 4, one stratum. Comparable (i fails first):
    # (0,1) (0,2) (0,3) (0,4) (1,2) (1,3) (1,4) (2,4 tie with j censored) -> 8 pairs.
    s = [1.0, 2.0, 1.0, 3.0, 4.0]
    t = [1.0, 2.0, 4.0, 3.0, 4.0]
    e = [1.0, 1.0, 1.0, 0.0, 0.0]
    # own C by hand: s0<s1 1, s0=s2 1/2, s0<s3 1, s0<s4 1, s1>s2 0, s1<s3 1, s1<s4 1, s2<s4 1
    own = (1 + 0.5 + 1 + 1 + 0 + 1 + 1 + 1) / 8
    assert harrell_c_brute(s, t, e) == own == 6.5 / 8
    form = harrell_c_gain_form(s, t, e, ["x"] * 5)
    gain = float(form.gain(np.arange(5)[None, :])[0])
    assert gain == pytest.approx(own - swapped_harrell_c_brute(s, t, e), abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_harrell_c_gain_form_equals_brute_force_under_any_assignment(seed: int) -> None:
    s, t, e, strata = _survival(seed)
    form = harrell_c_gain_form(s, t, e, strata)
    rng = np.random.default_rng(seed)
    perms = [np.arange(s.size)]
    for _ in range(3):  # an assignment within strata: patient i gets the score of perm[i]
        perm = np.arange(s.size)
        for g in np.unique(strata):
            members = np.flatnonzero(strata == g)
            perm[members] = rng.permutation(members)
        perms.append(perm)
    got = form.gain(np.array(perms))
    for perm, value in zip(perms, got, strict=True):
        moved = s[perm]
        expected = harrell_c_brute(moved, t, e, strata) - swapped_harrell_c_brute(
            moved, t, e, strata
        )
        assert value == pytest.approx(expected, abs=1e-12)


def test_swapped_kendall_tau_b_hand_computed() -> None:
    # s = 1, 2, 3 and y = 0, 1, 2. Swapped sign of pair (0, 1): (k, l) in (1,0) (1,2) (2,0),
    # signs -1 +1 -1 -> -1/3; pair (0, 2): (1,0) (2,0) (2,1) -> -1; pair (1, 2): (0,1) (2,0)
    # (2,1) -> -1/3. No ties: tau = (-1/3 - 1 - 1/3) / 3 = -5/9.
    assert swapped_kendall_tau_b([1, 2, 3], [0, 1, 2]) == pytest.approx(-5 / 9, abs=1e-12)
    assert tau_b_brute([1, 2, 3], [0, 1, 2], swapped=True) == pytest.approx(-5 / 9, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_swapped_kendall_tau_b_equals_brute_force_with_ties_strata_and_ids(seed: int) -> None:
    s, y, strata = _ordinal(seed)
    assert swapped_kendall_tau_b(s, y, strata) == pytest.approx(
        tau_b_brute(s, y, strata, swapped=True), abs=1e-12
    )
    # a bootstrap resample: a duplicated patient is not "other" for its copy
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(s.size, size=s.size + 3))
    rows = np.r_[np.arange(6), rows]  # keeps three distinct patients a stratum
    assert swapped_kendall_tau_b(s[rows], y[rows], strata[rows], ids=rows) == pytest.approx(
        tau_b_brute(s[rows], y[rows], strata[rows], ids=rows, swapped=True), abs=1e-12
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_kendall_tau_b_gain_form_equals_scipy_minus_brute_swapped(seed: int) -> None:
    s, y, _ = _ordinal(seed)
    one = ["z"] * s.size  # one stratum: scipy's tau-b is the own statistic
    form = kendall_tau_b_gain_form(s, y, one)
    own = kendalltau(s, y, variant="b").statistic
    gain = float(form.gain(np.arange(s.size)[None, :])[0])
    assert gain == pytest.approx(own - tau_b_brute(s, y, swapped=True), abs=1e-12)
    # and under an assignment (patient i gets the score of perm[i])
    perm = np.random.default_rng(seed).permutation(s.size)
    moved = float(form.gain(perm[None, :])[0])
    expected = kendalltau(s[perm], y, variant="b").statistic - tau_b_brute(s[perm], y, swapped=True)
    assert moved == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_kendall_tau_b_gain_form_pools_strata_as_the_brute_force(seed: int) -> None:
    s, y, strata = _ordinal(seed)
    form = kendall_tau_b_gain_form(s, y, strata)
    gain = float(form.gain(np.arange(s.size)[None, :])[0])
    expected = tau_b_brute(s, y, strata) - tau_b_brute(s, y, strata, swapped=True)
    assert gain == pytest.approx(expected, abs=1e-12)


def _exact_bootstrap(strata: list[str]):
    """Every stratified resample, each as likely: the product of m^m ordered draws a stratum."""
    groups = _groups(strata, len(strata))
    per_group = [list(itertools.product(g, repeat=len(g))) for g in groups]
    return [np.array(sum(combo, ())) for combo in itertools.product(*per_group)]


def test_bootstrap_own_swapped_converges_to_the_exact_bootstrap_distribution() -> None:
    # two cohorts (3 + 2 patients): 27 x 4 = 108 equally likely resamples, enumerated by hand
    strata = ["a", "a", "a", "b", "b"]
    x = np.array([0.9, 0.2, 0.5, 0.7, 0.1])
    z = np.array([0.3, 0.4, 0.2, 0.3, 0.6])

    def own(idx):
        return float(x[idx].mean())

    def swapped(idx):
        return float(z[idx].mean())

    exact = _exact_bootstrap(strata)
    assert len(exact) == 108
    gains = np.array([own(r) - swapped(r) for r in exact])
    owns = np.array([own(r) for r in exact])
    got = bootstrap_own_swapped(own, swapped, strata, n_boot=10_000, seed=3)
    assert got.own == pytest.approx(x.mean())
    assert got.swapped == pytest.approx(z.mean())
    assert got.gain == pytest.approx(x.mean() - z.mean())

    def quantile(values, q):  # the smallest value whose exact CDF reaches q
        v = np.sort(values)
        cdf = np.arange(1, v.size + 1) / v.size
        return v[np.searchsorted(cdf, q - 1e-12)]

    # the exact CDF steps over 2.5 % (0.9 % -> 3.7 %) and 97.5 % (96.3 % -> 99.1 %) with a margin
    # of > 6 Monte Carlo SE: the sample quantile is the exact one
    assert got.own_low == pytest.approx(quantile(owns, 0.025), abs=1e-12)
    assert got.own_high == pytest.approx(quantile(owns, 0.975), abs=1e-12)
    assert got.gain_low == pytest.approx(quantile(gains, 0.025), abs=1e-12)
    assert got.gain_high == pytest.approx(quantile(gains, 0.975), abs=1e-12)
    # p = 2 min(P(gain* <= 0), P(gain* >= 0)) over the exact resamples (2 x 28/108 here);
    # Monte Carlo SE of the estimate ~ 0.009 at 10,000 resamples
    tail = min((gains <= 1e-12).mean(), (gains >= -1e-12).mean())
    assert got.gain_p == pytest.approx(min(1.0, 2 * tail), abs=0.03)


def test_bootstrap_own_swapped_hand_computed_single_patient_strata() -> None:
    # one patient a stratum: every resample is the data itself, so both intervals collapse and
    # no resample gain is <= 0: the smallest p, 2 / (B + 1) = 2 / 100
    got = bootstrap_own_swapped(
        lambda idx: 0.8, lambda idx: 0.5, ["a", "b", "c"], n_boot=99, seed=0
    )
    assert (got.own, got.own_low, got.own_high) == (0.8, 0.8, 0.8)
    assert got.gain == pytest.approx(0.3)
    assert (got.gain_low, got.gain_high) == pytest.approx((0.3, 0.3))
    assert got.gain_p == pytest.approx(0.02)
