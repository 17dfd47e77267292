"""Typed results of the insight use cases: biomarker suggestions and twin trajectories.

Frozen pydantic models (stable JSON for ``--json`` and the API), kept apart from
:mod:`medtwin.platform.models` so the insight features stay additive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from medtwin.platform.frozen_model import FrozenModel, frame_of
from medtwin.platform.gating import ModuleGated

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BiomarkerDrug",
    "BiomarkerReport",
    "BiomarkerSuggestion",
    "DrugTrajectory",
    "EarlyGene",
    "Trajectory",
    "TrajectoryPoint",
    "TrajectoryStep",
]

Effect = Literal["counteracts", "aggravates", "unknown"]


class BiomarkerDrug(FrozenModel):
    """A top-ranked drug that targets a suggested biomarker."""

    drug_id: str
    drug_name: str | None
    drug_rank: int = Field(description="The drug's rank in the patient's latest ranking.")
    action: Literal["inhibit", "activate", "unknown"]
    action_source: str | None = Field(
        default=None,
        description="Where the action comes from when the ranking's target source names none for "
        "this pair and another filled it in, as the ranking does (DrugCentral for DrugBank); null: "
        "the target source's own action.",
    )
    effect: Effect = Field(
        description="counteracts: the drug pushes the gene against the patient's change "
        "(inhibits an up-regulated gene, activates a down-regulated one); aggravates: the reverse; "
        "unknown: the action or the direction of the change is not known."
    )


class BiomarkerSuggestion(FrozenModel):
    """A protein whose measurement would support or refute a top-ranked drug."""

    rank: int
    entrez: str
    symbol: str | None
    layers: tuple[str, ...] = Field(description="Patient layers that changed this gene.")
    variants: tuple[str, ...] = Field(description="Variant ids on the gene (variant layer).")
    log2fc: float | None = Field(description="Change of expression or protein (sign = direction).")
    z: float | None = Field(description="Evidence of that change on the |z| scale.")
    pagerank_rank: int | None = Field(description="Rank by PageRank among the module's genes.")
    module_size: int
    central: bool = Field(description="PageRank in the top quarter of the module's genes.")
    ligand: bool = Field(
        description="A ligand in LIANA's consensus resource. Not a localisation: the resource "
        "pairs intracellular proteins too (LCK -> CD8A_CD8B), so this does not say the protein "
        "is measurable in blood."
    )
    drugs: tuple[BiomarkerDrug, ...]
    chain: str = Field(description="The evidence chain, from the patient's data to the decision.")


class BiomarkerReport(ModuleGated):
    """Biomarker suggestions for one twin and its latest ranking (stored on the twin)."""

    patient_id: str
    twin_id: str
    ranking_id: str
    top_drugs: int = Field(description="Drugs of the ranking whose targets were considered.")
    rule: str = Field(description="The filter and ordering used (no null model).")
    suggestions: tuple[BiomarkerSuggestion, ...]

    def to_frame(self) -> pd.DataFrame:
        """The suggestions as a pandas DataFrame, one row each (best first)."""
        return frame_of(self.suggestions, BiomarkerSuggestion)


class TrajectoryPoint(ModuleGated):
    """The twin of one time point."""

    time_point: str
    twin_id: str
    version: int
    built: bool = Field(description="Built by this call (false: an existing version reused).")
    module_size: int
    top_genes: tuple[str, ...] = Field(description="Most central module genes (PageRank).")
    ranking_id: str | None


class TrajectoryStep(FrozenModel):
    """How the module changes from one time point to the next."""

    from_time_point: str
    to_time_point: str
    entered: tuple[str, ...]
    left: tuple[str, ...]
    stayed: int
    jaccard: float = Field(description="|A ∩ B| / |A ∪ B| of the two modules.")
    risers: tuple[str, ...] = Field(
        description="Genes in both modules whose PageRank rank improved most (gene +steps)."
    )


class DrugTrajectory(FrozenModel):
    """One drug's rank at each time point."""

    drug_id: str
    drug_name: str | None
    ranks: tuple[int | None, ...]
    change: int | None = Field(description="Last rank minus first rank (negative = rose).")


class EarlyGene(FrozenModel):
    """A gene central at the first time point and connected to genes that enter later."""

    entrez: str
    symbol: str | None
    pagerank_rank: int = Field(description="Rank by PageRank in the first module.")
    later_neighbours: tuple[str, ...] = Field(
        description="PPI neighbours that enter the module at a later time point."
    )


class Trajectory(FrozenModel):
    """A patient's twins over time: module, centrality and drug-ranking changes, early genes."""

    patient_id: str
    time_points: tuple[str, ...]
    points: tuple[TrajectoryPoint, ...]
    steps: tuple[TrajectoryStep, ...]
    drugs: tuple[DrugTrajectory, ...]
    early_genes: tuple[EarlyGene, ...]
    rule: str = Field(description="How early genes are flagged (a rule, no null model).")
    missing: tuple[str, ...] = Field(
        default=(), description="Time points without a twin (read-only calls do not build)."
    )
    order_note: str | None = Field(
        default=None,
        description="Set when the order of some time points rests on their spelling alone "
        "(no phase word such as pre/post, no number): name them in order to be sure.",
    )

    def to_frame(self) -> pd.DataFrame:
        """The drugs as a pandas DataFrame, one row each, ``ranks`` by time point."""
        return frame_of(self.drugs, DrugTrajectory)
