r"""Activity reversal: does the drug move the patient's TFs and pathways the opposite way.

:mod:`.reversal_rank` compares the patient's and the drug's gene signatures; this compares them
in *footprint space*. The drug's LINCS L1000 consensus z over the 978 landmark genes is turned
into TF activities (ULM on the DoRothEA regulons) and pathway activities (MLM on the PROGENy
footprints) by the very function that gives the patient's
(:func:`~medtwin.platform.regulators.patient_activity`), for all drugs once per reference
(:attr:`~medtwin.platform.regulators.RegulatorReference.perturbation_activity`). Over the
features :math:`F` (TFs and pathways) that both the patient's activity :math:`a` and the drug's
:math:`b_d` score,

.. math:: A(d) = -\rho_S\bigl(a_F,\ b_{d,F}\bigr)

(Spearman correlation over one vector of TF and pathway t-values; higher = the drug pushes the
patient's regulators back). p is the two-sided p of :math:`\rho_S` (t approximation,
df = |F| − 2), q its Benjamini–Hochberg adjustment across the drugs scored. Drugs without a LINCS
signature, or with fewer than ``min_features`` shared features, are not scored.

Choices made before any result was seen (not tuned):

- *the twin's models* (ULM for TFs, MLM for pathways), so that the two vectors are the same
  quantity computed the same way;
- *Spearman*, as ``reversal``: the patient's t-values come from up to 20,000 genes and reach
  |t| ≈ 60 (STAT1), the drug's from 978 genes; ranks remove that difference of scale and keep
  one extreme TF from deciding the correlation;
- *TFs and pathways in one vector*: the drug has ~139 scored TFs and 8 pathways on the landmark
  genes, so pathways alone (≤ 11 points) are too few for a correlation;
- *at least 10 shared features*: the t approximation of Spearman's null is the usual one from
  about 10 pairs; fewer means the patient has activity for only a handful of regulators.

References
----------
Schubert M. et al. Perturbation-response genes reveal signaling footprints in cancer gene
expression. Nat Commun 9, 20 (2018). doi:10.1038/s41467-017-02391-6
Szalai B. et al. Signatures of cell death and proliferation in perturbation transcriptomics data
— from confounding factor to effective prediction. Nucleic Acids Res 47, 10010 (2019).
doi:10.1093/nar/gkz805
Holland C.H. et al. Robustness and applicability of transcription factor and pathway analysis
tools on single-cell RNA-seq data. Genome Biol 21, 36 (2020). doi:10.1186/s13059-020-1949-z
Lamb J. et al. The Connectivity Map. Science 313, 1929 (2006). doi:10.1126/science.1132939
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.algorithms.stats import average_ranks, bh_qvalues
from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext
from medtwin.platform.ranking.reversal_rank import spearman_of_ranks
from medtwin.platform.regulators import PatientActivity

__all__ = ["ActivityReversalParams", "ActivityReversalRank", "activity_vector"]


class ActivityReversalParams(BaseModel):
    """Parameters of :class:`ActivityReversalRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_features: int = Field(
        default=10, ge=4, description="TFs and pathways scored for both patient and drug."
    )


def activity_vector(activity: PatientActivity) -> dict[str, float]:
    """One vector of TF and pathway t-values (keys ``tf:<id>``, ``pathway:<name>``)."""
    out = {f"tf:{k}": a.score for k, a in activity.tf.items()}
    out.update({f"pathway:{k}": a.score for k, a in activity.pathway.items()})
    return out


class ActivityReversalRank:
    """Negative Spearman correlation of patient and drug TF/pathway activity (module docstring).

    Examples
    --------
    Hand-computed on 4 features: patient (3, 1, −1, −2), ranks (4, 3, 2, 1); drug a
    (−2, −1, 0, 5), ranks (1, 2, 3, 4): ρ = −1, score 1.0; drug c (9, 5, 1, 0), the patient's
    order: ρ = 1, score −1.0; drug ``none`` has no LINCS activity and is not scored.

    >>> patient = {"tf:1": 3.0, "tf:2": 1.0, "tf:3": -1.0, "pathway:MAPK": -2.0}
    >>> drugs = {"a": [-2.0, -1.0, 0.0, 5.0], "c": [9.0, 5.0, 1.0, 0.0]}
    >>> drug_act = {d: dict(zip(patient, v)) for d, v in drugs.items()}
    >>> out = ActivityReversalRank(ActivityReversalParams(min_features=4)).score(
    ...     {d: DrugTargets(d, ("1",)) for d in ("a", "c", "none")}, patient, drug_act)
    >>> {d: round(s.value, 6) for d, s in out.items()}
    {'a': 1.0, 'c': -1.0}
    """

    name = "activity_reversal"
    columns: Mapping[str, str] = MappingProxyType(
        {"activity_reversal": "value", "activity_reversal_q": "q"}
    )
    higher_is_better = True

    def __init__(self, params: ActivityReversalParams | None = None) -> None:
        self.params = params or ActivityReversalParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a LINCS signature (seed unused)."""
        act = ctx.activity
        if act is None or ctx.regulators is None or not ctx.regulators.perturbations:
            return {}
        drug_act = ctx.regulators.perturbation_activity
        keys = {drug.drugbank_id or d for d, drug in ctx.drugs.items()}
        vectors = {k: activity_vector(drug_act[k]) for k in keys if k in drug_act}
        return self.score(ctx.drugs, activity_vector(act), vectors)

    def score(
        self,
        drugs: Mapping[str, DrugTargets],
        patient: Mapping[str, float],
        drug_activity: Mapping[str, Mapping[str, float]],
    ) -> dict[str, MethodScore]:
        """The score of :meth:`rank` from its parts (feature -> t-value vectors)."""
        kept: list[str] = []
        rhos: list[float] = []
        ps: list[float] = []
        for d, drug in drugs.items():
            b = drug_activity.get(drug.drugbank_id or d)
            if not b:
                continue
            shared = sorted(patient.keys() & b.keys())
            n = len(shared)
            if n < self.params.min_features:
                continue
            x = average_ranks([patient[f] for f in shared])
            y = average_ranks([b[f] for f in shared])
            if np.ptp(x) == 0 or np.ptp(y) == 0:  # a constant vector has no correlation
                continue
            rho, p = spearman_of_ranks(x, y)
            kept.append(d)
            rhos.append(rho)
            ps.append(p)
        if not kept:
            return {}
        qs = bh_qvalues(np.array(ps)).tolist()
        return {
            d: MethodScore(value=-rho, p=p, q=q)
            for d, rho, p, q in zip(kept, rhos, ps, qs, strict=True)
        }
