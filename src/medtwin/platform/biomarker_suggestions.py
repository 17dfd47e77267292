"""A twin's biomarker suggestions: computed from the stored twin and ranking, stored, reported.

:func:`compute_biomarkers` gathers what the rule of :mod:`medtwin.platform.biomarkers` needs
from the store (the twin's genes with the evidence of the patient's changes, the actions of the
ranking's top drugs on their targets, the ligands of the module), stores the suggestions on the
twin and returns their :func:`biomarker_report`. The use case that reads them back or computes
them under the patient's lock is :func:`medtwin.platform.insights.twin_biomarkers`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.biomarkers import (
    CandidateDrug,
    GeneEvidence,
    suggest_biomarkers,
)
from medtwin.platform.gene_evidence import change_evidence
from medtwin.platform.insight_models import BiomarkerReport
from medtwin.platform.models import RankingResult, TwinParams
from medtwin.platform.rank_params import is_loaded_source
from medtwin.platform.step_times import lap
from medtwin.platform.stored_insights import biomarker_report
from medtwin.platform.target_sets import (
    DIRECTION_SOURCE_NAMES,
    TargetAction,
    resolve_target_source,
    target_actions,
)
from medtwin.store.base import GraphStore
from medtwin.store.twin_verbs import TwinVerbs

__all__ = ["BIOMARKER_STEPS", "biomarker_report", "compute_biomarkers"]

BIOMARKER_STEPS = (
    "reading the ranking and the twin",
    "reading the patient's changes",
    "reading the drugs' targets",
    "storing the suggestions",
)
"""The steps of computing suggestions (:func:`~.step_times.lap` marks; the first is the use
case's, :func:`medtwin.platform.insights.twin_biomarkers`, the others this module's)."""


def _patient_changes(
    twins: TwinVerbs, patient_id: str, time_point: str | None
) -> dict[str, list[GeneChange]]:
    """The patient's stored changes per gene (of one time point when the twin has one)."""
    out: dict[str, list[GeneChange]] = defaultdict(list)
    for i in twins.inputs(patient_id):
        for c in json.loads(i["changes_json"])["changes"]:
            change = GeneChange.model_validate(c)
            if time_point is None or change.time_point == time_point:
                out[change.entrez].append(change)
    return out


def _gene_evidence(
    row: dict[str, Any], changes: list[GeneChange], layers: set[str]
) -> GeneEvidence:
    measured = [c for c in changes if c.layer != "variant" and c.layer in layers]
    best = max(measured, key=change_evidence, default=None)
    variants = tuple(
        dict.fromkeys(
            (c.variant_id or "", c.consequence)
            for c in changes
            if c.layer == "variant" and "variant" in layers
        )
    )
    used = {c.layer for c in measured} | ({"variant"} if variants else set())
    return GeneEvidence(
        entrez=row["entrez"],
        symbol=row["symbol"],
        in_module=bool(row["in_module"]),
        pagerank=row["pagerank"],
        log2fc=best.log2fc if best is not None else None,
        z=round(change_evidence(best), 3) if best is not None else None,
        layers=tuple(sorted(used)),
        variants=variants,
    )


def compute_biomarkers(
    store: GraphStore,
    patient_id: str,
    twin: dict[str, Any],
    ranking: RankingResult,
    key: str,
    top: int,
) -> BiomarkerReport:
    """Compute and store the suggestions (the caller holds the patient's lock)."""
    twins = store.twins
    params = TwinParams.from_stored(twin["params_json"], twin_id=twin["id"], strict=True)
    changes = _patient_changes(twins, patient_id, params.time_point)
    rows = twins.genes(twin["id"])
    genes = [_gene_evidence(r, changes.get(r["entrez"], []), set(params.layers)) for r in rows]
    lap(BIOMARKER_STEPS[1])
    source = ranking.params.targets
    actions: dict[str, dict[str, TargetAction]] = {}
    if is_loaded_source(source):
        # the ranking's own rule: a DrugBank pair without an action takes DrugCentral's
        actions = target_actions(
            store, resolve_target_source(source), [d.drug_id for d in ranking.drugs]
        )
    else:  # a targets file: only the targets in the module are stored, actions unknown
        for d in ranking.drugs:
            actions[d.drug_id] = dict.fromkeys(d.targets_in_module, TargetAction("unknown"))
    drugs = [
        CandidateDrug(
            d.drug_id,
            d.drug_name,
            d.rank,
            {t: a.direction for t, a in actions.get(d.drug_id, {}).items()},
            {
                t: DIRECTION_SOURCE_NAMES.get(a.filled_by, a.filled_by)
                for t, a in actions.get(d.drug_id, {}).items()
                if a.filled_by is not None
            },
        )
        for d in ranking.drugs
    ]
    module_genes = [g.entrez for g in genes if g.in_module]
    suggestions = suggest_biomarkers(genes, drugs, store.insights.ligands(module_genes), top=top)
    lap(BIOMARKER_STEPS[2])
    store.insights.replace_biomarkers(
        twin["id"],
        key,
        [
            {"entrez": b.entrez, "rank": b.rank, "suggestion_json": b.model_dump_json()}
            for b in suggestions
        ],
    )
    lap(BIOMARKER_STEPS[3])
    return biomarker_report(patient_id, twin, ranking, tuple(suggestions))
