"""Oracles of the resampling tests of ``algorithms/`` (``bootstrap.py``, ``sign_flip.py``,
``reassignment.py``, the personalisation controls' tests, and ``agreement.py``):
each Monte Carlo p or interval against the exact distribution, enumerated here (every bootstrap
resample, every sign pattern by a count of sums, every assignment of rankings to cases, every
shuffle of a labeling).

A Monte Carlo p estimates the exact share; the tolerances are >= 4 of its standard errors.
Results are read by position or key only (their types may gain fields).
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest

from medtwin.platform.algorithms.agreement import adjusted_rand_index, permutation_p
from medtwin.platform.algorithms.bootstrap import bootstrap_mean_test, bootstrap_stratified
from medtwin.platform.algorithms.reassignment import reassignment_without_each
from medtwin.platform.algorithms.sign_flip import sign_flip_without_each


def _exact_quantile(values: np.ndarray, q: float) -> float:
    """The smallest value whose exact CDF reaches ``q``, asserting that no CDF step sits within
    1 % of ``q`` (so a sample quantile of 10,000 resamples is that value)."""
    v, counts = np.unique(np.round(values, 12), return_counts=True)
    cdf = np.cumsum(counts) / counts.sum()
    k = int(np.searchsorted(cdf, q))
    below = cdf[k - 1] if k else 0.0
    assert below <= q - 0.01, "the exact CDF steps too near q"
    assert cdf[k] >= q + 0.01, "the exact CDF steps too near q"
    return float(v[k])


def _exact_tail_p(values: np.ndarray) -> float:
    """Two-sided bootstrap p of "= 0" on the exact distribution: 2 min(P(<= 0), P(>= 0))."""
    return min(1.0, 2 * min((values <= 1e-12).mean(), (values >= -1e-12).mean()))


def test_bootstrap_mean_test_converges_to_the_exact_bootstrap_distribution() -> None:
    x = np.array([3.0, 1.0, 1.0, -1.0])  # few distinct means: CDF steps far from 2.5 %, 97.5 %
    # the exact enumeration: all 4^4 = 256 resamples of four cases, each as likely
    means = np.array([x[list(r)].mean() for r in itertools.product(range(4), repeat=4)])
    r = bootstrap_mean_test(x, n_boot=10_000, seed=4)
    mean, low, high, p = r.value, r.low, r.high, r.p
    assert mean == 1.0
    assert low == pytest.approx(_exact_quantile(means, 0.025), abs=1e-12)
    assert high == pytest.approx(_exact_quantile(means, 0.975), abs=1e-12)
    # exact p 2 x P(mean* <= 0); Monte Carlo SE ~ 0.009 at 10,000 resamples
    assert p == pytest.approx(_exact_tail_p(means), abs=0.04)


def test_bootstrap_stratified_converges_to_the_exact_bootstrap_distribution() -> None:
    # the exact enumeration: cohorts of 3 and 3, 27 x 27 = 729 resamples, each cohort
    # resampled within itself
    strata = ["a", "a", "a", "b", "b", "b"]
    x = np.array([0.0, 0.0, 0.0, 3.0, -1.0, 0.0])

    def stat(idx: np.ndarray) -> float:
        return float(x[idx].mean())

    exact = np.array(
        [
            stat(np.array(a + b))
            for a in itertools.product(range(3), repeat=3)
            for b in itertools.product(range(3, 6), repeat=3)
        ]
    )
    r = bootstrap_stratified(stat, strata, n_boot=10_000, seed=2)
    value, low, high, p = r.value, r.low, r.high, r.p
    assert value == pytest.approx(x.mean())
    assert low == pytest.approx(_exact_quantile(exact, 0.025), abs=1e-12)
    assert high == pytest.approx(_exact_quantile(exact, 0.975), abs=1e-12)
    assert p == pytest.approx(_exact_tail_p(exact), abs=0.04)


def _sign_flip_exact(values: np.ndarray) -> float:
    """Exact two-sided sign-flip p of integer values: the number of the 2^n patterns per sum,
    by a count of sums (one value at a time), never by listing the patterns."""
    counts: Counter[int] = Counter({0: 1})
    for v in values.astype(int).tolist():
        nxt: Counter[int] = Counter()
        for s, c in counts.items():
            nxt[s + v] += c
            nxt[s - v] += c
        counts = nxt
    observed = abs(int(values.sum()))
    return sum(c for s, c in counts.items() if abs(s) >= observed) / 2 ** len(values)


@pytest.mark.parametrize(("n", "seed"), [(6, 0), (12, 1), (30, 2), (40, 3)])
def test_sign_flip_without_each_equals_the_exact_count_of_sign_patterns(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(-4, 9, size=n).astype(float)  # integer gains, ties and both signs
    x[rng.integers(n)] = np.nan  # a case without a gain: no entry, left out of the others
    got = sign_flip_without_each(x, seed=seed, n_random=20_000).p
    keep = np.flatnonzero(np.isfinite(x))
    assert np.isnan(got[~np.isfinite(x)]).all()
    for i in keep:
        exact = _sign_flip_exact(x[keep[keep != i]])
        if keep.size - 1 <= 20:  # every pattern enumerated: equal
            assert got[i] == pytest.approx(exact, abs=1e-12)
        else:  # 20,000 random patterns: SE <= 0.0036
            assert got[i] == pytest.approx(exact, abs=0.015)


def _gains_brute(m: np.ndarray) -> np.ndarray:
    """G[k, c] = M[k, c] minus the mean of column c over the other finite rows (reassignment.py)."""
    n = m.shape[0]
    g = np.full(m.shape, np.nan)
    for c in range(n):
        for k in range(n):
            others = [m[j, c] for j in range(n) if j != k and np.isfinite(m[j, c])]
            if np.isfinite(m[k, c]) and others:
                g[k, c] = m[k, c] - sum(others) / len(others)
    return g


def test_reassignment_without_each_equals_the_exact_count_of_assignments() -> None:
    # ten cases (the shortcut's random path starts at ten); case 7 has no AUROC (a NaN column)
    rng = np.random.default_rng(11)
    m = np.round(rng.random((10, 10)) * 0.6 + 0.2, 1)
    m[np.arange(10), np.arange(10)] += 0.15  # own rankings a little better: small p
    m[:, 7] = np.nan
    loo = reassignment_without_each(m, seed=5, n_random=20_000)
    mean, greater, two_sided = loo.mean, loo.p_greater, loo.p_two_sided
    perms = np.array(list(itertools.permutations(range(9))), dtype=np.int8)  # all 9! = 362,880
    for i in (0, 3, 7, 9):
        rest = [c for c in range(10) if c != i]
        g = _gains_brute(m[np.ix_(rest, rest)])
        cols = np.flatnonzero(np.isfinite(g).any(axis=0))
        t = g[perms[:, cols], cols].mean(axis=1)  # statistic of every assignment
        observed = float(np.mean(np.diag(g)[cols]))
        assert mean[i] == pytest.approx(observed, abs=1e-12)
        exact_greater = float((t >= observed - 1e-12).mean())
        exact_two = float((np.abs(t) >= abs(observed) - 1e-12).mean())
        assert greater[i] == pytest.approx(exact_greater, abs=0.015)
        assert two_sided[i] == pytest.approx(exact_two, abs=0.015)


def test_permutation_p_converges_to_the_exact_share_of_all_shuffles() -> None:
    a = ["x", "x", "y", "y", "z", "z"]
    b = [0, 0, 1, 2, 2, 1]
    observed = adjusted_rand_index(a, b)
    # all 6! = 720 shuffles of b, each as likely
    shuffled = [adjusted_rand_index(a, [b[i] for i in p]) for p in itertools.permutations(range(6))]
    exact = float(np.mean([v >= observed - 1e-12 for v in shuffled]))
    r = permutation_p(a, b, n=4000, seed=8)
    got_ari, p = r.ari, r.p
    assert got_ari == observed
    # (1 + hits) / (1 + 4000) estimates the exact share; SE <= 0.008
    assert p == pytest.approx(exact, abs=0.03)
    assert 0 < exact < 0.5  # the case tells p from 1 - p


@pytest.mark.parametrize("n", [1, 2, 7])
def test_permutation_p_of_a_constant_labeling_is_one_by_hand(n: int) -> None:
    # b of one cluster: every shuffle is b itself, so all n reach the observed ARI and
    # p = (1 + n) / (1 + n) = 1; a shuffle never lowers p below 1 / (1 + n)
    # (its ARI is 0, as sklearn's adjusted_rand_score([0, 0, 1, 1], [5, 5, 5, 5]))
    r = permutation_p([0, 0, 1, 1], [5, 5, 5, 5], n=n)
    assert (r.ari, r.p) == (0.0, 1.0)
    r = permutation_p([0, 0, 1, 1, 2], [0, 0, 1, 1, 2], n=n, seed=1)
    ari, p = r.ari, r.p
    assert ari == 1.0
    assert p * (1 + n) == pytest.approx(round(p * (1 + n)))  # (b + 1) / (m + 1)
    assert 1 / (1 + n) <= p <= 1.0
