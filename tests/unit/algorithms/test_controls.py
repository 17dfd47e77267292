"""Personalisation controls: cross AUROC, own/swapped/gain, bootstrap CI, Spearman (by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from medtwin.errors import InputError
from medtwin.platform.algorithms.bootstrap import bootstrap_mean_ci
from medtwin.platform.algorithms.controls import cross_auroc, spearman, swap_gain
from medtwin.platform.algorithms.stats import auroc


def test_cross_auroc_hand_computed() -> None:
    # case 0 positives {a}; case 1 positives {c}; items a, b, c
    scores = [[3.0, 2.0, 1.0], [1.0, 3.0, 2.0]]
    labels = [[True, False, False], [False, False, True]]
    m = cross_auroc(scores, labels)
    # case 0's ranking on case 0: a first -> 1.0; on case 1 (c last) -> 0.0
    # case 1's ranking (b, c, a) on case 0 (a last) -> 0.0; on case 1 (c beats a only) -> 0.5
    assert m.tolist() == [[1.0, 0.0], [0.0, 0.5]]


def test_cross_auroc_ties_and_mask_match_auroc() -> None:
    rng = np.random.default_rng(4)
    s = rng.integers(0, 4, size=(5, 12)).astype(float)  # many ties
    y = rng.random((5, 12)) < 0.4
    mask = rng.random((5, 12)) < 0.8
    m = cross_auroc(s, y, mask)
    for i in range(5):
        cols = mask[i]
        if y[i, cols].all() or not y[i, cols].any():
            assert np.isnan(m[:, i]).all()
            continue
        for j in range(5):
            assert m[j, i] == pytest.approx(auroc(s[j, cols], y[i, cols]))


def test_cross_auroc_case_without_negatives_is_nan() -> None:
    m = cross_auroc([[1.0, 2.0], [2.0, 1.0]], [[True, True], [True, False]])
    assert np.isnan(m[:, 0]).all()
    assert m[:, 1].tolist() == [0.0, 1.0]


def test_cross_auroc_shape_error() -> None:
    with pytest.raises(InputError, match="same 2-D shape"):
        cross_auroc([[1.0, 2.0]], [[True]])


def test_swap_gain_hand_computed() -> None:
    m = [[0.9, 0.2, 0.5], [0.7, 0.6, 0.5], [0.5, 0.4, 0.5]]
    own, swapped, gain = swap_gain(m)
    assert own.tolist() == [0.9, 0.6, 0.5]
    # column 0: (0.7 + 0.5) / 2; column 1: (0.2 + 0.4) / 2; column 2: (0.5 + 0.5) / 2
    assert swapped.tolist() == pytest.approx([0.6, 0.3, 0.5])
    assert gain.tolist() == pytest.approx([0.3, 0.3, 0.0])


def test_patient_independent_ranking_has_zero_gain() -> None:
    same = np.tile([5.0, 4.0, 3.0, 2.0, 1.0], (4, 1))  # every case ranked alike
    y = np.array([[1, 0, 0, 1, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 1], [1, 1, 0, 0, 0]], bool)
    _, _, gain = swap_gain(cross_auroc(same, y))
    assert np.allclose(gain, 0.0)


def test_swap_gain_nan_case_stays_nan() -> None:
    own, swapped, gain = swap_gain([[np.nan, 0.5], [np.nan, 0.7]])
    assert math.isnan(own[0])
    assert math.isnan(swapped[0])
    assert math.isnan(gain[0])
    assert gain[1] == pytest.approx(0.2)


def test_bootstrap_ci_degenerate_and_seeded() -> None:
    flat = bootstrap_mean_ci([0.25, 0.25, 0.25, math.nan])
    assert (flat.value, flat.low, flat.high) == (0.25, 0.25, 0.25)
    a = bootstrap_mean_ci([0.1, -0.3, 0.5, 0.2], seed=7)
    b = bootstrap_mean_ci([0.1, -0.3, 0.5, 0.2], seed=7)
    assert a == b
    assert (a.seed, a.n_boot) == (7, 2000)  # the seed and resamples it used, recorded
    assert a.value == pytest.approx(0.125)
    assert -0.3 <= a.low < a.value < a.high <= 0.5
    empty = bootstrap_mean_ci([math.nan])
    assert all(math.isnan(v) for v in (empty.value, empty.low, empty.high, empty.p))


def test_bootstrap_ci_two_values_hand_computed() -> None:
    # resamples of {0, 1} of size 2 have mean 0 (p 1/4), 0.5 (p 1/2), 1 (p 1/4)
    r = bootstrap_mean_ci([0.0, 1.0], n_boot=4000, seed=1)
    assert (r.value, r.low, r.high) == (0.5, 0.0, 1.0)
    r = bootstrap_mean_ci([0.0, 1.0], n_boot=4000, seed=1, level=0.4)
    assert r.low == r.high == 0.5


def test_spearman_hand_and_scipy() -> None:
    assert spearman([1, 2, 3], [3, 1, 2]) == pytest.approx(-0.5)
    assert math.isnan(spearman([1, 1], [1, 2]))
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 5, 30), rng.normal(size=30)
    assert spearman(x, y) == pytest.approx(spearmanr(x, y).statistic)
