"""Twins in Neo4j: versioned twins, what is stored on them, GDS analysis.

Patient values live only on patient-specific nodes (``Patient``, ``PatientInput``, ``Twin``,
``CellType``, ``Ranking``, each carrying ``patient_id``) and on their relationships; shared
reference nodes are never written. Two patients' twins therefore cannot mix, and deleting a
patient is one look-up by ``patient_id``. A multi-tissue twin's ``Tissue`` nodes and their cell
types are written by :class:`~medtwin.store.tissues.TissueStore`; patients and their inputs by
:class:`~medtwin.store.patients.PatientStore`, :class:`TwinStore`'s base.
"""

from __future__ import annotations

import logging
from typing import Any

from medtwin.domain import TwinAnalysis, TwinSpec
from medtwin.store.gds import Gds, projection_name
from medtwin.store.not_found import checked_version, no_twin
from medtwin.store.patients import PatientStore
from medtwin.store.tissues import TissueStore
from medtwin.store.twin_rows import twin_gene_rows, twin_node_props

__all__ = ["TwinStore"]

log = logging.getLogger(__name__)


class TwinStore(PatientStore):
    """Patient and twin operations on a :class:`~medtwin.store.runner.CypherRunner`."""

    # -- activities -----------------------------------------------------------------------
    def save_activity(
        self, twin_id: str, tfs: list[dict[str, Any]], pathways: list[dict[str, Any]]
    ) -> int:
        """Store the twin's ACTIVITY edges (rows: id, score, p, q, method, n_targets)."""
        got = self.store.write("twin/create_activity", twin_id=twin_id, tfs=tfs, pathways=pathways)
        return int(got[0]["n"]) if got else 0

    def activity(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored activities: kind, id, name, score, p, q, method, n_targets."""
        return self.store.read("twin/get_twin_activity", twin_id=twin_id)

    def save_upstream_regulators(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Replace the twin's UPSTREAM_REGULATOR edges (rows: id, rank, centrality, ...)."""
        got = self.store.write("twin/create_upstream_regulators", twin_id=twin_id, rows=rows)
        return int(got[0]["n"]) if got else 0

    def upstream_regulators(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored upstream regulators, most central first (empty when none)."""
        return self.store.read("twin/get_twin_upstream_regulators", twin_id=twin_id)

    def save_context_activity(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Store the twin's ACTIVITY edges per cell type / tissue."""
        if not rows:
            return 0
        got = self.store.write("twin/create_context_activity", twin_id=twin_id, rows=rows)
        return int(got[0]["n"]) if got else 0

    def context_activity(self, twin_id: str, context: str) -> list[dict[str, Any]]:
        """Stored activities of one ``context`` (``cell_type`` or ``tissue``)."""
        return self.store.read("twin/get_context_activity", twin_id=twin_id, context=context)

    # -- twins -----------------------------------------------------------------------------
    def next_version(self, patient_id: str) -> int:
        """Version number the next twin of ``patient_id`` gets."""
        return int(self.store.read("twin/next_version", patient_id=patient_id)[0]["version"])

    def create_twin(self, spec: TwinSpec, version: int) -> str:
        """Materialise a twin spec as version ``version``; returns the twin id."""
        props = twin_node_props(spec, version)
        twin_id = str(props["id"])
        self.store.write("twin/create_twin", patient_id=spec.patient_id, props=props)
        rows = twin_gene_rows(spec)
        self.store.write("twin/create_includes", twin_id=twin_id, rows=rows)
        if spec.symptoms:
            self.store.write("twin/create_presents", twin_id=twin_id, ids=list(spec.symptoms))
        if spec.cell_types:
            self.store.write(
                "twin/create_cell_types",
                twin_id=twin_id,
                patient_id=spec.patient_id,
                rows=[{"name": k, "genes": list(v)} for k, v in spec.cell_types.items()],
            )
            self.store.write(
                "twin/create_signals",
                twin_id=twin_id,
                rows=[
                    {"source": s.source, "target": s.target, "pairs": list(s.pairs)}
                    for s in spec.signals
                ],
            )
        if spec.tissues:
            TissueStore(self.store).create_layer(
                twin_id,
                spec.patient_id,
                [
                    {"tissue": tissue, "name": name, "genes": list(genes)}
                    for tissue, cells in spec.tissues.items()
                    for name, genes in cells.items()
                ],
                [
                    {
                        "source_tissue": s.source_tissue,
                        "source": s.source,
                        "target_tissue": s.target_tissue,
                        "target": s.target,
                        "pairs": list(s.pairs),
                        "cross_tissue": s.cross_tissue,
                    }
                    for s in spec.tissue_signals
                ],
            )
        return twin_id

    def complete_twin(self, twin_id: str, props: dict[str, Any]) -> None:
        """Set the build summary and make the twin visible (status ``'complete'``), in one write."""
        self.store.write("twin/complete_twin", twin_id=twin_id, props=props)

    def delete_unfinished(self, patient_id: str) -> tuple[int, int]:
        """Remove 'building' twins and rankings of a patient (hold its lock); (twins, rankings)."""
        got = self.store.write("twin/delete_unfinished", patient_id=patient_id)
        return int(got[0]["twins"]), int(got[0]["rankings"])

    def delete_twin(self, twin_id: str) -> None:
        """Delete one twin version (rollback of a failed build)."""
        self.store.write("twin/delete_twin", twin_id=twin_id)

    def twins(self, patient_id: str, version: int | None = None) -> list[dict[str, Any]]:
        """Twin versions of a patient, newest first; empty if none (:meth:`twin` raises)."""
        got = [
            r["twin"]
            for r in self.store.read("twin/get_twins", patient_id=patient_id, version=version)
        ]
        return got

    def twin(self, patient_id: str, version: int | None = None) -> dict[str, Any]:
        """One twin (latest by default)."""
        got = self.twins(patient_id, checked_version(version))
        if not got:
            exists = self.store.read("patient/patient_exists", id=patient_id)
            # the versions it has, named in the error (read only when the one asked is missing)
            have = [int(t["version"]) for t in self.twins(patient_id)] if version else []
            raise no_twin(
                patient_id,
                version,
                patient_exists=bool(exists and exists[0]["exists"]),
                versions=have,
            )
        return got[0]

    def genes(self, twin_id: str) -> list[dict[str, Any]]:
        """Genes of a twin with values and centralities, by PageRank."""
        return self.store.read("twin/get_twin_genes", twin_id=twin_id)

    def symptoms(self, twin_id: str) -> list[dict[str, Any]]:
        """Symptoms the twin presents."""
        return self.store.read("twin/get_twin_symptoms", twin_id=twin_id)

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types of the twin by PageRank."""
        return self.store.read("twin/get_twin_cell_types", twin_id=twin_id)

    def edges(self, twin_id: str) -> list[dict[str, Any]]:
        """PPI and signalling edges of the twin."""
        return self.store.read("twin/get_twin_edges", twin_id=twin_id)

    def set_props(self, twin_id: str, props: dict[str, Any]) -> None:
        """Update twin properties."""
        self.store.write("twin/set_twin_props", twin_id=twin_id, props=props)

    # -- GDS -------------------------------------------------------------------------------
    def _gds(self) -> Gds:
        s = self.store.settings
        return Gds(self.store.driver, s.neo4j_database, s.neo4j_uri)

    def louvain_modularity(self, twin_id: str) -> tuple[float, int]:
        """GDS's modularity of the twin's Louvain partition, and its number of communities.

        On the projection :meth:`analyse` runs Louvain on (the same partition, concurrency 1):
        the figure the oracle check compares with networkx (``benchmarks/louvain_oracle.py``).
        """
        gds = self._gds()
        name = projection_name("twin", twin_id, {"kind": "ppi", "check": "modularity"})
        with gds.projection(name, "gds/project_twin", twin_id=twin_id) as graph:
            return gds.louvain_modularity(graph)

    def analyse(self, twin_id: str, analysis: TwinAnalysis) -> dict[str, Any]:
        """Run the graph algorithms ``analysis`` names on the twin; store results on its genes.

        The caller (:mod:`medtwin.platform.twins`) decides which algorithms a twin gets; this
        runs them with GDS on the twin's PPI projection (scores normalised to sum 1), and the
        weighted PageRank of its cell-type signalling network when asked. Returns a summary for
        the Twin node.
        """
        gds = self._gds()
        wanted = set(analysis.algorithms)
        # The twin id is "<patient>@v<version>": the name hashes it exactly, so two patients'
        # builds (or two versions) never share a projection.
        name = projection_name("twin", twin_id, {"kind": "ppi"})
        pr: dict[str, float] = {}
        ppr: dict[str, float] = {}
        bc: dict[str, float] = {}
        comm: dict[str, int] = {}
        with gds.projection(name, "gds/project_twin", twin_id=twin_id) as graph:
            if "pagerank" in wanted:
                pr = {s.id: s.value for s in gds.pagerank(graph)}
            if "personalised_pagerank" in wanted and analysis.seeds:
                sources = gds.internal_ids(graph, list(analysis.seeds))
                if sources:
                    ppr = {s.id: s.value for s in gds.pagerank(graph, sources=sources)}
            if "betweenness" in wanted:
                bc = {s.id: s.value for s in gds.betweenness(graph)}
            if "louvain" in wanted:
                comm = {s.id: int(s.value) for s in gds.louvain(graph)}
        total_pr = sum(pr.values()) or 1.0
        total_ppr = sum(ppr.values()) or 1.0
        rows = [
            {
                "id": gid,
                "pagerank": pr[gid] / total_pr if pr else None,
                "personalised_pagerank": ppr.get(gid, 0.0) / total_ppr if ppr else None,
                "betweenness": bc.get(gid),
                "community": comm.get(gid),
            }
            for gid in sorted(set(pr) | set(ppr) | set(bc) | set(comm))
        ]
        if rows:
            self.store.write("twin/set_gene_scores", twin_id=twin_id, rows=rows)
        n_cell_types = len(self.cell_types(twin_id))
        if n_cell_types and analysis.cell_type_pagerank:
            cname = projection_name("celltypes", twin_id, {"kind": "cells"})
            with gds.projection(cname, "gds/project_cell_types", twin_id=twin_id) as graph:
                cpr = gds.pagerank(graph, weight="weight")
            total = sum(s.value for s in cpr) or 1.0
            self.store.write(
                "twin/set_cell_type_scores",
                rows=[{"id": s.id, "pagerank": s.value / total} for s in cpr],
            )
        return {
            "n_communities": len(set(comm.values())),
            "gds_concurrency": 1,
            "n_cell_types": n_cell_types,
        }
