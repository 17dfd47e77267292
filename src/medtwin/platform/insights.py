"""Twin insights: which diseases a twin resembles, biomarkers to measure, twins over time.

Use cases (the public Python API, called by the CLI and the API); see
:mod:`medtwin.platform.patients` for the conventions. They build on the twin and ranking use
cases (:mod:`~medtwin.platform.twins`, :mod:`~medtwin.platform.rankings`).

Storage choices:

- **Disease resemblance** (:mod:`medtwin.platform.diseases`, re-exported here) is stored on the
  twin for *every* reference disease (299 for Menche 2015) as ``(:Twin)-[:RESEMBLES {rank, d_c, z,
  p, q, s_ab, shared, n_genes, n_samples, seed, source}]->(:Disease)``: all of them, so the rank of
  any disease (e.g. the patient's diagnosis) can be read back, whether or not it is significant. It
  is computed on the first request and read back afterwards while the request's null samples, seed
  and source match; otherwise (or with ``refresh``) it is recomputed and replaces the stored one in
  one transaction. It belongs to one twin version and is deleted with the patient.
- **Biomarkers** are computed on read from the stored twin, the patient's stored inputs and the
  latest stored ranking (cheap and deterministic), so they always match those three.
- **Trajectories** store twins as ordinary versions whose parameters carry their
  ``time_point`` (reused when a complete version with the same parameters exists) and rank each
  one with the default ranking parameters; the trajectory itself is computed on read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from medtwin.command_lines import patient_command
from medtwin.errors import InputError, NotFoundError
from medtwin.platform import treatment
from medtwin.platform.arguments import (
    as_path,
    callback,
    count,
    flag,
    id_list,
    optional_count,
    params_of,
    twin_version,
)
from medtwin.platform.biomarker_suggestions import BIOMARKER_STEPS, compute_biomarkers
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.diseases import twin_diseases
from medtwin.platform.insight_models import BiomarkerReport, Trajectory
from medtwin.platform.models import RankingResult, RankParams, TwinParams
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited, writes_now
from medtwin.platform.rank_params import is_loaded_source
from medtwin.platform.rankings import rank_drugs
from medtwin.platform.step_times import StepProgress, lap, reporting
from medtwin.platform.stored_insights import biomarker_inputs, stored_diseases
from medtwin.platform.time_points import order_note, patient_time_points
from medtwin.platform.trajectory import (
    EARLY_RULE,
    TimePointTwin,
    drug_trajectories,
    early_genes,
    module_steps,
    trajectory_points,
)
from medtwin.platform.twin import params_hash
from medtwin.platform.twin_currency import older_rules
from medtwin.platform.twins import build_twin
from medtwin.store.base import GraphStore

__all__ = [
    "patient_time_points",
    "stored_diseases",
    "twin_biomarkers",
    "twin_diseases",
    "twin_trajectory",
]

log = logging.getLogger(__name__)


# -- 4. biomarker suggestions -----------------------------------------------------------------
@audited("read")
def twin_biomarkers(
    store: GraphStore,
    patient_id: str,
    *,
    top: int = 10,
    top_drugs: int = 20,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
    progress: StepProgress | None = None,
) -> BiomarkerReport:
    """Proteins to measure for the top drugs of the latest ranking, each with its chain.

    ``version``: of that twin version's latest ranking (default: the latest twin's); a version
    the patient does not have is a :class:`~medtwin.errors.NotFoundError` listing those it has.

    The rule is :data:`medtwin.platform.biomarkers.BIOMARKER_RULE` (a filter and an ordering);
    computed from the latest twin, its inputs and its latest ranking, and stored on the twin
    (``SUGGESTS_BIOMARKER``) for that ranking and these limits: read back until either changes.
    Computing takes the patient's lock (:class:`~medtwin.errors.ConflictError` while it is held).
    ``progress(step, done, total)`` hears each of
    :data:`~medtwin.platform.biomarker_suggestions.BIOMARKER_STEPS` end when it computes.
    """
    version = twin_version(version, patient_id)
    top, top_drugs = count(top, "top"), count(top_drugs, "top_drugs", minimum=1)
    progress = callback(progress, "progress")
    got = biomarker_inputs(
        store, patient_id, top=top, top_drugs=top_drugs, version=version, ctx=ctx
    )
    if got.stored is not None:
        return got.stored
    with store.patient_lock(patient_id, "biomarkers"), reporting(progress, BIOMARKER_STEPS):
        # read again inside the lock: the holder before us may have stored the same suggestions
        got = biomarker_inputs(
            store, patient_id, top=top, top_drugs=top_drugs, version=version, ctx=ctx
        )
        if got.stored is not None:
            return got.stored
        lap(BIOMARKER_STEPS[0])
        writes_now()  # audited as a write (a notebook's call; the CLI's through on_writes)
        return compute_biomarkers(store, patient_id, got.twin, got.ranking, got.key, top)


# -- 5. twins over time -----------------------------------------------------------------------
@audited("write")
def twin_trajectory(
    store: GraphStore,
    patient_id: str,
    cache_dir: Path | str | None = None,
    *,
    time_points: list[str] | None = None,
    params: TwinParams | None = None,
    build: bool = True,
    rank: bool = True,
    top_drugs: int = 10,
    ctx: ReferenceContext | None = None,
    max_points: int | None = None,
) -> Trajectory:
    """The patient's twins over time (:mod:`medtwin.platform.trajectory`).

    For each time point (natural order of the labels, or ``time_points`` in the given order) the
    twin with ``params`` and that ``time_point`` is reused when stored, else built (``build``);
    its latest ranking is used, else it is ranked with the default ranking parameters (``rank``
    and ``build``); a latest ranking made under older ranking rules is computed again with its
    own parameters (those of a built-in target source; a targets file's: the defaults). With
    ``build=False`` nothing is written: missing time points are listed.
    More than ``max_points`` chosen time points is an ``InputError`` (the API's bound on work).
    """
    cache_dir = store.cache_dir if cache_dir is None else as_path(cache_dir, "cache_dir")
    build, rank = flag(build, "build"), flag(rank, "rank")
    time_points = None if time_points is None else id_list(time_points, "time_points")
    params = params_of(params, TwinParams, "params")
    top_drugs = count(top_drugs, "top_drugs", minimum=1)
    max_points = optional_count(max_points, "max_points")
    ctx = ctx or reference_context()
    get_patient(store, patient_id)
    available = patient_time_points(store, patient_id)
    chosen = list(dict.fromkeys(time_points)) if time_points else available
    unknown = [tp for tp in chosen if tp not in available]
    if unknown:
        raise InputError(
            f"patient {patient_id} has no input at time point(s) {', '.join(unknown)}; "
            f"its time points: {', '.join(available) or 'none'}",
            hint="add inputs with a time_point column "
            f"(`{patient_command('patient add', patient_id, '--de FILE')}`)",
        )
    if max_points is not None and len(chosen) > max_points:
        raise InputError(
            f"{len(chosen)} time points asked for; at most {max_points} in one request",
            hint="name up to that many in time_points, or run "
            f"`{patient_command('twin trajectory', patient_id)}`",
        )
    if len(chosen) < 2:
        if time_points:
            raise InputError(
                f"one time point asked for ({chosen[0]}); a trajectory needs two or more",
                hint=f"name two or more of patient {patient_id}'s: {', '.join(available)}",
            )
        held = f"one time point ({chosen[0]})" if chosen else "no time point"
        raise InputError(
            f"patient {patient_id}'s inputs carry {held}; a trajectory needs two or more",
            hint="add inputs with a time_point column "
            f"(`{patient_command('patient add', patient_id, '--de FILE')}`)",
        )
    base = params or TwinParams()
    twins = store.twins
    points: list[TimePointTwin] = []
    missing: list[str] = []
    symbols: dict[str, str] = {}
    names: dict[str, str | None] = {}
    by_hash: dict[str, dict[str, Any]] = {}  # newest complete version of each parameter set
    for stored in twins.twins(patient_id):
        if not older_rules(stored, "twin"):  # one made under older twin rules is built again
            by_hash.setdefault(stored["params_hash"], stored)
    for tp in chosen:
        p = base.model_copy(update={"time_point": tp})
        existing = [by_hash[h]] if (h := params_hash(p)) in by_hash else []
        built = False
        if existing:
            twin = existing[0]
        elif build:
            summary = build_twin(store, patient_id, p, ctx=ctx)
            twin = twins.twin(patient_id, summary.version)
            built = True
        else:
            missing.append(tp)
            continue
        version = int(twin["version"])
        genes = twins.genes(twin["id"])
        symbols.update({g["entrez"]: g["symbol"] for g in genes if g["symbol"]})
        try:
            ranking = treatment.get_ranking(store, ctx, patient_id, version=version, limit=50)
        except NotFoundError:
            ranking = None
        if build and rank and (ranking is None or _older_ranking(store, patient_id, version)):
            ranking = rank_drugs(  # returns the first page (50) of the ranking
                store,
                patient_id,
                _rank_params(ranking),
                cache_dir=cache_dir,
                version=version,
                ctx=ctx,
            )
        ranks = {d.drug_id: d.rank for d in ranking.drugs} if ranking else {}
        names.update({d.drug_id: d.drug_name for d in ranking.drugs} if ranking else {})
        points.append(
            TimePointTwin(
                time_point=tp,
                twin_id=twin["id"],
                version=version,
                module=tuple(g["entrez"] for g in genes if g["in_module"]),
                pagerank={g["entrez"]: g["pagerank"] or 0.0 for g in genes},
                module_z=twin.get("module_z"),
                module_p=twin.get("module_p"),
                built=built,
                ranking_id=ranking.id if ranking else None,
                drug_ranks=ranks,
            )
        )
    # A drug in the top of one time point but below the first page of another: look it up.
    top = {d for t in points for d, r in t.drug_ranks.items() if r <= top_drugs}
    for i, t in enumerate(points):
        lacking = [d for d in sorted(top) if d not in t.drug_ranks]
        if not lacking or t.ranking_id is None:
            continue
        extra = dict(t.drug_ranks)
        for d in lacking:
            got = treatment.get_ranking(
                store, ctx, patient_id, version=t.version, drug_id=d, limit=1
            )
            if got.drugs:
                extra[d] = got.drugs[0].rank
        points[i] = TimePointTwin(**{**t.__dict__, "drug_ranks": extra})
    early = early_genes(points, ctx.interactome(store), symbols) if len(points) >= 2 else []
    return Trajectory(
        patient_id=patient_id,
        time_points=tuple(chosen),
        points=tuple(trajectory_points(points, symbols)),
        steps=tuple(module_steps(points, symbols)),
        drugs=tuple(drug_trajectories(points, names, top=top_drugs)),
        early_genes=tuple(early),
        rule=EARLY_RULE,
        missing=tuple(missing),
        order_note=None if time_points else order_note(chosen),
    )


def _older_ranking(store: GraphStore, patient_id: str, version: int) -> bool:
    """Whether the latest ranking of twin ``version`` was made under older ranking rules."""
    got = store.rankings.latest_ranking(patient_id, version)
    return got is not None and bool(older_rules(got[1], "ranking"))


def _rank_params(stale: RankingResult | None) -> RankParams:
    """What a trajectory ranks a time point's twin with.

    A stale ranking's own parameters when they name a built-in target source (a targets file
    may be gone or changed since), else the defaults.
    """
    if stale is not None and is_loaded_source(stale.params.targets):
        return stale.params
    return RankParams()
