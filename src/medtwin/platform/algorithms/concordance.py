r"""Concordance of a per-patient score with a continuous or ordinal outcome, own vs swapped.

Everything is a sum over *pairs of patients of one stratum* (a cohort): pairs across strata are
never compared, so a stratified statistic pools the pairs of every stratum (the stratified C of
survival analysis). The score orders patients "higher = predicted better" (longer survival,
better response).

- **Harrell's C** (Harrell F.E. et al., Evaluating the yield of medical tests. JAMA 247,
  2543–2546 (1982), doi:10.1001/jama.1982.03320430047030). A pair :math:`(i, j)` is comparable
  when :math:`i`'s event is observed and :math:`i` is known to fail first: :math:`T_i < T_j`, or
  :math:`T_i = T_j` with :math:`j` censored (a patient censored at :math:`t` lived to :math:`t`);
  two events at the same time, or :math:`i` censored before :math:`j`, are not comparable.

  .. math:: C = \frac{\sum_{(i,j)\ \mathrm{comparable}} \bigl(\mathbb 1[s_i < s_j]
            + \tfrac12\,\mathbb 1[s_i = s_j]\bigr)}{\#\,\mathrm{comparable\ pairs}}

  (ties in score count ½), the convention of ``lifelines.utils.concordance_index`` and
  ``sksurv.metrics.concordance_index_censored``. 0.5 = no information.
- **Kendall's** :math:`\tau_b` of the score with an ordinal outcome (Kendall M.G., The treatment
  of ties in ranking problems. Biometrika 33, 239–251 (1945), doi:10.1093/biomet/33.3.239), over
  the :math:`n_0` pairs of a stratum:

  .. math:: \tau_b = \frac{\sum_{i<j} \mathrm{sgn}(s_j - s_i)\,\mathrm{sgn}(y_j - y_i)}
            {\sqrt{(n_0 - n_s)(n_0 - n_y)}}

  with :math:`n_s`, :math:`n_y` the pairs tied in score, in outcome (the sums over strata).
- **Swapped patient** (as :mod:`medtwin.platform.algorithms.controls` does for a ranking's AUROC:
  the case's labels on the other cases' rankings, mean over them). Each pair term
  :math:`f(s_i, s_j)` is replaced by its mean over the scores of *other* patients of the stratum,
  :math:`f(s_k, s_l)` with :math:`k \ne i`, :math:`l \ne j`, :math:`k \ne l`: patient
  :math:`i`'s outcome on patient :math:`k`'s ranking, :math:`j`'s on :math:`l`'s. ``ids`` names
  the patient behind each row, so the duplicates of a bootstrap resample are not "other".
  A score that is the same for every patient has own = swapped; for a statistic across patients
  the swapped value sits near 0.5 (C) or 0 (:math:`\tau_b`) by construction, so own − swapped is
  the own statistic measured against what the pipeline gives any patient's outcome. Leaving
  out the pair's own two patients pulls the swapped value of a strongly concordant score a
  little below 0.5 (0), by the order of 1 / patients (2/9 for three perfectly ordered ones):
  personal.py's swapped AUROC leaves its own case out the same way.

- **Reassignment p** of own − swapped (stop 51; the personal gain's own null, as
  :func:`medtwin.platform.algorithms.controls.reassignment_test` for a ranking's AUROC): under
  H0 which patient's ranking meets which patient's outcome is exchangeable within a cohort. A
  permutation :math:`\pi` within strata moves patient :math:`i`'s score to :math:`\pi(i)`; both
  the own and the swapped pair terms of pair :math:`(i, j)` become the unpermuted ones of
  :math:`(\pi(i), \pi(j))` (the other patients of a stratum are the same set), and the
  denominators (comparable pairs; pairs tied in score or outcome) do not move, so
  own − swapped is :math:`\sum_p w_p D_{\pi(i_p)\pi(j_p)}` over the pairs :math:`p`
  (:class:`GainForm`) and a random assignment costs one gather per pair. Its mean over
  :math:`\pi` is 0 (own and swapped terms average the same pairs), so the two-sided p compares
  :math:`|\cdot|`; p = (1 + #)/(``n_random`` + 1), seeded (Good 2005, doi:10.1007/b138696).

Checked on hand-computed toy cases in ``tests/unit/algorithms/test_concordance.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.controls import BootstrapResult

__all__ = [
    "GainForm",
    "GainTestResult",
    "OwnSwappedResult",
    "bootstrap_own_swapped",
    "bootstrap_stratified",
    "harrell_c",
    "harrell_c_gain_form",
    "kendall_tau_b",
    "kendall_tau_b_gain_form",
    "reassignment_gain_test",
    "swapped_harrell_c",
    "swapped_kendall_tau_b",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def _arrays(*values: npt.ArrayLike) -> list[Floats]:
    out = [np.asarray(v, dtype=np.float64).ravel() for v in values]
    if len({a.size for a in out}) > 1:
        raise InputError(f"arrays differ in length: {[a.size for a in out]}")
    return out


def _strata(strata: npt.ArrayLike | None, n: int) -> npt.NDArray[np.int64]:
    if strata is None:
        return np.zeros(n, dtype=np.int64)
    labels = np.asarray(strata).ravel()
    if labels.size != n:
        raise InputError(f"strata has {labels.size} entries for {n} patients")
    return np.unique(labels, return_inverse=True)[1].astype(np.int64)


def _same_stratum(strata: npt.ArrayLike | None, n: int) -> Bools:
    s = _strata(strata, n)
    out: Bools = s[:, None] == s[None, :]
    return out


def _comparable(time: Floats, event: Floats, same: Bools) -> Bools:
    """``[i, j]``: ``i`` is known to fail before ``j`` (module docstring), same stratum."""
    known = np.isfinite(time) & np.isfinite(event)
    died = known & (event > 0)
    with np.errstate(invalid="ignore"):
        first = (time[:, None] < time[None, :]) | (
            (time[:, None] == time[None, :]) & (event[None, :] == 0)
        )
    out: Bools = died[:, None] & known[None, :] & first & same
    return out


def _lower(score: Floats) -> Floats:
    """``[i, j]`` = 1 if ``s_i < s_j``, ½ if equal: a pair's concordance where i fails first."""
    out: Floats = (score[:, None] < score[None, :]) + 0.5 * (score[:, None] == score[None, :])
    return out


