r"""Signature reversal (connectivity): is the drug's transcriptional effect opposite the patient's.

For the L1000 landmark genes :math:`L` that the patient measured, with the patient's gene
statistics :math:`y` and the drug's LINCS consensus z-scores :math:`z_d` (MODZ across cell
lines, doses, times),

.. math:: V(d) = -\rho_S\bigl(y_L,\ z_{d,L}\bigr)

(Spearman correlation; higher = the drug pushes the landmark genes against the patient's
changes). p is the two-sided p-value of :math:`\rho_S` (t approximation, df = |L| − 2) and q its
Benjamini–Hochberg adjustment across the drugs scored. Drugs without a LINCS signature, or
patients with fewer than ``min_genes`` measured landmark genes, are not scored.

References
----------
Lamb J. et al. The Connectivity Map. Science 313, 1929 (2006). doi:10.1126/science.1132939
Sirota M. et al. Discovery and preclinical validation of drug indications using compendia of
public gene expression data. Sci Transl Med 3, 96ra77 (2011). doi:10.1126/scitranslmed.3001318
Subramanian A. et al. Cell 171, 1437 (2017). doi:10.1016/j.cell.2017.10.049
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.special import stdtr

from medtwin.platform.algorithms.stats import average_ranks, bh_qvalues
from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext

__all__ = ["ReversalParams", "ReversalRank", "spearman_of_ranks"]


def spearman_of_ranks(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    r"""Spearman's ρ of two rank vectors and its two-sided p (t approximation, df = n − 2).

    ρ is the Pearson correlation of the ranks (0 where it is undefined: a constant vector);
    :math:`t = \rho \sqrt{(n-2)/(1-\rho^2)}`, :math:`p = 2\,P(T_{n-2} \ge |t|)`, as
    ``scipy.stats.spearmanr`` gives it.

    >>> rho, p = spearman_of_ranks(np.array([1.0, 2, 3, 4, 5]), np.array([2.0, 1, 4, 3, 5]))
    >>> round(rho, 6), round(p, 6)
    (0.8, 0.104088)
    """
    n = x.size
    rho = float(np.corrcoef(x, y)[0, 1])
    rho = 0.0 if not np.isfinite(rho) else max(-1.0, min(1.0, rho))
    t = rho * np.sqrt((n - 2) / max(1e-300, (1.0 - rho) * (1.0 + rho)))
    return rho, float(2.0 * stdtr(n - 2, -abs(t)))  # = 2 t.sf(|t|, n - 2)


class ReversalParams(BaseModel):
    """Parameters of :class:`ReversalRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_genes: int = Field(default=50, ge=5, description="Measured landmark genes needed.")


class ReversalRank:
    """Negative Spearman correlation of patient and drug signatures (module docstring).

    Examples
    --------
    Hand-computed on 5 genes: y = (2, 1, 0, −1, −2); drug a = −y exactly (ρ = −1 → 1.0); drug b
    = y (ρ = 1 → −1.0).

    >>> y = {"1": 2.0, "2": 1.0, "3": 0.0, "4": -1.0, "5": -2.0}
    >>> pert = {"a": {g: -v for g, v in y.items()}, "b": dict(y)}
    >>> drugs = {"a": DrugTargets("a", ("1",)), "b": DrugTargets("b", ("1",)),
    ...          "c": DrugTargets("c", ("1",))}
    >>> out = ReversalRank(ReversalParams(min_genes=5)).score(drugs, y, pert)
    >>> {d: round(s.value, 6) for d, s in out.items()}
    {'a': 1.0, 'b': -1.0}
    """

    name = "reversal"
    columns: Mapping[str, str] = MappingProxyType({"reversal": "value", "reversal_q": "q"})
    higher_is_better = True

    def __init__(self, params: ReversalParams | None = None) -> None:
        self.params = params or ReversalParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a LINCS signature (seed unused)."""
        if ctx.regulators is None or not ctx.regulators.perturbations:
            return {}
        return self.score(ctx.drugs, ctx.gene_stats, ctx.regulators.perturbations)

    def score(
        self,
        drugs: Mapping[str, DrugTargets],
        stats: Mapping[str, float],
        perturbations: Mapping[str, Mapping[str, float]],
    ) -> dict[str, MethodScore]:
        """The score of :meth:`rank` from its parts."""
        keyed = {d: perturbations.get(drug.drugbank_id or d) for d, drug in drugs.items()}
        keyed_ok = {d: p for d, p in keyed.items() if p}
        if not keyed_ok:
            return {}
        landmarks = sorted({g for p in keyed_ok.values() for g in p} & stats.keys())
        if len(landmarks) < self.params.min_genes:
            return {}
        y = average_ranks([stats[g] for g in landmarks])
        if np.ptp(y) == 0:  # every landmark gene has the same statistic: no signature
            return {}
        ids = list(keyed_ok)
        mat = np.array(
            [[keyed_ok[d].get(g, np.nan) for g in landmarks] for d in ids], dtype=np.float64
        )
        out: dict[str, MethodScore] = {}
        rhos, ps, kept = [], [], []
        for d, row in zip(ids, mat, strict=True):
            ok = np.isfinite(row)
            n = int(ok.sum())
            if n < self.params.min_genes:
                continue
            yr = y if ok.all() else average_ranks(np.array([stats[g] for g in landmarks])[ok])
            rho, p = spearman_of_ranks(yr, average_ranks(row[ok]))
            rhos.append(rho)
            ps.append(p)
            kept.append(d)
        if not kept:
            return out
        qs = bh_qvalues(np.array(ps))
        for d, rho, p, q in zip(kept, rhos, ps, qs.tolist(), strict=True):
            out[d] = MethodScore(value=-rho, p=p, q=q)
        return out
