r"""Network proximity ranking (Guney et al. 2016): closest distance z-score, lower = better.

For each drug with targets :math:`T` and the twin module :math:`S`,

.. math:: d_c(S, T) = \frac{1}{|T|} \sum_{t \in T} \min_{s \in S} d(s, t), \qquad
          z = \frac{d_c - \mu}{\sigma}

against ``n_samples`` degree-binned random pairs :math:`(S', T')`, computed for all drugs at
once by :func:`~medtwin.platform.algorithms.proximity.screen`. ``p`` is the one-sided empirical
p-value and ``q`` its Benjamini–Hochberg adjustment across the scored drugs. Drugs without a
target in the network are not scored; drugs whose null has :math:`\sigma = 0` get
``value = None`` (their ``d_c`` and ``p`` are kept).

References
----------
Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy screening.
Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331
"""

from __future__ import annotations

import logging
import warnings

from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.algorithms.network import MissingNodesWarning
from medtwin.platform.algorithms.proximity import screen
from medtwin.platform.algorithms.stats import bh_qvalues
from medtwin.platform.ranking.base import MethodScore, RankContext

__all__ = ["ProximityParams", "ProximityRank"]

logger = logging.getLogger(__name__)


class ProximityParams(BaseModel):
    """Parameters of :class:`ProximityRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bin_size: int = Field(default=100, ge=1, description="Minimum nodes per degree bin.")


class ProximityRank:
    """Rank drugs by proximity z-score to the twin module (lower z = closer = better).

    Parameters
    ----------
    params
        :class:`ProximityParams`.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets, RankContext
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> ctx = RankContext(net, all_pairs_distances(net), ("1", "2"), {}, {},
    ...                   {"x": DrugTargets("x", ("0",)), "y": DrugTargets("y", ("8", "9"))},
    ...                   n_samples=50)
    >>> res = ProximityRank(ProximityParams(bin_size=1)).rank(ctx, seed=3)
    >>> res["x"].d_c, res["y"].d_c
    (1.0, 6.5)
    """

    name = "proximity"
    higher_is_better = False

    def __init__(self, params: ProximityParams | None = None) -> None:
        self.params = params or ProximityParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Return ``z`` (value), ``d_c``, ``p`` and BH ``q`` per drug with a network target."""
        drugs = {d: dt.targets for d, dt in ctx.drugs.items()}
        # missing targets are reported per drug (n_targets vs n_targets_in_network) by rank_all
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingNodesWarning)
            results = screen(
                ctx.dist, ctx.network, ctx.module, drugs,
                n_samples=ctx.n_samples, bin_size=self.params.bin_size, seed=seed,
            )  # fmt: skip
        q = bh_qvalues([r.p for r in results])
        out: dict[str, MethodScore] = {}
        for r, qv in zip(results, q.tolist(), strict=True):
            assert r.drug is not None  # noqa: S101 -- screen always sets it
            out[r.drug] = MethodScore(value=r.z if r.z_valid else None, p=r.p, q=qv, d_c=r.d)
        return out
