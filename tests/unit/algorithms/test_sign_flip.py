"""The exact sign-flip permutation p of a mean gain (stop 50): by hand, and against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import permutation_test

from medtwin.errors import InputError
from medtwin.platform.algorithms.sign_flip import sign_flip_test


@pytest.mark.parametrize(
    ("gains", "p"),
    [
        # 8 patterns; |sum| >= 6 only for +++ and ---
        ([1.0, 2.0, 3.0], 2 / 8),
        # sum 2: +-- and -++ give 0, the other six reach |sum| >= 2
        ([1.0, -1.0, 2.0], 6 / 8),
        # sum 0: every pattern reaches it
        ([1.0, -1.0, 0.0], 1.0),
        # |sum| is 0.6, 0.4, 0.2 or 0; only +++ and --- reach 0.6 (in floats: the tolerance)
        ([0.1, 0.2, 0.3], 2 / 8),
        # ties: 1, 1, -1 (sum 1): |sum| is 3 or 1 for every pattern
        ([1.0, 1.0, -1.0], 1.0),
    ],
)
def test_sign_flip_p_hand_computed(gains: list[float], p: float) -> None:
    r = sign_flip_test(gains)
    assert r.p == pytest.approx(p)
    assert (r.exact, r.patterns, r.seed, r.n) == (True, 8, None, 3)
    assert r.mean == pytest.approx(sum(gains) / 3)


def test_missing_cases_are_left_out_as_the_bootstrap_does() -> None:
    r = sign_flip_test([1.0, math.nan, 2.0, 3.0])
    assert (r.n, r.patterns, r.p) == (3, 8, 0.25)
    empty = sign_flip_test([math.nan])
    assert math.isnan(empty.p)
    assert empty.n == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_p_equals_scipy_permutation_test(seed: int) -> None:
    # an independent implementation: scipy enumerates all 2^n sign patterns ("samples" with
    # one sample) when n_resamples is at least 2^n; ties and a zero gain included
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(0.02, 0.05, size=12), 3)
    x[3] = x[5]
    x[7] = 0.0
    ours = sign_flip_test(x)
    theirs = permutation_test(
        (x,), np.mean, permutation_type="samples", n_resamples=np.inf, alternative="two-sided"
    )
    assert ours.exact
    assert ours.patterns == 2**12
    assert ours.p == pytest.approx(theirs.pvalue, rel=1e-12)


def test_random_patterns_approach_the_exact_p_and_record_their_seed() -> None:
    x = np.linspace(-0.05, 0.12, 16)
    exact = sign_flip_test(x)
    drawn = sign_flip_test(x, max_exact=10, n_random=100_000, seed=7)
    assert (drawn.exact, drawn.patterns, drawn.seed) == (False, 100_001, 7)
    # binomial standard error of a p near 0.02 over 1e5 draws: 4.4e-4
    assert drawn.p == pytest.approx(exact.p, abs=2e-3)
    assert sign_flip_test(x, max_exact=10, seed=7) == drawn  # seeded: the same p again
    # the observed pattern counts: never below 1 / (draws + 1)
    assert sign_flip_test(np.full(30, 1.0), n_random=99).p == pytest.approx(1 / 100)


def test_exact_p_has_no_resampling_floor() -> None:
    # 19 cases all positive: only the observed pattern and its negation, 2 / 2^19; the
    # bootstrap p of the same gains stops at 2 / 2001
    assert sign_flip_test(np.arange(1.0, 20.0)).p == pytest.approx(2 / 2**19)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InputError, match="max_exact"):
        sign_flip_test([1.0], max_exact=30)
