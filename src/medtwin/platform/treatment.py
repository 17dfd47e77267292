"""In-silico treatment of a twin: screen every drug of a target source and store the ranking.

Scores come from :mod:`medtwin.platform.ranking` (proximity with degree-matched nulls after
Guney et al. 2016, centrality coverage, module disruption, action direction, and the degree-only
baseline shown beside them). This module gathers their inputs from the store, records the
ranking with the twin version, parameters and seed. Per-drug explanations live in
:mod:`medtwin.platform.explain`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from math import isfinite
from pathlib import Path

from medtwin.domain import RANKING_RULES
from medtwin.errors import InputError, UnknownMethodError
from medtwin.platform.activity_inputs import STATISTIC_METHODS
from medtwin.platform.context import GENES, ReferenceContext
from medtwin.platform.custom_targets import CustomCandidates, custom_candidates
from medtwin.platform.models import DrugScore, RankingResult, RankParams
from medtwin.platform.patient_models import PatientSummary
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.rank_params import TARGET_SOURCES, TargetsFile, parse_targets
from medtwin.platform.ranking import REGISTRY
from medtwin.platform.ranking.base import DrugTargets, RankContext
from medtwin.platform.ranking.combine import rank_all
from medtwin.platform.ranking.unscored import unscored_reasons
from medtwin.platform.step_times import lap
from medtwin.platform.stored_rankings import (
    FIRST_PAGE,
    drug_score,
    get_ranking,
    ranking_id,
    ranking_result,
)
from medtwin.platform.target_sets import (
    DIRECTION_FALLBACK,
    KEPT_TARGET_SETS,
    DrugTargetSet,
    drug_target_sets,
    resolve_target_source,
)
from medtwin.platform.twin_regulators import patient_regulator_inputs
from medtwin.store.base import GraphStore

__all__ = [
    "FIRST_PAGE",
    "TARGET_SOURCES",
    "candidate_drugs",
    "kept_candidate_drugs",
    "custom_drugs",
    "get_ranking",
    "rank_drugs",
    "ranking_id",
    "symbols",
]

log = logging.getLogger(__name__)


def candidate_drugs(
    store: GraphStore, source: str, *, approved_only: bool = False, effector_filter: bool = False
) -> dict[str, DrugTargets]:
    """Drugs of one target source as the ranking methods take them.

    The targets are :func:`medtwin.platform.target_sets.drug_target_sets` (categories, effector
    filter), which the first screen of a stored ranking reads without the ranking stack.
    """
    sets = drug_target_sets(
        store, source, approved_only=approved_only, effector_filter=effector_filter
    )
    return _as_candidates(sets)


def _as_candidates(sets: Mapping[str, DrugTargetSet]) -> dict[str, DrugTargets]:
    return {
        d: DrugTargets(name=t.name, targets=t.targets, directions=t.directions, approved=t.approved)
        for d, t in sets.items()
    }


def _candidates(
    store: GraphStore, ctx: ReferenceContext, source: str, params: RankParams
) -> dict[str, DrugTargets]:
    return kept_candidate_drugs(
        store,
        ctx,
        source,
        approved_only=params.approved_only,
        effector_filter=params.effector_filter,
    )


def kept_candidate_drugs(
    store: GraphStore,
    ctx: ReferenceContext,
    source: str,
    *,
    approved_only: bool = False,
    effector_filter: bool = False,
) -> dict[str, DrugTargets]:
    """:func:`candidate_drugs`, read once per process and state of the source (cohort workers).

    Kept on disk for later processes too (:data:`~medtwin.platform.target_sets.KEPT_TARGET_SETS`),
    under the state of the source, its direction fallback and the gene layer (target symbols).
    ``rank`` and ``screen`` read it so: the ~4,700 drugs' targets from Neo4j cost either
    0.45-0.56 s of every process, the kept file 0.05-0.10 s.
    """
    flags = (approved_only, effector_filter)
    fallback = DIRECTION_FALLBACK.get(source)
    sets = ctx.reference_table(
        store,
        f"candidate_drugs:{source}:{flags}",
        (source, GENES) if fallback is None else (source, fallback, GENES),
        lambda: drug_target_sets(store, source, approved_only=flags[0], effector_filter=flags[1]),
        kept=KEPT_TARGET_SETS,
    )
    return _as_candidates(sets)  # a new dict: a ranking method may not change the process's table


def method_params(params: RankParams) -> dict[str, dict[str, object]]:
    """Per-method overrides that :class:`RankParams` carries (adaptive proximity sampling)."""
    if "proximity" not in params.methods:
        return {}
    return {"proximity": {"max_samples": params.max_samples}}


def _no_score(ctx: RankContext, params: RankParams, scores: Sequence[DrugScore]) -> dict[str, str]:
    """``no_score_json``: why each method that scored no drug did not (stored).

    The methods that read statistics the twin lacks give that reason (``gene_stats_note``);
    any other method that left its column empty its own (:func:`unscored_reasons`: e.g. too few
    LINCS landmark genes, no upstream regulator), which before stop 46 went unsaid. Written
    even when empty (``"{}"``): a ranking without it was made before the reasons were recorded,
    which its note says (:func:`~medtwin.platform.twin_currency.stale_note`).
    """
    reasons = unscored_reasons(ctx, params.methods, scores)
    note = ctx.gene_stats_note
    if note is not None:
        reasons.update(dict.fromkeys((m for m in params.methods if m in STATISTIC_METHODS), note))
    return {"no_score_json": json.dumps(reasons, sort_keys=True)}


_DERIVED = frozenset({"direction_word", "direction_computed", "placed_by"})
"""Fields of a :class:`DrugScore` not stored: derived from the scores and params when read."""


def rank_drugs(
    store: GraphStore,
    ctx: ReferenceContext,
    cache_dir: Path | None,
    patient_id: str,
    params: RankParams,
    *,
    version: int | None = None,
    full: bool = False,
    targets_name: str | None = None,
    patient: PatientSummary | None = None,
    page: bool = True,
) -> RankingResult:
    """Screen every drug of ``params.targets`` against the patient's twin and store the ranking.

    The interactome, its distance matrix and (for a targets file) the gene index come from
    ``ctx``; a targets file is recorded under ``targets_name`` when given (:func:`custom_drugs`).
    Returns the first page (50 drugs) of the stored ranking, or with ``full`` every drug
    of the ranking just stored (built from the rows written, not read back), or without
    ``page`` none (the stored ranking's fields only, nothing read back: a cohort run keeps only
    its ids, and reading the first page back was 2 of a patient's ~30 statements). ``patient``:
    the patient as the caller read it (:func:`get_patient`), whose note the ranking keeps, so
    that it is not read again; ``None`` reads it.
    """
    unknown = sorted(set(params.methods) - set(REGISTRY))
    if unknown:
        raise UnknownMethodError(
            f"unknown ranking method(s) {', '.join(unknown)}; valid: {', '.join(sorted(REGISTRY))}"
        )
    t0 = time.perf_counter()
    custom = custom_drugs(store, ctx, params, name=targets_name)
    network = ctx.interactome(store)
    if custom is not None:
        params = params.model_copy(update={"targets": custom.label})
    source = custom.label if custom is not None else resolve_target_source(params.targets)
    twins = store.twins
    twin = twins.twin(patient_id, version)
    genes = twins.genes(twin["id"])
    module = tuple(g["entrez"] for g in genes if g["in_module"] and g["entrez"] in network.index)
    if not module:
        raise InputError(f"twin {twin['id']} has no module gene in the interactome")
    inputs = RankContext(
        network=network,
        dist=ctx.distances(network, cache_dir),
        module=module,
        seeds={g["entrez"]: g["log2fc"] for g in genes if g["log2fc"] is not None},
        centrality={g["entrez"]: g["pagerank"] for g in genes if g["pagerank"] is not None},
        drugs=custom.drugs if custom is not None else _candidates(store, ctx, source, params),
        n_samples=params.n_samples,
        **patient_regulator_inputs(store, ctx, patient_id, twin, params.methods),
    )
    lap("rank.inputs")
    scores = rank_all(
        inputs,
        params.methods,
        seed=params.seed,
        params=method_params(params),
        order=params.order,
        tier=params.tier,
    )
    symbol = symbols(store, {t for s in scores for t in s.targets_in_module})
    lap("rank.symbols")
    seconds = time.perf_counter() - t0
    rid = ranking_id(twin["id"], params)
    rows = []
    # a Drug node holds the name; a CustomDrug node takes it (so it stays in a targets file's rows)
    unstored = _DERIVED if custom is not None else _DERIVED | {"drug_name"}
    for s in scores:
        # one pass: values that are None or not finite are left out (as on a relationship); two
        # passes with a function call per float were ~1/4 of rank.store's CPU (stop 54)
        row = {
            k: v
            for k, v in s.model_dump().items()
            if v is not None and k not in unstored and (not isinstance(v, float) or isfinite(v))
        }
        row["targets_in_module"] = list(s.targets_in_module)
        row["targets_in_module_symbols"] = [symbol.get(t, t) for t in s.targets_in_module]
        rows.append(row)
    # Built under a temporary id and published in one transaction (RankingStore.save_ranking).
    saved = store.rankings.save_ranking(
        twin["id"],
        rid,
        {
            "methods": list(params.methods),
            "targets": source,
            "params_json": params.model_dump_json(),
            "rules": RANKING_RULES,
            "seed": params.seed,
            "n_samples": params.n_samples,
            "n_drugs": len(scores),
            "seconds": round(seconds, 3),
            "module_size": len(module),
            # the patient's own caveat travels with the ranking (no extra read when shown)
            "patient_note": _patient_note(patient or get_patient(store, patient_id)),
            **_no_score(inputs, params, scores),
            # how many genes target_expression read: its panel caution when it is few (read)
            **({"n_genes_with_statistic": len(inputs.gene_stats)} if inputs.gene_stats else {}),
        },
        rows,
        custom=custom is not None,
    )
    lap("rank.store")
    log.info("ranked %d drugs for %s in %.2f s", len(scores), twin["id"], seconds)
    if not page:
        return ranking_result(twin, saved, ())
    if not full:
        return get_ranking(store, ctx, patient_id, version=version, limit=FIRST_PAGE)
    return ranking_result(
        {**twin, "inputs": twins.input_digests(patient_id)},  # for its stale_note
        saved,
        tuple(drug_score(s.drug_name, row) for s, row in zip(scores, rows, strict=True)),
    )


def _patient_note(patient: PatientSummary) -> str | None:
    """The patient's metadata ``note`` (a caveat, e.g. a twin of several people's samples)."""
    note = patient.metadata.get("note")
    return str(note) if note else None


def custom_drugs(
    store: GraphStore, ctx: ReferenceContext, params: RankParams, *, name: str | None = None
) -> CustomCandidates | None:
    """The drugs of ``params.targets`` when it names a file (``rank --targets FILE``), else None.

    ``name``: what the ranking records the file as (default its own name; the API passes the
    client's name of an upload).
    """
    target = parse_targets(params.targets)
    if not isinstance(target, TargetsFile):
        if name is not None:
            raise InputError(
                f"targets_name ({name!r}) names a targets file, but the targets are the loaded "
                f"source {params.targets!r}: leave targets_name out"
            )
        return None
    if params.approved_only:
        raise InputError(
            "--approved-only filters DrugBank drugs; it does not apply to a targets file "
            f"({params.targets}): list only the drugs you want ranked"
        )
    return custom_candidates(target.path, ctx.gene_index(store), name=name)


def symbols(store: GraphStore, ids: set[str]) -> dict[str, str]:
    """Entrez id → gene symbol of ``ids`` (ids without a symbol left out)."""
    return store.reference.protein_symbols(sorted(ids))