def _sign(score: Floats) -> Floats:
    out: Floats = np.sign(score[None, :] - score[:, None])
    return out


def _tie(score: Floats) -> Floats:
    out: Floats = (score[:, None] == score[None, :]).astype(np.float64)
    return out


def _swapped(
    pairs: Sequence[Floats], strata: npt.ArrayLike | None, ids: npt.ArrayLike | None
) -> list[Floats]:
    """Each ``[i, j]`` = mean of ``pair[k, l]`` over the other patients of ``i, j``'s stratum.

    Other = ``k != i``, ``l != j``, ``k != l`` by ``ids``; NaN across strata or where no such
    ``k, l`` exist. Inclusion–exclusion over the patients' one-hot matrix: total − the rows of
    ``i``'s patient − the columns of ``j``'s + their block.
    """
    n = pairs[0].shape[0]
    s = _strata(strata, n)
    who = (
        np.arange(n) if ids is None else np.unique(np.asarray(ids).ravel(), return_inverse=True)[1]
    )
    out = [np.full((n, n), np.nan) for _ in pairs]

    def others(a: Floats, onehot: Floats, sub: npt.NDArray[np.int64]) -> Floats:
        rows = onehot.T @ a.sum(axis=1)
        cols = onehot.T @ a.sum(axis=0)
        block = onehot.T @ a @ onehot
        total: Floats = a.sum() - rows[sub][:, None] - cols[sub][None, :] + block[np.ix_(sub, sub)]
        return total

    for g in np.unique(s):
        ix = np.flatnonzero(s == g)
        sub = np.unique(who[ix], return_inverse=True)[1]
        onehot = np.eye(sub.max() + 1)[sub]  # rows of the stratum x its patients
        distinct = (sub[:, None] != sub[None, :]).astype(np.float64)
        count = others(distinct, onehot, sub)
        cell = np.ix_(ix, ix)
        for pair, result in zip(pairs, out, strict=True):
            with np.errstate(invalid="ignore", divide="ignore"):
                total = others(pair[cell] * distinct, onehot, sub)
                result[cell] = np.where(count > 0.5, total / count, np.nan)
    return out


def _c(lower: Floats, comparable: Bools) -> float:
    if not comparable.any():
        return math.nan
    return float(lower[comparable].sum() / comparable.sum())


def harrell_c(
    score: npt.ArrayLike,
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    strata: npt.ArrayLike | None = None,
) -> float:
    """Harrell's C of ``score`` (higher = predicted to live longer) against censored times.

    Parameters
    ----------
    score
        One value per patient.
    time
        Time to event or censoring; NaN = unknown (the patient is left out).
    event
        1 = the event was observed at ``time``, 0 = censored; NaN = unknown.
    strata
        A label per patient (e.g. the cohort): only pairs within a stratum are compared.

    Returns
    -------
    float
        C (module docstring); NaN without a comparable pair.

    Examples
    --------
    Deaths at 1 and 3, censored at 2: comparable pairs (1, 2), (1, 3), (2 is censored, so
    (2, 3) is not); the scores order both correctly.

    >>> harrell_c([0.1, 0.5, 0.9], [1.0, 2.0, 3.0], [1, 0, 1])
    1.0
    """
    s, t, e = _arrays(score, time, event)
    return _c(_lower(s), _comparable(t, e, _same_stratum(strata, s.size)))


