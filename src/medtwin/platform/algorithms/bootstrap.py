r"""Percentile-bootstrap CIs and the bootstrap p of "= 0" over cases or patients.

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
- **Stratified** (:func:`bootstrap_stratified`, :func:`bootstrap_own_swapped`): a resample draws,
  within every stratum (a cohort), as many patients as it has, with replacement, and the
  statistic is recomputed on it; the CI and p are those above over the resamples where the
  statistic is defined.

Used by the personalisation controls (:mod:`.controls`: a ranking's own − swapped AUROC over
cases) and by concordance (:mod:`.concordance`: own − swapped C or τ-b over patients). Checked
against hand-computed toy cases in ``tests/unit/algorithms/test_controls.py`` and
``tests/unit/algorithms/test_concordance.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError

__all__ = [
    "BootstrapResult",
    "OwnSwappedResult",
    "bootstrap_mean_ci",
    "bootstrap_mean_test",
    "bootstrap_own_swapped",
    "bootstrap_stratified",
]


@dataclass(frozen=True)
class BootstrapResult:
    """A statistic, its percentile-bootstrap CI and p of "= 0", and the resampling's seed.

    :func:`bootstrap_mean_test` and :func:`bootstrap_mean_ci` (the mean of the values), and
    :func:`bootstrap_stratified` (any statistic).
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


def stratum_codes(strata: npt.ArrayLike | None, n: int) -> npt.NDArray[np.int64]:
    """Each patient's stratum as 0..k-1 (all 0 without strata); ``n`` is the patient count.

    Bookkeeping, not a statistic (so not in ``__all__``, which the algorithm audit lists, as
    :mod:`.nulls` keeps ``signature``): the resamples here and the pairs and permutations of
    :mod:`.concordance` stay within the strata it numbers.
    """
    if strata is None:
        return np.zeros(n, dtype=np.int64)
    labels = np.asarray(strata).ravel()
    if labels.size != n:
        raise InputError(f"strata has {labels.size} entries for {n} patients")
    return np.unique(labels, return_inverse=True)[1].astype(np.int64)


def _resamples(
    stat: Callable[[npt.NDArray[np.int64]], tuple[float, ...]],
    strata: npt.ArrayLike,
    n_boot: int,
    seed: int,
    level: float,
) -> npt.NDArray[np.float64]:
    """``stat`` on ``n_boot`` stratified resamples (rows: resamples, columns: its values)."""
    labels = stratum_codes(strata, np.asarray(strata).size)
    if not 0 < level < 1 or n_boot < 1:
        raise InputError(f"level must be in (0, 1) and n_boot >= 1, got {level}, {n_boot}")
    members = [np.flatnonzero(labels == g) for g in np.unique(labels)]
    rng = np.random.default_rng(seed)
    return np.array(
        [
            stat(np.concatenate([rng.choice(m, size=m.size) for m in members]))
            for _ in range(n_boot)
        ],
        dtype=np.float64,
    )


def _interval(values: npt.NDArray[np.float64], level: float) -> tuple[float, float, float]:
    """Percentile interval and the two-sided add-one p of "= 0" over the finite resamples."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return (math.nan, math.nan, math.nan)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(v, [alpha, 1.0 - alpha])
    tail = min(int((v <= 0).sum()), int((v >= 0).sum()))
    return (float(lo), float(hi), min(1.0, 2.0 * (1 + tail) / (v.size + 1)))


def bootstrap_stratified(
    stat: Callable[[npt.NDArray[np.int64]], float],
    strata: npt.ArrayLike,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> BootstrapResult:
    """A statistic on every patient, its percentile CI and bootstrap p of "= 0".

    ``stat(idx)`` computes the statistic on the patients ``idx`` (row indices, repeated in a
    resample). Each resample draws, within every stratum, as many patients as it has, with
    replacement (``numpy.random.default_rng(seed)``: the same draws for the same strata, so two
    statistics on one patient list are paired), keeping the strata's sizes. The p is the
    two-sided add-one p of :func:`bootstrap_mean_test`;
    resamples where the statistic is undefined (NaN: no comparable pair) are dropped.

    Returns
    -------
    BootstrapResult
        ``value``, ``low``, ``high``, ``p``, and the ``n_boot`` and ``seed`` of the resamples.

    Examples
    --------
    >>> r = bootstrap_stratified(lambda idx: 1.0, ["a", "a", "b"], n_boot=99, seed=3)
    >>> r.value, r.low, r.high, r.p, r.seed
    (1.0, 1.0, 1.0, 0.02, 3)
    """
    value = stat(np.arange(np.asarray(strata).size))
    draws = _resamples(lambda idx: (stat(idx),), strata, n_boot, seed, level)
    return BootstrapResult(float(value), *_interval(draws[:, 0], level), n_boot, seed)


@dataclass(frozen=True)
class OwnSwappedResult:
    """:func:`bootstrap_own_swapped`: own, swapped and gain with CIs, and the resamples' seed."""

    own: float
    own_low: float
    own_high: float
    swapped: float
    gain: float
    """own − swapped."""
    gain_low: float
    gain_high: float
    gain_p: float
    """Two-sided bootstrap p of "gain = 0"."""
    n_boot: int
    seed: int
    """Seed of the paired stratified resamples (``numpy.random.default_rng``)."""


def bootstrap_own_swapped(
    own: Callable[[npt.NDArray[np.int64]], float],
    swapped: Callable[[npt.NDArray[np.int64]], float],
    strata: npt.ArrayLike,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> OwnSwappedResult:
    """Own, swapped and gain = own − swapped, each with its CI, and the gain's p.

    The resamples of :func:`bootstrap_stratified`, one draw for both statistics (paired):
    ``numpy.random.default_rng(seed)`` draws, within every stratum, as many patients as it has,
    with replacement. The result records ``n_boot`` and ``seed``.

    Examples
    --------
    >>> r = bootstrap_own_swapped(lambda i: 0.75, lambda i: 0.5, ["a", "a", "b"], n_boot=99)
    >>> r.gain, r.gain_low, r.gain_p, r.seed
    (0.25, 0.25, 0.02, 0)
    """
    everyone = np.arange(np.asarray(strata).size)
    o, s = own(everyone), swapped(everyone)
    draws = _resamples(lambda idx: (own(idx), swapped(idx)), strata, n_boot, seed, level)
    own_lo, own_hi, _ = _interval(draws[:, 0], level)
    gain_lo, gain_hi, p = _interval(draws[:, 0] - draws[:, 1], level)
    return OwnSwappedResult(o, own_lo, own_hi, s, o - s, gain_lo, gain_hi, p, n_boot, seed)
