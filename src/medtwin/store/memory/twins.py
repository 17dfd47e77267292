"""Patients, inputs and twins of the in-memory store."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from medtwin.domain import TwinAnalysis, TwinSpec
from medtwin.errors import NotFoundError
from medtwin.schema import Label, RelType
from medtwin.store.input_metadata import MetadataSources, replaced_ids, sources_after
from medtwin.store.memory.state import MemoryData, PatientState, TwinState, now
from medtwin.store.not_found import checked_version, no_twin
from medtwin.store.twin_rows import twin_gene_rows, twin_node_props
from medtwin.store.twin_verbs import InputsStored, PatientDeleted

__all__ = ["MemoryTwins"]


class MemoryTwins:
    """Patients, inputs and twins over :class:`~medtwin.store.memory.MemoryStore`'s dictionaries."""

    def __init__(self, store: MemoryData) -> None:
        self.store = store

    def _patient(self, patient_id: str) -> PatientState:
        p = self.store.patients.get(patient_id)
        if p is None:
            raise NotFoundError(f"no patient {patient_id}")
        return p

    # -- patients ---------------------------------------------------------------------------
    def merge_patient(self, patient_id: str, metadata: dict[str, str]) -> None:
        """Create the patient if new; merge ``metadata`` into its explicit edits (no input)."""
        self.add_inputs(patient_id, metadata, [])

    def record_legacy_metadata(self) -> int:
        """Record the metadata of patients made as an earlier medtwin did as their legacy part."""
        old = [p for p in self.store.patients.values() if p.legacy is None]
        for p in old:
            p.legacy = dict(p.metadata)
        return len(old)

    def _sources(self, p: PatientState) -> MetadataSources:
        """What ``p``'s metadata is derived from (as ``patient/metadata_sources`` reads it)."""
        return MetadataSources(
            {
                "metadata_json": json.dumps(p.metadata),
                "legacy_json": None if p.legacy is None else json.dumps(p.legacy),
                "edits_json": json.dumps(p.edits),
                "inputs": list(p.inputs.values()),
            }
        )

    def _derive(self, p: PatientState, after: MetadataSources) -> None:
        p.legacy, p.edits, p.metadata = after.legacy, after.edits, after.derived()

    def add_input(self, patient_id: str, input_id: str, props: dict[str, Any]) -> bool:
        """Attach one input; whether it was new (as in the graph: nothing without the patient)."""
        p = self.store.patients.get(patient_id)
        if p is None:
            return False
        created = input_id not in p.inputs
        current = p.inputs.setdefault(
            input_id, {"id": input_id, "patient_id": patient_id, "added_at": now()}
        )
        current.update(props)
        return created

    def inputs(self, patient_id: str) -> list[dict[str, Any]]:
        """Inputs, oldest first."""
        p = self.store.patients.get(patient_id)
        return [dict(i) for i in p.inputs.values()] if p is not None else []

    def add_inputs(
        self,
        patient_id: str,
        metadata: dict[str, str],
        inputs: Sequence[tuple[str, dict[str, Any]]],
        *,
        replace: Collection[str] = (),
        slots: Collection[str] = (),
        ids: Collection[str] = (),
    ) -> InputsStored:
        """Create the patient if new, merge ``metadata``, replace and attach the inputs.

        All or nothing as in the graph: plain dict updates, nothing here fails halfway.
        """
        p = self.store.patients.setdefault(patient_id, PatientState({}, now(), legacy={}))
        before = self._sources(p)
        keep = {i for i, _ in inputs}
        ids = replaced_ids(before.inputs, keep, names=replace, slots=slots, ids=ids)
        self._derive(p, sources_after(before, inputs, set(ids), metadata))
        gone = [_described(p.inputs.pop(i)) for i in ids]
        created = tuple(self.add_input(patient_id, i, props) for i, props in inputs)
        return InputsStored(created=created, replaced=tuple(gone))

    def input_digests(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input's ``id``, ``sha256`` and ``name`` only, by id."""
        p = self.store.patients.get(patient_id)
        rows = p.inputs.values() if p is not None else ()
        got = [{"id": i["id"], "sha256": i.get("sha256"), "name": i.get("name")} for i in rows]
        return sorted(got, key=lambda r: r["id"])

    def input_list(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input described, oldest first (as ``patient/list_inputs``)."""
        p = self.store.patients.get(patient_id)
        return [_described(i) for i in p.inputs.values()] if p is not None else []

    def remove_input(self, patient_id: str, input_id: str) -> dict[str, Any] | None:
        """Remove one input; its :meth:`input_list` row, or None when the patient has none such."""
        p = self.store.patients.get(patient_id)
        if p is None or input_id not in p.inputs:
            return None
        self._derive(p, sources_after(self._sources(p), [], {input_id}, {}))
        return _described(p.inputs.pop(input_id))

    def latest_twin_inputs(self, patient_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Each patient's latest complete twin (version, input digests) and inputs now."""
        out = []
        for pid in dict.fromkeys(patient_ids):
            got = self.twins(pid) if pid in self.store.patients else []
            if got:
                out.append(
                    {
                        "id": pid,
                        "version": got[0]["version"],
                        "rules": got[0].get("rules"),
                        "input_checksums_json": got[0]["input_checksums_json"],
                        "inputs": self.input_digests(pid),
                    }
                )
        return out

    def input_checksums(self, patient_ids: Sequence[str]) -> dict[str, list[str]]:
        """Each input's ``file_checksums_json`` per patient with inputs."""
        out: dict[str, list[str]] = {}
        for pid in patient_ids:
            p = self.store.patients.get(pid)
            if p is not None and p.inputs:
                # As Cypher's collect(): an input without the property adds nothing.
                got = (i.get("file_checksums_json") for i in p.inputs.values())
                out[pid] = [c for c in got if c is not None]
        return out

    def patient_metadata(self) -> list[dict[str, Any]]:
        """Every patient's id and metadata, by id."""
        return [
            {"id": pid, "metadata": dict(self.store.patients[pid].metadata)}
            for pid in sorted(self.store.patients)
        ]

    def patients(
        self, patient_id: str | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Patients with counts, by id (a page with offset / limit)."""
        out = []
        ids = [i for i in sorted(self.store.patients) if patient_id is None or i == patient_id]
        for pid in ids[offset : None if limit is None else offset + limit]:
            p = self.store.patients[pid]
            unmapped = {u for i in p.inputs.values() for u in i.get("unmapped") or []}
            # names past an input's first UNMAPPED_KEPT are counted, not stored (as the server)
            unlisted = sum(
                (i.get("unmapped_count") or len(i.get("unmapped") or []))
                - len(i.get("unmapped") or [])
                for i in p.inputs.values()
            )
            out.append(
                {
                    "id": pid,
                    "metadata": dict(p.metadata),
                    "created_at": p.created_at,
                    "inputs": len(p.inputs),
                    "genes": _distinct_genes(p.inputs.values()),
                    "symptoms": [s for i in p.inputs.values() for s in i.get("symptoms") or []],
                    "unmapped": unlisted + len(unmapped),
                    "unmapped_genes": sorted(unmapped)[:10],
                    "versions": sorted(
                        v for v, t in p.twins.items() if t.props["status"] == "complete"
                    ),
                }
            )
        return out

    def count_patients(self) -> int:
        """How many patients there are."""
        return len(self.store.patients)

    def patients_named_alike(self, patient_id: str) -> list[str]:
        """Ids equal to ``patient_id`` but for case, when it is no id (first 5, by id)."""
        if patient_id in self.store.patients:
            return []
        key = patient_id.lower()
        return sorted(i for i in self.store.patients if i.lower() == key)[:5]

    def _counts(self, p: PatientState) -> tuple[int, int]:
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
        t = self.store.twin_of(twin_id)
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
        t = self.store.twin_or_none(twin_id)
        rows = [] if t is None else t.activity
        return sorted(rows, key=lambda r: (-abs(r["score"]), r["id"]))

    def save_upstream_regulators(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Replace the twin's upstream regulators (genes of the gene layer only, as in Neo4j)."""
        t = self.store.twin_of(twin_id)
        genes = self.store.genes
        t.upstream_regulators = [
            {**r, "symbol": genes[r["id"]].get("symbol") or r["id"]}
            for r in rows
            if r["id"] in genes
        ]
        return len(t.upstream_regulators)

    def upstream_regulators(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored upstream regulators, most central first."""
        return sorted(self.store.twin_of(twin_id).upstream_regulators, key=lambda r: int(r["rank"]))

    def save_context_activity(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Keep the activities per cell type / tissue (TFs only for genes of the gene layer)."""
        t = self.store.twin_of(twin_id)
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
        t = self.store.twin_or_none(twin_id)
        rows = [] if t is None else [r for r in t.context_activity if r["context"] == context]
        return sorted(
            rows,
            key=lambda r: (r["tissue"] or "", r["cell_type"] or "", -abs(r["score"]), r["id"]),
        )

    def delete_patient(self, patient_id: str) -> tuple[int, int]:
        """Remove the patient and everything of it; (nodes, relationships)."""
        p = self.store.patients.pop(patient_id, None)
        return self._counts(p) if p is not None else (0, 0)

    def delete_patients(self, patient_ids: Sequence[str]) -> list[PatientDeleted]:
        """:meth:`delete_patient` of each, under the store's lock; a locked patient is kept."""
        out = []
        with self.store._lock:
            for pid in patient_ids:
                held = self.store.locks.get(pid)
                if held is not None:
                    lock = {"owner": held, "operation": held.partition(":")[0]}
                    out.append(PatientDeleted(pid, pid in self.store.patients, 0, 0, lock))
                    continue
                found = pid in self.store.patients
                out.append(PatientDeleted(pid, found, *self.delete_patient(pid)))
        return out

    def count_patient_data(self, patient_id: str) -> tuple[int, int]:
        """Patient-specific nodes and relationships present."""
        p = self.store.patients.get(patient_id)
        return self._counts(p) if p is not None else (0, 0)

    def count_patients_nodes(self, patient_ids: Sequence[str]) -> dict[str, int]:
        """Patient-specific nodes present per patient (a patient with none: left out)."""
        counts = {pid: self.count_patient_data(pid)[0] for pid in patient_ids}
        return {pid: n for pid, n in counts.items() if n}

    def patients_present(self, patient_ids: Sequence[str]) -> set[str]:
        """Those of ``patient_ids`` that are stored."""
        return {pid for pid in patient_ids if pid in self.store.patients}

    # -- twins ------------------------------------------------------------------------------
    def next_version(self, patient_id: str) -> int:
        """1 + the highest version, unfinished ones included."""
        p = self.store.patients.get(patient_id)
        return max(p.twins, default=0) + 1 if p is not None else 1

    def create_twin(self, spec: TwinSpec, version: int) -> str:
        """Store ``spec`` as a 'building' twin; returns its id."""
        p = self._patient(spec.patient_id)
        props = twin_node_props(spec, version)
        props.update(patient_id=spec.patient_id, created_at=now(), status="building")
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
        twin = TwinState(props=props, genes=genes)
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
        t = self.store.twin_of(twin_id)
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
        got = self.twins(patient_id, checked_version(version))
        if not got:
            have = [int(t["version"]) for t in self.twins(patient_id)] if version else []
            raise no_twin(
                patient_id,
                version,
                patient_exists=patient_id in self.store.patients,
                versions=have,
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
            for e, g in self.store.twin_of(twin_id).genes.items()
        ]
        return sorted(rows, key=lambda r: (-(r["pagerank"] or 0.0), r["entrez"]))

    def symptoms(self, twin_id: str) -> list[dict[str, Any]]:
        """Presented symptoms, most module genes first."""
        t = self.store.twin_or_none(twin_id)
        rows = [] if t is None else [dict(s) for s in t.symptoms]
        return sorted(rows, key=lambda r: (-r["genes_in_module"], r["id"]))

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types by PageRank, with signal counts."""
        t = self.store.twin_of(twin_id)
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
        """PPI among the twin's genes, signalling among its cell types, their changed genes."""
        t = self.store.twin_of(twin_id)
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
        changes = [  # EXPRESSES_CHANGE, as in Neo4j only to the twin's own (drawn) proteins
            {"source": f"{twin_id}/{name}", "target": g, "kind": "EXPRESSES_CHANGE", "weight": None}
            for name, c in t.cell_types.items()
            for g in c["genes"]
            if g in t.genes
        ]
        return ppi + cells + changes

    def set_props(self, twin_id: str, props: dict[str, Any]) -> None:
        """Update twin properties."""
        self.store.twin_of(twin_id).props.update(props)

    def analyse(self, twin_id: str, analysis: TwinAnalysis) -> dict[str, Any]:
        """The algorithms of ``analysis`` with networkx on the twin's PPI subgraph."""
        import networkx as nx

        t = self.store.twin_of(twin_id)
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


def _distinct_genes(inputs: Iterable[dict[str, Any]]) -> int:
    """Distinct genes over the inputs, as ``patient/list_patients`` counts them.

    An input stored before inputs carried ``gene_ids`` adds its own ``n_changes``.
    """
    listed: set[str] = set()
    unlisted = 0
    for i in inputs:
        if i.get("gene_ids") is None:
            unlisted += int(i.get("n_changes") or 0)
        else:
            listed.update(i["gene_ids"])
    return unlisted + len(listed)


def _described(row: dict[str, Any]) -> dict[str, Any]:
    """One input as ``patient/list_inputs`` describes it."""
    genes = row.get("gene_ids")
    return {
        "id": row["id"],
        "kind": row.get("kind"),
        "name": row.get("name"),
        "slot": row.get("slot"),
        "added_at": row.get("added_at"),
        "genes": len(genes) if genes is not None else int(row.get("n_changes") or 0),
        "symptoms": len(row.get("symptoms") or ()),
        "time_points": list(row.get("time_points") or ()),
        "files_json": row.get("file_checksums_json"),
        "metadata_json": row.get("metadata_json"),
    }
