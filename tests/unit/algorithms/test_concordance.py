"""Harrell's C, Kendall's τ-b, their swapped-patient values and the stratified bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import kendalltau

from medtwin.errors import InputError
from medtwin.platform.algorithms.bootstrap import bootstrap_own_swapped, bootstrap_stratified
from medtwin.platform.algorithms.concordance import (
    harrell_c,
    kendall_tau_b,
    swapped_harrell_c,
    swapped_kendall_tau_b,
)

# five patients: A and B die at 2 (tied event times), C is censored at 2, D is censored at 1
# (before every event), E dies at 4
TIME = [2.0, 2.0, 2.0, 1.0, 4.0]
EVENT = [1, 1, 0, 0, 1]
SCORE = [0.2, 0.1, 0.2, 0.9, 0.5]


def test_harrell_c_hand_computed() -> None:
    # comparable (first to fail, other): (A, C) and (B, C) -- an event and a censoring at the
    # same time, the censored one lived to 2 -- and (A, E), (B, E). Not comparable: A-B (two
    # events at one time), anything with D (censored before every event), pairs led by C or D.
    # Concordant = the first to fail has the lower score: (A, C) tie 0.2 = 0.2 -> 1/2;
    # (A, E) 0.2 < 0.5 -> 1; (B, C) 0.1 < 0.2 -> 1; (B, E) 0.1 < 0.5 -> 1.
    assert harrell_c(SCORE, TIME, EVENT) == pytest.approx(3.5 / 4)


def test_harrell_c_orientation_and_unknown_times() -> None:
    # the reverse score reverses every untied pair; the tie stays 1/2
    assert harrell_c([-s for s in SCORE], TIME, EVENT) == pytest.approx(0.5 / 4)
    # a patient without a time is left out: without E, (A, C) and (B, C) remain -> 1.5 / 2
    assert harrell_c(SCORE, [*TIME[:4], math.nan], EVENT) == pytest.approx(0.75)
    assert math.isnan(harrell_c([1.0, 2.0], [1.0, 2.0], [0, 0]))  # nobody died: no pair


def test_stratified_c_compares_pairs_within_a_cohort_only() -> None:
    # each cohort is perfectly ordered inside; across cohorts the scores are reversed
    score, time, event = [0.5, 0.6, 0.1, 0.2], [1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1]
    cohort = ["a", "a", "b", "b"]
    assert harrell_c(score, time, event, cohort) == 1.0
    # pooled without strata: 6 pairs, concordant only (a1, a2) and (b1, b2)
    assert harrell_c(score, time, event) == pytest.approx(2 / 6)


def test_kendall_tau_b_matches_scipy_and_pools_within_strata() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        x = rng.integers(0, 4, 12).astype(float)
        y = rng.integers(0, 4, 12).astype(float)
        ref = kendalltau(x, y).statistic
        got = kendall_tau_b(x, y)
        assert (math.isnan(got) and math.isnan(ref)) or got == pytest.approx(ref)
    # two strata, each concordant inside, reversed across: tau_b 1 stratified
    x, y, strata = [5.0, 6.0, 1.0, 2.0], [0.0, 1.0, 2.0, 3.0], ["a", "a", "b", "b"]
    assert kendall_tau_b(x, y, strata) == 1.0
    # pooled: pairs a1a2 +1, b1b2 +1, the four across -1 -> (2 - 4) / 6
    assert kendall_tau_b(x, y) == pytest.approx(-2 / 6)
    # an unknown outcome is left out
    assert kendall_tau_b([1.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, math.nan]) == 1.0


def test_swapped_c_hand_computed() -> None:
    # three deaths at 1, 2, 3, scores 1, 2, 3: own C = 1. Swapped, pair (0, 1): k != 0,
    # l != 1, k != l -> (k, l) in (1, 0), (1, 2), (2, 0): s_k < s_l only for (1, 2) -> 1/3;
    # pair (0, 2): (1, 0), (2, 0), (2, 1) -> 0; pair (1, 2): (0, 1), (2, 0), (2, 1) -> 1/3
    s, t, e = [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1, 1, 1]
    assert harrell_c(s, t, e) == 1.0
    assert swapped_harrell_c(s, t, e) == pytest.approx((1 / 3 + 0 + 1 / 3) / 3)
    # a score the same for everyone: own = swapped = 1/2
    assert harrell_c([7.0] * 3, t, e) == swapped_harrell_c([7.0] * 3, t, e) == 0.5


def test_swapped_never_pairs_a_patient_with_its_own_duplicate() -> None:
    # rows 0 and 1 are one patient (a bootstrap duplicate), row 2 another: for the pairs
    # (row 0, row 2) and (row 1, row 2) the other patients are only row 2 for the first and
    # rows 0, 1 for the second: s_2 = 1 < s_0 = 0 is false -> swapped 0
    s, t, e = [0.0, 0.0, 1.0], [1.0, 1.0, 2.0], [1, 1, 1]
    assert swapped_harrell_c(s, t, e, ids=[0, 0, 1]) == 0.0
    # read as three patients, (row 1 -> 0) counts too: a tie, 1/2 -> (1/2 + 0 + 0) / 3 per pair
    assert swapped_harrell_c(s, t, e) == pytest.approx(1 / 6)


def test_swapped_tau_b_of_a_shared_score_equals_own() -> None:
    y = [0.0, 1.0, 2.0, 3.0, 1.0]
    assert math.isnan(kendall_tau_b([1.0] * 5, y))
    assert math.isnan(swapped_kendall_tau_b([1.0] * 5, y))
    own = kendall_tau_b([1.0, 2.0, 3.0, 4.0, 2.0], y)
    assert own == pytest.approx(1.0)
    assert abs(swapped_kendall_tau_b([1.0, 2.0, 3.0, 4.0, 2.0], y)) < own


def test_bootstrap_keeps_strata_sizes_and_is_seeded() -> None:
    strata = ["a", "a", "a", "b", "b"]
    seen: list[list[int]] = []

    def count_a(idx: np.ndarray) -> float:
        seen.append(idx.tolist())
        return float(np.isin(idx, [0, 1, 2]).sum())

    r = bootstrap_stratified(count_a, strata, n_boot=20, seed=1)
    assert (r.value, r.low, r.high) == (3.0, 3.0, 3.0)  # every resample draws 3 of a, 2 of b
    assert (r.n_boot, r.seed) == (20, 1)
    first = seen[1:]
    seen.clear()
    bootstrap_stratified(count_a, strata, n_boot=20, seed=1)
    assert seen[1:] == first
    out = bootstrap_own_swapped(lambda i: 0.75, lambda i: 0.5, strata, n_boot=99, seed=4)
    assert out.gain == out.gain_low == out.gain_high == 0.25
    assert out.gain_p == pytest.approx(2 / 100)
    assert (out.n_boot, out.seed) == (99, 4)
    with pytest.raises(InputError):
        harrell_c([1.0], [1.0, 2.0], [1, 1])


# ---- reassignment p (stop 51): the pair form against the direct statistics


def _cohorts(seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    n = 14
    score = np.round(rng.random(n), 1)  # ties in score
    time = np.round(rng.random(n) * 10, 0)  # ties in time
    event = (rng.random(n) < 0.7).astype(float)
    recist = rng.integers(0, 4, n).astype(float)
    strata = np.array(["a"] * 9 + ["b"] * 5)
    return score, time, event, recist, strata


def _within(strata: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    perm = np.arange(strata.size)
    for g in np.unique(strata):
        m = np.flatnonzero(strata == g)
        perm[m] = rng.permutation(m)
    return perm


@pytest.mark.parametrize("seed", [0, 1])
def test_gain_forms_equal_own_minus_swapped_under_any_assignment(seed: int) -> None:
    from medtwin.platform.algorithms.concordance import (
        harrell_c_gain_form,
        kendall_tau_b_gain_form,
    )

    s, t, e, y, g = _cohorts(seed)
    c_form = harrell_c_gain_form(s, t, e, g)
    tau_form = kendall_tau_b_gain_form(s, y, g)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        perm = _within(g, rng)
        # patient i gets patient perm[i]'s score: the statistics recomputed from scratch
        c = harrell_c(s[perm], t, e, g) - swapped_harrell_c(s[perm], t, e, g)
        tau = kendall_tau_b(s[perm], y, g) - swapped_kendall_tau_b(s[perm], y, g)
        assert c_form.gain(perm[None, :])[0] == pytest.approx(c, abs=1e-12)
        assert tau_form.gain(perm[None, :])[0] == pytest.approx(tau, abs=1e-12)


def test_reassignment_gain_p_equals_the_exact_count_of_a_small_case() -> None:
    import itertools

    from medtwin.platform.algorithms.concordance import harrell_c_gain_form
    from medtwin.platform.algorithms.concordance_reassignment import reassignment_gain_test

    s, t, e, _, _ = _cohorts(3)
    s, t, e = s[:7], t[:7], e[:7]
    g = np.array(["a"] * 4 + ["b"] * 3)
    gain = harrell_c(s, t, e, g) - swapped_harrell_c(s, t, e, g)
    values = [
        harrell_c(s[list(p) + [4 + i for i in q]], t, e, g)
        - swapped_harrell_c(s[list(p) + [4 + i for i in q]], t, e, g)
        for p in itertools.permutations(range(4))
        for q in itertools.permutations(range(3))
    ]  # all 4! x 3! = 144 within-cohort assignments, from scratch
    exact_greater = np.mean([v >= gain - 1e-12 for v in values])
    exact_two = np.mean([abs(v) >= abs(gain) - 1e-12 for v in values])
    test = reassignment_gain_test(harrell_c_gain_form(s, t, e, g), g, n_random=40_000, seed=1)
    assert test.gain == pytest.approx(gain, abs=1e-12)
    assert test.p_greater == pytest.approx(exact_greater, abs=0.01)
    assert test.p_two_sided == pytest.approx(exact_two, abs=0.01)
    assert test.seed == 1
