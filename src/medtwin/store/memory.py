"""An in-memory :class:`~medtwin.store.base.GraphStore`, for unit tests of use cases and the API.

Dictionaries instead of Neo4j, with the same semantics as :class:`~medtwin.store.neo4j.Neo4jStore`
where a test can observe them: patients are created on their first input and merge metadata; the
same input twice is one input; twin versions count up from 1 (unfinished ones included), stay
invisible until complete and are listed newest first; unknown patients and twins raise
:class:`~medtwin.errors.NotFoundError`; deleting a patient removes its inputs, twins and cell types
and counts nodes and relationships as the graph would; the patient lock answers a second holder
with :class:`~medtwin.errors.ConflictError`; values come back as the same plain rows.

Reference data is seeded with :meth:`MemoryStore.add_reference`. Twin analysis runs the same
algorithms as GDS with networkx (PageRank, personalised PageRank, betweenness, Louvain with the
analysis seed) — equal in definition, not bit-for-bit (``tests/integration/test_gds_vs_networkx.py``
compares the two on the real server).

Not implemented (they raise :class:`~medtwin.errors.UnsupportedByStore`, API 501), because faking
them would test nothing real (rankings are kept, :class:`MemoryRankings`):

- cohort verbs (:class:`MemoryCohorts`): patient states, cohort tops, similarity graphs, Louvain;
- :meth:`MemoryStore.library_rows`: the query library is Cypher text run by the server;
- tissue layers (:class:`MemoryTissues`): a multi-tissue twin's build raises;
- upstream-regulator centrality (:class:`MemoryRegulatorNetwork`): the platform computes it in
  process instead (random walk with restart + networkx Louvain), the oracle of the GDS path.
  Regulon and footprint layers are seeded with :meth:`MemoryStore.add_regulator_layers`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from medtwin.domain import TwinAnalysis, TwinSpec
from medtwin.errors import ConflictError, NotFoundError, UnsupportedByStore
from medtwin.loaders.actions import with_fallback
from medtwin.schema import Label, RelType
from medtwin.store.audit import AuditEvent
from medtwin.store.base import RANKING_TOP_N, GraphStore, twin_gene_rows, twin_node_props
from medtwin.store.library import LibraryRow, paths_statement
from medtwin.store.regulator_network import RegulatorCentrality

if TYPE_CHECKING:  # the driver: the in-memory store must import without it (tests, notebooks)
    from medtwin.store.neo4j import Neo4jStore

__all__ = ["MemoryCohorts", "MemoryReference", "MemoryStore", "MemoryTwins"]

TOP_N = RANKING_TOP_N  # read at call time (tests lower it to exercise the table)
_UNSUPPORTED = "the in-memory store does not implement {what} (see medtwin.store.memory)"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Twin:
    props: dict[str, Any]
    genes: dict[str, dict[str, Any]]
    symptoms: list[dict[str, Any]] = field(default_factory=list)
    cell_types: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> row
    signals: list[dict[str, Any]] = field(default_factory=list)
    resemblances: list[dict[str, Any]] = field(default_factory=list)
    phenotype_module: dict[str, Any] | None = None
    biomarkers: list[dict[str, Any]] = field(default_factory=list)
    rankings: dict[str, _Ranking] = field(default_factory=dict)  # id -> the complete ranking
    activity: list[dict[str, Any]] = field(default_factory=list)
    upstream_regulators: list[dict[str, Any]] = field(default_factory=list)
    context_activity: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Ranking:
    props: dict[str, Any]
    table: list[dict[str, Any]]  # every row, best first
    custom: bool


@dataclass
class _Patient:
    metadata: dict[str, str]
    created_at: datetime
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # insertion = added order
    twins: dict[int, _Twin] = field(default_factory=dict)


class MemoryReference:
    """Reference-graph reads over :class:`MemoryStore`'s dictionaries."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def ppi_edges(self) -> list[tuple[str, str]]:
        """Every interaction once, as loaded, sorted."""
        return sorted(self.store.ppi)

    def gene_table(self, names: Collection[str] | None = None) -> dict[str, list[Any]]:
        """Parallel lists of the genes that have a symbol (``names``: as the protocol says)."""
        genes = [(e, g) for e, g in sorted(self.store.genes.items()) if g.get("symbol")]
        if names is not None:
            wanted = {n.strip().upper() for n in names}
            genes = [
                (e, g)
                for e, g in genes
                if {str(x).upper() for x in [g["symbol"], *(g.get("synonyms") or [])]} & wanted
            ]
        return {
            "entrez": [e for e, _ in genes],
            "symbol": [g["symbol"] for _, g in genes],
            "synonyms": [list(g.get("synonyms") or []) for _, g in genes],
            "hgnc": [g.get("hgnc") or "" for _, g in genes],
        }

    def ligand_receptor_pairs(self) -> list[tuple[str, str]]:
        """(ligand, receptor) pairs as seeded."""
        return list(self.store.lr_pairs)

    def regulator_layers(self) -> dict[str, list[Any]]:
        """Regulon and footprint layers as seeded (empty lists when none)."""
        return {k: list(v) for k, v in self.store.regulator_tables.items()}

    def perturbations(self) -> dict[str, list[Any]]:
        """The memory store holds no perturbation layer: empty lists."""
        return {"drug": [], "gene": [], "z": []}

    def disease_gene_sets(self, source: str) -> dict[str, tuple[str, list[str]]]:
        """Disease id -> (name, genes) of one source."""
        return {
            d: (name, sorted(genes))
            for d, (name, genes) in self.store.disease_genes.get(source, {}).items()
        }

    def drug_targets(
        self,
        source: str,
        *,
        categories: list[str] | None,
        approved_only: bool,
        direction_fallback: str | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs with at least one target of ``source`` (same filters as the Cypher)."""
        out = []
        for drug_id, d in sorted(self.store.drugs.items()):
            if approved_only and "approved" not in (d.get("groups") or []):
                continue
            targets = sorted(
                (
                    t
                    for t in d["targets"]
                    if t["source"] == source
                    and t["entrez"] in self.store.genes
                    and (categories is None or t.get("category") in (None, *categories))
                ),
                key=lambda t: t["entrez"],
            )
            if targets:
                out.append(
                    {
                        "drug_id": drug_id,
                        "name": d.get("name"),
                        "groups": d.get("groups"),
                        "targets": [t["entrez"] for t in targets],
                        "directions": [
                            with_fallback(
                                t.get("direction"),
                                [
                                    f.get("direction")
                                    for f in d["targets"]
                                    if direction_fallback is not None
                                    and f["source"] == direction_fallback
                                    and f["entrez"] == t["entrez"]
                                ],
                            )
                            for t in targets
                        ],
                        "symbols": [
                            self.store.genes.get(t["entrez"], {}).get("symbol") or ""
                            for t in targets
                        ],
                        "known_actions": [t.get("known_action") or "" for t in targets],
                    }
                )
        return out

    def protein_symbols(self, ids: list[str]) -> dict[str, str]:
        """Entrez id -> symbol for ids with a symbol."""
        return {i: s for i in ids if (s := self.store.genes.get(i, {}).get("symbol"))}

    def drug_info(self, drug_id: str) -> dict[str, Any] | None:
        """A drug with its targets of every source, or ``None``."""
        d = self.store.drugs.get(drug_id)
        if d is None:
            return None
        return {
            "name": d.get("name"),
            "groups": d.get("groups"),
            "targets": [
                {
                    "entrez": t["entrez"],
                    "symbol": self.store.genes.get(t["entrez"], {}).get("symbol"),
                    "source": t["source"],
                    "actions": t.get("actions"),
                    "direction": t.get("direction"),
                    "category": t.get("category"),
                    "known_action": t.get("known_action"),
                }
                for t in d["targets"]
                if t["entrez"] in self.store.genes
            ],
        }

    def paths_statement(self) -> str:
        """The Cypher the real store gives (the text only: nothing runs it here)."""
        return paths_statement()


class MemoryTwins:
    """Patients, inputs and twins over :class:`MemoryStore`'s dictionaries."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def _patient(self, patient_id: str) -> _Patient:
        p = self.store.patients.get(patient_id)
        if p is None:
            raise NotFoundError(f"no patient {patient_id}")
        return p

    def _twin_of(self, twin_id: str) -> _Twin:
        pid, _, version = twin_id.rpartition("@v")
        p = self.store.patients.get(pid)
        t = p.twins.get(int(version)) if p is not None and version.isdigit() else None
        if t is None:
            raise NotFoundError(f"no twin {twin_id}")
        return t

    # -- patients ---------------------------------------------------------------------------
    def merge_patient(self, patient_id: str, metadata: dict[str, str]) -> None:
        """Create the patient if new; merge metadata."""
        p = self.store.patients.setdefault(patient_id, _Patient({}, _now()))
        p.metadata.update(metadata)

    def add_input(self, patient_id: str, input_id: str, props: dict[str, Any]) -> bool:
        """Attach one input; whether it was new (as in the graph: nothing without the patient)."""
        p = self.store.patients.get(patient_id)
        if p is None:
            return False
        created = input_id not in p.inputs
        current = p.inputs.setdefault(
            input_id, {"id": input_id, "patient_id": patient_id, "added_at": _now()}
        )
        current.update(props)
        return created

    def inputs(self, patient_id: str) -> list[dict[str, Any]]:
        """Inputs, oldest first."""
        p = self.store.patients.get(patient_id)
        return [dict(i) for i in p.inputs.values()] if p is not None else []

    def patient_metadata(self) -> list[dict[str, Any]]:
        """Every patient's id and metadata, by id."""
        return [
            {"id": pid, "metadata": dict(self.store.patients[pid].metadata)}
            for pid in sorted(self.store.patients)
        ]

    def patients(self, patient_id: str | None = None) -> list[dict[str, Any]]:
        """Patients with counts, by id."""
        out = []
        for pid in sorted(self.store.patients):
            if patient_id is not None and pid != patient_id:
                continue
            p = self.store.patients[pid]
            out.append(
                {
                    "id": pid,
                    "metadata": dict(p.metadata),
                    "created_at": p.created_at,
                    "inputs": len(p.inputs),
                    "genes": sum(int(i.get("n_changes") or 0) for i in p.inputs.values()),
                    "symptoms": [s for i in p.inputs.values() for s in i.get("symptoms") or []],
                    "versions": sorted(
                        v for v, t in p.twins.items() if t.props["status"] == "complete"
                    ),
                }
            )
        return out

    def _counts(self, p: _Patient) -> tuple[int, int]:
        nodes, rels = 1, 0
        nodes += len(p.inputs)
        rels += len(p.inputs)  # HAS_INPUT
        for t in p.twins.values():
            nodes += 1 + len(t.cell_types)
            rels += 1 + len(t.genes) + len(t.symptoms) + len(t.cell_types) + len(t.signals)
            rels += sum(
                1 for c in t.cell_types.values() for g in c["genes"] if g in self.store.genes
            )  # EXPRESSES_CHANGE
            rels += len(t.resemblances) + len(t.biomarkers)  # RESEMBLES, SUGGESTS_BIOMARKER
            for r in t.rankings.values():  # Ranking (+ CustomDrug) nodes, HAS_RANKING, SCORES
                top = int(r.props["top_n"])
                nodes += 1 + (top if r.custom else 0)
                rels += 1 + top
            rels += len(t.activity) + len(t.context_activity)  # ACTIVITY
            rels += len(t.upstream_regulators)  # UPSTREAM_REGULATOR
            if t.phenotype_module is not None:  # the PhenotypeModule node and its links
                nodes += 1
                m = t.phenotype_module
                rels += 1 + len(m["terms"]) + len(m["genes"])
        return nodes, rels

    def save_activity(
        self, twin_id: str, tfs: list[dict[str, Any]], pathways: list[dict[str, Any]]
    ) -> int:
        """Keep the twin's activities (TFs only for genes of the gene layer, as in the graph)."""
        t = self._twin_of(twin_id)
        rows = [
            {**r, "kind": "tf", "name": self.store.genes[r["id"]].get("symbol") or r["id"]}
            for r in tfs
            if r["id"] in self.store.genes
        ]
        rows += [{**r, "kind": "pathway", "name": r["id"]} for r in pathways]
        t.activity = rows
        return len(rows)

    def activity(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored activities, strongest |score| first."""
        rows = self._twin_of(twin_id).activity
        return sorted(rows, key=lambda r: (-abs(r["score"]), r["id"]))

    def save_upstream_regulators(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Replace the twin's upstream regulators (genes of the gene layer only, as in Neo4j)."""
        t = self._twin_of(twin_id)
        genes = self.store.genes
        t.upstream_regulators = [
            {**r, "symbol": genes[r["id"]].get("symbol") or r["id"]}
            for r in rows
            if r["id"] in genes
        ]
        return len(t.upstream_regulators)

    def upstream_regulators(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored upstream regulators, most central first."""
        return sorted(self._twin_of(twin_id).upstream_regulators, key=lambda r: int(r["rank"]))

    def save_context_activity(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Keep the activities per cell type / tissue (TFs only for genes of the gene layer)."""
        t = self._twin_of(twin_id)
        kept = []
        for r in rows:
            if r["kind"] == "pathway":
                kept.append({**r, "name": r["id"]})
            elif r["id"] in self.store.genes:
                kept.append({**r, "name": self.store.genes[r["id"]].get("symbol") or r["id"]})
        t.context_activity = kept
        return len(kept)

    def context_activity(self, twin_id: str, context: str) -> list[dict[str, Any]]:
        """Stored activities of ``context``, by tissue, cell type, then strongest |score|."""
        rows = [r for r in self._twin_of(twin_id).context_activity if r["context"] == context]
        return sorted(
            rows,
            key=lambda r: (r["tissue"] or "", r["cell_type"] or "", -abs(r["score"]), r["id"]),
        )

    def delete_patient(self, patient_id: str) -> tuple[int, int]:
        """Remove the patient and everything of it; (nodes, relationships)."""
        p = self.store.patients.pop(patient_id, None)
        return self._counts(p) if p is not None else (0, 0)

    def count_patient_data(self, patient_id: str) -> tuple[int, int]:
        """Patient-specific nodes and relationships present."""
        p = self.store.patients.get(patient_id)
        return self._counts(p) if p is not None else (0, 0)

    # -- twins ------------------------------------------------------------------------------
    def next_version(self, patient_id: str) -> int:
        """1 + the highest version, unfinished ones included."""
        p = self.store.patients.get(patient_id)
        return max(p.twins, default=0) + 1 if p is not None else 1

    def create_twin(self, spec: TwinSpec, version: int) -> str:
        """Store ``spec`` as a 'building' twin; returns its id."""
        p = self._patient(spec.patient_id)
        props = twin_node_props(spec, version)
        props.update(patient_id=spec.patient_id, created_at=_now(), status="building")
        genes = {
            r["entrez"]: {
                **r,
                "pagerank": None,
                "personalised_pagerank": None,
                "betweenness": None,
                "community": None,
            }
            for r in twin_gene_rows(spec)
            if r["entrez"] in self.store.genes
        }
        twin = _Twin(props=props, genes=genes)
        for sid in spec.symptoms:
            s = self.store.phenotypes.get(sid)
            if s is None:
                continue  # as in the graph: an unknown term gets no PRESENTS
            linked = [g for g in genes if g in s.get("genes", ())]
            twin.symptoms.append(
                {
                    "id": sid,
                    "name": s.get("name"),
                    "kind": s.get("kind", Label.PHENOTYPE.value),
                    "genes_in_twin": len(linked),
                    "genes_in_module": sum(1 for g in linked if genes[g]["in_module"]),
                }
            )
        for name, members in spec.cell_types.items():
            twin.cell_types[name] = {"name": name, "genes": list(members), "pagerank": None}
        if spec.cell_types:
            twin.signals = [
                {"source": s.source, "target": s.target, "weight": float(len(s.pairs))}
                for s in spec.signals
                if s.source in spec.cell_types and s.target in spec.cell_types
            ]
        p.twins[version] = twin
        return str(props["id"])

    def complete_twin(self, twin_id: str, props: dict[str, Any]) -> None:
        """Set the summary and flip the twin to 'complete'."""
        t = self._twin_of(twin_id)
        if t.props["status"] == "building":
            t.props.update(props)
            t.props["status"] = "complete"

    def delete_unfinished(self, patient_id: str) -> tuple[int, int]:
        """Remove 'building' twins (no ranking is ever stored here); (twins, 0)."""
        p = self.store.patients.get(patient_id)
        if p is None:
            return 0, 0
        building = [v for v, t in p.twins.items() if t.props["status"] == "building"]
        for v in building:
            del p.twins[v]
        return len(building), 0

    def delete_twin(self, twin_id: str) -> None:
        """Delete one version (no error if absent)."""
        pid, _, version = twin_id.rpartition("@v")
        p = self.store.patients.get(pid)
        if p is not None and version.isdigit():
            p.twins.pop(int(version), None)

    def twins(self, patient_id: str, version: int | None = None) -> list[dict[str, Any]]:
        """Complete versions, newest first."""
        p = self.store.patients.get(patient_id)
        if p is None:
            return []
        return [
            dict(t.props)
            for v, t in sorted(p.twins.items(), reverse=True)
            if t.props["status"] == "complete" and (version is None or v == version)
        ]

    def twin(self, patient_id: str, version: int | None = None) -> dict[str, Any]:
        """One complete twin (latest by default)."""
        got = self.twins(patient_id, version)
        if not got:
            what = f"twin version {version}" if version else "twin"
            raise NotFoundError(
                f"patient {patient_id} has no {what}",
                hint=f"build one with `medtwin twin build {patient_id}`",
            )
        return got[0]

    def genes(self, twin_id: str) -> list[dict[str, Any]]:
        """Genes by PageRank (then id), as ``twin/get_twin_genes`` returns them."""
        keys = (
            "entrez", "role", "log2fc", "padj", "in_module", "pagerank",
            "personalised_pagerank", "betweenness", "rwr", "community", "cell_types",
        )  # fmt: skip
        rows = [
            {**{k: g[k] for k in keys}, "symbol": self.store.genes[e].get("symbol")}
            for e, g in self._twin_of(twin_id).genes.items()
        ]
        return sorted(rows, key=lambda r: (-(r["pagerank"] or 0.0), r["entrez"]))

    def symptoms(self, twin_id: str) -> list[dict[str, Any]]:
        """Presented symptoms, most module genes first."""
        rows = [dict(s) for s in self._twin_of(twin_id).symptoms]
        return sorted(rows, key=lambda r: (-r["genes_in_module"], r["id"]))

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types by PageRank, with signal counts."""
        t = self._twin_of(twin_id)
        rows = [
            {
                "name": name,
                "n_genes": len(c["genes"]),
                "pagerank": c["pagerank"] or 0.0,
                "out_signals": sum(1 for s in t.signals if s["source"] == name),
                "in_signals": sum(1 for s in t.signals if s["target"] == name),
            }
            for name, c in t.cell_types.items()
        ]
        return sorted(rows, key=lambda r: (-r["pagerank"], r["name"]))

    def edges(self, twin_id: str) -> list[dict[str, Any]]:
        """PPI edges among the twin's genes, then signalling edges among its cell types."""
        t = self._twin_of(twin_id)
        ppi = [
            {"source": a, "target": b, "kind": RelType.INTERACTS_WITH.value, "weight": None}
            for a, b in sorted(self.store.ppi)
            if a in t.genes and b in t.genes
        ]
        cells = [
            {
                "source": f"{twin_id}/{s['source']}",
                "target": f"{twin_id}/{s['target']}",
                "kind": "SIGNALS_TO",
                "weight": s["weight"],
            }
            for s in t.signals
        ]
        return ppi + cells

    def set_props(self, twin_id: str, props: dict[str, Any]) -> None:
        """Update twin properties."""
        self._twin_of(twin_id).props.update(props)

    def analyse(self, twin_id: str, analysis: TwinAnalysis) -> dict[str, Any]:
        """The algorithms of ``analysis`` with networkx on the twin's PPI subgraph."""
        import networkx as nx

        t = self._twin_of(twin_id)
        graph = nx.Graph()
        graph.add_nodes_from(sorted(t.genes))
        graph.add_edges_from((a, b) for a, b in self.store.ppi if a in t.genes and b in t.genes)
        wanted = set(analysis.algorithms)
        scores: dict[str, dict[str, float]] = {}
        if "pagerank" in wanted:
            scores["pagerank"] = nx.pagerank(graph, alpha=0.85, tol=1e-9, max_iter=1000)
        seeds = [s for s in analysis.seeds if s in t.genes]
        if "personalised_pagerank" in wanted and seeds:
            restart = {g: (1.0 if g in seeds else 0.0) for g in graph}
            scores["personalised_pagerank"] = nx.pagerank(
                graph, alpha=0.85, tol=1e-9, max_iter=1000, personalization=restart
            )
        if "betweenness" in wanted:
            scores["betweenness"] = nx.betweenness_centrality(graph, normalized=False)
        communities: dict[str, int] = {}
        if "louvain" in wanted:
            found = nx.community.louvain_communities(graph, seed=analysis.seed)
            for i, members in enumerate(sorted(found, key=lambda c: min(c))):
                communities.update(dict.fromkeys(members, i))
        for gid, row in t.genes.items():
            for key, values in scores.items():
                row[key] = float(values[gid])
            row["community"] = communities.get(gid)
        if t.cell_types and analysis.cell_type_pagerank:
            cells = nx.DiGraph()
            cells.add_nodes_from(t.cell_types)
            cells.add_weighted_edges_from(
                (s["source"], s["target"], s["weight"]) for s in t.signals
            )
            ranked = nx.pagerank(cells, alpha=0.85, weight="weight", tol=1e-9, max_iter=1000)
            for name, c in t.cell_types.items():
                c["pagerank"] = float(ranked[name])
        return {
            "n_communities": len(set(communities.values())),
            "gds_concurrency": 1,
            "n_cell_types": len(t.cell_types),
        }


class MemoryCohorts:
    """Cohort verbs: not implemented in memory (each raises UnsupportedByStore)."""

    def _no(self, what: str) -> UnsupportedByStore:
        return UnsupportedByStore(_UNSUPPORTED.format(what=f"cohort {what}"))

    def patient_states(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Unsupported."""
        raise self._no("patient states")

    def top_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Unsupported (rankings)."""
        raise self._no("top drugs")

    def twin_modules(self, ids: Sequence[str], *, module_only: bool = True) -> list[dict[str, Any]]:
        """Unsupported."""
        raise self._no("twin modules")

    def activities(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Unsupported."""
        raise self._no("activities")

    def replace_similarities(
        self, ids: Sequence[str], method: str, rows: Sequence[dict[str, Any]]
    ) -> int:
        """Unsupported."""
        raise self._no("similarities")

    def communities(self, ids: Sequence[str], method: str) -> dict[str, int]:
        """Unsupported (GDS)."""
        raise self._no("communities")

    def set_endotypes(self, method: str, communities: dict[str, int]) -> None:
        """Unsupported."""
        raise self._no("endotypes")

    def similar_patients(self, patient_id: str, limit: int) -> list[dict[str, Any]]:
        """Unsupported."""
        raise self._no("similar patients")


class MemoryRankings:
    """Stored rankings, as :class:`~medtwin.store.rankings.RankingStore` keeps them in Neo4j.

    A ranking keeps its best :data:`~medtwin.store.rankings.TOP_N` rows apart (the ``SCORES``
    relationships in Neo4j) and every row in its table; a page inside the top is cut from the top
    rows, any other page and a ``drug_id`` look-up from the table. Saving replaces the ranking of
    the same id whole; scores never carry ``drug_name`` (a Drug node, or the targets file's row,
    names the drug).
    """

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def save_ranking(
        self,
        twin_id: str,
        ranking_id: str,
        meta: dict[str, Any],
        rows: Sequence[dict[str, Any]],
        *,
        custom: bool = False,
    ) -> dict[str, Any]:
        """Store a ranking (``rows`` with ``rank`` and ``drug_id``) and publish it at once."""
        twin = self.store.twins._twin_of(twin_id)
        ordered = sorted((dict(r) for r in rows), key=lambda r: int(r["rank"]))
        table = [{k: v for k, v in r.items() if custom or k != "drug_name"} for r in ordered]
        top_n = min(TOP_N, len(ordered))
        props = {k: v for k, v in meta.items() if v is not None}
        props.update(
            id=ranking_id,
            twin_id=twin_id,
            patient_id=twin.props["patient_id"],
            created_at=_now(),
            status="complete",
            table_format="memory",
            table_rows=len(ordered),
            top_n=top_n,
        )
        with self.store._lock:
            twin.rankings[ranking_id] = _Ranking(props=props, table=table, custom=custom)
        return {**meta, "id": ranking_id, "twin_id": twin_id, "created_at": props["created_at"]}

    def latest_ranking(
        self, patient_id: str, version: int | None = None
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """``(twin, ranking)`` of the patient's latest (or given) complete twin, or ``None``."""
        got = self.store.twins.twins(patient_id, version)
        if not got:
            return None
        t = got[0]
        twin = {"id": t["id"], "module_z": t.get("module_z"), "module_p": t.get("module_p")}
        stored = self.store.twins._twin_of(t["id"]).rankings.values()
        latest = max(stored, key=lambda r: r.props["created_at"], default=None)
        return twin, dict(latest.props) if latest is not None else None

    def ranking_page(
        self,
        ranking: dict[str, Any],
        offset: int = 0,
        limit: int = 50,
        drug_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs ``offset .. offset+limit`` (or the one ``drug_id``) as ``{drug_name, score}``."""
        r = self.store.twins._twin_of(ranking["twin_id"]).rankings.get(ranking["id"])
        if r is None:
            return []
        if drug_id is not None:
            rows = [x for x in r.table if x["drug_id"] == drug_id]
        elif offset + limit <= int(r.props["top_n"]):
            rows = r.table[: int(r.props["top_n"])][max(offset, 0) : offset + limit]
        else:
            rows = r.table[max(offset, 0) : max(offset, 0) + max(limit, 0)]
        out = []
        for row in rows:
            score = {k: v for k, v in row.items() if k != "drug_name" and v is not None}
            name = row.get("drug_name") if r.custom else self._name(row["drug_id"])
            out.append({"drug_name": name, "score": score})
        return out

    def _name(self, drug_id: str) -> str | None:
        drug = self.store.drugs.get(drug_id)
        return None if drug is None else drug.get("name")


class MemoryTissues:
    """Tissue layers: not implemented in memory (multi-tissue twins need the Neo4j store)."""

    def set_scores(
        self, twin_id: str, *, tissues: list[dict[str, Any]], cell_types: list[dict[str, Any]]
    ) -> int:
        """Unsupported: the memory store keeps no tissue layer."""
        raise UnsupportedByStore(_UNSUPPORTED.format(what="multi-tissue twins"))

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """No tissue layer here: none."""
        return []

    def signals(self, twin_id: str) -> list[dict[str, Any]]:
        """No tissue layer here: none."""
        return []


class MemoryPhenotypeModules:
    """Phenotype modules over :class:`MemoryStore` (terms: ``phenotypes``, ``cooccurrences``)."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def known_terms(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Seeded terms among ``ids``."""
        return {
            i: {"name": t.get("name"), "kind": t.get("kind", Label.PHENOTYPE.value)}
            for i in ids
            if (t := self.store.phenotypes.get(i)) is not None
        }

    def cooccurrence(self, ids: list[str]) -> list[tuple[str, str, float, str]]:
        """Seeded co-occurrence edges touching ``ids``."""
        wanted = set(ids)
        return [e for e in self.store.cooccurrences if e[0] in wanted or e[1] in wanted]

    def genes(self, ids: list[str]) -> dict[str, list[str]]:
        """Seeded term genes."""
        return {
            i: sorted(t.get("genes", ()))
            for i in ids
            if (t := self.store.phenotypes.get(i)) is not None and t.get("genes")
        }

    def save_module(
        self,
        twin_id: str,
        patient_id: str,
        *,
        props: dict[str, Any],
        terms: list[dict[str, Any]],
        genes: list[dict[str, Any]],
    ) -> None:
        """Keep the module on the twin (replaced by a second save, as one node per twin)."""
        known = self.known_terms([t["id"] for t in terms])
        rows = [
            {
                "id": t["id"],
                "name": known.get(t["id"], {}).get("name"),
                "kind": known.get(t["id"], {}).get("kind"),
                "role": t["role"],
                "weight": t["weight"],
            }
            for t in terms
            if t["id"] in known  # as MATCH in the graph: unknown terms get no link
        ]
        rows.sort(key=lambda r: (r["role"] != "presented", -(r["weight"] or 0.0), r["id"]))
        symbol = {e: g.get("symbol") for e, g in self.store.genes.items()}
        linked = [
            {"entrez": g["entrez"], "symbol": symbol[g["entrez"]], "via": g["via"]}
            for g in genes
            if g["entrez"] in symbol
        ]
        linked.sort(key=lambda g: g["symbol"] or "")
        self.store.twins._twin_of(twin_id).phenotype_module = {
            "module": dict(props),
            "terms": rows,
            "genes": linked,
        }

    def module(self, twin_id: str) -> dict[str, Any] | None:
        """The twin's stored module, or ``None``."""
        try:
            got = self.store.twins._twin_of(twin_id).phenotype_module
        except NotFoundError:
            return None
        return None if got is None else dict(got)


class MemoryInsights:
    """Twin insights over :class:`MemoryStore` (resemblances live on the twin, like RESEMBLES)."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def resemblances(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored rows of a twin, by rank (empty when none or no such twin)."""
        try:
            rows = self.store.twins._twin_of(twin_id).resemblances
        except NotFoundError:
            return []
        return sorted((dict(r) for r in rows), key=lambda r: r["rank"])

    def replace_resemblances(self, twin_id: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the rows of a complete twin; 0 when the twin is missing or not complete."""
        try:
            t = self.store.twins._twin_of(twin_id)
        except NotFoundError:
            return 0
        if t.props.get("status") != "complete":
            return 0
        diseases = {d for sets in self.store.disease_genes.values() for d in sets}
        known = [dict(r) for r in rows if r["disease_id"] in diseases]
        t.resemblances = known
        return len(known)

    def biomarkers(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored suggestions of a twin, best first (empty when none or no such twin)."""
        try:
            rows = self.store.twins._twin_of(twin_id).biomarkers
        except NotFoundError:
            return []
        return sorted((dict(r) for r in rows), key=lambda r: r["rank"])

    def replace_biomarkers(self, twin_id: str, key: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the suggestions of a complete twin; 0 when it is missing or not complete."""
        try:
            t = self.store.twins._twin_of(twin_id)
        except NotFoundError:
            return 0
        if t.props.get("status") != "complete":
            return 0
        t.props["biomarkers_key"] = key  # what they (possibly none) were computed for
        t.biomarkers = [
            {"key": key, "rank": r["rank"], "suggestion_json": r["suggestion_json"]}
            for r in rows
            if r["entrez"] in self.store.genes
        ]
        return len(t.biomarkers)

    def drug_target_actions(self, drug_ids: Sequence[str], source: str) -> list[dict[str, Any]]:
        """Targets of the drugs in ``source`` with their direction, by drug then target."""
        out = []
        for drug_id in sorted(set(drug_ids)):
            d = self.store.drugs.get(drug_id)
            for t in (d or {}).get("targets", []):
                if t["source"] == source and t["entrez"] in self.store.genes:
                    symbol = self.store.genes[t["entrez"]].get("symbol")
                    out.append(
                        {
                            "drug_id": drug_id,
                            "entrez": t["entrez"],
                            "symbol": symbol,
                            "direction": t.get("direction"),
                        }
                    )
        return sorted(out, key=lambda r: (r["drug_id"], r["entrez"]))

    def ligands(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that are the ligand of a seeded pair."""
        ligands = {lig for lig, _ in self.store.lr_pairs}
        return {i for i in ids if i in ligands}


class MemoryRegulatorNetwork:
    """No GDS: upstream-regulator centrality is computed in process by the platform."""

    def centrality(
        self,
        reference_key: str,
        seeds: Mapping[str, float],
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
        column_budget: int | None = None,
    ) -> RegulatorCentrality:
        """Raise :class:`~medtwin.errors.UnsupportedByStore` (the platform's in-process path)."""
        raise UnsupportedByStore(_UNSUPPORTED.format(what="GDS regulator centrality"))

    def edges(self, reference_key: str) -> tuple[list[str], list[str]]:
        """Raise :class:`~medtwin.errors.UnsupportedByStore` (no GDS projection)."""
        raise UnsupportedByStore(_UNSUPPORTED.format(what="GDS regulator projection"))

    def edges_kept(self, reference_key: str) -> bool:
        """``False``: no GDS projection, so nothing kept."""
        return False

    def prefill_columns(
        self,
        reference_key: str,
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
    ) -> tuple[int, float]:
        """Raise :class:`~medtwin.errors.UnsupportedByStore` (no GDS projection to fill)."""
        raise UnsupportedByStore(_UNSUPPORTED.format(what="GDS regulator columns"))


class MemoryStore:
    """A :class:`~medtwin.store.base.GraphStore` in dictionaries (see the module docstring).

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.add_reference(genes={"1": "A", "2": "B"}, ppi=[("2", "1"), ("1", "2")])
    >>> store.reference.ppi_edges()
    [('2', '1')]
    >>> store.twins.patients()
    []
    """

    def __init__(self) -> None:
        self._identity = f"memory://{uuid.uuid4().hex}"
        self.genes: dict[str, dict[str, Any]] = {}
        self.ppi: set[tuple[str, str]] = set()
        self.lr_pairs: list[tuple[str, str]] = []
        self.disease_genes: dict[str, dict[str, tuple[str, set[str]]]] = {}
        self.drugs: dict[str, dict[str, Any]] = {}
        self.phenotypes: dict[str, dict[str, Any]] = {}
        self.datasets_: dict[str, dict[str, Any]] = {}
        self.patients: dict[str, _Patient] = {}
        self.locks: dict[str, str] = {}
        self.audit: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._twins = MemoryTwins(self)
        self._reference = MemoryReference(self)
        self._cohorts = MemoryCohorts()
        self._insights = MemoryInsights(self)
        self._tissues = MemoryTissues()
        self._rankings = MemoryRankings(self)
        self._phenotype_modules = MemoryPhenotypeModules(self)
        self.cooccurrences: list[tuple[str, str, float, str]] = []
        self.regulator_tables: dict[str, list[Any]] = {
            k: [] for k in ("tf", "target", "mor", "pathway", "gene", "weight")
        }
        self._regulator_network = MemoryRegulatorNetwork()

    # -- seeding ----------------------------------------------------------------------------
    def add_reference(
        self,
        *,
        genes: dict[str, str],
        ppi: Sequence[tuple[str, str]] = (),
        lr_pairs: Sequence[tuple[str, str]] = (),
        phenotypes: dict[str, tuple[str, Sequence[str]]] | None = None,
        drugs: dict[str, tuple[str, Sequence[tuple[str, str]]]] | None = None,
        disease_genes: dict[str, dict[str, tuple[str, Sequence[str]]]] | None = None,
        cooccurrences: Sequence[tuple[str, str, float, str]] = (),
    ) -> None:
        """Seed reference data and mark its datasets loaded.

        Parameters
        ----------
        genes
            Entrez id -> symbol.
        ppi
            Interactions ``a -> b`` as loaded (each unordered pair once; self-loops dropped).
        lr_pairs
            (ligand, receptor) pairs.
        phenotypes
            Term id -> (name, annotated Entrez genes).
        drugs
            Drug id -> (name, [(Entrez target, direction)]), all of source ``drugbank_dhimmel``
            and approved.
        disease_genes
            Source -> disease id -> (name, genes).
        cooccurrences
            Symptom/phenotype co-occurrence edges ``(a, b, weight, kind)``, kind ``Symptom`` or
            ``Phenotype`` (the label of ``a``).
        """
        for entrez, symbol in genes.items():
            self.genes[entrez] = {"symbol": symbol, "synonyms": [], "hgnc": None}
        seen = {frozenset(e) for e in self.ppi}
        for a, b in ppi:  # kept as given (the loader's orientation), each unordered pair once
            if a != b and frozenset((a, b)) not in seen:
                seen.add(frozenset((a, b)))
                self.ppi.add((a, b))
        self.lr_pairs.extend(lr_pairs)
        self.cooccurrences.extend(cooccurrences)
        for pid, (name, members) in (phenotypes or {}).items():
            self.phenotypes[pid] = {"name": name, "genes": set(members)}
        for did, (name, targets) in (drugs or {}).items():
            self.drugs[did] = {
                "name": name,
                "groups": ["approved"],
                "targets": [
                    {
                        "entrez": t,
                        "source": "drugbank_dhimmel",
                        "direction": d,
                        "category": "target",
                    }
                    for t, d in targets
                ],
            }
        for source, sets in (disease_genes or {}).items():
            self.disease_genes.setdefault(source, {}).update(
                {d: (n, set(g)) for d, (n, g) in sets.items()}
            )
        loaded = _now().isoformat()
        for name in ("ncbi_gene_info", "menche2015_interactome", "liana"):
            self.datasets_[name] = {
                "id": name,
                "status": "complete",
                "sha256": uuid.uuid4().hex,  # new reference data: caches keyed on it refresh
                "loaded_at": loaded,
                "version": "memory",
            }

    def add_regulator_layers(
        self,
        regulons: Mapping[str, Mapping[str, float]],
        footprints: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        """Seed REGULATES (TF -> target: mor) and FOOTPRINT (pathway -> gene: weight) edges.

        Marks ``dorothea_hs`` and ``progeny_2018`` loaded (a new sha256: caches refresh).
        """
        t = self.regulator_tables
        for tf, targets in regulons.items():
            for g, mor in targets.items():
                t["tf"].append(tf)
                t["target"].append(g)
                t["mor"].append(float(mor))
        for pathway, genes in (footprints or {}).items():
            for g, w in genes.items():
                t["pathway"].append(pathway)
                t["gene"].append(g)
                t["weight"].append(float(w))
        for name in ("dorothea_hs", "progeny_2018"):
            self.datasets_[name] = {
                "id": name,
                "status": "complete",
                "sha256": uuid.uuid4().hex,
                "loaded_at": _now().isoformat(),
                "version": "memory",
            }

    # -- GraphStore -------------------------------------------------------------------------
    @property
    def identity(self) -> str:
        """A unique ``memory://`` name per instance."""
        return self._identity

    @property
    def cache_dir(self) -> None:
        """Nothing is kept on disk for an in-memory database (it ends with its process)."""
        return None

    @property
    def twins(self) -> MemoryTwins:
        """Patient and twin verbs."""
        return self._twins

    @property
    def reference(self) -> MemoryReference:
        """Reference reads."""
        return self._reference

    @property
    def rankings(self) -> MemoryRankings:
        """Stored rankings."""
        return self._rankings

    @property
    def tissues(self) -> MemoryTissues:
        """Tissue layers (unsupported: multi-tissue twins need Neo4j)."""
        return self._tissues

    @property
    def phenotype_modules(self) -> MemoryPhenotypeModules:
        """Symptom vocabulary and phenotype modules."""
        return self._phenotype_modules

    @property
    def insights(self) -> MemoryInsights:
        """Twin insights."""
        return self._insights

    @property
    def cohorts(self) -> MemoryCohorts:
        """Cohort verbs (unsupported)."""
        return self._cohorts

    @property
    def regulator_network(self) -> MemoryRegulatorNetwork:
        """GDS regulator centrality (unsupported: computed in process)."""
        return self._regulator_network

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """One dataset's properties, or ``None``."""
        got = self.datasets_.get(dataset_id)
        return dict(got) if got is not None else None

    def datasets(self) -> list[dict[str, Any]]:
        """Every dataset, by id."""
        return [dict(d) for _, d in sorted(self.datasets_.items())]

    def counts(self) -> dict[str, Any]:
        """Counts in the shape of :meth:`medtwin.store.neo4j.Neo4jStore.counts`."""

        def entry(n: int) -> dict[str, Any]:
            return {"total": n, "by_source": {"memory": n} if n else {}}

        nodes = {
            Label.PROTEIN.value: entry(len(self.genes)),
            Label.DRUG.value: entry(len(self.drugs)),
            Label.PHENOTYPE.value: entry(len(self.phenotypes)),
            Label.PATIENT.value: entry(len(self.patients)),
        }
        rels = {
            RelType.INTERACTS_WITH.value: entry(len(self.ppi)),
            RelType.BINDS.value: entry(len(self.lr_pairs)),
            RelType.TARGETS.value: entry(sum(len(d["targets"]) for d in self.drugs.values())),
        }
        in_ppi = {g for pair in self.ppi for g in pair}
        targeted = {t["entrez"] for d in self.drugs.values() for t in d["targets"]}
        layers = {
            "interactome_proteins": len(in_ppi),
            "targeted_proteins": len(targeted & set(self.genes)),
            "drugs_with_targets": sum(1 for d in self.drugs.values() if d["targets"]),
            "disease_genes": len(
                {g for sets in self.disease_genes.values() for _, gs in sets.values() for g in gs}
            ),
        }
        return {"nodes": nodes, "relationships": rels, "layers": layers}

    def patient_lock(self, patient_id: str, operation: str) -> AbstractContextManager[str]:
        """The patient's lock; a second holder gets ConflictError at once."""
        return self._hold(patient_id, operation)

    @contextmanager
    def _hold(self, patient_id: str, operation: str) -> Iterator[str]:
        owner = f"{operation}:{uuid.uuid4().hex}"
        with self._lock:
            held = self.locks.get(patient_id)
            if held is not None:
                raise ConflictError(
                    f"patient {patient_id} is busy: {held.partition(':')[0]} is running; "
                    "retry when it has finished"
                )
            self.locks[patient_id] = owner
        try:
            yield owner
        finally:
            with self._lock:
                if self.locks.get(patient_id) == owner:
                    del self.locks[patient_id]

    def release_dead_locks(self) -> int:
        """No process can die holding an in-memory lock: 0."""
        return 0

    def mark_legacy_status(self) -> tuple[int, int]:
        """Every twin here has a status: (0, 0)."""
        return 0, 0

    def unfinished_patients(self) -> list[str]:
        """Patients with a 'building' twin."""
        return sorted(
            pid
            for pid, p in self.patients.items()
            if any(t.props["status"] == "building" for t in p.twins.values())
        )

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Keep events (fields of :class:`~medtwin.store.audit.AuditEvent`); an id kept once."""
        seen = {e["id"] for e in self.audit}
        self.audit.extend(dict(e) for e in events if e["id"] not in seen)

    def audit_events(self, patient_id: str | None, *, limit: int = 100) -> list[AuditEvent]:
        """Events, newest first."""
        rows = [e for e in self.audit if patient_id is None or e.get("patient_id") == patient_id]
        return [
            AuditEvent(
                id=e["id"],
                at=e["at"],
                actor=e["actor"],
                action=e["action"],
                patient_id=e.get("patient_id"),
                route=e["route"],
                status=int(e["status"]),
            )
            for e in reversed(rows[-limit:] if limit else [])
        ]

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists."""
        return patient_id in self.patients

    def readiness(self) -> tuple[str, str]:
        """Always ready."""
        return "memory", "memory"

    def library_rows(self, name: str, params: dict[str, Any]) -> list[LibraryRow]:
        """Unsupported: library statements are Cypher."""
        raise UnsupportedByStore(_UNSUPPORTED.format(what=f"the query library ({name})"))

    def close(self) -> None:
        """Nothing to release."""


if TYPE_CHECKING:  # mypy checks that both stores satisfy the protocol

    def _conforms(memory: MemoryStore, neo: Neo4jStore) -> tuple[GraphStore, GraphStore]:
        return memory, neo
