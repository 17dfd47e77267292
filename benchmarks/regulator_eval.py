"""The regulator layers and method combinations judged by ``make validate-twins`` (issue 18).

:func:`combination_scores` scores a ranking's drugs as :func:`medtwin.platform.ranking.combine`
would order them with ``order = (proximity, X, ...)`` and ``tier = "approved"``: approved drugs
(and drugs of unknown status) first, then the mean mid-rank percentile of the listed methods over
those that scored the drug (:func:`medtwin.platform.ranking.combine.percentiles`), drugs no
listed method scored last in their tier. Computed from the ranking's own columns, so one
``rank_all`` per case serves every combination.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.personal import method_scores
from medtwin.loaders import pathways_progeny, perturbations_lincs, regulons_dorothea
from medtwin.loaders.fetch import locate
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.platform.models import DrugScore
from medtwin.platform.ranking import MethodScore
from medtwin.platform.ranking.combine import percentiles
from medtwin.platform.regulators import RegulatorReference

__all__ = ["COMBINATIONS", "combination_scores", "regulator_reference"]

REGULATOR_METHODS = (
    "regulator",
    "regulator_network",
    "pathway",
    "driver",
    "reversal",
    "pathway_proximity",
)

COMBINATIONS: dict[str, tuple[str, ...]] = {
    **{f"combo: tier + proximity + {m}": ("proximity", m) for m in REGULATOR_METHODS},
    "combo: tier + proximity + all regulator methods": ("proximity", *REGULATOR_METHODS),
    "combo: tier + regulator methods (no proximity)": REGULATOR_METHODS,
    # stop 24: target dependency, and a default that keeps the documented degree prior beside the
    # personal evidence (equal, a-priori weights: the mean of the percentiles, as combine does)
    "combo: tier + proximity + target_expression": ("proximity", "target_expression"),
    "combo: tier + degree + proximity": ("degree", "proximity"),
    "combo: tier + degree + proximity + pathway_proximity": (
        "degree", "proximity", "pathway_proximity",
    ),
    "combo: tier + degree + proximity + target_expression": (
        "degree", "proximity", "target_expression",
    ),
    "combo: tier + degree + proximity + pathway_proximity + target_expression": (
        "degree", "proximity", "pathway_proximity", "target_expression",
    ),
    # stop 53: reversal in footprint space, judged beside `reversal` (not in the regulator
    # methods above, whose combinations keep their stop-52 membership)
    "combo: tier + proximity + activity_reversal": ("proximity", "activity_reversal"),
}  # fmt: skip
"""Combination name -> the methods whose percentiles it averages (after the approval tier)."""


def regulator_reference(root: Path, genes: GeneIndex) -> RegulatorReference:
    """DoRothEA (A–C), PROGENy and LINCS from the data folder, by their pinned file names."""
    return RegulatorReference.from_files(
        locate(root, regulons_dorothea.SOURCE.name, regulons_dorothea.FILE),
        locate(root, pathways_progeny.SOURCE.name, pathways_progeny.FILE),
        locate(root, perturbations_lincs.SOURCE.name, perturbations_lincs.FILE),
        genes,
    )


def combination_scores(
    scores: Sequence[DrugScore], degree: Mapping[str, float] | None = None
) -> dict[str, dict[str, float]]:
    """Combination name -> drug -> score (higher = better), see the module docstring.

    ``degree`` (drug -> mean target degree) gives the ``degree`` method's values as the product
    computes them (ties share their mid-rank); without it the ranking's
    ``degree_baseline_rank`` is used (ties broken by drug id).
    """
    per_method = method_scores(scores)  # oriented higher = better
    if degree is not None:
        per_method["degree"] = {s.drug_id: degree[s.drug_id] for s in scores if s.drug_id in degree}
    pct = {
        m: percentiles({d: MethodScore(v) for d, v in vals.items()}, higher_is_better=True)
        for m, vals in per_method.items()
    }
    tier = {s.drug_id: 0.0 if s.approved is False else 10.0 for s in scores}
    out: dict[str, dict[str, float]] = {}
    for name, methods in COMBINATIONS.items():
        vals = {}
        for d, t in tier.items():
            parts = [pct[m][d] for m in methods if m in pct and d in pct[m]]
            vals[d] = t + (sum(parts) / len(parts) if parts else -1.0)
        out[name] = vals
    return out
