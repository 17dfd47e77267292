"""Activity-vector similarity against scipy and numpy (independent implementations), and the
feature matrix of a hand-made set of stored activities."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats as sps

from medtwin.platform.stratify_features import (
    correlation_similarity,
    feature_matrix,
    standardise,
)


def _matrix(seed: int) -> np.ndarray:
    """15 patients x 9 regulators of unequal spread; some unscored (NaN), one constant column."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(15, 9)) * rng.uniform(0.1, 10, 9) + rng.normal(0, 5, 9)
    x[rng.random(x.shape) < 0.15] = np.nan
    x[:, 4] = 2.5
    return x


def _scipy_z(x: np.ndarray) -> np.ndarray:
    """scipy's column z-scores (ddof 1, NaN omitted); unscored or zero-spread entries -> 0."""
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the constant column, by design
        z = sps.zscore(x, axis=0, ddof=1, nan_policy="omit")
    return np.where(np.isfinite(z), z, 0.0)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_standardise_equals_scipy_zscore(seed: int) -> None:
    x = _matrix(seed)
    np.testing.assert_allclose(standardise(x), _scipy_z(x), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_correlation_similarity_equals_numpy_corrcoef_and_scipy_pearsonr(seed: int) -> None:
    x = _matrix(seed)
    x[7] = np.nan  # a patient without any scored regulator: all 0, correlates 0 with all
    z = _scipy_z(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.corrcoef(z)
    expected = np.where(np.isfinite(expected), expected, 0.0)
    np.fill_diagonal(expected, 0.0)
    got = correlation_similarity(x)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    assert got[0, 1] == pytest.approx(sps.pearsonr(z[0], z[1]).statistic, abs=1e-12)
    assert not got[7].any()


def test_feature_matrix_of_stored_activities_by_hand() -> None:
    """Stored rows and the expected matrices written by hand: A scores TF 1 and 2, B only TF 2,
    C nothing of the tf kind."""
    rows = [
        {"patient_id": "A", "twin_id": "tA", "kind": "tf",
         "names": ["1", "2"], "scores": [1.5, -2.0]},
        {"patient_id": "A", "twin_id": "tA", "kind": "pathway", "names": ["MAPK"], "scores": [3]},
        {"patient_id": "B", "twin_id": "tB", "kind": "tf", "names": ["2"], "scores": [0.5]},
        {"patient_id": "C", "twin_id": "tC", "kind": "pathway", "names": ["p53"], "scores": [-1]},
    ]  # fmt: skip
    store = SimpleNamespace(cohorts=SimpleNamespace(activities=lambda ids: iter(rows)))
    ids, columns, x = feature_matrix(store, ["A", "B", "C"], "activities")  # type: ignore[arg-type]
    assert (ids, columns) == (["A", "B"], ["tf:1", "tf:2"])
    np.testing.assert_array_equal(x, [[1.5, -2.0], [np.nan, 0.5]])
    ids, columns, x = feature_matrix(store, ["A", "B", "C"], "pathways")  # type: ignore[arg-type]
    assert (ids, columns) == (["A", "C"], ["pathway:MAPK", "pathway:p53"])
    np.testing.assert_array_equal(x, [[3.0, np.nan], [np.nan, -1.0]])