def swapped_harrell_c(
    score: npt.ArrayLike,
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    strata: npt.ArrayLike | None = None,
    ids: npt.ArrayLike | None = None,
) -> float:
    """:func:`harrell_c` with each pair's scores replaced by the other patients' (module)."""
    s, t, e = _arrays(score, time, event)
    comparable = _comparable(t, e, _same_stratum(strata, s.size))
    (swapped,) = _swapped([_lower(s)], strata, ids)
    return _c(np.nan_to_num(swapped), comparable & np.isfinite(swapped))


def _tau(sign: Floats, tie: Floats, y: Floats, strata: npt.ArrayLike | None) -> float:
    known = np.isfinite(y)
    pairs = np.triu(_same_stratum(strata, y.size), k=1) & known[:, None] & known[None, :]
    pairs &= np.isfinite(sign) & np.isfinite(tie)
    n0 = int(pairs.sum())
    if n0 == 0:
        return math.nan
    with np.errstate(invalid="ignore"):
        y_sign = np.sign(y[None, :] - y[:, None])
    numerator = float((sign * y_sign)[pairs].sum())
    ties_s = float(tie[pairs].sum())
    ties_y = float((y_sign[pairs] == 0).sum())
    denominator = (n0 - ties_s) * (n0 - ties_y)
    return numerator / math.sqrt(denominator) if denominator > 0 else math.nan


def kendall_tau_b(
    score: npt.ArrayLike, outcome: npt.ArrayLike, strata: npt.ArrayLike | None = None
) -> float:
    """Kendall's τ-b of ``score`` with an ordinal ``outcome`` (NaN = unknown, left out).

    Pairs within a stratum only (module docstring); NaN when either side is constant.

    Examples
    --------
    >>> kendall_tau_b([1, 2, 3], [0, 1, 2])
    1.0
    >>> round(kendall_tau_b([1, 2, 2], [0, 0, 1]), 3)
    0.5
    """
    s, y = _arrays(score, outcome)
    return _tau(_sign(s), _tie(s), y, strata)


def swapped_kendall_tau_b(
    score: npt.ArrayLike,
    outcome: npt.ArrayLike,
    strata: npt.ArrayLike | None = None,
    ids: npt.ArrayLike | None = None,
) -> float:
    """:func:`kendall_tau_b` with each pair's scores replaced by the other patients' (module)."""
    s, y = _arrays(score, outcome)
    sign, tie = _swapped([_sign(s), _tie(s)], strata, ids)
    return _tau(sign, tie, y, strata)


def _resamples(
    stat: Callable[[npt.NDArray[np.int64]], tuple[float, ...]],
    strata: npt.ArrayLike,
    n_boot: int,
    seed: int,
    level: float,
) -> npt.NDArray[np.float64]:
    """``stat`` on ``n_boot`` stratified resamples (rows: resamples, columns: its values)."""
    labels = _strata(strata, np.asarray(strata).size)
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


def _interval(values: Floats, level: float) -> tuple[float, float, float]:
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
    two-sided add-one p of :func:`medtwin.platform.algorithms.controls.bootstrap_mean_test`;
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


@dataclass(frozen=True)
class GainForm:
    """own − swapped of a score as a sum over pairs (module docstring, reassignment p).

    ``gain(π) = Σ_p weight[p] · pair[π(first[p]), π(second[p])]``; the identity gives the
    statistic's own − swapped.
    """

    pair: Floats
    first: npt.NDArray[np.int64]
    second: npt.NDArray[np.int64]
    weight: Floats

    def gain(self, perm: npt.NDArray[np.int64]) -> Floats:
        """Own − swapped under each assignment (rows of ``perm``: patient -> whose score)."""
        n = self.pair.shape[0]
        flat = self.pair.ravel()[perm[:, self.first] * n + perm[:, self.second]]  # one gather
        return np.asarray(flat @ self.weight, dtype=np.float64)


