r"""Use case: the twin's upstream regulators, and the regulator inputs of a ranking.

:func:`twin_regulators` (``medtwin twin regulators P``, ``GET /patients/{id}/regulators``) reads
the inputs the twin was built from, computes the patient's TF and pathway activity
(:func:`~medtwin.platform.regulators.patient_activity`) and lists the **upstream regulators**:
TFs with activity :math:`q \le 0.05`, and genes with driver evidence
(:func:`~medtwin.platform.gene_evidence.driver_evidence`). They are ranked by **personalised
PageRank** (random walk with restart, restart 0.3 = damping 0.7; Haveliwala 2002,
doi:10.1145/511446.511513) on the interactome joined with the regulon edges (undirected), the
restart vector proportional to :math:`|a_u|` for URs and :math:`3|g|` for drivers: the most
central UR is the one the others' activity flows to; URs are grouped by Louvain community. GDS
computes both on one projection shared by all twins when the store has GDS, else they are
computed in process (:mod:`~medtwin.platform.regulator_centrality`). A twin build stores the
result as ``(:Twin)-[:UPSTREAM_REGULATOR {rank, centrality, community, ...}]->(:Protein)``
(versioned and deleted with the twin); :func:`twin_regulators` reads it back for the default
``q``, and computes (without storing: reads never write) for another ``q`` or an older twin.

The gene statistics are the twin's vector of every measured gene
(:func:`~medtwin.platform.activity_inputs.full_statistics`); a twin without one (e.g. an h5ad
twin: only its thresholded markers) gets no twin-level activity and no URs, and the report's
``note`` says why and points to the per-cell-type regulators
(:mod:`~medtwin.platform.cell_regulators`), which read full per-cell-type vectors.

:func:`patient_regulator_inputs` gives :class:`~medtwin.platform.ranking.RankContext` the same
gene statistics (or none, with the reason), drivers and reference layers when a ranking asks for
a regulator method.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.domain import TwinParams
from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.activity_inputs import full_statistics
from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.arguments import twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.gene_evidence import driver_calls, driver_evidence
from medtwin.platform.patient_reads import patients_twin
from medtwin.platform.python_audit import audited
from medtwin.platform.regulator_centrality import (
    RESTART,
    Engine,
    centrality,
    rank_rows,
    upstream_seeds,
)
from medtwin.platform.regulator_views import (
    ACTIVITY_COUNTS,
    no_vector_report,
    regulator_models,
    regulator_report,
    stored_regulator_report,
)
from medtwin.platform.regulators import patient_activity
from medtwin.platform.twin_models import RegulatorReport
from medtwin.store.base import GraphStore

__all__ = [
    "twin_activity",
    "twin_drivers",
    "twin_regulators",
]

REGULATOR_METHODS = frozenset(
    {
        "regulator",
        "regulator_network",
        "pathway",
        "driver",
        "reversal",
        "pathway_proximity",
        "target_expression",
        "activity_reversal",
    }
)
"""Ranking methods that read the patient's gene statistics, drivers or the regulator layers."""
LINCS_METHODS = frozenset({"reversal", "activity_reversal"})
"""Of those, the methods that read the LINCS perturbation layer (1.1 M z: read only for them)."""

Q_MAX = 0.05
"""TF activity q at most for a UR; the twin build stores its URs at this q."""


def select_changes(changes: Sequence[GeneChange], params: TwinParams) -> list[GeneChange]:
    """The changes of the twin's layers and time point (what its statistics are built from)."""
    return [
        c
        for c in changes
        if c.layer in params.layers
        and (params.time_point is None or c.time_point == params.time_point)
    ]


def twin_drivers(changes: Sequence[GeneChange], params: TwinParams) -> dict[str, float]:
    """Driver evidence of the changes the twin is built from (its layers and time point)."""
    return driver_evidence(select_changes(changes, params))


def twin_driver_calls(changes: Sequence[GeneChange], params: TwinParams) -> dict[str, str]:
    """The call behind each weight of :func:`twin_drivers` (named in the driver's words)."""
    return driver_calls(select_changes(changes, params))


def _twin_evidence(
    store: GraphStore, patient_id: str, twin: dict[str, Any]
) -> tuple[list[GeneChange], dict[str, float], str | None]:
    """The twin's selected changes, its vector of every measured gene and why it has none.

    One read of its inputs. Without a vector (:func:`~medtwin.platform.activity_inputs.
    full_statistics`: e.g. an h5ad twin) the statistics are empty, never the thresholded changes.
    """
    used = set(json.loads(twin.get("input_checksums_json") or "{}"))
    params = TwinParams.from_stored(twin["params_json"], twin_id=twin["id"], strict=True)
    inputs = [i for i in store.twins.inputs(patient_id) if not used or i["id"] in used]
    changes = select_changes(
        [
            GeneChange.model_validate(c)
            for i in inputs
            for c in json.loads(i["changes_json"])["changes"]
        ],
        params,
    )
    full, note = full_statistics(inputs, params)
    return changes, full or {}, note


def patient_regulator_inputs(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    twin: dict[str, Any],
    methods: Sequence[str],
) -> dict[str, Any]:
    """``gene_stats`` (and ``gene_stats_note``), ``drivers`` and ``regulators`` for a RankContext.

    Empty when no method asks for them. Without a vector of every measured gene ``gene_stats``
    is empty and ``gene_stats_note`` says why (the methods reading it then score no drug).
    """
    if not REGULATOR_METHODS & set(methods):
        return {}
    changes, stats, note = _twin_evidence(store, patient_id, twin)
    return {
        "gene_stats": stats,
        "gene_stats_note": note,
        "drivers": driver_evidence(changes),
        "regulators": ctx.regulators(store, perturbations=bool(LINCS_METHODS & set(methods))),
    }


