from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtwin.errors import InputError
from medtwin.platform.algorithms.stats import (
    auroc,
    average_precision,
    average_ranks,
    bh_qvalues,
    roc_curve,
)


def test_bh_hand_example():
    # m = 5; sorted p: .005 .009 .019 .022 .051 -> m p/i: .025 .0225 .0317 .0275 .051
    p = [0.022, 0.005, 0.051, 0.009, 0.019]
    expected = [0.0275, 0.0225, 0.051, 0.0225, 0.0275]
    assert bh_qvalues(p).tolist() == pytest.approx(expected)


def bh_brute(p: list[float]) -> list[float]:
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    rank = {i: r + 1 for r, i in enumerate(order)}
    return [
        min(1.0, min(p[j] * m / rank[j] for j in range(m) if rank[j] >= rank[i])) for i in range(m)
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_bh_matches_brute_force(p):
    assert bh_qvalues(p).tolist() == pytest.approx(bh_brute(p))


def test_bh_rejects_bad_p():
    with pytest.raises(InputError):
        bh_qvalues([0.1, float("nan")])
    with pytest.raises(InputError):
        bh_qvalues([1.2])


def auroc_brute(s: list[float], y: list[bool]) -> float:
    pos = [a for a, b in zip(s, y, strict=True) if b]
    neg = [a for a, b in zip(s, y, strict=True) if not b]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def ap_brute(s: list[float], y: list[bool]) -> float:
    thresholds = sorted(set(s), reverse=True)
    n_pos = sum(y)
    ap, prev_recall = 0.0, 0.0
    for t in thresholds:
        sel = [b for a, b in zip(s, y, strict=True) if a >= t]
        recall = sum(sel) / n_pos
        ap += (recall - prev_recall) * (sum(sel) / len(sel))
        prev_recall = recall
    return ap


@pytest.mark.parametrize(
    ("scores", "labels", "auc", "ap"),
    [
        ([3, 2, 1], [1, 0, 0], 1.0, 1.0),
        ([3, 2, 1], [0, 0, 1], 0.0, 1 / 3),
        ([1, 1, 1, 1], [1, 0, 1, 0], 0.5, 0.5),
        ([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0], 0.75, (1 + 2 / 3) / 2),
    ],
)
def test_hand_examples(scores, labels, auc, ap):
    assert auroc(scores, labels) == pytest.approx(auc)
    assert average_precision(scores, labels) == pytest.approx(ap)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=25).filter(
        lambda xs: 0 < sum(b for _, b in xs) < len(xs)
    )
)
def test_metrics_match_brute_force(pairs):
    s = [float(a) for a, _ in pairs]
    y = [b for _, b in pairs]
    assert auroc(s, y) == pytest.approx(auroc_brute(s, y))
    assert average_precision(s, y) == pytest.approx(ap_brute(s, y))
    fpr, tpr = roc_curve(s, y)
    assert np.trapezoid(tpr, fpr) == pytest.approx(auroc_brute(s, y))


def test_metrics_reject_one_class_and_nan():
    with pytest.raises(InputError, match="positive and one negative"):
        auroc([1, 2], [1, 1])
    with pytest.raises(InputError, match="NaN"):
        average_precision([1, float("nan")], [1, 0])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-3, 3).map(float),  # many ties
            st.floats(allow_nan=False, allow_infinity=True, width=64),
        ),
        max_size=40,
    )
)
def test_average_ranks_equal_scipy_rankdata(values: list[float]) -> None:
    from scipy.stats import rankdata  # the oracle

    assert average_ranks(values).tolist() == rankdata(values, method="average").tolist()


def test_average_ranks_hand_example_and_nan_policy() -> None:
    # sorted: 5 (1), 10 10 (2, 3 -> 2.5), 20 (4); -0.0 and 0.0 tie
    assert average_ranks([10, 20, 10, 5]).tolist() == [2.5, 4.0, 2.5, 1.0]
    assert average_ranks([0.0, -0.0]).tolist() == [1.5, 1.5]
    assert average_ranks([]).tolist() == []
    assert np.isnan(average_ranks([1.0, np.nan, 2.0])).all()  # scipy's default: propagate
