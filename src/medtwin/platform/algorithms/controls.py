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
- **Sign-flip permutation p** of "mean = 0" (Fisher's randomisation test, paired form; Good
  2005, *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed.,
  doi:10.1007/b138696): under H0 each case's gain is symmetric about 0, so each of the
  :math:`2^n` sign patterns :math:`s` of the :math:`n` gains is equally likely and

  .. math:: p = \frac{\#\{s : |\textstyle\sum_i s_i x_i| \ge |\sum_i x_i|\}}{2^n}

  counts the observed pattern too (so :math:`p \ge 2/2^n`). All patterns are enumerated for
  :math:`n \le 20`; above, ``n_random`` seeded random patterns, with the observed one added,
  :math:`p = (1 + \#)/(n_{\text{random}} + 1)`. Unlike the bootstrap p it has no floor set by a
  number of resamples (an exact p of 19 cases can be 2/2^19), and it is exact in small samples
  under its assumption; it tests symmetry about 0, not only the mean (a skewed gain of mean 0
  can be rejected).
- **Reassignment (permutation) p** of the mean gain (the design's own null, stop 51): under
  H0 the rankings are exchangeable among the cases, so any assignment :math:`\pi` of rankings to
  cases is as likely as the observed one (the identity). With
  :math:`G_{ki} = M_{ki} - \mathrm{mean}_{j \ne k} M_{ji}` (case :math:`i`'s labels on ranking
  :math:`k` against its other rankings: :math:`G_{ii}` is the gain above), the statistic of an
  assignment is :math:`T(\pi) = \mathrm{mean}_i\, G_{\pi(i) i}` (:math:`T(\mathrm{id})` = the
  mean gain; the swapped reference recomputed for the permuted matrix) and

  .. math:: p_{>} = \frac{\#\{\pi : T(\pi) \ge T(\mathrm{id})\}}{n!},\qquad
            p_{\pm} = \frac{\#\{\pi : |T(\pi)| \ge |T(\mathrm{id})|\}}{n!}

  over all :math:`n!` assignments for :math:`n \le 8`, else over ``n_random`` seeded uniform
  ones, :math:`p = (1 + \#)/(n_{\text{random}} + 1)`. :math:`\mathrm{E}\,T(\pi) = 0` exactly
  (each column's :math:`G` averages to 0 over its rows), so the two-sided p compares
  :math:`|T|`. It is the "matched vs mismatched" comparison of connectivity-map evaluations
  (Lamb J. et al. Science 313, 1929 (2006), doi:10.1126/science.1132939) made a randomisation
  test (Good 2005, ch. 3; the ``pairings`` permutations of :func:`scipy.stats.permutation_test`):
  it uses the whole matrix — which other case a ranking fits is part of the null — where the
  sign-flip p uses only the row of gains and assumes each symmetric about 0. Differences below
  :data:`REASSIGN_TOLERANCE` count as ties (float noise; an AUROC step is ≥ 1e-8 here).
- **Spearman** :math:`\rho` = Pearson correlation of average ranks (ties averaged).

Checked against hand-computed toy cases in ``tests/unit/algorithms/test_controls.py`` and
against :func:`medtwin.platform.algorithms.stats.auroc` / :func:`scipy.stats.spearmanr`.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from medtwin.errors import InputError

__all__ = [
    "BootstrapResult",
    "LeaveOneOutP",
    "LeaveOneOutReassignment",
    "ReassignmentResult",
    "SignFlipResult",
    "bootstrap_mean_ci",
    "bootstrap_mean_test",
    "cross_auroc",
    "holm",
    "reassignment_gains",
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


@dataclass(frozen=True)
class BootstrapResult:
    """A statistic, its percentile-bootstrap CI and p of "= 0", and the resampling's seed.

    :func:`bootstrap_mean_test` and :func:`bootstrap_mean_ci` (the mean of the values), and
    :func:`medtwin.platform.algorithms.concordance.bootstrap_stratified` (any statistic).
    """

    value: float
    """The statistic on every case (the mean for :func:`bootstrap_mean_test`)."""
    low: float
    high: float
    p: float
    """Two-sided bootstrap p of "= 0" (module docstring)."""
    n_boot: int
    seed: int
    """Seed of the resampling (``numpy.random.default_rng``): the same seed gives the same CI."""


def bootstrap_mean_ci(
    values: npt.ArrayLike, *, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> BootstrapResult:
    """Mean of ``values`` (NaN dropped) and its percentile-bootstrap CI over the values.

    The CI of :func:`bootstrap_mean_test`, whose result this is (its ``p`` from the same draws).

    Parameters
    ----------
    values
        One number per case.
    n_boot
        Bootstrap resamples.
    seed
        Seed of the resampling (``numpy.random.default_rng``), recorded in the result.
    level
        Coverage of the interval.

    Returns
    -------
    BootstrapResult
        ``value`` (the mean), ``low``, ``high``; all NaN when no value is finite.

    Examples
    --------
    >>> r = bootstrap_mean_ci([1.0, 1.0, 1.0])
    >>> r.value, r.low, r.high, r.seed
    (1.0, 1.0, 1.0, 0)
    >>> r = bootstrap_mean_ci([0.0, 1.0], n_boot=4000, seed=1, level=0.4)
    >>> r.value, r.low, r.high, r.seed
    (0.5, 0.5, 0.5, 1)
    """
    return bootstrap_mean_test(values, n_boot=n_boot, seed=seed, level=level)


def bootstrap_mean_test(
    values: npt.ArrayLike, *, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> BootstrapResult:
    """:func:`bootstrap_mean_ci` and the bootstrap p-value of "mean = 0" from the same resamples.

    Parameters
    ----------
    values, n_boot, seed, level
        As :func:`bootstrap_mean_ci` (the same draws: its CI is this one's).

    Returns
    -------
    BootstrapResult
        ``value`` (the mean), ``low``, ``high``, ``p`` two-sided (module docstring), ``n_boot``
        and ``seed``; all NaN when no value is finite.

    Examples
    --------
    Every resample mean is 1 (none <= 0): the smallest p, 2 / (B + 1).

    >>> r = bootstrap_mean_test([1.0, 1.0, 1.0], n_boot=999, seed=5)
    >>> r.value, r.low, r.high, r.p, r.seed
    (1.0, 1.0, 1.0, 0.002, 5)

    A gain of 0 by construction: every resample mean is both <= 0 and >= 0.

    >>> bootstrap_mean_test([0.0, 0.0], n_boot=99).p
    1.0
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return BootstrapResult(math.nan, math.nan, math.nan, math.nan, n_boot, seed)
    if not 0 < level < 1 or n_boot < 1:
        raise InputError(f"level must be in (0, 1) and n_boot >= 1, got {level}, {n_boot}")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    means = x[idx].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    tail = min(int((means <= 0).sum()), int((means >= 0).sum()))
    p = min(1.0, 2.0 * (1 + tail) / (n_boot + 1))
    return BootstrapResult(float(x.mean()), float(lo), float(hi), p, n_boot, seed)


SIGN_FLIP_EXACT_MAX = 20
"""Most cases whose 2^n sign patterns :func:`sign_flip_test` enumerates (2^20 sums: 8 MB)."""
SIGN_FLIP_RANDOM = 100_000
"""Random sign patterns :func:`sign_flip_test` draws above :data:`SIGN_FLIP_EXACT_MAX` cases."""
_CHUNK = 10_000


@dataclass(frozen=True)
class SignFlipResult:
    """:func:`sign_flip_test`: the mean, its two-sided p, how the patterns were counted."""

    mean: float
    p: float
    n: int
    patterns: int
    """Sign patterns counted: 2^n when exact, else the random ones + the observed."""
    exact: bool
    seed: int | None
    """Seed of the random patterns; ``None`` when every pattern was enumerated."""


def sign_flip_test(
    values: npt.ArrayLike,
    *,
    seed: int = 0,
    n_random: int = SIGN_FLIP_RANDOM,
    max_exact: int = SIGN_FLIP_EXACT_MAX,
) -> SignFlipResult:
    """Paired sign-flip permutation p of "mean = 0" (module docstring), NaN dropped.

    Parameters
    ----------
    values
        One number per case (a per-case gain).
    seed
        Seed of the random patterns (``numpy.random.default_rng``), used above ``max_exact``.
    n_random
        Random sign patterns above ``max_exact`` cases.
    max_exact
        Most cases whose patterns are all enumerated.

    Returns
    -------
    SignFlipResult
        ``p`` = share of patterns whose ``|sum|`` reaches the observed one, the observed
        included; NaN mean and p when no value is finite. A float tolerance of 100 machine
        epsilons of the observed sum (as :func:`scipy.stats.permutation_test`) keeps a pattern
        equal to the observed one up to rounding.

    Raises
    ------
    InputError
        ``n_random`` below 1 or ``max_exact`` above 24 (2^24 sums do not fit in memory here).

    Examples
    --------
    Gains 1, 2, 3: of the 8 patterns, |sum| >= 6 only for +++ and ---, p = 2/8.

    >>> r = sign_flip_test([1.0, 2.0, 3.0])
    >>> r.p, r.patterns, r.exact
    (0.25, 8, True)

    Gains 1, -1, 2 (sum 2): only the patterns +-- and -++ (sum 0) stay below, p = 6/8.

    >>> sign_flip_test([1.0, -1.0, 2.0]).p
    0.75
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if n_random < 1 or not 0 <= max_exact <= 24:
        raise InputError(
            f"need n_random >= 1 and 0 <= max_exact <= 24, got {n_random}, {max_exact}"
        )
    if x.size == 0:
        return SignFlipResult(math.nan, math.nan, 0, 0, True, None)
    observed = abs(float(x.sum()))
    threshold = observed - 100 * np.finfo(np.float64).eps * observed
    if x.size <= max_exact:
        sums = np.zeros(1)
        for v in x:  # every pattern: the sums so far with +v, then with -v
            sums = np.concatenate([sums + v, sums - v])
        count = int((np.abs(sums) >= threshold).sum())
        p = count / sums.size
        return SignFlipResult(float(x.mean()), p, int(x.size), int(sums.size), True, None)
    rng = np.random.default_rng(seed)
    count, drawn = 0, 0
    while drawn < n_random:
        k = min(_CHUNK, n_random - drawn)
        signs = rng.integers(0, 2, size=(k, x.size)) * 2.0 - 1.0
        count += int((np.abs(signs @ x) >= threshold).sum())
        drawn += k
    p = (1 + count) / (n_random + 1)
    return SignFlipResult(float(x.mean()), p, int(x.size), n_random + 1, False, seed)


@dataclass(frozen=True, eq=False)
class LeaveOneOutP:
    """:func:`sign_flip_without_each`: each case's p when left out, and the draws' seed."""

    p: npt.NDArray[np.float64]
    """Two-sided p without case ``i``, in the input order (NaN for a NaN value)."""
    seed: int | None
    """Seed of the one shared sign matrix; ``None`` when every leave-out was exact."""


def sign_flip_without_each(
    values: npt.ArrayLike, *, seed: int = 0, n_random: int = SIGN_FLIP_RANDOM
) -> LeaveOneOutP:
    """:func:`sign_flip_test`'s p with each case left out in turn, from one sign matrix.

    Leaving case ``i`` out of a random pattern ``s`` changes its sum to ``s·x − s_i x_i``, so one
    seeded ``(n_random, n)`` sign matrix serves every leave-out (stop 51; a loop of ``n`` calls
    drew ``n`` matrices). Where ``n − 1`` cases are few enough to enumerate, each leave-out is
    :func:`sign_flip_test` itself (exact). NaN values are no case: their entry is NaN and the
    others are computed without them.

    Returns
    -------
    LeaveOneOutP
        ``p``: the two-sided p without case ``i``, in the input order; ``seed`` of the draws
        (``None``: exact, nothing drawn).

    Examples
    --------
    >>> r = sign_flip_without_each([1.0, 2.0, 3.0, math.nan])
    >>> r.p.tolist(), r.seed
    ([0.5, 0.5, 0.5, nan], None)
    """
    x = np.asarray(values, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    keep = np.flatnonzero(np.isfinite(x))
    v = x[keep]
    if v.size - 1 <= SIGN_FLIP_EXACT_MAX:
        for k, i in enumerate(keep):
            out[i] = sign_flip_test(np.delete(v, k), seed=seed, n_random=n_random).p
        return LeaveOneOutP(out, None)
    observed = np.abs(v.sum() - v)
    threshold = observed - 100 * np.finfo(np.float64).eps * observed
    rng = np.random.default_rng(seed)
    count = np.zeros(v.size, dtype=np.int64)
    drawn = 0
    while drawn < n_random:
        k = min(_CHUNK, n_random - drawn)
        signs = rng.integers(0, 2, size=(k, v.size)) * 2.0 - 1.0
        without = (signs @ v)[:, None] - signs * v[None, :]
        count += (np.abs(without) >= threshold[None, :]).sum(axis=0)
        drawn += k
    out[keep] = (1 + count) / (n_random + 1)
    return LeaveOneOutP(out, seed)


REASSIGN_EXACT_MAX = 8
"""Most cases whose n! assignments :func:`reassignment_test` enumerates (8! = 40,320)."""
REASSIGN_RANDOM = 100_000
"""Random assignments :func:`reassignment_test` draws above :data:`REASSIGN_EXACT_MAX` cases."""
REASSIGN_TOLERANCE = 1e-12
"""Two mean gains closer than this are equal (float noise of a sum of AUROCs)."""


@dataclass(frozen=True)
class ReassignmentResult:
    """:func:`reassignment_test`: the mean gain, its p (one- and two-sided), how counted."""

    mean: float
    p_greater: float
    """Share of assignments whose mean gain reaches the observed one (H1: own better)."""
    p_two_sided: float
    n: int
    """Rankings permuted (cases of the matrix, with or without an AUROC)."""
    cases: int
    """Cases with an AUROC (the columns averaged)."""
    permutations: int
    """Assignments counted: n! when exact, else the random ones + the observed."""
    exact: bool
    seed: int | None
    """Seed of the random assignments; ``None`` when every one was enumerated."""


def reassignment_gains(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``G[k, i]``: case ``i``'s gain were ranking ``k`` its own (module docstring).

    ``M[k, i]`` minus the mean of column ``i`` over the other rows (NaN left out, as
    :func:`swap_gain` does), so the diagonal is :func:`swap_gain`'s gain.

    Examples
    --------
    >>> reassignment_gains([[0.9, 0.2], [0.7, 0.6]]).round(2).tolist()
    [[0.2, -0.4], [-0.2, 0.4]]
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] < 2:
        raise InputError(f"need a square matrix of at least 2 cases, got shape {m.shape}")
    finite = np.isfinite(m)
    total = np.where(finite, m, 0.0).sum(axis=0)
    count = finite.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        others = (total[None, :] - m) / (count[None, :] - 1)
    return np.where(finite & (count[None, :] > 1), m - others, np.nan)


def reassignment_test(
    matrix: npt.ArrayLike,
    *,
    seed: int = 0,
    n_random: int = REASSIGN_RANDOM,
    max_exact: int = REASSIGN_EXACT_MAX,
) -> ReassignmentResult:
    """Permutation p of the mean gain, rankings reassigned among cases (module docstring).

    Parameters
    ----------
    matrix
        ``M[k, i]`` from :func:`cross_auroc` (ranking ``k``, case ``i``'s labels).
    seed
        Seed of the random assignments (``numpy.random.default_rng``), above ``max_exact``.
    n_random
        Random assignments above ``max_exact`` cases.
    max_exact
        Most cases whose assignments are all enumerated.

    Returns
    -------
    ReassignmentResult
        NaN mean and p when no case has an AUROC.

    Raises
    ------
    InputError
        Not a square matrix of at least 2 cases, ``n_random`` below 1 or ``max_exact`` above 9.

    Examples
    --------
    Two cases, each ranking right for its own case only: of the 2 assignments the observed is
    the better one.

    >>> r = reassignment_test([[1.0, 0.0], [0.0, 1.0]])
    >>> r.mean, r.p_greater, r.p_two_sided, r.permutations
    (1.0, 0.5, 1.0, 2)
    """
    if n_random < 1 or not 0 <= max_exact <= 9:
        raise InputError(f"need n_random >= 1 and 0 <= max_exact <= 9, got {n_random}, {max_exact}")
    g = reassignment_gains(matrix)
    n = g.shape[0]
    cols = np.flatnonzero(np.isfinite(g).any(axis=0))
    if cols.size == 0:
        return ReassignmentResult(math.nan, math.nan, math.nan, n, 0, 0, True, None)
    g = g[:, cols]
    observed = float(np.nanmean(np.diag(g[cols])))

    def counts(perms: npt.NDArray[np.int64]) -> tuple[int, int]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN assignment: no count
            t = np.nanmean(g[perms[:, cols], np.arange(cols.size)], axis=1)
        more = int((t >= observed - REASSIGN_TOLERANCE).sum())
        return more, int((np.abs(t) >= abs(observed) - REASSIGN_TOLERANCE).sum())

    if n <= max_exact:
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
        more, both = counts(perms)
        total = len(perms)
        return ReassignmentResult(
            observed, more / total, both / total, n, int(cols.size), total, True, None
        )
    rng = np.random.default_rng(seed)
    more = both = drawn = 0
    while drawn < n_random:
        k = min(_CHUNK, n_random - drawn)
        a, b = counts(rng.permuted(np.tile(np.arange(n), (k, 1)), axis=1))
        more, both, drawn = more + a, both + b, drawn + k
    return ReassignmentResult(
        observed,
        (1 + more) / (n_random + 1),
        (1 + both) / (n_random + 1),
        n,
        int(cols.size),
        n_random + 1,
        False,
        seed,
    )


@dataclass(frozen=True, eq=False)
class LeaveOneOutReassignment:
    """:func:`reassignment_without_each`: per left-out case, the others' mean gain and p."""

    mean: npt.NDArray[np.float64]
    p_greater: npt.NDArray[np.float64]
    p_two_sided: npt.NDArray[np.float64]
    seed: int | None
    """Seed of the one set of random assignments; ``None`` when every leave-out was exact."""


def reassignment_without_each(
    matrix: npt.ArrayLike, *, seed: int = 0, n_random: int = REASSIGN_RANDOM
) -> LeaveOneOutReassignment:
    """:func:`reassignment_test` with each case (its ranking and its labels) left out in turn.

    Above :data:`REASSIGN_EXACT_MAX` + 1 cases one set of seeded random assignments serves every
    leave-out: removing ``i`` from an assignment ``π`` (``π^{-1}(i)`` takes ``π(i)``) gives a
    uniform assignment of the other ``n − 1`` (each has exactly ``n`` preimages), and its
    statistic changes by three entries of the matrix, so no leave-out re-draws or re-sums
    (stop 51: 120 cases × 100,000 assignments in seconds). Fewer cases: :func:`reassignment_test`
    on each reduced matrix (exact). Needs each column all finite or all NaN (what
    :func:`cross_auroc` gives).

    Returns
    -------
    LeaveOneOutReassignment
        Per left-out case: the mean gain, ``p_greater``, ``p_two_sided`` of the others; the
        ``seed`` of the assignments (``None``: exact, nothing drawn).

    Examples
    --------
    Four cases, each ranking right for its own case only: without any one, the three left have
    mean gain 1 (own AUROC 1, the others' 0), which the identity alone of the 3! = 6 reaches.

    >>> r = reassignment_without_each(np.eye(4))
    >>> r.mean.tolist(), r.p_greater.round(3).tolist(), r.p_two_sided.round(3).tolist(), r.seed
    ([1.0, 1.0, 1.0, 1.0], [0.167, 0.167, 0.167, 0.167], [0.167, 0.167, 0.167, 0.167], None)
    """
    m = np.asarray(matrix, dtype=np.float64)
    n = m.shape[0] if m.ndim == 2 else 0
    if m.ndim != 2 or m.shape[0] != m.shape[1] or n < 3:
        raise InputError(f"need a square matrix of at least 3 cases, got shape {m.shape}")
    if n - 1 <= REASSIGN_EXACT_MAX:
        results = [
            reassignment_test(np.delete(np.delete(m, i, 0), i, 1), seed=seed, n_random=n_random)
            for i in range(n)
        ]
        return LeaveOneOutReassignment(
            np.array([r.mean for r in results]),
            np.array([r.p_greater for r in results]),
            np.array([r.p_two_sided for r in results]),
            None,
        )
    finite = np.isfinite(m)
    full = finite.all(axis=0)
    if not (full | ~finite.any(axis=0)).all():
        raise InputError("each column must be all finite or all NaN (a case with an AUROC or not)")
    mz = np.where(finite, m, 0.0)
    f: npt.NDArray[np.float64] = np.asarray(full, dtype=np.float64)
    idx = np.arange(n)
    # sum over the other columns l of (c_l − M[i, l]) / (n − 2): the leave-out's swapped part
    colsum = mz.sum(axis=0)
    k_of = (colsum * f).sum() - colsum * f - (mz * f[None, :]).sum(axis=1) + np.diag(mz) * f
    cases = f.sum() - f

    def statistic(sums: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(((n - 1) * sums - k_of) / ((n - 2) * cases), dtype=np.float64)

    observed = statistic(np.trace(mz) - np.diag(mz))
    rng = np.random.default_rng(seed)
    more = np.zeros(n, dtype=np.int64)
    both = np.zeros(n, dtype=np.int64)
    drawn = 0
    while drawn < n_random:
        k = min(_CHUNK, n_random - drawn)
        perm = rng.permuted(np.tile(idx, (k, 1)), axis=1)  # ranking perm[b, l] to case l
        inverse = np.empty_like(perm)
        np.put_along_axis(inverse, perm, np.broadcast_to(idx, perm.shape), axis=1)
        total = mz[perm, idx].sum(axis=1)  # (k,)
        # π(i) = perm[:, i], the ranking case i had; q = inverse[:, i], the case that had ranking i
        target = perm
        sums = total[:, None] - mz[target, idx] - mz[idx[None, :], inverse] + mz[target, inverse]
        t = statistic(sums)
        more += (t >= observed[None, :] - REASSIGN_TOLERANCE).sum(axis=0)
        both += (np.abs(t) >= np.abs(observed)[None, :] - REASSIGN_TOLERANCE).sum(axis=0)
        drawn += k
    return LeaveOneOutReassignment(
        observed, (1 + more) / (n_random + 1), (1 + both) / (n_random + 1), seed
    )


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
