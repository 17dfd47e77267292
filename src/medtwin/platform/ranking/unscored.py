"""Why a ranking method scored no drug of a twin, in words: the ranking's ``no_score``.

A method that scores no drug leaves its column empty for every drug; without a reason a user
reads an empty column as "no drug is worth it". :func:`unscored_reasons` names the reason from
what the method reads (:class:`~medtwin.platform.ranking.base.RankContext`), with the numbers
behind it: e.g. ``reversal`` on a twin with 30 measured LINCS landmark genes (it needs 50), or
``regulator`` on a twin without an upstream regulator. Before stop 46 only a twin without a vector
of every measured gene (``RankContext.gene_stats_note``) got a reason; the ranking stores these
beside it (``no_score_json``) and ``rank`` prints each as ``NOTE <method> scored no drug: …``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.platform.models import DrugScore
from medtwin.platform.ranking.base import RankContext, RankingMethod
from medtwin.platform.ranking.registry import REGISTRY

__all__ = ["unscored_reasons"]

_REFERENCE_METHODS = frozenset(
    {"regulator", "pathway", "reversal", "pathway_proximity", "activity_reversal"}
)

_LAYERS = (
    "the regulator layers (DoRothEA, PROGENy, LINCS) are not loaded: run "
    "`medtwin data fetch && medtwin load`"
)


def unscored_reasons(
    ctx: RankContext, methods: Sequence[str], scores: Sequence[DrugScore]
) -> dict[str, str]:
    """Method -> why it scored no drug, for each method of ``methods`` whose value is empty.

    Methods without a value column (``degree``) and methods that scored a drug are left out.
    """
    out: dict[str, str] = {}
    for name in dict.fromkeys(methods):
        method = REGISTRY.get(name)
        if method is None:
            continue
        column = next((c for c, attr in method.columns.items() if attr == "value"), None)
        if column is None or any(getattr(s, column, None) is not None for s in scores):
            continue
        out[name] = _reason(ctx, name, method)
    return out


def _reason(ctx: RankContext, name: str, method: RankingMethod) -> str:
    params: Any = method.params
    if name == "driver":
        if not ctx.drivers:
            return (
                "no driver gene: the twin has no variant-layer change (add `--mutations` or "
                "`--vcf` to the patient)"
            )
        return f"no candidate drug targets one of the {len(ctx.drivers)} driver genes"
    if ctx.gene_stats_note and not ctx.gene_stats and name != "regulator_network":
        return ctx.gene_stats_note
    if name in _REFERENCE_METHODS and ctx.regulators is None:
        return _LAYERS
    if name == "reversal":
        return _reversal(ctx, int(params.min_genes))
    act = ctx.activity
    if name == "activity_reversal":
        return _activity_reversal(ctx, int(params.min_features))
    if name == "regulator" and act is not None:
        q = float(params.ur_q)
        urs = act.upstream_regulators(q)
        if not urs:
            return (
                f"no upstream regulator: none of the {len(act.tf)} TFs scored on "
                f"{len(ctx.gene_stats)} genes reaches activity q <= {q:g}"
            )
        return (
            f"no candidate drug has a target of known action on, or one regulon step upstream "
            f"of, the {len(urs)} upstream regulators"
        )
    if name in {"pathway", "pathway_proximity"} and act is not None and not act.pathway:
        return "no pathway activity: no PROGENy footprint has enough genes with a statistic"
    if name == "target_expression" and not ctx.gene_stats:
        return "no gene statistics: the twin has no vector of every measured gene"
    if name == "direction":
        return "no candidate drug has a target with both a known action and a change in this twin"
    return "no candidate drug could be scored from what this twin holds for this method"


def _activity_reversal(ctx: RankContext, min_features: int) -> str:
    if ctx.regulators is None or not ctx.regulators.perturbations:
        return (
            "the LINCS perturbation layer is not loaded: run `medtwin data fetch && medtwin load`"
        )
    act = ctx.activity
    n = 0 if act is None else len(act.tf) + len(act.pathway)
    if n < min_features:
        return (
            f"only {n} TFs and pathways have an activity in this twin (at least {min_features} "
            "shared with a drug's LINCS activities needed)"
        )
    return (
        f"no candidate drug with a LINCS signature shares {min_features} of the twin's {n} TF "
        "and pathway activities, or the activities are all equal"
    )


def _reversal(ctx: RankContext, min_genes: int) -> str:
    if ctx.regulators is None:
        return _LAYERS
    perturbations: Mapping[str, Mapping[str, float]] = ctx.regulators.perturbations
    if not perturbations:
        return (
            "the LINCS perturbation layer is not loaded: run `medtwin data fetch && medtwin load`"
        )
    signed = [perturbations.get(d.drugbank_id or k) for k, d in ctx.drugs.items()]
    landmarks = {g for p in signed if p for g in p}
    if not landmarks:
        return "no candidate drug has a LINCS L1000 signature"
    measured = len(landmarks & ctx.gene_stats.keys())
    if measured < min_genes:
        return (
            f"only {measured} of the {len(landmarks)} LINCS landmark genes have a statistic in "
            f"this twin (at least {min_genes} needed)"
        )
    return (
        f"no candidate drug's LINCS signature covers {min_genes} of the twin's {measured} "
        "measured landmark genes, or the twin's landmark statistics are all equal"
    )
