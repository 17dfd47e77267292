"""ARI against sklearn (independent oracle); activity similarity against numpy (issue 18 item 6)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from medtwin.errors import InputError
from medtwin.platform.algorithms.agreement import adjusted_rand_index
from medtwin.platform.stratify_features import correlation_similarity, standardise

labels = st.lists(st.integers(0, 4), min_size=2, max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_ari_equals_sklearn(data):
    a = data.draw(labels)
    b = data.draw(st.lists(st.sampled_from("xyz"), min_size=len(a), max_size=len(a)))
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)


def test_ari_equals_sklearn_on_pathotype_sized_labelings():
    rng = np.random.default_rng(0)
    truth = ["Lymphoid"] * 45 + ["Myeloid"] * 20 + ["Fibroid"] * 16
    for _ in range(20):
        guess = rng.integers(0, 3, len(truth)).tolist()
        assert adjusted_rand_index(guess, truth) == pytest.approx(
            adjusted_rand_score(truth, guess), abs=1e-12
        )


def test_correlation_similarity_equals_numpy_on_standardised_columns():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(12, 7)) * rng.uniform(0.1, 10, 7)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    expected = np.corrcoef(z)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(correlation_similarity(x), expected, atol=1e-12)


def test_missing_and_constant_features_count_as_the_mean():
    x = np.array([[1.0, 7.0, np.nan], [2.0, 7.0, 1.0], [3.0, 7.0, np.nan]])
    z = standardise(x)
    np.testing.assert_allclose(z, [[-1.0, 0, 0], [0, 0, 0], [1.0, 0, 0]])
    s = correlation_similarity(x)
    assert s[0, 2] == pytest.approx(-1.0)
    assert s[1, 0] == 0.0  # patient 1's standardised vector is all 0


def test_standardise_needs_two_patients():
    with pytest.raises(InputError, match="2 patients"):
        standardise(np.ones((1, 3)))
