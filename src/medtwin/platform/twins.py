"""Twins: build a patient's twin, list its versions, show, compare and draw them.

Use cases (the public Python API, called by the CLI and the API); see
:mod:`medtwin.platform.patients` for the conventions. Building a twin reads the interactome from
the reference context (:class:`~medtwin.platform.context.ReferenceContext`, ``ctx``; the
process's one by default).
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from medtwin.command_lines import in_callers_words, patient_command
from medtwin.domain import TwinAnalysis, TwinParams, TwinSpec
from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import CellTypeStats, GeneChange
from medtwin.platform.arguments import callback, count, params_of, twin_version
from medtwin.platform.context import LIGAND_RECEPTOR, ReferenceContext, reference_context
from medtwin.platform.frozen_model import Rows
from medtwin.platform.gene_data import require_gene_data
from medtwin.platform.graph_models import TwinGraph
from medtwin.platform.patient_models import TwinSummary
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.phenotype_module import analyse_phenotypes, stored_module
from medtwin.platform.python_audit import audited
from medtwin.platform.step_times import StepProgress, lap, reporting
from medtwin.platform.tissues import analyse_tissues, cell_type_count, tissue_layer
from medtwin.platform.twin_currency import stale_note
from medtwin.platform.twin_diff import diff_twins
from medtwin.platform.twin_models import (
    CellTypeScore,
    Community,
    GeneScore,
    PhenotypeModule,
    TissueLayer,
    TwinDetail,
)
from medtwin.store.base import GraphStore

__all__ = [
    "build_twin",
    "diff_twins",
    "show_twin",
    "twin_graph",
    "twin_phenotype_module",
    "twin_tissues",
    "twin_versions",
]

log = logging.getLogger(__name__)


def twin_summary(t: dict[str, Any], *, stale: str | None = None) -> TwinSummary:
    """A stored twin's properties (the store's row) as its summary.

    ``stale``: its :func:`~medtwin.platform.twin_currency.stale_note`, where the caller read the
    patient's inputs (a summary of a twin just built has none).
    """
    created = t["created_at"]
    return TwinSummary(
        id=t["id"],
        patient_id=t["patient_id"],
        version=int(t["version"]),
        created_at=created,
        params=TwinParams.from_stored(t["params_json"], twin_id=t["id"]),
        params_hash=t["params_hash"],
        input_checksums=json.loads(t["input_checksums_json"]),
        n_seeds=int(t["n_seeds"]),
        n_genes=int(t["n_genes"]),
        module_size=int(t["twin_module_size"]),
        module_z=t.get("module_z"),
        module_p=t.get("module_p"),
        n_symptoms=int(t.get("n_symptoms") or 0),
        n_cell_types=cell_type_count(t),
        seconds=t.get("build_seconds"),
        # stored in the CLI's words (input_conflicts.pooled_time_points_note)
        input_conflicts=in_callers_words(t.get("input_conflicts") or "") or None,
        activity_note=t.get("activity_note"),
        stale_note=stale,
    )


@audited("write")
def build_twin(
    store: GraphStore,
    patient_id: str,
    params: TwinParams | None = None,
    *,
    ctx: ReferenceContext | None = None,
    progress: StepProgress | None = None,
) -> TwinSummary:
    """Build a new twin version from all stored inputs of the patient and analyse it with GDS.

    The twin is written as ``'building'`` and becomes visible only when complete; a build killed
    halfway leaves nothing a reader sees, and the next build of the patient (or ``medtwin db
    repair``) removes its remains. One build per patient at a time: a second gets
    :class:`~medtwin.errors.ConflictError`.

    ``progress(step, done, total)`` is called as each step of :data:`TWIN_STEPS` ends, ``done``
    growing to ``total``; e.g. a notebook's progress bar.
    """
    params = params_of(params, TwinParams, "params") or TwinParams()
    progress = callback(progress, "progress")
    get_patient(store, patient_id)
    with store.patient_lock(patient_id, "twin build"), reporting(progress, TWIN_STEPS):
        return _build_twin(store, ctx or reference_context(), patient_id, params)


TWIN_STEPS = (
    "twin.inputs", "twin.spec", "twin.write", "twin.gds", "twin.tissues", "twin.phenotypes",
    "twin.activities", "twin.complete",
)  # fmt: skip
"""The steps :func:`build_twin` reports progress by (its :func:`~.step_times.lap` marks): read
the inputs; seeds, module and z-score; write; GDS; tissues; phenotypes; activities; complete."""


def _build_twin(
    store: GraphStore, ctx: ReferenceContext, patient_id: str, params: TwinParams
) -> TwinSummary:
    # the activity statistics and the sign conflicts weigh the inputs' gene evidence by the
    # mutation reader's rules (loaders.patient_mutations, patient_tables, patient_io: ~10 ms of
    # CPU at start-up): only builds, not `twin show|diff`
    from medtwin.platform.activity_inputs import full_statistics, tissue_statistics
    from medtwin.platform.cell_regulators import (  # numpy: as above
        TISSUE_RULE,
        store_context_activity,
    )
    from medtwin.platform.input_conflicts import input_conflicts_note  # as activity_inputs
    from medtwin.platform.twin import build_twin_spec  # the algorithms: only builds
    from medtwin.platform.twin_regulators import (  # numpy: as above
        store_activity,
        twin_driver_calls,
        twin_drivers,
    )

    t0 = time.perf_counter()
    twins = store.twins
    removed = twins.delete_unfinished(patient_id)
    if any(removed):
        log.warning(
            "patient %s: removed %d unfinished twin(s), %d ranking(s)", patient_id, *removed
        )
    inputs = twins.inputs(patient_id)
    lap("twin.inputs")
    changes: list[GeneChange] = []
    symptoms: list[str] = []
    checksums: dict[str, str] = {}
    cell_stats: list[CellTypeStats] = []
    per_input: list[tuple[str, list[GeneChange]]] = []  # for the sign-conflict warning
    for i in inputs:
        stats_json = i.get("cell_type_stats_json") or "[]"
        cell_stats.extend(CellTypeStats.model_validate(s) for s in json.loads(stats_json))
        content = json.loads(i["changes_json"])
        parsed = [GeneChange.model_validate(c) for c in content["changes"]]
        per_input.append((i.get("name") or i["id"], parsed))
        changes.extend(parsed)
        symptoms.extend(content["symptoms"])
        checksums[i["id"]] = i["sha256"]
    require_gene_data(patient_id, inputs, changes, symptoms)
    network = ctx.interactome(store)
    lr = ctx.reference_table(
        store, "ligand_receptor_pairs", (LIGAND_RECEPTOR,), store.reference.ligand_receptor_pairs
    )
    spec = build_twin_spec(patient_id, changes, symptoms, checksums, network, lr, params)
    conflicts = input_conflicts_note(store, patient_id, per_input, params)
    lap("twin.spec")
    version = twins.next_version(patient_id)
    twin_id = twins.create_twin(spec, version)
    lap("twin.write")
    try:
        summary = twins.analyse(twin_id, twin_analysis(spec))
        lap("twin.gds")
        summary.update(analyse_tissues(store, twin_id, spec))
        lap("twin.tissues")
        summary.update(analyse_phenotypes(store, twin_id, spec, network))
        lap("twin.phenotypes")
        stats, summary["activity_note"] = full_statistics(inputs, params)  # never the changes
        summary["n_activities"] = store_activity(
            store,
            ctx,
            twin_id,
            stats or {},
            drivers=twin_drivers(changes, params),
            calls=twin_driver_calls(changes, params),
        )
        # per tissue, the same rule: a tissue's vector of every measured gene, or none and why
        per_tissue = tissue_statistics(inputs, params) if spec.tissues else {}
        summary["n_context_activities"] = store_context_activity(
            store, ctx, twin_id, changes, params, cell_stats,
            {t: v for t, (v, _) in per_tissue.items() if v},
        )  # fmt: skip
        if spec.tissues:
            why = "; ".join(r for _, r in per_tissue.values() if r)
            summary.update(
                tissue_activities=TISSUE_RULE, **({"tissue_activity_note": why} if why else {})
            )
        lap("twin.activities")
        summary.update(
            {
                "n_symptoms": len(twins.symptoms(twin_id)),
                "build_seconds": round(time.perf_counter() - t0, 3),
                **({"input_conflicts": conflicts} if conflicts else {}),
            }
        )
        twins.complete_twin(twin_id, summary)
        lap("twin.complete")
    except BaseException:
        # A half-built version must not look like a twin: remove it, keep the error.
        twins.delete_twin(twin_id)
        raise
    log.info("twin %s built in %.2f s", twin_id, time.perf_counter() - t0)
    return twin_summary(twins.twin(patient_id, version))


def twin_analysis(spec: TwinSpec) -> TwinAnalysis:
    """The graph algorithms every twin gets (the store runs them).

    PageRank, PageRank personalised to the seeds, betweenness and Louvain on its PPI subgraph;
    weighted PageRank of its cell-type signalling network.
    """
    return TwinAnalysis(
        seeds=tuple(g.entrez for g in spec.genes if g.role == "seed"), seed=spec.params.seed
    )


@audited("read")
def twin_versions(store: GraphStore, patient_id: str) -> Rows[TwinSummary]:
    """All twin versions of a patient, newest first; each older than the inputs says so.

    A list with ``to_frame()`` (:class:`~medtwin.platform.frozen_model.Rows`).

    ``stale_note`` of a version is what ``twin show --version N`` says of it (one small read of
    the inputs' ids and digests for all versions).
    """
    get_patient(store, patient_id)
    found = store.twins.twins(patient_id)
    inputs = store.twins.input_digests(patient_id) if found else []
    return Rows(
        TwinSummary, (twin_summary(t, stale=stale_note(patient_id, t, inputs)) for t in found)
    )


def _gene_scores(rows: list[dict[str, Any]]) -> list[GeneScore]:
    return [
        GeneScore(
            entrez=r["entrez"],
            symbol=r["symbol"],
            role=r["role"],
            log2fc=r["log2fc"],
            in_module=bool(r["in_module"]),
            pagerank=r["pagerank"],
            personalised_pagerank=r["personalised_pagerank"],
            betweenness=r["betweenness"],
            rwr=r["rwr"],
            community=r["community"],
            cell_types=tuple(r["cell_types"] or ()),
        )
        for r in rows
    ]


@audited("read")
def show_twin(
    store: GraphStore, patient_id: str, version: int | None = None, *, top: int = 15
) -> TwinDetail:
    """A twin with its most central genes, communities, cell types and symptoms."""
    version = twin_version(version, patient_id)
    top = count(top, "top")
    get_patient(store, patient_id)
    t = store.twins.twin(patient_id, version)
    detail = twin_detail(store, t, top=top)
    confirm_read_whole(store, patient_id, t)
    return detail


def twin_detail(store: GraphStore, t: dict[str, Any], *, top: int = 15) -> TwinDetail:
    """:func:`show_twin` of the stored twin ``t`` (read), without its checks.

    For a view of several parts (the report) that checks once at its end
    (:func:`confirm_read_whole`).
    """
    twins = store.twins
    genes = _gene_scores(twins.genes(t["id"]))
    by_comm: dict[int, list[GeneScore]] = defaultdict(list)
    for g in genes:
        if g.community is not None:
            by_comm[g.community].append(g)
    communities = sorted(
        (
            Community(
                id=c,
                size=len(members),
                top_genes=tuple((m.symbol or m.entrez) for m in members[:5]),
            )
            for c, members in by_comm.items()
        ),
        key=lambda c: (-c.size, c.id),
    )
    cells = tuple(CellTypeScore(**r) for r in twins.cell_types(t["id"]))
    symptoms = tuple({k: v for k, v in r.items() if v is not None} for r in twins.symptoms(t["id"]))
    # one small read (ids and digests): an old twin is never shown as the patient's now
    stale = stale_note(t["patient_id"], t, twins.input_digests(t["patient_id"]))
    return TwinDetail(
        twin=twin_summary(t, stale=stale),
        top_genes=tuple(genes[:top]),
        communities=tuple(communities[:10]),
        cell_types=cells,
        symptoms=symptoms,
        tissues=tissue_layer(store, t),
        phenotype_module=stored_module(store, t),
        stale_note=stale,
    )


@audited("read")
def twin_graph(store: GraphStore, patient_id: str, version: int | None = None) -> TwinGraph:
    """The twin as nodes and edges (proteins, cell types, tissues, terms, pathways) for viewers."""
    # the drawing's layout modules only here: `twin show` and `twin diff` draw nothing and paid
    # ~14 ms of CPU for their import (python -X importtime -m medtwin twin show P)
    from medtwin.platform.twin_drawing import graph_of_twin

    version = twin_version(version, patient_id)
    get_patient(store, patient_id)
    t = store.twins.twin(patient_id, version)
    graph = graph_of_twin(store, t)
    confirm_read_whole(store, patient_id, t)
    return graph


def confirm_read_whole(store: GraphStore, patient_id: str, twin: Mapping[str, Any]) -> None:
    """After a view's reads of ``twin``: raise :class:`NotFoundError` if it is gone by now.

    A view reads a twin in several queries. A patient deleted between two of them left a torn
    answer (a graph of 79 genes and no edges, HTTP 200, in an API sweep). Deleting a patient is
    one transaction, a stored twin never changes and a new version leaves it as it is, so a twin
    still there after the last read was read whole; one gone was deleted during the reads.
    """
    if not store.twins.twins(patient_id, int(twin["version"])):
        raise NotFoundError(f"twin {twin['id']} was deleted while it was read")


@audited("read")
def twin_tissues(store: GraphStore, patient_id: str, version: int | None = None) -> TissueLayer:
    """The tissue layer of a twin (tissues, cell types, signalling, central genes).

    Raises
    ------
    NotFoundError
        No such patient or twin, or the twin has no tissue layer.
    """
    version = twin_version(version, patient_id)
    get_patient(store, patient_id)
    t = store.twins.twin(patient_id, version)
    got = tissue_layer(store, t)
    if got is None:
        raise NotFoundError(
            f"twin {t['id']} has no tissue layer",
            hint="add single-cell inputs with a tissue "
            f"(`{patient_command('patient add', patient_id, '--h5ad FILE --tissue NAME')}`) and "
            "rebuild the twin",
        )
    return got


@audited("read")
def twin_phenotype_module(
    store: GraphStore, patient_id: str, version: int | None = None
) -> PhenotypeModule:
    """The phenotype module of a twin and its link to the molecular module.

    Raises
    ------
    NotFoundError
        No such patient or twin, or the twin has no phenotype module (no symptoms).
    """
    version = twin_version(version, patient_id)
    get_patient(store, patient_id)
    t = store.twins.twin(patient_id, version)
    got = stored_module(store, t)
    if got is None:
        raise NotFoundError(
            f"twin {t['id']} has no phenotype module (the patient had no symptoms when it was "
            "built)",
            hint="add symptoms "
            f"(`{patient_command('patient add', patient_id, '--symptoms HP:...')}`) and "
            "rebuild the twin",
        )
    return got
