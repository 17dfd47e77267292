r"""Action-direction ranking: whether a drug pushes its targets against the patient's changes.

For each target :math:`t` with action :math:`a_t` (``inhibit`` = -1, ``activate`` = +1,
``unknown`` = 0) and patient log2 fold change :math:`\ell_t`,

.. math:: s_t = -a_t \operatorname{sign}(\ell_t), \qquad
          \text{score} = \frac{\sum_{t \in K} s_t |\ell_t|}{\sum_{t \in K} |\ell_t|}
          \cdot \frac{|K|}{|K| + 1} \in (-1, 1)

over the targets :math:`K` with a known action and a non-zero change: weighted by the size of
each change and shrunk when few targets are informative
(:func:`~medtwin.platform.algorithms.direction.action_direction`); higher = better. Drugs with
:math:`K = \emptyset` are not scored (neutral in the combined rank). No null model: the score
is a filter on mechanism, as in scDrugPrio.

References
----------
scDrugPrio: a framework for the analysis of single-cell transcriptomics to
address multiple problems in precision medicine in immune-mediated inflammatory diseases.
Genome Med (2024). doi:10.1186/s13073-024-01314-7
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from medtwin.platform.algorithms.direction import DIRECTION_SIGNS, action_direction
from medtwin.platform.ranking.base import MethodScore, RankContext

__all__ = ["DirectionParams", "DirectionRank"]


class DirectionParams(BaseModel):
    """Parameters of :class:`DirectionRank` (none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DirectionRank:
    """Share of targets the drug moves against the patient's change, minus those it aggravates.

    Parameters
    ----------
    params
        :class:`DirectionParams`.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets, RankContext
    >>> net = Network.from_edges([("a", "b"), ("b", "c")])
    >>> drugs = {"x": DrugTargets("x", ("a", "b"), ("inhibit", "activate")),
    ...          "y": DrugTargets("y", ("c",), ("unknown",))}
    >>> ctx = RankContext(net, all_pairs_distances(net), ("a",), {"a": 2.0, "b": -1.0}, {}, drugs)
    >>> DirectionRank().rank(ctx, seed=0)
    {'x': MethodScore(value=0.6666666666666666, p=None, q=None, d_c=None, n_samples=None)}
    """

    name = "direction"
    columns: Mapping[str, str] = MappingProxyType({"direction": "value"})
    higher_is_better = True

    def __init__(self, params: DirectionParams | None = None) -> None:
        self.params = params or DirectionParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Return the direction score of every drug with >= 1 target of known action and change."""
        out: dict[str, MethodScore] = {}
        if not ctx.seeds:
            return out
        for drug_id, drug in ctx.drugs.items():
            actions: dict[str, int | str] = {
                t: DIRECTION_SIGNS[d] for t, d in drug.direction_of().items() if d != "unknown"
            }
            if not actions:
                continue
            result = action_direction(actions, ctx.seeds)
            if result.weighted is not None:
                out[drug_id] = MethodScore(value=result.weighted)
        return out