def store_activity(
    store: GraphStore,
    ctx: ReferenceContext,
    twin_id: str,
    gene_stats: Mapping[str, float],
    *,
    drivers: Mapping[str, float] | None = None,
    calls: Mapping[str, str] | None = None,
) -> int:
    """Compute and store the twin's ACTIVITY layer (TFs, pathways); 0 without the layers.

    ``gene_stats`` is the twin's vector of every measured gene; empty (no such vector) stores
    nothing, as without the layers.

    With ``drivers`` (the twin build passes them), also rank the upstream regulators at
    :data:`Q_MAX` and store them as UPSTREAM_REGULATOR edges. The edges hang off the twin node,
    so they are versioned with it and deleted with it (and with the patient). ``calls``: the
    call behind each driver weight (:func:`twin_driver_calls`), stored for the words.
    """
    ref = ctx.regulators(store, warn=False)
    if ref is None or not gene_stats:
        return 0
    act = patient_activity(gene_stats, ref)

    def rows(acts: Mapping[str, Activity]) -> list[dict[str, Any]]:
        return [
            {"id": k, "score": a.score, "p": a.p, "q": a.q, "method": a.method,
             "n_targets": a.n_targets}
            for k, a in acts.items()
        ]  # fmt: skip

    n = store.twins.save_activity(twin_id, rows(act.tf), rows(act.pathway))
    if drivers is not None:
        urs = act.upstream_regulators(Q_MAX)
        cent = centrality(store, ctx, upstream_seeds(urs, drivers), ref)
        store.twins.save_upstream_regulators(
            twin_id, rank_rows(urs, drivers, cent, q_max=Q_MAX, calls=calls)
        )
        # what `twin regulators` shows beside the stored URs (regulator_views: read, not computed)
        kept = (len(gene_stats), len(act.tf), Q_MAX, RESTART, True)
        counts = dict(zip(ACTIVITY_COUNTS, kept, strict=True))
        store.twins.set_props(twin_id, counts)
    return n


def twin_activity(
    store: GraphStore, patient_id: str, *, version: int | None = None
) -> list[dict[str, Any]]:
    """The stored ACTIVITY layer of a twin version (strongest first)."""
    version = twin_version(version, patient_id)
    return store.twins.activity(store.twins.twin(patient_id, version)["id"])


@audited("read")
def twin_regulators(
    store: GraphStore,
    patient_id: str,
    *,
    version: int | None = None,
    q: float = Q_MAX,
    ctx: ReferenceContext | None = None,
    engine: Engine = "auto",
    top: int | None = None,
) -> RegulatorReport:
    """The twin's upstream regulators ranked by personalised PageRank (module docstring).

    ``engine``: ``auto`` reads the stored ranking (at the default ``q``; with the stored activity
    too, :func:`~medtwin.platform.regulator_views.stored_regulator_report`, for twins built since
    the build keeps its counts) or computes it in GDS when the store has it, else in process;
    ``gds`` / ``in_process`` compute with that engine. ``top`` keeps the first ``top``
    regulators (``n_regulators`` counts them all).

    A twin without a vector of every measured gene (e.g. an h5ad twin: only its thresholded
    marker genes) gets no twin-level regulators: the report is empty and its ``note`` says why
    and points to the per-cell-type ones (``--by cell-type``), which read full per-cell-type
    vectors.

    Raises
    ------
    NotFoundError
        No twin, or the regulator layers are not loaded (the hint says how to load them).
    """
    version = twin_version(version, patient_id)
    t0 = time.perf_counter()
    if engine == "auto" and (
        got := stored_regulator_report(store, patient_id, version=version, q=q, top=top)
    ):
        return got
    ctx = ctx or reference_context()
    twin = patients_twin(store, patient_id, version)
    ref = ctx.regulators(store)
    if ref is None:
        raise NotFoundError(
            "the regulator layers (dorothea_hs, progeny_2018) are not loaded",
            hint="run `medtwin data fetch && medtwin load`",
        )
    changes, stats, note = _twin_evidence(store, patient_id, twin)
    if note is not None:
        return no_vector_report(twin, q, RESTART, note, t0=t0, version=version)
    drivers = driver_evidence(changes)
    act = patient_activity(stats, ref)
    urs = act.upstream_regulators(q)
    stored = store.twins.upstream_regulators(twin["id"]) if engine == "auto" else []
    stored = [r for r in stored if r.get("q_max") == q]
    if stored:
        rows, used = stored, str(stored[0]["engine"])
    else:
        cent = centrality(store, ctx, upstream_seeds(urs, drivers), ref, engine=engine)
        rows = rank_rows(urs, drivers, cent, q_max=q, calls=driver_calls(changes))
        used = cent.engine
    symbols = store.reference.protein_symbols([r["id"] for r in rows])
    names = {r["id"]: symbols.get(r["id"]) or ref.symbols.get(r["id"]) or r["id"] for r in rows}
    details = {g: (a.p, a.n_targets) for g, a in urs.items()}
    out = regulator_models(rows, names, details)
    pathways = {p: {"score": a.score, "p": a.p, "q": a.q} for p, a in sorted(act.pathway.items())}
    return regulator_report(
        twin["id"], (len(stats), len(act.tf)), q, RESTART, out, pathways,
        engine=used, stored=bool(stored), top=top, t0=t0,
    )  # fmt: skip
