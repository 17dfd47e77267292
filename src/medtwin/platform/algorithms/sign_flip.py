r"""The paired sign-flip permutation p of "mean = 0" of per-case gains.

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

Used by the personalisation controls (:mod:`.controls`) on the per-case gains of a ranking.
Checked by exact enumeration in ``tests/unit/algorithms/test_sign_flip.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError

__all__ = ["LeaveOneOutP", "SignFlipResult", "sign_flip_test", "sign_flip_without_each"]

SIGN_FLIP_EXACT_MAX = 20
"""Most cases whose 2^n sign patterns :func:`sign_flip_test` enumerates (2^20 sums: 8 MB)."""
SIGN_FLIP_RANDOM = 100_000
"""Random sign patterns :func:`sign_flip_test` draws above :data:`SIGN_FLIP_EXACT_MAX` cases."""
_CHUNK = 10_000
"""Random patterns drawn per batch: the seeded draws, and so the p-values, depend on it."""


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