def harrell_c_gain_form(
    score: npt.ArrayLike, time: npt.ArrayLike, event: npt.ArrayLike, strata: npt.ArrayLike
) -> GainForm:
    """:func:`harrell_c` − :func:`swapped_harrell_c` as a :class:`GainForm` (one id per row).

    Raises
    ------
    InputError
        A comparable pair without a swapped value (a stratum too small for "other" patients).
    """
    s, t, e = _arrays(score, time, event)
    comparable = _comparable(t, e, _same_stratum(strata, s.size))
    lower = _lower(s)
    (swapped,) = _swapped([lower], strata, None)
    first, second = np.nonzero(comparable)
    if not np.isfinite(swapped[first, second]).all():
        raise InputError("a comparable pair has no other patients in its stratum")
    weight = np.full(first.size, 1.0 / max(first.size, 1))
    return GainForm(np.nan_to_num(lower - swapped), first, second, weight)


def kendall_tau_b_gain_form(
    score: npt.ArrayLike, outcome: npt.ArrayLike, strata: npt.ArrayLike
) -> GainForm:
    """:func:`kendall_tau_b` − :func:`swapped_kendall_tau_b` as a :class:`GainForm`.

    The pairs tied in score, own or swapped, sum over all pairs of a stratum, which a
    permutation within strata does not change: both denominators stay.

    Raises
    ------
    InputError
        An outcome unknown for a patient (leave them out first), or a constant score or outcome.
    """
    s, y = _arrays(score, outcome)
    if not np.isfinite(y).all():
        raise InputError("the outcome is unknown for some patients; leave them out first")
    sign, tie = _sign(s), _tie(s)
    swapped_sign, swapped_tie = _swapped([sign, tie], strata, None)
    pairs = np.triu(_same_stratum(strata, y.size), k=1)
    n0 = float(pairs.sum())
    y_sign = np.sign(y[None, :] - y[:, None])
    ties_y = float((y_sign[pairs] == 0).sum())
    own_den = (n0 - float(tie[pairs].sum())) * (n0 - ties_y)
    swapped_den = (n0 - float(swapped_tie[pairs].sum())) * (n0 - ties_y)
    if own_den <= 0 or swapped_den <= 0:
        raise InputError("τ-b is undefined: the score or the outcome is constant")
    pair = sign / math.sqrt(own_den) - np.nan_to_num(swapped_sign) / math.sqrt(swapped_den)
    first, second = np.nonzero(pairs)
    return GainForm(pair, first, second, y_sign[first, second])


@dataclass(frozen=True)
class GainTestResult:
    """:func:`reassignment_gain_test`: observed own − swapped, its p, the assignments' seed."""

    gain: float
    p_greater: float
    p_two_sided: float
    seed: int | None
    """Seed of the random assignments; ``None`` when none was drawn (a constant score)."""


def reassignment_gain_test(
    form: GainForm, strata: npt.ArrayLike, *, seed: int = 0, n_random: int = 100_000
) -> GainTestResult:
    """Observed own − swapped, its one-sided (greater) and two-sided reassignment p (module).

    ``n_random`` seeded permutations within each stratum (``numpy.random.default_rng``);
    differences below 1e-12 are ties. The result records the seed.

    Examples
    --------
    Two cohorts of three, each ordered perfectly: C 1, swapped 2/9 (module docstring), gain
    7/9; of the 6 × 6 within-cohort assignments only the observed one reaches it (1/36).

    >>> t, e = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], [1.0] * 6
    >>> g = ["a", "a", "a", "b", "b", "b"]
    >>> form = harrell_c_gain_form([1, 2, 3, 1, 2, 3], t, e, g)
    >>> r = reassignment_gain_test(form, g, n_random=20_000, seed=1)
    >>> round(r.gain, 3), round(r.p_greater, 2), r.seed
    (0.778, 0.03, 1)
    """
    labels = _strata(strata, np.asarray(strata).size)
    n = labels.size
    members = [np.flatnonzero(labels == g) for g in np.unique(labels)]
    observed = float(form.gain(np.arange(n)[None, :])[0])
    if not np.abs(form.pair).max(initial=0.0) > 1e-12:  # a constant score: 0 under every π
        return GainTestResult(observed, 1.0, 1.0, None)
    rng = np.random.default_rng(seed)
    more = both = drawn = 0
    while drawn < n_random:
        k = min(10_000, n_random - drawn)
        perm = np.tile(np.arange(n), (k, 1))
        for m in members:
            perm[:, m] = m[rng.permuted(np.tile(np.arange(m.size), (k, 1)), axis=1)]
        gains = form.gain(perm)
        more += int((gains >= observed - 1e-12).sum())
        both += int((np.abs(gains) >= abs(observed) - 1e-12).sum())
        drawn += k
    return GainTestResult(observed, (1 + more) / (n_random + 1), (1 + both) / (n_random + 1), seed)
