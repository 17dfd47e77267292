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
- **Own − swapped as a pair sum** (:func:`harrell_c_gain_form`, :func:`kendall_tau_b_gain_form`):
  the form in which :mod:`.concordance_reassignment` tests it, patients' scores permuted within
  their cohorts.

Their bootstrap CIs and p (stratified resamples of the patients) are
:func:`~medtwin.platform.algorithms.bootstrap.bootstrap_stratified` and
:func:`~medtwin.platform.algorithms.bootstrap.bootstrap_own_swapped`, and their reassignment p
:func:`~medtwin.platform.algorithms.concordance_reassignment.reassignment_gain_test`; the harness
(``benchmarks/icb_outcomes.py``) imports the three from here.

Checked on hand-computed toy cases in ``tests/unit/algorithms/test_concordance.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError

# the harness (benchmarks/icb_outcomes.py, icb_leave_one_out.py) imports the stratified
# bootstraps and the reassignment p from this module: they stay importable here
from medtwin.platform.algorithms.bootstrap import (
    bootstrap_own_swapped,
    bootstrap_stratified,
    stratum_codes,
)
from medtwin.platform.algorithms.concordance_reassignment import GainForm, reassignment_gain_test

__all__ = [
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


def _same_stratum(strata: npt.ArrayLike | None, n: int) -> Bools:
    s = stratum_codes(strata, n)
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
    s = stratum_codes(strata, n)
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
