r"""Personalisation controls: is a ranking better for its own patient than for another one.

A ranking method that only encodes what is the same for every patient (approval, hub targets,
popularity) ranks a patient's good drugs as well with *another* patient's ranking as with the
patient's own. The controls here measure that directly (``make validate-twins``):

- **Cross AUROC matrix.** For cases :math:`1..n` with scores :math:`S_j` (case :math:`j`'s
  ranking) and labels :math:`Y_i` (case :math:`i`'s positives), over the items case :math:`i`
  has labels for,

  .. math:: M_{ji} = \mathrm{AUROC}(S_j, Y_i)
            = \frac{R^{(j)}_{+,i} - n_{+,i}(n_{+,i} + 1)/2}{n_{+,i}\, n_{-,i}}

  (Mann–Whitney with average ranks for ties; :math:`R^{(j)}_{+,i}` = sum of the ranks, under
  :math:`S_j`, of case :math:`i`'s positives). ``NaN`` where case :math:`i` has no positive
  or no negative.
- **Own, swapped, gain.** :math:`\mathrm{own}_i = M_{ii}`;
  :math:`\mathrm{swapped}_i = \mathrm{mean}_{j \ne i} M_{ji}` (the same pipeline, the wrong
  patient); :math:`\mathrm{gain}_i = \mathrm{own}_i - \mathrm{swapped}_i`. A method whose
  rankings do not depend on the patient has gain 0 exactly.
- **Bootstrap CI** of the mean over cases: percentile interval of the mean of ``n_boot``
  resamples of the cases with replacement (Efron & Tibshirani 1993, *An Introduction to the
  Bootstrap*, ch. 13; doi:10.1201/9780429246593), seeded.
- **Bootstrap p-value** of "mean gain = 0": the two-sided p that inverts the percentile
  interval (Efron & Tibshirani 1993, ch. 15–16, the achieved significance level of the
  percentile method), with the add-one counts of Davison & Hinkley 1997, *Bootstrap Methods
  and their Application*, eq. 4.11 (doi:10.1017/CBO9780511802843):

  .. math:: p = \min\Bigl(1,\ 2\,\frac{1 + \min(\#\{\bar x^*_b \le 0\},
            \#\{\bar x^*_b \ge 0\})}{B + 1}\Bigr)

  over the same :math:`B` resample means as the CI, so :math:`p < 1 - \text{level}` goes with
  a CI that excludes 0 (up to the quantile interpolation and the add-one), and :math:`p`
  never reaches 0 (smallest :math:`2/(B+1)`, 0.001 at 2,000 resamples).
- **Holm step-down** adjustment of :math:`m` p-values (Holm 1979, *Scand. J. Statist.*
  6:65–70, JSTOR 4615733): with :math:`p_{(1)} \le \dots \le p_{(m)}`,
  :math:`\tilde p_{(i)} = \max_{k \le i} \min(1, (m - k + 1)\, p_{(k)})`; rejecting where
  :math:`\tilde p < \alpha` keeps the family-wise error rate at :math:`\alpha` under any
  dependence between the tests (the rows of one part share cases and methods).
- **Spearman** :math:`\rho` = Pearson correlation of average ranks (ties averaged).

Checked against hand-computed toy cases in ``tests/unit/algorithms/test_controls.py`` and
against :func:`medtwin.platform.algorithms.stats.auroc` / :func:`scipy.stats.spearmanr`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from medtwin.errors import InputError

__all__ = [
    "bootstrap_mean_ci",
    "bootstrap_mean_test",
    "cross_auroc",
    "holm",
    "spearman",
    "swap_gain",
]


def cross_auroc(
    scores: npt.ArrayLike, labels: npt.ArrayLike, mask: npt.ArrayLike | None = None
) -> npt.NDArray[np.float64]:
    """AUROC of every case's scores on every case's labels.

    Parameters
    ----------
    scores
        ``(n_cases, n_items)``: higher = predicted more likely positive.
    labels
        ``(n_cases, n_items)`` booleans: case ``i``'s positives.
    mask
        ``(n_cases, n_items)`` booleans: the items case ``i`` has a label for (default: all).

    Returns
    -------
    numpy.ndarray
        ``M[j, i]`` = AUROC of ``scores[j]`` on ``labels[i]`` over ``mask[i]``; ``NaN`` where
        case ``i`` has no positive or no negative.

    Examples
    --------
    >>> m = cross_auroc([[3, 2, 1], [1, 2, 3]], [[1, 0, 0], [0, 0, 1]])
    >>> m.tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    if s.ndim != 2 or s.shape != y.shape:
        raise InputError(f"scores {s.shape} and labels {y.shape} must be the same 2-D shape")
    m = np.ones_like(y) if mask is None else np.asarray(mask, dtype=bool)
    if m.shape != y.shape:
        raise InputError(f"mask {m.shape} must have the shape of labels {y.shape}")
    n = s.shape[0]
    out = np.full((n, n), np.nan)
    full_ranks = rankdata(s, axis=1) if m.all() else None
    for i in range(n):
        cols = np.flatnonzero(m[i])
        yi = y[i, cols]
        n_pos = int(yi.sum())
        n_neg = yi.size - n_pos
        if n_pos == 0 or n_neg == 0:
            continue
        ranks = full_ranks if full_ranks is not None else rankdata(s[:, cols], axis=1)
        r_pos = ranks[:, cols[yi]] if full_ranks is not None else ranks[:, yi]
        out[:, i] = (r_pos.sum(axis=1) - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)
    return out


