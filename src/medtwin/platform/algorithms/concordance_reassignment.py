r"""The reassignment (permutation) p of a concordance gain: own − swapped C or τ-b of patients.

**Reassignment p** of own − swapped (stop 51; the personal gain's own null, as
:func:`medtwin.platform.algorithms.reassignment.reassignment_test` for a ranking's AUROC): under
H0 which patient's ranking meets which patient's outcome is exchangeable within a cohort. A
permutation :math:`\pi` within strata moves patient :math:`i`'s score to :math:`\pi(i)`; both
the own and the swapped pair terms of pair :math:`(i, j)` become the unpermuted ones of
:math:`(\pi(i), \pi(j))` (the other patients of a stratum are the same set), and the
denominators (comparable pairs; pairs tied in score or outcome) do not move, so
own − swapped is :math:`\sum_p w_p D_{\pi(i_p)\pi(j_p)}` over the pairs :math:`p`
(:class:`GainForm`) and a random assignment costs one gather per pair. Its mean over
:math:`\pi` is 0 (own and swapped terms average the same pairs), so the two-sided p compares
:math:`|\cdot|`; p = (1 + #)/(``n_random`` + 1), seeded (Good 2005, doi:10.1007/b138696).

The gain's :class:`GainForm` comes from :func:`~.concordance.harrell_c_gain_form` or
:func:`~.concordance.kendall_tau_b_gain_form` (the statistics and "swapped" are defined in
:mod:`.concordance`). Checked on hand-computed toy cases in
``tests/unit/algorithms/test_concordance.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.platform.algorithms.bootstrap import stratum_codes

__all__ = ["GainForm", "GainTestResult", "reassignment_gain_test"]

Floats = npt.NDArray[np.float64]


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

    >>> from medtwin.platform.algorithms.concordance import harrell_c_gain_form
    >>> t, e = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], [1.0] * 6
    >>> g = ["a", "a", "a", "b", "b", "b"]
    >>> form = harrell_c_gain_form([1, 2, 3, 1, 2, 3], t, e, g)
    >>> r = reassignment_gain_test(form, g, n_random=20_000, seed=1)
    >>> round(r.gain, 3), round(r.p_greater, 2), r.seed
    (0.778, 0.03, 1)
    """
    labels = stratum_codes(strata, np.asarray(strata).size)
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
