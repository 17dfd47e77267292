r"""Personalisation controls: is a ranking better for its own patient than for another one.

A ranking method that only encodes what is the same for every patient (approval, hub targets,
popularity) ranks a patient's good drugs as well with *another* patient's ranking as with the
patient's own. The controls here measure that directly (``make validate-twins``):

- **Cross AUROC matrix.** For cases :math:`1..n` with scores :math:`S_j` (case :math:`j`'s
  ranking) and labels :math:`Y_i` (case :math:`i`'s positives), over the items case :math:`i`
  has labels for,

  .. math:: M_{ji} = \mathrm{AUROC}(S_j, Y_i)
            = \frac{R^{(j)}_{+,i} - n_{+,i}(n_{+,i} + 1)/2}{n_{+,i}\, n_{-,i}}

  (Mann–Whitney with average ranks for ties, as Hanley J.A. & McNeil B.J., Radiology 143, 29–36
  (1982), doi:10.1148/radiology.143.1.7063747, read the AUROC; :math:`R^{(j)}_{+,i}` = sum of
  the ranks, under :math:`S_j`, of case :math:`i`'s positives). ``NaN`` where case :math:`i` has
  no positive or no negative.
- **Own, swapped, gain.** :math:`\mathrm{own}_i = M_{ii}`;
  :math:`\mathrm{swapped}_i = \mathrm{mean}_{j \ne i} M_{ji}` (the same pipeline, the wrong
  patient); :math:`\mathrm{gain}_i = \mathrm{own}_i - \mathrm{swapped}_i`. A method whose
  rankings do not depend on the patient has gain 0 exactly. It is the "matched vs mismatched"
  comparison of connectivity-map evaluations (Lamb J. et al. Science 313, 1929 (2006),
  doi:10.1126/science.1132939), per case.
- **Holm step-down** adjustment of :math:`m` p-values (Holm 1979, *Scand. J. Statist.*
  6:65–70, JSTOR 4615733): with :math:`p_{(1)} \le \dots \le p_{(m)}`,
  :math:`\tilde p_{(i)} = \max_{k \le i} \min(1, (m - k + 1)\, p_{(k)})`; rejecting where
  :math:`\tilde p < \alpha` keeps the family-wise error rate at :math:`\alpha` under any
  dependence between the tests (the rows of one part share cases and methods).
- **Spearman** :math:`\rho` = Pearson correlation of average ranks (ties averaged).

The tests of the gain live beside this module, one concern each: the percentile bootstrap CI and
its p (:mod:`.bootstrap`), the sign-flip permutation p (:mod:`.sign_flip`) and the reassignment
p of the whole matrix (:mod:`.reassignment`). The names the harness imports from here
(``benchmarks/personal.py`` and others) are imported here too, so those scripts keep working.

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

# the harness (benchmarks/personal.py, evidence_sensitivity.py, validate_twins.py, ...) imports
# these from this module: they stay importable here
from medtwin.platform.algorithms.bootstrap import (
    BootstrapResult,
    bootstrap_mean_ci,
    bootstrap_mean_test,
)
from medtwin.platform.algorithms.reassignment import (
    REASSIGN_EXACT_MAX,
    REASSIGN_RANDOM,
    reassignment_test,
    reassignment_without_each,
)
from medtwin.platform.algorithms.sign_flip import (
    SIGN_FLIP_EXACT_MAX,
    SIGN_FLIP_RANDOM,
    sign_flip_test,
    sign_flip_without_each,
)

__all__ = [
    "REASSIGN_EXACT_MAX",
    "REASSIGN_RANDOM",
    "SIGN_FLIP_EXACT_MAX",
    "SIGN_FLIP_RANDOM",
    "BootstrapResult",
    "bootstrap_mean_ci",
    "bootstrap_mean_test",
    "cross_auroc",
    "holm",
    "reassignment_test",
    "reassignment_without_each",
    "sign_flip_test",
    "sign_flip_without_each",
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
