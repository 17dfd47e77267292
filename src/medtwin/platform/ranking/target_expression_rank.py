r"""Target expression: the drug acts against how far its own targets are off in this patient.

Target dependency / oncogene addiction (Weinstein 2002): a tumour whose growth depends on an
over-active gene product responds to its inhibition, so a drug should work best where the genes
it inhibits are over-expressed (and the genes it activates under-expressed) *relative to other
patients*. The clinical prototype selects patients by the over-expression of the drug's own
target: trastuzumab in HER2-over-expressing breast cancer (Slamon 2001). For every target
:math:`t` of drug :math:`d` with a known action
:math:`a_t \in \{-1 \text{ (inhibit)}, +1 \text{ (activate)}\}` and a statistic :math:`x_t` in
the patient's vector of **every measured gene** (:attr:`RankContext.gene_stats`: DE z, the
Crawford–Howell t against other tumours, the cohort z), with :math:`K` those targets (also
interactome nodes, for the degree match) and :math:`k = |K|`,

.. math:: S(d) = \frac{1}{k} \sum_{t \in K} -a_t\, x_t .

**Null**: the same mean over random genes drawn from the patient's *own* vector, each from the
degree bin of the target it replaces (Guney 2016 binning over the measured interactome genes,
at least ``bin_size`` genes per bin; with replacement). With :math:`m_b, v_b` the mean and
population variance of the statistic over bin :math:`b`, the null has exactly

.. math:: \mu_0 = \frac{1}{k} \sum_{t \in K} -a_t\, m_{b(t)}, \qquad
          \sigma_0^2 = \frac{1}{k^2} \sum_{t \in K} v_{b(t)},

and the score is :math:`z = (S - \mu_0) / \sigma_0` (higher first). The moments are computed
exactly, so no random sample is drawn: the seed is not used and the score is the same for any
seed. A drug with :math:`K = \emptyset` (no target of known action measured) or
:math:`\sigma_0 = 0` is not scored.

**Only a vector of every measured gene.** The null is the patient's unchanged genes as much as
its changed ones. A twin whose inputs keep only thresholded changes (an ``.h5ad`` marker
programme, the demo's multi-tissue patient: the rule is
:func:`~medtwin.platform.activity_inputs.full_statistics`) gets an empty ``gene_stats``, so no
drug is scored and the ranking's ``no_score`` says why. The changes never stand in: the PBMC 68k
donor's 288 markers are all up-regulated (mean z 6.97), so the null's bin means were +6.9 to
+7.0 and activating a target at z +3.66 scored :math:`z = (-3.66 + 7.00)/4.06 = +0.82`, *for*
a drug that pushes an up-regulated gene further up.

How it differs from ``direction`` (:mod:`.direction_rank`): ``direction`` reads only the twin's
significant changes (the seeds, log2 fold change) and returns a signed share in (−1, 1) with no
null; here every measured gene's statistic counts with its size, and the z says how unusual the
targets' deviation is against genes of the same degree in the same patient, so a patient whose
whole vector is shifted (or a hub-rich target set) does not score high by itself.

References
----------
Weinstein I.B. Addiction to oncogenes — the Achilles heal [sic] of cancer. Science 297, 63–64
(2002). doi:10.1126/science.1073374
Slamon D.J. et al. Use of chemotherapy plus a monoclonal antibody against HER2 for metastatic
breast cancer that overexpresses HER2. N Engl J Med 344, 783–792 (2001).
doi:10.1056/NEJM200103153441101
Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
doi:10.1038/ncomms10331
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.ranking.base import MethodScore, RankContext

__all__ = ["TargetExpressionParams", "TargetExpressionRank", "gene_bins"]

_ACTION = {"inhibit": -1.0, "activate": 1.0}


class TargetExpressionParams(BaseModel):
    """Parameters of :class:`TargetExpressionRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bin_size: int = Field(
        default=100, ge=1, description="Minimum measured genes per degree bin of the null."
    )


def gene_bins(degrees: npt.NDArray[np.int_], bin_size: int) -> npt.NDArray[np.intp]:
    """Bin index of each gene: consecutive degree values holding >= ``bin_size`` genes each.

    The rule of :func:`~medtwin.platform.algorithms.nulls.degree_bins` (a last bin that stays
    smaller joins the previous one), applied to the given genes' degrees.

    >>> gene_bins(np.array([1, 1, 2, 3, 3, 9]), 2).tolist()
    [0, 0, 1, 1, 1, 1]
    >>> gene_bins(np.array([1, 1, 2, 3, 3, 9]), 3).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    values, counts = np.unique(degrees, return_counts=True)
    highs: list[int] = []
    i = 0
    while i < values.size:
        total = int(counts[i])
        while total < bin_size and i + 1 < values.size:
            i += 1
            total += int(counts[i])
        if total < bin_size and highs:
            highs[-1] = int(values[i])
        else:
            highs.append(int(values[i]))
        i += 1
    return np.searchsorted(np.asarray(highs), degrees, side="left").astype(np.intp)


class TargetExpressionRank:
    """Targets' own deviation in the patient, against the drug's action, as a z (module doc).

    Examples
    --------
    Hand-computed: genes a–f on a path (a, f degree 1; b–e degree 2); statistics a 1, b 3, c −1,
    d 0, e 2, f 5. With ``bin_size=2`` the bins are {a, f} (mean 3, variance 4) and {b, c, d, e}
    (mean 1, variance 2.5). Drug x inhibits the over-expressed b: S = 3, μ0 = 1, σ0 = √2.5,
    z = 2/√2.5 = 1.265. Drug y inhibits f and activates the under-expressed c:
    S = (5 + 1)/2 = 3, μ0 = (3 − 1)/2 = 1, σ0 = √(4 + 2.5)/2 = 1.275, z = 1.569. Drug w
    (unknown action) is not scored.

    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "f")])
    >>> stats = {"a": 1.0, "b": 3.0, "c": -1.0, "d": 0.0, "e": 2.0, "f": 5.0}
    >>> drugs = {"x": DrugTargets("x", ("b",), ("inhibit",)),
    ...          "y": DrugTargets("y", ("f", "c"), ("inhibit", "activate")),
    ...          "w": DrugTargets("w", ("e",))}
    >>> ctx = RankContext(net, all_pairs_distances(net), (), {}, {}, drugs, gene_stats=stats)
    >>> got = TargetExpressionRank(TargetExpressionParams(bin_size=2)).rank(ctx, seed=0)
    >>> {d: round(s.value, 3) for d, s in got.items()}
    {'x': 1.265, 'y': 1.569}
    """

    name = "target_expression"
    columns: Mapping[str, str] = MappingProxyType({"target_expression": "value"})
    higher_is_better = True

    def __init__(self, params: TargetExpressionParams | None = None) -> None:
        self.params = params or TargetExpressionParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a measured network target of known action (``seed`` unused)."""
        stats = ctx.gene_stats
        if not stats:
            return {}
        index = ctx.network.index
        genes = [g for g in stats if g in index and math.isfinite(stats[g])]
        if len(genes) < 2:
            return {}
        x = np.array([stats[g] for g in genes], dtype=np.float64)
        deg = ctx.network.degrees[[index[g] for g in genes]]
        bins = gene_bins(deg, self.params.bin_size)
        n_bins = int(bins.max()) + 1
        count = np.bincount(bins, minlength=n_bins).astype(np.float64)
        mean = np.bincount(bins, weights=x, minlength=n_bins) / count
        var = np.bincount(bins, weights=x * x, minlength=n_bins) / count - mean**2
        var = np.maximum(var, 0.0)
        where = {g: i for i, g in enumerate(genes)}
        out: dict[str, MethodScore] = {}
        for drug_id, drug in ctx.drugs.items():
            rows = [
                (where[t], _ACTION[a])
                for t, a in drug.direction_of().items()
                if a in _ACTION and t in where
            ]
            if not rows:
                continue
            pos = np.array([r[0] for r in rows], dtype=np.intp)
            act = np.array([r[1] for r in rows], dtype=np.float64)
            k = pos.size
            b = bins[pos]
            s = float(np.sum(-act * x[pos])) / k
            mu = float(np.sum(-act * mean[b])) / k
            sd = math.sqrt(float(np.sum(var[b]))) / k
            if sd > 0:
                out[drug_id] = MethodScore(value=(s - mu) / sd)
        return out
