r"""Upstream-regulator ranking: does the drug counteract the patient's active regulators.

Upstream regulators (URs) :math:`U` are the TFs whose DoRothEA-footprint activity has
:math:`q \le 0.05` (:meth:`~medtwin.platform.regulators.PatientActivity.upstream_regulators`;
activity :math:`a_u` = ULM t-value, > 0 over-active, < 0 under-active). For a drug with targets
:math:`T` and actions :math:`s_t` (inhibit −1, activate +1), its effect on a UR is read off the
regulons:

* **on the UR** (:math:`t = u`): the drug moves :math:`u` by :math:`s_t`;
* **upstream of it** (:math:`t` is a TF with :math:`u` among its targets, mode of regulation
  :math:`m_{tu}`): the drug moves :math:`u` by :math:`s_t m_{tu}`, at half weight (one step
  removed);

and the score is the activity it counteracts,

.. math:: R(d) = \sum_{t \in T,\,u \in U,\,t = u} (-s_t)\,a_u
               + \tfrac12 \sum_{t \in T,\,u \in U,\,t \to u} (-s_t)\,m_{tu}\,a_u

(higher = better: an inhibitor of an over-active UR, or an activator of an under-active one,
scores :math:`+|a_u|`; the opposite aggravates). Targets of unknown action contribute nothing;
a drug with no target of known action on or upstream of a UR is not scored (neutral in the
combined rank). **Rule, not a null model**: the UR set is already FDR-controlled; the score
orders drugs by how much significant regulator activity they oppose.

References
----------
Garcia-Alonso L. et al. Genome Res 29, 1363 (2019). doi:10.1101/gr.240663.118
Krämer A. et al. Causal analysis approaches in Ingenuity Pathway Analysis. Bioinformatics 30,
523 (2014). doi:10.1093/bioinformatics/btt703 (upstream-regulator reasoning)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext
from medtwin.platform.regulators import PatientActivity

__all__ = ["RegulatorParams", "RegulatorRank"]

_SIGN = {"inhibit": -1.0, "activate": 1.0}


class RegulatorParams(BaseModel):
    """Parameters of :class:`RegulatorRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ur_q: float = Field(default=0.05, gt=0.0, le=1.0, description="UR: TF activity q at most.")
    upstream_weight: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Weight of a target one regulon step upstream."
    )


class RegulatorRank:
    """Activity of upstream regulators the drug counteracts (module docstring).

    Examples
    --------
    Hand-computed: URs u1 (a = +4, over-active) and u2 (a = −3). Drug x inhibits u1:
    R = −(−1)·4 = 4. Drug y activates TF t, which represses u2 (mor −1): R = ½·(−1)·(−1)·(−3) =
    −1.5 (it represses an under-active UR further: aggravates).

    >>> from medtwin.platform.ranking.base import DrugTargets
    >>> from medtwin.platform.regulators import PatientActivity
    >>> from medtwin.platform.algorithms.footprint import Activity
    >>> act = PatientActivity({"u1": Activity(4.0, 1e-4, 0.001, 10, "ulm"),
    ...                        "u2": Activity(-3.0, 1e-3, 0.01, 8, "ulm"),
    ...                        "t": Activity(0.5, 0.6, 0.7, 6, "ulm")}, {})
    >>> regulons = {"t": {"u2": -1.0}}
    >>> drugs = {"x": DrugTargets("x", ("u1",), ("inhibit",)),
    ...          "y": DrugTargets("y", ("t",), ("activate",)),
    ...          "z": DrugTargets("z", ("u1",), ("unknown",))}
    >>> scores = RegulatorRank().score(drugs, act, regulons)
    >>> {d: s.value for d, s in scores.items()}
    {'x': 4.0, 'y': -1.5}
    """

    name = "regulator"
    columns: Mapping[str, str] = MappingProxyType({"regulator": "value"})
    higher_is_better = True

    def __init__(self, params: RegulatorParams | None = None) -> None:
        self.params = params or RegulatorParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a target of known action on or upstream of a UR (seed unused)."""
        act = ctx.activity
        if act is None or ctx.regulators is None:
            return {}
        return self.score(ctx.drugs, act, ctx.regulators.regulons)

    def score(
        self,
        drugs: Mapping[str, DrugTargets],
        activity: PatientActivity,
        regulons: Mapping[str, Mapping[str, float]],
    ) -> dict[str, MethodScore]:
        """The score of :meth:`rank` from its parts (drugs, activity, regulons)."""
        urs = {u: a.score for u, a in activity.upstream_regulators(self.params.ur_q).items()}
        out: dict[str, MethodScore] = {}
        if not urs:
            return out
        w = self.params.upstream_weight
        for drug_id, drug in drugs.items():
            total, hit = 0.0, False
            for t, direction in drug.direction_of().items():
                s = _SIGN.get(direction)
                if s is None:
                    continue
                if t in urs:
                    total += -s * urs[t]
                    hit = True
                for u, mor in regulons.get(t, {}).items():
                    if u in urs and u != t:
                        total += w * -s * mor * urs[u]
                        hit = True
            if hit:
                out[drug_id] = MethodScore(value=total)
        return out
