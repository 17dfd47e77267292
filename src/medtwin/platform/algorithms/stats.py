r"""Multiple-testing correction and ranking metrics (no scikit-learn, no statsmodels).

- Benjamini–Hochberg q-values: :math:`q_{(i)} = \min_{j \ge i} \min(1, m\, p_{(j)} / j)`.
- AUROC by the Mann–Whitney statistic with average ranks for ties:
  :math:`\text{AUC} = (R_+ - n_+(n_+ + 1)/2) / (n_+ n_-)`.
- Average ranks (ties share the mean of their positions), as ``scipy.stats.rankdata(method=
  "average")`` gives them, in numpy alone: importing ``scipy.stats`` costs ~0.8 s of every command
  that ranks or scores footprints (``explain``, ``report``, ``twin regulators``).
- Average precision: :math:`\text{AP} = \sum_k (R_k - R_{k-1}) P_k` over the distinct score
  thresholds from high to low (tied scores enter together), as scikit-learn defines it.

Higher scores mean "more likely positive"; negate a proximity z before passing it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError

__all__ = ["auroc", "average_precision", "average_ranks", "bh_qvalues", "roc_curve"]


def average_ranks(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """1-based ranks of a 1-D array; tied values get the mean of their ranks.

    The same values as ``scipy.stats.rankdata(values, method="average")`` (its default NaN
    policy too: any NaN makes every rank NaN), checked against it in
    ``tests/unit/algorithms/test_stats.py``.

    References
    ----------
    Virtanen P. et al. SciPy 1.0: fundamental algorithms for scientific computing in Python.
    Nat Methods 17, 261-272 (2020). doi:10.1038/s41592-019-0686-2 (``rankdata``, the oracle).

    Examples
    --------
    >>> average_ranks([10, 20, 10, 5]).tolist()
    [2.5, 4.0, 2.5, 1.0]
    """
    a = np.asarray(values, dtype=np.float64).ravel()
    if np.isnan(a).any():
        return np.full(a.size, np.nan)
    order = np.argsort(a, kind="mergesort")
    ordered = a[order]
    new_value = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(new_value)  # 1-based tie group of each sorted position
    bounds = np.r_[np.flatnonzero(new_value), a.size]  # first position of each group, then n
    ranks = np.empty(a.size, dtype=np.float64)
    # a group spanning 0-based positions [lo, hi) has ranks lo+1 .. hi, whose mean is (lo+1+hi)/2
    ranks[order] = 0.5 * (bounds[group - 1] + 1 + bounds[group])
    return ranks


def bh_qvalues(pvalues: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order.

    Parameters
    ----------
    pvalues
        p-values in [0, 1].

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    InputError
        If a p-value is NaN or outside [0, 1].

    References
    ----------
    Benjamini Y., Hochberg Y. Controlling the false discovery rate: a practical and powerful
    approach to multiple testing. J R Stat Soc B 57, 289-300 (1995).
    doi:10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> bh_qvalues([0.01, 0.04, 0.03, 0.20]).tolist()
    [0.04, 0.05333333333333334, 0.05333333333333334, 0.2]
    """
    p = np.asarray(pvalues, dtype=np.float64).ravel()
    if p.size == 0:
        return p
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise InputError("p-values must be in [0, 1] and not NaN")
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m, dtype=np.float64)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def _check(
    scores: npt.ArrayLike, labels: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(labels).ravel().astype(bool)
    if s.shape != y.shape:
        raise InputError(f"scores ({s.size}) and labels ({y.size}) differ in length")
    if np.isnan(s).any():
        raise InputError("scores contain NaN; drop or impute them first")
    if y.all() or not y.any():
        raise InputError("labels need at least one positive and one negative")
    return s, y


def _positives_above_thresholds(
    s: npt.NDArray[np.float64], y: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.int_]]:
    """True and false positives at each distinct score, from high to low (ties enter together)."""
    order = np.argsort(-s, kind="stable")
    last = np.r_[np.flatnonzero(np.diff(s[order]) != 0), s.size - 1]
    tp = np.cumsum(y[order], dtype=np.int_)[last]  # numpy's own accumulator for booleans
    return tp, (last + 1) - tp


def auroc(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    r"""Area under the ROC curve (Mann–Whitney U / (n+ n-)), ties counted as 1/2.

    :math:`\text{AUC} = (R_+ - n_+(n_+ + 1)/2) / (n_+ n_-)` with :math:`R_+` the sum of the
    positives' average ranks; equal to scikit-learn's ``roc_auc_score``
    (``tests/unit/algorithms/test_stats_oracles.py``).

    References
    ----------
    Hanley J.A., McNeil B.J. The meaning and use of the area under a receiver operating
    characteristic (ROC) curve. Radiology 143, 29-36 (1982). doi:10.1148/radiology.143.1.7063747

    Examples
    --------
    >>> auroc([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])
    0.75
    >>> auroc([1, 1, 0], [1, 0, 0])
    0.75
    """
    s, y = _check(scores, labels)
    ranks = average_ranks(s)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    r"""Average precision (area under the precision–recall step curve).

    :math:`\text{AP} = \sum_k (R_k - R_{k-1}) P_k` over the distinct score thresholds from high
    to low; equal to scikit-learn's ``average_precision_score``
    (``tests/unit/algorithms/test_stats_oracles.py``).

    References
    ----------
    Saito T., Rehmsmeier M. The precision-recall plot is more informative than the ROC plot when
    evaluating binary classifiers on imbalanced datasets. PLoS One 10, e0118432 (2015).
    doi:10.1371/journal.pone.0118432

    Examples
    --------
    >>> average_precision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])
    0.8333333333333333
    """
    s, y = _check(scores, labels)
    tp, fp = _positives_above_thresholds(s, y)
    precision = tp / (tp + fp)
    recall = tp / y.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def roc_curve(
    scores: npt.ArrayLike, labels: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    r"""Compute false- and true-positive rates at each distinct threshold, starting at (0, 0).

    At threshold :math:`t`: :math:`\text{FPR} = FP(s \ge t)/n_-`, :math:`\text{TPR} =
    TP(s \ge t)/n_+`; scikit-learn's ``roc_curve(drop_intermediate=False)`` points
    (``tests/unit/algorithms/test_stats_oracles.py``).

    References
    ----------
    Fawcett T. An introduction to ROC analysis. Pattern Recognit Lett 27, 861-874 (2006).
    doi:10.1016/j.patrec.2005.10.010

    Examples
    --------
    >>> fpr, tpr = roc_curve([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    s, y = _check(scores, labels)
    tp, fp = _positives_above_thresholds(s, y)
    return np.r_[0.0, fp / (~y).sum()], np.r_[0.0, tp / y.sum()]
