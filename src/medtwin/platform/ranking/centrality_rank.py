r"""Centrality-coverage ranking: share of the twin's PageRank mass a drug reaches.

.. math:: c(T) = \frac{\sum_{v \in T \cup N(T)} x_v}{\sum_v x_v}

with :math:`x` the twin's PageRank scores and :math:`N(T)` the first neighbours of the targets
in the interactome (``neighbourhood = False`` uses :math:`T` alone); higher = better. This is
:func:`~medtwin.platform.algorithms.coverage.centrality_coverage`, computed for all drugs at
once as one sparse product: with :math:`B` the drug × node target incidence and :math:`A` the
adjacency, the reached nodes are the non-zeros of :math:`B + BA`. Targets outside the network
still count when scored. With no centrality scores (empty mapping), no drug is scored.

References
----------
scDrugPrio: a framework for the analysis of single-cell transcriptomics to address multiple
problems in precision medicine in immune-mediated inflammatory diseases. Genome Med (2024).
doi:10.1186/s13073-024-01314-7;
Page L., Brin S., Motwani R., Winograd T. The PageRank citation ranking (1999).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel, ConfigDict, Field

from medtwin.errors import InputError
from medtwin.platform.ranking.base import MethodScore, RankContext

__all__ = ["CentralityParams", "CentralityRank"]


class CentralityParams(BaseModel):
    """Parameters of :class:`CentralityRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    neighbourhood: bool = Field(
        default=True, description="Count the targets' first neighbours too (else targets only)."
    )


class CentralityRank:
    """Rank drugs by the share of twin PageRank mass on their targets and neighbours.

    Parameters
    ----------
    params
        :class:`CentralityParams`.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets, RankContext
    >>> star = Network.from_edges([("hub", leaf) for leaf in "abcd"])
    >>> x = {"hub": 0.6, "a": 0.1, "b": 0.1, "c": 0.1, "d": 0.1}
    >>> ctx = RankContext(star, all_pairs_distances(star), ("a",), {}, x,
    ...                   {"y": DrugTargets("y", ("a",))})
    >>> round(CentralityRank().rank(ctx, seed=0)["y"].value, 6)
    0.7
    """

    name = "centrality"
    columns: Mapping[str, str] = MappingProxyType({"centrality": "value"})
    higher_is_better = True

    def __init__(self, params: CentralityParams | None = None) -> None:
        self.params = params or CentralityParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Return the covered share of PageRank mass per drug (seed unused).

        Raises
        ------
        InputError
            If a centrality score is negative or not finite, or all are 0.
        """
        if not ctx.centrality:
            return {}
        net = ctx.network
        values = np.fromiter(ctx.centrality.values(), dtype=np.float64, count=len(ctx.centrality))
        if (~np.isfinite(values) | (values < 0)).any():
            raise InputError("centrality scores must be finite and >= 0")
        total = float(values.sum())
        if total <= 0:
            raise InputError("centrality scores sum to 0; nothing to cover")
        x = np.zeros(net.n_nodes, dtype=np.float64)
        outside: dict[str, float] = {}
        for node, score in ctx.centrality.items():
            i = net.index.get(node)
            if i is None:
                outside[node] = float(score)
            else:
                x[i] = float(score)
        ids = list(ctx.drugs)
        rows: list[int] = []
        cols: list[int] = []
        for r, drug_id in enumerate(ids):
            for t in ctx.drugs[drug_id].targets:
                i = net.index.get(t)
                if i is not None:
                    rows.append(r)
                    cols.append(i)
        incidence = sp.csr_array(
            (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(ids), net.n_nodes)
        )
        reached = incidence
        if self.params.neighbourhood:
            reached = incidence + incidence @ net.adjacency.astype(np.float64)
        reached = reached.astype(bool).astype(np.float64)
        mass = np.asarray(reached @ x, dtype=np.float64)
        out: dict[str, MethodScore] = {}
        for r, drug_id in enumerate(ids):
            extra = sum(outside.get(t, 0.0) for t in ctx.drugs[drug_id].targets)
            out[drug_id] = MethodScore(value=(float(mass[r]) + extra) / total)
        return out
