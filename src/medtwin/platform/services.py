"""Use cases: the only functions the CLI and the API call.

Each takes a :class:`~medtwin.store.base.GraphStore` (the Neo4j store, or the in-memory one in
tests) and typed parameters and returns a typed result from :mod:`medtwin.platform.models`.
Services log; they never print. Rankings are stored by the Neo4j store only (until they move to
``store/rankings.py``): the ranking services refuse another store with a clear error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtwin.domain import TwinAnalysis, TwinSpec
from medtwin.errors import (
    ConflictError,
    ExploratoryModuleError,
    InputError,
    NotFoundError,
    UnsupportedByStore,
)
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.patient_rows import (
    GeneChange,
    PatientProfile,
    require_contribution,
    validate_patient_id,
)
from medtwin.loaders.rows import GeneRow
from medtwin.platform.gating import module_gate
from medtwin.platform.insight_models import BiomarkerReport, Trajectory
from medtwin.platform.models import (
    CellTypeScore,
    Community,
    DeleteReport,
    DiseaseMatch,
    DrugExplanation,
    GeneScore,
    GraphEdge,
    GraphNode,
    PatientSummary,
    PhenotypeModule,
    RankingResult,
    RankParams,
    TissueLayer,
    TwinDetail,
    TwinDiff,
    TwinGraph,
    TwinParams,
    TwinSummary,
)
from medtwin.platform.phenotype_module import analyse_phenotypes, stored_module
from medtwin.platform.tissues import analyse_tissues, tissue_graph, tissue_layer
from medtwin.store.audit import AuditEvent
from medtwin.store.base import GraphStore

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from medtwin.platform.algorithms.network import Network
    from medtwin.platform.reference import DatasetLoad
    from medtwin.platform.reference import ReferenceStore as LoadStore
    from medtwin.settings import Settings
    from medtwin.store.neo4j import Neo4jStore

__all__ = [
    "add_patient",
    "audit_trail",
    "load_reference",
    "load_reference_bulk",
    "readiness",
    "report",
    "add_patient_inputs",
    "repair",
    "explain_drug",
    "get_ranking",
    "rank_drugs",
    "export_ranking",
    "full_ranking",
    "build_twin",
    "delete_patient",
    "describe",
    "diff_twins",
    "gene_index",
    "get_patient",
    "interactome",
    "list_datasets",
    "list_patients",
    "show_twin",
    "twin_graph",
    "twin_phenotype_module",
    "twin_tissues",
    "twin_versions",
]

log = logging.getLogger(__name__)

_NETWORKS: dict[tuple[str, str, str], Network] = {}
_GENES: dict[tuple[str, str, str], GeneIndex] = {}


def _fingerprint(store: GraphStore, dataset: str) -> tuple[str, str, str]:
    ds = store.dataset(dataset)
    if ds is None or ds.get("status") != "complete":
        raise NotFoundError(
            f"the reference dataset {dataset} is not loaded",
            hint="run `medtwin data fetch && medtwin load`",
        )
    return (store.identity, dataset, f"{ds.get('sha256')}:{ds.get('loaded_at')}")


# -- reference ------------------------------------------------------------------------------
def describe(store: GraphStore) -> dict[str, Any]:
    """Counts per label/relationship type and source, and the datasets."""
    counts = store.counts()
    keep = ("id", "version", "status", "sha256", "licence", "url", "rows", "counts", "loaded_at")
    return {
        "layers": counts["layers"],
        "nodes": counts["nodes"],
        "relationships": counts["relationships"],
        "datasets": [{k: d.get(k) for k in keep} for d in store.datasets()],
    }


def load_reference(
    store: LoadStore,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[DatasetLoad]:
    """Load the reference graph (:func:`medtwin.platform.reference.load_reference`)."""
    from medtwin.platform import reference

    return reference.load_reference(store, data_dir, only=only, force=force, progress=progress)


def load_reference_bulk(
    store: Neo4jStore, settings: Settings, data_dir: Path, *, only: Sequence[str] | None = None
) -> list[DatasetLoad]:
    """Fill an empty local database with the bulk importer (server stopped for it).

    See :func:`medtwin.platform.reference.load_reference_bulk`.
    """
    from medtwin.platform import reference
    from medtwin.store.bulk import LocalBulkImporter
    from medtwin.store.server import LocalServer

    importer = LocalBulkImporter(store, LocalServer(settings))
    return reference.load_reference_bulk(store, importer, data_dir, only=only)


def report(store: GraphStore, patient_id: str, *, top_drugs: int = 20, explain: int = 5) -> str:
    """The patient's self-contained HTML report (:func:`medtwin.platform.report.patient_report`)."""
    from medtwin.platform.report import patient_report  # matplotlib: only the report loads it

    return patient_report(store, patient_id, top_drugs=top_drugs, explain=explain)


