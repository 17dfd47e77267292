r"""Network reach of the patient's upstream regulators: how close the drug acts to them.

The regulator method (:mod:`.regulator_rank`) scores only drugs whose targets are TFs on or one
regulon step above an upstream regulator (UR). Most drug targets are receptors, kinases and
enzymes, which act on TFs through signalling, not through regulons. This method reads the URs'
neighbourhood in the interactome instead: a random walk with restart (personalised PageRank)
from the URs (TFs with activity :math:`q \le 0.05`, weight :math:`|a_u|`) and the drivers
(weight :math:`3|g|`, the z scale of their evidence), visiting probabilities :math:`p_v`;

.. math:: N(d) = \max_{t \in T \cap V} \frac{p_t}{k_t}

the strongest degree-normalised visiting probability among the drug's network targets (the
twin builder's :math:`p/k` rule, so a hub is not favoured by its degree alone). Higher = the
drug acts closer to the patient's active regulators; unsigned (no claim on direction). Drugs
without a network target, or patients without URs or drivers, are not scored. **Rule, not a
null model.**

References
----------
Köhler S. et al. Walking the interactome for prioritization of candidate disease genes. Am J Hum
Genet 82, 949 (2008). doi:10.1016/j.ajhg.2008.02.013
Garcia-Alonso L. et al. Genome Res 29, 1363 (2019). doi:10.1101/gr.240663.118
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.propagation import random_walk_with_restart
from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext, network_targets
from medtwin.platform.regulators import PatientActivity

__all__ = ["RegulatorNetworkParams", "RegulatorNetworkRank"]


class RegulatorNetworkParams(BaseModel):
    """Parameters of :class:`RegulatorNetworkRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ur_q: float = Field(default=0.05, gt=0.0, le=1.0, description="UR: TF activity q at most.")
    restart: float = Field(default=0.7, gt=0.0, le=1.0, description="Restart probability.")


class RegulatorNetworkRank:
    """Degree-normalised RWR probability from URs and drivers at the drug's targets.

    Examples
    --------
    On the path a–b–c–d–e with one UR at a, a drug on b outranks a drug on e.

    >>> from medtwin.platform.algorithms.footprint import Activity
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    >>> act = PatientActivity({"a": Activity(4.0, 1e-4, 1e-3, 10, "ulm")}, {})
    >>> drugs = {"near": DrugTargets("near", ("b",)), "far": DrugTargets("far", ("e",))}
    >>> s = RegulatorNetworkRank().score(net, drugs, act, {})
    >>> s["near"].value > s["far"].value > 0
    True
    """

    name = "regulator_network"
    columns: Mapping[str, str] = MappingProxyType({"regulator_network": "value"})
    higher_is_better = True

    def __init__(self, params: RegulatorNetworkParams | None = None) -> None:
        self.params = params or RegulatorNetworkParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a network target (seed unused: the walk is deterministic)."""
        act = ctx.activity
        if act is None and not ctx.drivers:
            return {}
        return self.score(ctx.network, ctx.drugs, act or PatientActivity({}, {}), ctx.drivers)

    def score(
        self,
        network: Network,
        drugs: Mapping[str, DrugTargets],
        activity: PatientActivity,
        drivers: Mapping[str, float],
    ) -> dict[str, MethodScore]:
        """The score of :meth:`rank` from its parts."""
        seeds: dict[str, float] = {}
        for u, a in activity.upstream_regulators(self.params.ur_q).items():
            if u in network.index:
                seeds[u] = seeds.get(u, 0.0) + abs(a.score)
        for g, w in drivers.items():
            if g in network.index and w:
                seeds[g] = seeds.get(g, 0.0) + 3.0 * abs(w)
        if not seeds:
            return {}
        p = random_walk_with_restart(network, seeds, restart=self.params.restart).scores
        ratio = p / network.degrees
        out: dict[str, MethodScore] = {}
        for drug_id, drug in drugs.items():
            idx = network_targets(network, drug)
            if idx.size:
                out[drug_id] = MethodScore(value=float(ratio[idx].max()))
        return out
