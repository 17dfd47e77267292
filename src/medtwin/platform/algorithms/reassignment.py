r"""The reassignment (permutation) p of a ranking's mean personal gain over a cross-AUROC matrix.

For the cross AUROC matrix :math:`M` of :func:`medtwin.platform.algorithms.controls.cross_auroc`
(``M[k, i]``: case :math:`i`'s labels on case :math:`k`'s ranking):

- **Reassignment (permutation) p** of the mean gain (the design's own null, stop 51): under
  H0 the rankings are exchangeable among the cases, so any assignment :math:`\pi` of rankings to
  cases is as likely as the observed one (the identity). With
  :math:`G_{ki} = M_{ki} - \mathrm{mean}_{j \ne k} M_{ji}` (case :math:`i`'s labels on ranking
  :math:`k` against its other rankings: :math:`G_{ii}` is the gain of
  :func:`~medtwin.platform.algorithms.controls.swap_gain`), the statistic of an
  assignment is :math:`T(\pi) = \mathrm{mean}_i\, G_{\pi(i) i}` (:math:`T(\mathrm{id})` = the
  mean gain; the swapped reference recomputed for the permuted matrix) and

  .. math:: p_{>} = \frac{\#\{\pi : T(\pi) \ge T(\mathrm{id})\}}{n!},\qquad
            p_{\pm} = \frac{\#\{\pi : |T(\pi)| \ge |T(\mathrm{id})|\}}{n!}

  over all :math:`n!` assignments for :math:`n \le 8`, else over ``n_random`` seeded uniform
  ones, :math:`p = (1 + \#)/(n_{\text{random}} + 1)`. :math:`\mathrm{E}\,T(\pi) = 0` exactly
  (each column's :math:`G` averages to 0 over its rows), so the two-sided p compares
  :math:`|T|`. It is the "matched vs mismatched" comparison of connectivity-map evaluations
  (Lamb J. et al. Science 313, 1929 (2006), doi:10.1126/science.1132939) made a randomisation
  test (Good P. 2005, *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed.,
  ch. 3, doi:10.1007/b138696; the ``pairings`` permutations of
  :func:`scipy.stats.permutation_test`):
  it uses the whole matrix — which other case a ranking fits is part of the null — where the
  sign-flip p (:mod:`.sign_flip`) uses only the row of gains and assumes each symmetric about 0.
  Differences below :data:`REASSIGN_TOLERANCE` count as ties (float noise; an AUROC step is
  ≥ 1e-8 here).

Checked by exact enumeration in ``tests/unit/algorithms/test_reassignment.py``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError

__all__ = [
    "REASSIGN_EXACT_MAX",
    "REASSIGN_RANDOM",
    "REASSIGN_TOLERANCE",
    "LeaveOneOutReassignment",
    "ReassignmentResult",
    "reassignment_gains",
    "reassignment_test",
    "reassignment_without_each",
]

REASSIGN_EXACT_MAX = 8
"""Most cases whose n! assignments :func:`reassignment_test` enumerates (8! = 40,320)."""
REASSIGN_RANDOM = 100_000
"""Random assignments :func:`reassignment_test` draws above :data:`REASSIGN_EXACT_MAX` cases."""
REASSIGN_TOLERANCE = 1e-12
"""Two mean gains closer than this are equal (float noise of a sum of AUROCs)."""
_CHUNK = 10_000
"""Random assignments drawn per batch: the seeded draws, and so the p-values, depend on it."""


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