def readiness(store: GraphStore) -> tuple[str, str]:
    """(database version, GDS version) of the store's server; a GraphStoreError when down."""
    return store.readiness()


def audit_trail(store: GraphStore, patient_id: str, *, limit: int = 100) -> list[AuditEvent]:
    """Who read, changed or deleted a patient's data, newest first (kept after deletion)."""
    return store.audit_events(validate_patient_id(patient_id), limit=limit)


def list_datasets(store: GraphStore) -> list[dict[str, Any]]:
    """Provenance of every loaded dataset."""
    return store.datasets()


def interactome(store: GraphStore) -> Network:
    """The interactome's largest connected component, read once per process and cached."""
    key = _fingerprint(store, "menche2015_interactome")
    if key not in _NETWORKS:
        t0 = time.perf_counter()
        from medtwin.platform.algorithms.network import Network  # numpy, scipy: not for reads

        edges = store.reference.ppi_edges()
        _NETWORKS[key] = Network.from_edges(edges).largest_component()
        log.info(
            "interactome: %d edges read, LCC built in %.1f s", len(edges), time.perf_counter() - t0
        )
    return _NETWORKS[key]


def gene_index(store: GraphStore) -> GeneIndex:
    """Symbol/synonym → Entrez resolver over the loaded gene layer (cached per process)."""
    key = _fingerprint(store, "ncbi_gene_info")
    if key not in _GENES:
        got = store.reference.gene_table()
        rows = (
            GeneRow(
                entrez=e,
                symbol=sym,
                name="",
                synonyms=tuple(syn),
                hgnc=h or None,
                ensembl=None,
                gene_type="",
                source="neo4j",
                source_version="",
            )
            for e, sym, syn, h in zip(
                got["entrez"], got["symbol"], got["synonyms"], got["hgnc"], strict=True
            )
        )
        _GENES[key] = GeneIndex.from_rows(rows)
    return _GENES[key]


# -- patients -------------------------------------------------------------------------------
def _summary(row: dict[str, Any]) -> PatientSummary:
    created = row.get("created_at")
    return PatientSummary(
        id=row["id"],
        inputs=int(row["inputs"]),
        genes=int(row["genes"]),
        symptoms=tuple(dict.fromkeys(row["symptoms"] or [])),
        metadata=row["metadata"],
        twin_versions=tuple(int(v) for v in row["versions"]),
        created_at=created,
    )


def add_patient(
    store: GraphStore, profile: PatientProfile, *, kind: str = "profile"
) -> PatientSummary:
    """Store one patient input (creating the patient if new); re-adding an input is a no-op.

    Raises
    ------
    InputError
        The profile contributes nothing (no gene mapped, no symptom).
    ConflictError
        Another operation on the patient is running.
    """
    return add_patient_inputs(store, profile.patient_id, [(kind, profile)])


