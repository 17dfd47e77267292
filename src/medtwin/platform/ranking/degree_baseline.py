r"""Degree-only baseline: drugs ranked by the mean network degree of their targets.

.. math:: b(T) = \frac{1}{|T \cap V|} \sum_{t \in T \cap V} k_t

with :math:`V` the network's nodes and :math:`k_t` the degree of target :math:`t`; higher ranks
first. It uses no patient information at all, so any method worth using must beat it: hub
targets are over-represented among known drug targets and disease genes, and a ranking that
only rewards hubs looks good in training and near chance elsewhere (Guney et al. 2016 discuss
this bias and why proximity is measured against a degree-matched null).

References
----------
Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy screening.
Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from medtwin.platform.ranking.base import MethodScore, RankContext, network_targets

__all__ = ["DegreeBaseline", "DegreeParams"]


class DegreeParams(BaseModel):
    """Parameters of :class:`DegreeBaseline` (none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DegreeBaseline:
    """Mean degree of a drug's network targets (higher = ranks first).

    Parameters
    ----------
    params
        :class:`DegreeParams`.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets, RankContext
    >>> star = Network.from_edges([("hub", leaf) for leaf in "abcd"])
    >>> ctx = RankContext(star, all_pairs_distances(star), ("a",), {}, {},
    ...                   {"x": DrugTargets("x", ("hub", "a")), "y": DrugTargets("y", ("zz",))})
    >>> DegreeBaseline().rank(ctx, seed=0)
    {'x': MethodScore(value=2.5, p=None, q=None, d_c=None, n_samples=None)}
    """

    name = "degree"
    columns: Mapping[str, str] = MappingProxyType({})  # reported as degree_baseline_rank by combine
    higher_is_better = True

    def __init__(self, params: DegreeParams | None = None) -> None:
        self.params = params or DegreeParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Return the mean target degree of every drug with a network target (seed unused)."""
        degrees = ctx.network.degrees
        out: dict[str, MethodScore] = {}
        for drug_id, drug in ctx.drugs.items():
            idx = network_targets(ctx.network, drug)
            if idx.size:
                out[drug_id] = MethodScore(value=float(degrees[idx].mean()))
        return out
