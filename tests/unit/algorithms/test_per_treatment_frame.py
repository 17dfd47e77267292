"""(c) per treatment in the rule's frame (benchmarks.per_treatment_frame), against scipy and the
harness's own 200-permutation test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks.per_treatment_frame import (
    _moved_spearman,
    frame_fields,
    holm_rows,
    null_means,
    permutation_p,
    row_partial_spearman,
    row_spearman,
)
from benchmarks.validate_twins import (
    _case_score,
    _permutation_test,
    _permuted_spearman,
    _type_permutations,
)
from scipy import stats

from medtwin.platform.algorithms.controls import holm


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_row_spearman_equals_scipy_on_each_row_with_ties_and_unknowns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 6, size=(40, 12)).astype(float)  # many ties
    y = rng.normal(size=12)
    x[rng.random(x.shape) < 0.1] = np.nan
    got = row_spearman(x, y)
    for row, value in zip(x, got, strict=True):
        ok = np.isfinite(row)
        want = stats.spearmanr(row[ok], y[ok]).statistic if np.ptp(row[ok]) > 0 else math.nan
        assert value == pytest.approx(want, abs=1e-12, nan_ok=True)


@pytest.mark.parametrize("seed", [0, 1])
def test_row_partial_spearman_is_the_correlation_of_rank_residuals(seed: int) -> None:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=20)
    y = z + rng.normal(size=20)
    x = rng.normal(size=(10, 20)) + z
    got = row_partial_spearman(x, y, z)
    rz = stats.rankdata(z)
    design = np.column_stack([np.ones(20), rz])

    def residual(v: np.ndarray) -> np.ndarray:
        r = stats.rankdata(v)
        return r - design @ np.linalg.lstsq(design, r, rcond=None)[0]

    for row, value in zip(x, got, strict=True):
        want = stats.pearsonr(residual(row), residual(y)).statistic
        assert value == pytest.approx(want, abs=1e-12)


def test_permutation_p_hand_computed() -> None:
    # null 0, 0.1, 0.4, 0.2: centre 0.175; >= 0.3: one; |d| >= 0.125: 0.0 and 0.4
    got = permutation_p(0.3, np.array([0.0, 0.1, 0.4, 0.2]))
    assert got == pytest.approx((2 / 5, 3 / 5, 0.175))
    assert all(math.isnan(v) for v in permutation_p(math.nan, np.array([0.1])))


def test_first_200_frame_permutations_give_the_tables_permutation_p() -> None:
    """The frame's statistic is the table's: on the table's 200 permutations (the first 200 of
    the frame's, same seed) its one-sided p is the table's ``permutation_p``."""
    rng = np.random.default_rng(5)
    pids = [f"T{i}" for i in range(36)]
    types = {p: ("BRCA", "CRC", "CM")[i % 3] for i, p in enumerate(pids)}
    ids = ["a", "b", "c"]
    per_case = {i: rng.normal(size=3) for i in range(36)}
    score_of = _case_score(per_case, {t: j for j, t in enumerate(ids)})
    scores = np.array([per_case[i] for i in range(36)])
    table = _type_permutations(pids, types, 200, seed=0)
    fine = np.array(_type_permutations(pids, types, 1000, seed=0))
    assert np.array_equal(fine[:200], np.array(table))
    cases, null_rows, observed = [], [], []
    for j, t in enumerate(ids):
        ps = [i for i in range(36) if (i + j) % 4]  # each treatment tested on 27 tumours
        adj = rng.normal(size=len(ps)) + 0.5 * scores[ps, j]
        cases.append((j, np.array(ps), adj, adj))
        null_rows.append([_permuted_spearman(score_of, pm, ps, t, adj) for pm in table])
        observed.append(stats.spearmanr(scores[ps, j], adj).statistic)
        assert np.allclose(row_spearman(scores[fine[:200][:, ps], j], adj), null_rows[-1])
    t_obs = float(np.mean(observed))
    _, table_p = _permutation_test(t_obs, null_rows)
    means = null_means([row_spearman(scores[fine[:200][:, c[1]], c[0]], c[2]) for c in cases])
    assert permutation_p(t_obs, means)[0] == pytest.approx(table_p)
    fields = frame_fields(
        scores, rng.normal(size=36), cases, fine, observed=t_obs, n_boot=200, seed=0
    )
    every = null_means([row_spearman(scores[fine[:, c[1]], c[0]], c[2]) for c in cases])
    assert fields["growth_adjusted_p_greater"] == round(permutation_p(t_obs, every)[0], 6)
    assert fields["growth_adjusted_p_two_sided"] == round(permutation_p(t_obs, every)[1], 6)


def test_holm_rows_counts_identical_rankers_once_and_leaves_controls_out() -> None:
    rows: list[dict[str, object]] = [
        {"kind": "default", "p": 0.01},
        {"kind": "combination", "p": 0.01},  # the default's order: same statistics
        {"kind": "method", "p": 0.04},
        {"kind": "control", "p": 0.001},
        {"kind": "method", "p": None},
    ]
    sizes = holm_rows(rows, "p", ["d", "d", "m", "c", "n"])
    assert sizes == [2, 2, 2, None, None]  # each tested row's Holm m
    want = holm([0.01, 0.04]).tolist()
    assert [r["p_adj"] for r in rows] == [want[0], want[0], want[1], None, None]


def test_one_ranking_of_the_moved_scores_gives_the_general_statistics() -> None:
    rng = np.random.default_rng(3)
    moved = rng.integers(0, 5, size=(50, 15)).astype(float)  # ties within rows
    moved[0] = 2.0  # a constant row: NaN both ways
    adj, shrink, growth = rng.normal(size=15), rng.normal(size=15), rng.normal(size=15)
    fast = _moved_spearman(moved, adj, shrink, growth)
    assert fast is not None
    assert np.allclose(fast[0], row_spearman(moved, adj), equal_nan=True, atol=1e-12)
    general = row_partial_spearman(moved, shrink, growth)
    assert np.allclose(fast[1], general, equal_nan=True, atol=1e-12)
    assert math.isnan(fast[0][0])
    assert math.isnan(fast[1][0])
    unknown = growth.copy()
    unknown[3] = np.nan
    assert _moved_spearman(moved, adj, shrink, unknown) is None
