"""The statistics of ``algorithms/stats.py`` (and Holm's of ``controls.py``) against scikit-learn,
scipy and statsmodels.

``stats.py`` reimplements them in numpy (importing scikit-learn or scipy.stats costs each
command ~1 s); these are the libraries' own answers on random and tied inputs, fixed seeds.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import false_discovery_control
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve
from statsmodels.stats.multitest import multipletests

from medtwin.platform.algorithms.controls import holm
from medtwin.platform.algorithms.stats import auroc, average_precision, bh_qvalues, roc_curve

SEEDS = range(12)


def _scores_labels(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores with many ties (rounded) and both classes, of a size drawn from 5 to 60."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 61))
    labels = rng.random(n) < 0.3
    labels[:2] = [True, False]
    scores = np.round(rng.normal(size=n) + labels, 1 if seed % 2 else 3)
    return scores, labels


@pytest.mark.parametrize("seed", SEEDS)
def test_auroc_and_average_precision_equal_sklearn(seed: int) -> None:
    s, y = _scores_labels(seed)
    assert auroc(s, y) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert average_precision(s, y) == pytest.approx(average_precision_score(y, s), abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_roc_curve_equals_sklearn_with_every_threshold(seed: int) -> None:
    s, y = _scores_labels(seed)
    fpr, tpr, _ = sk_roc_curve(y, s, drop_intermediate=False)
    ours = roc_curve(s, y)
    # sklearn starts at (0, 0) too (threshold +inf), then one point per distinct score
    np.testing.assert_allclose(ours[0], fpr, atol=1e-12)
    np.testing.assert_allclose(ours[1], tpr, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_bh_qvalues_equal_statsmodels_and_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = np.r_[rng.random(40) ** 3, [0.0, 1.0, 0.5, 0.5]]  # small ones, both ends, ties
    q = bh_qvalues(p)
    np.testing.assert_allclose(q, multipletests(p, method="fdr_bh")[1], atol=1e-12)
    np.testing.assert_allclose(q, false_discovery_control(p, method="bh"), atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_holm_equals_statsmodels_on_the_finite_p_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = np.r_[rng.random(15) ** 2, [0.0, 1.0, 0.2, 0.2, np.nan, np.nan]]
    rng.shuffle(p)
    finite = np.isfinite(p)
    got = holm(p)
    assert np.isnan(got[~finite]).all()  # a row that tested nothing stays outside the family
    np.testing.assert_allclose(got[finite], multipletests(p[finite], method="holm")[1], atol=1e-12)
