"""Versioned twins of the in-memory store and what is stored on them (activities, regulators).

Patients and inputs are :class:`~medtwin.store.memory.patients.MemoryPatients`', its base.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medtwin.domain import TwinAnalysis, TwinSpec
from medtwin.schema import Label, RelType
from medtwin.store.memory.patients import MemoryPatients
from medtwin.store.memory.state import TwinState, now
from medtwin.store.not_found import checked_version, no_twin
from medtwin.store.twin_rows import twin_gene_rows, twin_node_props

__all__ = ["MemoryTwins"]


class MemoryTwins(MemoryPatients):
    """Patients, inputs and twins over :class:`~medtwin.store.memory.MemoryStore`'s dictionaries."""

    # -- activities -----------------------------------------------------------------------
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
