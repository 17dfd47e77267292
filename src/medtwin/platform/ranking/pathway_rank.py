r"""Pathway ranking: the patient's activity of the pathways the drug acts on.

Drug → pathway rule: a drug acts on PROGENy pathway :math:`P` when one of its targets is in
:math:`P`'s curated signalling core (:data:`~medtwin.platform.regulators.PATHWAY_CORES`: the
receptor → kinase → effector genes of the matching KEGG map that the perturbations defining the
footprint act on). The score is the mean activity (MLM t-value on the PROGENy footprints) of
those pathways,

.. math:: P(d) = \frac{1}{|\mathcal P_d|}\sum_{P \in \mathcal P_d} a_P ,

higher first, whatever the drug's action: a **dependence rule** — a drug aimed at a pathway is
expected to work where the pathway is on. Schubert et al. 2018 show that EGFR/MAPK footprint
activity, not the expression of the pathway's members, marks cell lines sensitive to EGFR and
MEK inhibitors; MDM2 inhibitors, which release p53, need p53 activity. Drugs with no core
target, or patients with too few measured genes for the model, are not scored. **Rule, not a
null model.**

References
----------
Schubert M. et al. Perturbation-response genes reveal signaling footprints in cancer gene
expression. Nat Commun 9, 20 (2018). doi:10.1038/s41467-017-02391-6
Kanehisa M., Goto S. KEGG: Kyoto Encyclopedia of Genes and Genomes. Nucleic Acids Res 28, 27
(2000). doi:10.1093/nar/28.1.27
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext

__all__ = ["PathwayParams", "PathwayRank", "pathways_of"]


class PathwayParams(BaseModel):
    """Parameters of :class:`PathwayRank` (none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def pathways_of(drug: DrugTargets, cores: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Pathways whose core holds one of the drug's targets, in the order of ``cores``."""
    targets = set(drug.targets)
    return [p for p, members in cores.items() if targets & members.keys()]


class PathwayRank:
    """Mean activity of the pathways whose core the drug targets (module docstring).

    Examples
    --------
    Hand-computed: MAPK active (t = 3), p53 inactive (t = −2). A MEK inhibitor scores 3; a drug
    on both cores (−2 + 3)/2 = 0.5; a drug outside every core is not scored.

    >>> cores = {"MAPK": {"MAP2K1": 1}, "p53": {"MDM2": -1}}
    >>> act = {"MAPK": Activity(3.0, 0.01, 0.02, 100, "mlm"),
    ...        "p53": Activity(-2.0, 0.05, 0.05, 100, "mlm")}
    >>> drugs = {"mek": DrugTargets("mek", ("MAP2K1",), ("inhibit",)),
    ...          "both": DrugTargets("both", ("MDM2", "MAP2K1")),
    ...          "other": DrugTargets("other", ("X",))}
    >>> {d: s.value for d, s in PathwayRank().score(drugs, act, cores).items()}
    {'mek': 3.0, 'both': 0.5}
    """

    name = "pathway"
    columns: Mapping[str, str] = MappingProxyType({"pathway": "value"})
    higher_is_better = True

    def __init__(self, params: PathwayParams | None = None) -> None:
        self.params = params or PathwayParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a target in an active-or-not pathway core (seed unused)."""
        act = ctx.activity
        if act is None or ctx.regulators is None or not act.pathway:
            return {}
        return self.score(ctx.drugs, act.pathway, ctx.regulators.cores)

    def score(
        self,
        drugs: Mapping[str, DrugTargets],
        activity: Mapping[str, Activity],
        cores: Mapping[str, Mapping[str, int]],
    ) -> dict[str, MethodScore]:
        """The score of :meth:`rank` from its parts."""
        out: dict[str, MethodScore] = {}
        for drug_id, drug in drugs.items():
            values = [activity[p].score for p in pathways_of(drug, cores) if p in activity]
            if values:
                out[drug_id] = MethodScore(value=sum(values) / len(values))
        return out