def swap_gain(
    matrix: npt.ArrayLike,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Own, swapped (mean over the other cases' rankings) and gain per case.

    Parameters
    ----------
    matrix
        ``M[j, i]`` from :func:`cross_auroc` (square, at least 2 cases).

    Returns
    -------
    tuple of numpy.ndarray
        ``own``, ``swapped``, ``gain`` (each ``n_cases``; NaN for a case without an AUROC).

    Examples
    --------
    >>> own, sw, gain = swap_gain([[0.9, 0.2, 0.5], [0.7, 0.6, 0.5], [0.5, 0.4, 0.5]])
    >>> own.tolist(), sw.round(2).tolist(), gain.round(2).tolist()
    ([0.9, 0.6, 0.5], [0.6, 0.3, 0.5], [0.3, 0.3, 0.0])
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] < 2:
        raise InputError(f"need a square matrix of at least 2 cases, got shape {m.shape}")
    own = np.diag(m).copy()
    off = m.copy()
    np.fill_diagonal(off, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a case with no AUROC stays NaN
        swapped = np.nanmean(off, axis=0)
    return own, swapped, own - swapped


def bootstrap_mean_ci(
    values: npt.ArrayLike, *, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float, float]:
    """Mean of ``values`` (NaN dropped) and its percentile-bootstrap CI over the values.

    Parameters
    ----------
    values
        One number per case.
    n_boot
        Bootstrap resamples.
    seed
        Seed of the resampling (``numpy.random.default_rng``).
    level
        Coverage of the interval.

    Returns
    -------
    tuple of float
        ``(mean, low, high)``; all NaN when no value is finite.

    Examples
    --------
    >>> bootstrap_mean_ci([1.0, 1.0, 1.0])
    (1.0, 1.0, 1.0)
    >>> bootstrap_mean_ci([0.0, 1.0], n_boot=4000, seed=1, level=0.4)
    (0.5, 0.5, 0.5)
    """
    mean, lo, hi, _ = bootstrap_mean_test(values, n_boot=n_boot, seed=seed, level=level)
    return (mean, lo, hi)


def bootstrap_mean_test(
    values: npt.ArrayLike, *, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float, float, float]:
    """:func:`bootstrap_mean_ci` and the bootstrap p-value of "mean = 0" from the same resamples.

    Parameters
    ----------
    values, n_boot, seed, level
        As :func:`bootstrap_mean_ci` (the same draws: its CI is this one's).

    Returns
    -------
    tuple of float
        ``(mean, low, high, p)``, ``p`` two-sided (module docstring); all NaN when no value is
        finite.

    Examples
    --------
    Every resample mean is 1 (none <= 0): the smallest p, 2 / (B + 1).

    >>> bootstrap_mean_test([1.0, 1.0, 1.0], n_boot=999)
    (1.0, 1.0, 1.0, 0.002)

    A gain of 0 by construction: every resample mean is both <= 0 and >= 0.

    >>> bootstrap_mean_test([0.0, 0.0], n_boot=99)[3]
    1.0
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (math.nan, math.nan, math.nan, math.nan)
    if not 0 < level < 1 or n_boot < 1:
        raise InputError(f"level must be in (0, 1) and n_boot >= 1, got {level}, {n_boot}")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    means = x[idx].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    tail = min(int((means <= 0).sum()), int((means >= 0).sum()))
    p = min(1.0, 2.0 * (1 + tail) / (n_boot + 1))
    return (float(x.mean()), float(lo), float(hi), p)


def holm(pvalues: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Holm's step-down adjusted p-values (module docstring); NaN stays NaN, outside the family.

    Parameters
    ----------
    pvalues
        One p-value per hypothesis of the family; ``NaN`` for a row that tested nothing.

    Returns
    -------
    numpy.ndarray
        The adjusted p-values in the input order (``m`` = the number of finite inputs).

    Raises
    ------
    InputError
        A p-value outside [0, 1].

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, float("nan")]).round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(pvalues, dtype=np.float64)
    finite = np.isfinite(p)
    if ((p[finite] < 0) | (p[finite] > 1)).any():
        raise InputError(f"p-values must lie in [0, 1], got {p[finite].tolist()}")
    out = np.full(p.shape, np.nan)
    order = np.flatnonzero(finite)[np.argsort(p[finite], kind="stable")]
    m, running = order.size, 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * float(p[i])))
        out[i] = running
    return out


def spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman rank correlation (average ranks for ties); NaN if either side is constant.

    Examples
    --------
    >>> spearman([1, 2, 3, 4], [10, 20, 30, 40])
    1.0
    >>> spearman([1, 2, 3], [3, 1, 2])
    -0.5
    >>> spearman([1, 1, 1], [1, 2, 3])
    nan
    """
    a = rankdata(np.asarray(x, dtype=np.float64))
    b = rankdata(np.asarray(y, dtype=np.float64))
    if a.size != b.size:
        raise InputError(f"x and y differ in length: {a.size} vs {b.size}")
    if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return math.nan
    a = a - a.mean()
    b = b - b.mean()
    return float((a * b).sum() / math.sqrt((a * a).sum() * (b * b).sum()))