def add_patient_inputs(
    store: GraphStore, patient_id: str, profiles: list[tuple[str, PatientProfile]]
) -> PatientSummary:
    """Store several ``(kind, profile)`` inputs of one patient under its lock (see add_patient)."""
    pid = validate_patient_id(patient_id)
    if not profiles:
        raise InputError(f"nothing to add to patient {pid}")
    for kind, profile in profiles:
        if profile.patient_id != pid:
            raise InputError(f"{kind} input is for patient {profile.patient_id}, not {pid}")
        require_contribution(profile, ", ".join(sorted(profile.input_checksums)) or kind)
    with store.patient_lock(pid, "add inputs"):
        for kind, profile in profiles:
            _store_input(store, pid, profile, kind)
    return get_patient(store, pid)


def _store_input(store: GraphStore, pid: str, profile: PatientProfile, kind: str) -> None:
    twins = store.twins
    content = json.dumps(
        {
            # A change without a tissue is dumped without the key, so inputs stored before
            # tissues existed keep their digest (re-adding one stays a no-op).
            "changes": [
                c.model_dump(mode="json", exclude=None if c.tissue else {"tissue"})
                for c in profile.changes
            ],
            "symptoms": list(profile.symptoms),
            "exposures": list(profile.exposures),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(content.encode()).hexdigest()
    twins.merge_patient(pid, dict(profile.metadata))
    name = ", ".join(sorted(profile.input_checksums)) or kind
    created = twins.add_input(
        pid,
        f"{pid}/{digest[:16]}",
        {
            "kind": kind,
            "name": name,
            "sha256": digest,
            "file_checksums_json": json.dumps(profile.input_checksums, sort_keys=True),
            "changes_json": content,
            "symptoms": list(profile.symptoms),
            "exposures": list(profile.exposures),
            "unmapped": list(profile.unmapped),
            "n_changes": len({c.entrez for c in profile.changes}),
            "time_points": sorted({c.time_point for c in profile.changes if c.time_point}),
        },
    )
    log.info(
        "patient %s: input %s %s (%d changes)",
        pid,
        digest[:12],
        "added" if created else "already present",
        len(profile.changes),
    )


def list_patients(store: GraphStore) -> list[PatientSummary]:
    """Every patient."""
    return [_summary(r) for r in store.twins.patients()]


def get_patient(store: GraphStore, patient_id: str) -> PatientSummary:
    """One patient, or :class:`NotFoundError`."""
    got = store.twins.patients(validate_patient_id(patient_id))
    if not got:
        raise NotFoundError(
            f"no patient {patient_id}", hint=f"add one with `medtwin patient add {patient_id} ...`"
        )
    return _summary(got[0])


def delete_patient(store: GraphStore, patient_id: str) -> DeleteReport:
    """Delete the patient, its inputs, twins, cell types and rankings; reference data untouched."""
    get_patient(store, patient_id)
    twins = store.twins
    with store.patient_lock(patient_id, "delete"):
        nodes, rels = twins.delete_patient(patient_id)
    left, _ = twins.count_patient_data(patient_id)
    log.info("patient %s deleted: %d nodes, %d relationships", patient_id, nodes, rels)
    return DeleteReport(
        patient_id=patient_id,
        nodes_deleted=nodes,
        relationships_deleted=rels,
        remaining_patient_nodes=left,
    )


# -- twins ----------------------------------------------------------------------------------
def _twin_summary(t: dict[str, Any]) -> TwinSummary:
    created = t["created_at"]
    return TwinSummary(
        id=t["id"],
        patient_id=t["patient_id"],
        version=int(t["version"]),
        created_at=created,
        params=TwinParams.model_validate_json(t["params_json"]),
        params_hash=t["params_hash"],
        input_checksums=json.loads(t["input_checksums_json"]),
        n_seeds=int(t["n_seeds"]),
        n_genes=int(t["n_genes"]),
        module_size=int(t["twin_module_size"]),
        module_z=t.get("module_z"),
        module_p=t.get("module_p"),
        n_symptoms=int(t.get("n_symptoms") or 0),
        n_cell_types=int(t.get("n_cell_types") or 0),
        seconds=t.get("build_seconds"),
    )


def build_twin(store: GraphStore, patient_id: str, params: TwinParams | None = None) -> TwinSummary:
    """Build a new twin version from all stored inputs of the patient and analyse it with GDS.

    The twin is written as ``'building'`` and becomes visible only when complete; a build killed
    halfway leaves nothing a reader sees, and the next build of the patient (or ``medtwin db
    repair``) removes its remains. One build per patient at a time: a second gets
    :class:`~medtwin.errors.ConflictError`.
    """
    params = params or TwinParams()
    get_patient(store, patient_id)
    with store.patient_lock(patient_id, "twin build"):
        return _build_twin(store, patient_id, params)


def _build_twin(store: GraphStore, patient_id: str, params: TwinParams) -> TwinSummary:
    from medtwin.platform.twin import build_twin_spec  # the algorithms: only builds load them

    t0 = time.perf_counter()
    twins = store.twins
    removed = twins.delete_unfinished(patient_id)
    if any(removed):
        log.warning(
            "patient %s: removed %d unfinished twin(s), %d ranking(s)", patient_id, *removed
        )
    inputs = twins.inputs(patient_id)
    changes: list[GeneChange] = []
    symptoms: list[str] = []
    checksums: dict[str, str] = {}
    for i in inputs:
        content = json.loads(i["changes_json"])
        changes.extend(GeneChange.model_validate(c) for c in content["changes"])
        symptoms.extend(content["symptoms"])
        checksums[i["id"]] = i["sha256"]
    network = interactome(store)
    lr = store.reference.ligand_receptor_pairs()
    spec = build_twin_spec(patient_id, changes, symptoms, checksums, network, lr, params)
    version = twins.next_version(patient_id)
    twin_id = twins.create_twin(spec, version)
    try:
        summary = twins.analyse(twin_id, twin_analysis(spec))
        summary.update(analyse_tissues(store, twin_id, spec))
        summary.update(analyse_phenotypes(store, twin_id, spec, network))
        summary.update(
            {
                "n_symptoms": len(twins.symptoms(twin_id)),
                "build_seconds": round(time.perf_counter() - t0, 3),
            }
        )
        twins.complete_twin(twin_id, summary)
    except BaseException:
        # A half-built version must not look like a twin: remove it, keep the error.
        twins.delete_twin(twin_id)
        raise
    log.info("twin %s built in %.2f s", twin_id, time.perf_counter() - t0)
    return _twin_summary(twins.twin(patient_id, version))


def twin_analysis(spec: TwinSpec) -> TwinAnalysis:
    """The graph algorithms every twin gets (the store runs them).

    PageRank, PageRank personalised to the seeds, betweenness and Louvain on its PPI subgraph;
    weighted PageRank of its cell-type signalling network.
    """
    return TwinAnalysis(
        seeds=tuple(g.entrez for g in spec.genes if g.role == "seed"), seed=spec.params.seed
    )


def twin_versions(store: GraphStore, patient_id: str) -> list[TwinSummary]:
    """All twin versions of a patient, newest first."""
    get_patient(store, patient_id)
    return [_twin_summary(t) for t in store.twins.twins(patient_id)]


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


def show_twin(
    store: GraphStore, patient_id: str, version: int | None = None, *, top: int = 15
) -> TwinDetail:
    """A twin with its most central genes, communities, cell types and symptoms."""
    get_patient(store, patient_id)
    twins = store.twins
    t = twins.twin(patient_id, version)
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
    return TwinDetail(
        twin=_twin_summary(t),
        top_genes=tuple(genes[:top]),
        communities=tuple(communities[:10]),
        cell_types=cells,
        symptoms=symptoms,
        tissues=tissue_layer(store, t),
        phenotype_module=stored_module(store, t),
    )


def diff_twins(store: GraphStore, patient_id: str, from_version: int, to_version: int) -> TwinDiff:
    """What changed between two twin versions: parameters, inputs, genes, module, values."""
    get_patient(store, patient_id)
    twins = store.twins
    a, b = twins.twin(patient_id, from_version), twins.twin(patient_id, to_version)
    pa, pb = json.loads(a["params_json"]), json.loads(b["params_json"])
    params_changed = {
        k: (json.dumps(pa.get(k)), json.dumps(pb.get(k)))
        for k in sorted(set(pa) | set(pb))
        if pa.get(k) != pb.get(k)
    }
    ga = {r["entrez"]: r for r in twins.genes(a["id"])}
    gb = {r["entrez"]: r for r in twins.genes(b["id"])}
    changed = []
    for gid in sorted(set(ga) & set(gb)):
        for field in ("log2fc", "role", "in_module"):
            if ga[gid][field] != gb[gid][field]:
                changed.append(
                    {
                        "entrez": gid,
                        "symbol": gb[gid]["symbol"],
                        "field": field,
                        "from": str(ga[gid][field]),
                        "to": str(gb[gid][field]),
                    }
                )
    ta, tb = _tissue_ranks(store, a), _tissue_ranks(store, b)
    (terms_a, p_a), (terms_b, p_b) = _phenotype_terms(store, a), _phenotype_terms(store, b)
    return TwinDiff(
        patient_id=patient_id,
        from_version=from_version,
        to_version=to_version,
        params_changed=params_changed,
        inputs_changed=a["input_checksums_json"] != b["input_checksums_json"],
        genes_added=tuple(sorted(set(gb) - set(ga))),
        genes_removed=tuple(sorted(set(ga) - set(gb))),
        module_size=(int(a["twin_module_size"]), int(b["twin_module_size"])),
        module_z=(a.get("module_z"), b.get("module_z")),
        changed_values=tuple(changed),
        tissues_added=tuple(sorted(set(tb) - set(ta))),
        tissues_removed=tuple(sorted(set(ta) - set(tb))),
        most_central_tissue=(_first(ta), _first(tb)),
        phenotype_terms_added=tuple(sorted(terms_b - terms_a)),
        phenotype_terms_removed=tuple(sorted(terms_a - terms_b)),
        phenotype_module_p=(p_a, p_b),
    )


def _tissue_ranks(store: GraphStore, twin: dict[str, Any]) -> dict[str, int]:
    """Tissue -> meta-network rank of a twin (empty without a tissue layer)."""
    if not twin.get("n_tissues"):
        return {}
    rows = store.tissues.cell_types(twin["id"])
    return {r["tissue"]: int(r["tissue_rank"] or 0) for r in rows}


def _first(ranks: dict[str, int]) -> str | None:
    return min(ranks, key=lambda t: (ranks[t], t)) if ranks else None


def _phenotype_terms(store: GraphStore, twin: dict[str, Any]) -> tuple[set[str], float | None]:
    """Terms of a twin's phenotype module and its p (empty and None without one)."""
    got = store.phenotype_modules.module(twin["id"])
    if got is None:
        return set(), None
    p = got["module"].get("p")
    return {t["id"] for t in got["terms"]}, None if p is None else float(p)


def twin_graph(store: GraphStore, patient_id: str, version: int | None = None) -> TwinGraph:
    """The twin as nodes and edges (proteins, cell types) for viewers and exports."""
    get_patient(store, patient_id)
    twins = store.twins
    t = twins.twin(patient_id, version)
    genes = twins.genes(t["id"])
    top_pr = max((g["pagerank"] or 0.0 for g in genes), default=0.0) or 1.0
    nodes = [
        GraphNode(
            id=g["entrez"],
            label=g["symbol"] or g["entrez"],
            layer="module" if g["in_module"] else g["role"],
            kind="Protein",
            size=1.0 + 4.0 * (g["pagerank"] or 0.0) / top_pr,
            value=g["log2fc"],
            community=g["community"],
        )
        for g in genes
    ]
    cells = twins.cell_types(t["id"])
    nodes += [
        GraphNode(
            id=f"{t['id']}/{c['name']}",
            label=c["name"],
            layer="cell_type",
            kind="CellType",
            size=1.0 + 4.0 * c["pagerank"],
            value=float(c["n_genes"]),
        )
        for c in cells
    ]
    edges = [GraphEdge(**e) for e in twins.edges(t["id"])]
    tissue_nodes, tissue_edges = tissue_graph(tissue_layer(store, t))
    nodes += tissue_nodes
    edges += tissue_edges
    return TwinGraph(twin_id=t["id"], nodes=tuple(nodes), edges=tuple(edges))


def twin_tissues(store: GraphStore, patient_id: str, version: int | None = None) -> TissueLayer:
    """The tissue layer of a twin (tissues, cell types, signalling, central genes).

    Raises
    ------
    NotFoundError
        No such patient or twin, or the twin has no tissue layer.
    """
    get_patient(store, patient_id)
    t = store.twins.twin(patient_id, version)
    got = tissue_layer(store, t)
    if got is None:
        raise NotFoundError(
            f"twin {t['id']} has no tissue layer",
            hint=f"add single-cell inputs with a tissue (`medtwin patient add {patient_id} "
            "--h5ad FILE --tissue NAME`) and rebuild the twin",
        )
    return got


def twin_phenotype_module(
    store: GraphStore, patient_id: str, version: int | None = None
) -> PhenotypeModule:
    """The phenotype module of a twin and its link to the molecular module.

    Raises
    ------
    NotFoundError
        No such patient or twin, or the twin has no phenotype module (no symptoms).
    """
    get_patient(store, patient_id)
    t = store.twins.twin(patient_id, version)
    got = stored_module(store, t)
    if got is None:
        raise NotFoundError(
            f"twin {t['id']} has no phenotype module (the patient had no symptoms when it was "
            "built)",
            hint=f"add symptoms (`medtwin patient add {patient_id} --symptoms HP:...`) and "
            "rebuild the twin",
        )
    return got


# -- in-silico treatment --------------------------------------------------------------------
def rank_drugs(
    store: GraphStore,
    patient_id: str,
    params: RankParams | None = None,
    *,
    cache_dir: Path,
    version: int | None = None,
    require_module: bool = False,
) -> RankingResult:
    """Screen every drug against the patient's twin; store and return the ranking (first page).

    With ``require_module`` a twin whose module is not more connected than random genes
    (:func:`~medtwin.platform.gating.module_gate`) is refused with an
    :class:`~medtwin.errors.ExploratoryModuleError` before anything is computed. The ranking
    replaces the previous one of the same twin and parameters atomically. One ranking (or build)
    per patient at a time: a second gets :class:`~medtwin.errors.ConflictError`.
    """
    get_patient(store, patient_id)
    from medtwin.platform import treatment  # the ranking stack: only commands that rank load it

    if require_module:
        t = store.twins.twin(patient_id, version)
        gate = module_gate(t.get("module_z"), t.get("module_p"))
        if not gate.significant:
            raise ExploratoryModuleError(
                f"twin {t['id']} not ranked because a significant module is required: {gate.note}",
                hint="rank without --require-module (API: require_module false) to get an "
                "exploratory ranking, or add stronger patient evidence and rebuild the twin",
            )
    with store.patient_lock(patient_id, "ranking"):
        return treatment.rank_drugs(
            store,
            interactome(store),
            cache_dir,
            patient_id,
            params or RankParams(),
            version=version,
        )


def repair(store: GraphStore) -> dict[str, Any]:
    """Remove what interrupted operations left: unfinished twins and rankings, dead locks.

    Patients whose lock is held by a live operation are skipped (reported under ``busy``). Twins
    and rankings written before statuses existed get one first.
    """
    legacy_twins, legacy_rankings = store.mark_legacy_status()
    dead = store.release_dead_locks()
    twins_removed = rankings_removed = 0
    busy: list[str] = []
    twins = store.twins
    for pid in store.unfinished_patients():
        try:
            with store.patient_lock(pid, "repair"):
                t, r = twins.delete_unfinished(pid)
        except ConflictError:
            busy.append(pid)
            continue
        twins_removed += t
        rankings_removed += r
    report = {
        "legacy_twins_marked": legacy_twins,
        "legacy_rankings_marked": legacy_rankings,
        "dead_locks_released": dead,
        "unfinished_twins_removed": twins_removed,
        "unfinished_rankings_removed": rankings_removed,
        "busy": busy,
    }
    log.info("repair: %s", report)
    return report


def get_ranking(
    store: GraphStore, patient_id: str, *, offset: int = 0, limit: int = 50
) -> RankingResult:
    """A page of the latest ranking of the patient's twin."""
    validate_patient_id(patient_id)
    try:
        from medtwin.platform import stored_rankings

        return stored_rankings.get_ranking(store, patient_id, offset=offset, limit=limit)
    except (NotFoundError, UnsupportedByStore):
        get_patient(store, patient_id)  # "no patient" rather than "no twin", when that is why
        raise


def full_ranking(store: GraphStore, patient_id: str) -> RankingResult:
    """The latest ranking of the patient's twin with every drug (pages read until the total)."""
    from medtwin.platform.stored_rankings import get_ranking

    get_patient(store, patient_id)
    page_size = 5000
    first = get_ranking(store, patient_id, offset=0, limit=page_size)
    drugs = list(first.drugs)
    while len(drugs) < first.total:
        page = get_ranking(store, patient_id, offset=len(drugs), limit=page_size)
        if not page.drugs:
            break
        drugs.extend(page.drugs)
    return first.model_copy(update={"drugs": tuple(drugs)})


def export_ranking(store: GraphStore, patient_id: str, out: Path) -> int:
    """Write every drug of the latest ranking to ``out`` as TSV (atomically); return the rows.

    Columns: :data:`~medtwin.platform.ranking_table.COLUMNS`.
    """
    from medtwin.platform.ranking_table import write_ranking_tsv

    return write_ranking_tsv(full_ranking(store, patient_id), out)


def explain_drug(store: GraphStore, patient_id: str, drug_id: str) -> DrugExplanation:
    """Targets, module genes reached and shortest paths of one drug for one patient."""
    get_patient(store, patient_id)
    from medtwin.platform.explain import explain_drug as explain

    return explain(store, interactome(store), patient_id, drug_id)


# -- twin vs known diseases -----------------------------------------------------------------


def twin_diseases(
    store: GraphStore,
    patient_id: str,
    cache_dir: Path,
    *,
    version: int | None = None,
    n_samples: int = 1000,
    seed: int = 0,
    refresh: bool = False,
) -> list[DiseaseMatch]:
    """Every reference disease module, closest to the patient's twin module first.

    Proximity z with a degree-matched null and separation s_AB
    (:func:`medtwin.platform.resemblance.twin_resemblance`), stored on the twin
    (``RESEMBLES``) and read back while ``n_samples``/``seed`` match
    (:func:`medtwin.platform.insight_services.twin_diseases`).
    """
    from medtwin.platform import insight_services

    return insight_services.twin_diseases(
        store,
        patient_id,
        cache_dir,
        version=version,
        n_samples=n_samples,
        seed=seed,
        refresh=refresh,
    )


# -- biomarkers and trajectories (issue 13; code in insight_services) -------------------------
def twin_biomarkers(
    store: GraphStore, patient_id: str, *, top: int = 10, top_drugs: int = 20
) -> BiomarkerReport:
    """Proteins to measure for the top drugs, with evidence chains (computed on read)."""
    from medtwin.platform import insight_services

    return insight_services.twin_biomarkers(store, patient_id, top=top, top_drugs=top_drugs)


def twin_trajectory(
    store: GraphStore,
    patient_id: str,
    cache_dir: Path | None,
    *,
    time_points: list[str] | None = None,
    build: bool = True,
    rank: bool = True,
    top_drugs: int = 10,
) -> Trajectory:
    """The patient's twins over time: module, centrality and ranking changes, early genes."""
    from medtwin.platform import insight_services

    return insight_services.twin_trajectory(
        store,
        patient_id,
        cache_dir,
        time_points=time_points,
        build=build,
        rank=rank,
        top_drugs=top_drugs,
    )
