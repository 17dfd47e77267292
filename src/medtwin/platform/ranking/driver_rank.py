r"""Driver ranking: does the drug act on the patient's mutated or amplified genes, the right way.

Driver evidence :math:`g_t` (:func:`medtwin.platform.gene_evidence.driver_evidence`: > 0 gain —
amplification, or a coding mutation whose direction the call does not give at half weight; < 0
loss — deep deletion, truncating variant, deleted exon or gene; magnitude = the call's evidence
/ 3). The drug's action on target :math:`t` is :math:`c_t = +1` inhibit, :math:`-1` activate,
:math:`+\tfrac12` unknown (targeted drugs are mostly inhibitors; half weight because it is an
assumption). The score

.. math:: D(d) = \sum_{t \in T \cap \mathrm{drivers}} g_t\,c_t

is high for inhibitors of gained drivers (oncogene addiction; e.g. HER2 amplification and
anti-HER2 drugs, BRAF mutation and BRAF inhibitors) and negative for inhibitors of lost genes.
Drugs that hit no driver are not scored. **Rule, not a null model.**

References
----------
Weinstein I.B. Addiction to oncogenes — the Achilles heel of cancer. Science 297, 63 (2002).
doi:10.1126/science.1073096
Gao H. et al. Nat Med 21, 1318 (2015). doi:10.1038/nm.3954 (mutation / copy-number categories)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext

__all__ = ["DriverParams", "DriverRank"]

_ACTION = {"inhibit": 1.0, "activate": -1.0, "unknown": 0.5}


class DriverParams(BaseModel):
    """Parameters of :class:`DriverRank` (none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DriverRank:
    """Driver evidence the drug counteracts (module docstring).

    Examples
    --------
    Hand-computed: ERBB2 amplified (g = 1), PTEN deleted (g = −1), PIK3CA mutated (g = 0.5).
    An ERBB2 inhibitor scores 1; a PTEN inhibitor −1; an untyped PIK3CA drug 0.5·0.5 = 0.25.

    >>> drivers = {"ERBB2": 1.0, "PTEN": -1.0, "PIK3CA": 0.5}
    >>> drugs = {"her2": DrugTargets("her2", ("ERBB2",), ("inhibit",)),
    ...          "bad": DrugTargets("bad", ("PTEN",), ("inhibit",)),
    ...          "pi3k": DrugTargets("pi3k", ("PIK3CA",)),
    ...          "none": DrugTargets("none", ("X",))}
    >>> {d: s.value for d, s in DriverRank().score(drugs, drivers).items()}
    {'her2': 1.0, 'bad': -1.0, 'pi3k': 0.25}
    """

    name = "driver"
    columns: Mapping[str, str] = MappingProxyType({"driver": "value"})
    higher_is_better = True

    def __init__(self, params: DriverParams | None = None) -> None:
        self.params = params or DriverParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a target among the patient's drivers (seed unused)."""
        return self.score(ctx.drugs, ctx.drivers)

    @staticmethod
    def score(
        drugs: Mapping[str, DrugTargets], drivers: Mapping[str, float]
    ) -> dict[str, MethodScore]:
        """The score of :meth:`rank` from its parts."""
        out: dict[str, MethodScore] = {}
        if not drivers:
            return out
        for drug_id, drug in drugs.items():
            hits = [(t, a) for t, a in drug.direction_of().items() if t in drivers]
            if hits:
                out[drug_id] = MethodScore(value=sum(drivers[t] * _ACTION[a] for t, a in hits))
        return out
