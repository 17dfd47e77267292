"""Summary of one proximity null shared by every drug of a degree signature (the screen's loop).

For the drugs whose targets share a signature, the null is the same array; its mean, standard
deviation and sorted values are computed once, and each drug's ``p = (1 + #{null <= d}) /
(n + 1)`` is a binary search (the same integer count as the comparison). Guney E. et al., Nat
Commun 7, 10331 (2016), doi:10.1038/ncomms10331 (the z-score and empirical p of proximity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

__all__ = ["NullSummary"]


@dataclass(frozen=True)
class NullSummary:
    """``proximity._summarise`` of one null for many ``d``: mean, std and the sorted null, once."""

    mu: float
    sigma: float
    ordered: npt.NDArray[np.float64]

    @classmethod
    def of(cls, null: npt.NDArray[np.float64]) -> NullSummary:
        """Summarise ``null`` (the null distances of one signature group)."""
        return cls(float(null.mean()), float(null.std()), np.sort(null))

    def at(self, d: float) -> tuple[float, float, float, float, float, bool]:
        """As ``proximity._summarise(d, null)``; #{null <= d + 1e-9} by binary search."""
        below = int(np.searchsorted(self.ordered, d + 1e-9, side="right"))
        p = float((1 + below) / (self.ordered.size + 1))
        if self.sigma > 0:
            z = (d - self.mu) / self.sigma
            return z, p, self.mu, self.sigma, float(ndtr(z)), True
        return math.nan, p, self.mu, self.sigma, math.nan, False
