"""Patient data and twins in Neo4j: inputs, versioned twins, GDS analysis, deletion.

Patient values live only on patient-specific nodes (``Patient``, ``PatientInput``, ``Twin``,
``CellType``, ``Ranking``, each carrying ``patient_id``) and on their relationships; shared
reference nodes are never written. Two patients' twins therefore cannot mix, and deleting a
patient is one look-up by ``patient_id``. A multi-tissue twin's ``Tissue`` nodes and their cell
types are written by :class:`~medtwin.store.tissues.TissueStore`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from typing import Any

from medtwin.domain import TwinAnalysis, TwinSpec
from medtwin.store.gds import Gds, projection_name
from medtwin.store.input_metadata import MetadataSources, replaced_ids, sources_after
from medtwin.store.locks import new_holder
from medtwin.store.not_found import checked_version, no_twin
from medtwin.store.runner import CypherRunner
from medtwin.store.tissues import TissueStore
from medtwin.store.twin_rows import twin_gene_rows, twin_node_props
from medtwin.store.twin_verbs import InputsStored, PatientDeleted

__all__ = ["TwinStore"]

log = logging.getLogger(__name__)

_BATCH = 5000
"""Patient ids per lookup statement (one statement per 5,000 cohort samples)."""


class TwinStore:
    """Patient and twin operations on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    # -- patients --------------------------------------------------------------------------
    def merge_patient(self, patient_id: str, metadata: dict[str, str]) -> None:
        """Create the patient if new; merge ``metadata`` into its explicit edits (no input)."""
        self.add_inputs(patient_id, metadata, [])

    def add_input(self, patient_id: str, input_id: str, props: dict[str, Any]) -> bool:
        """Attach one input; returns whether it was new (the same file twice is one input)."""
        got = self.store.write(
            "patient/merge_input", patient_id=patient_id, input_id=input_id, props=props
        )
        return bool(got and got[0]["created"])

    def record_legacy_metadata(self) -> int:
        """Record the metadata of patients of an earlier medtwin as their legacy part; how many."""
        return int(self.store.write("admin/record_legacy_metadata")[0]["patients"])

    def inputs(self, patient_id: str) -> list[dict[str, Any]]:
        """All inputs of a patient, oldest first."""
        return [r["input"] for r in self.store.read("patient/get_inputs", patient_id=patient_id)]

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
        """Create the patient if new, replace and attach inputs, derive its metadata: one write.

        ``metadata``: explicit key/values (``--note``), kept over what inputs give; each input's
        own are its ``props["metadata_json"]`` (:mod:`medtwin.store.input_metadata`). Which
        earlier inputs go is read first (hold the patient's lock); then one transaction: a
        command killed halfway leaves none of its inputs and removes none of those it replaces.
        """
        before = self._metadata_sources(patient_id)
        gone = replaced_ids(
            before.inputs, {i for i, _ in inputs}, names=replace, slots=slots, ids=ids
        )
        after = sources_after(before, inputs, set(gone), metadata)
        rows = [{"id": i, "seq": n, "props": props} for n, (i, props) in enumerate(inputs)]
        got = self.store.write("patient/add_inputs", id=patient_id, inputs=rows, ids=gone,
                               **after.as_params())  # fmt: skip
        created = {r["id"]: bool(r["created"]) for r in got}
        return InputsStored(
            created=tuple(created.get(i, False) for i, _ in inputs),
            replaced=tuple(got[0]["replaced"]) if got else (),
        )

    def _metadata_sources(self, patient_id: str) -> MetadataSources:
        got = self.store.read("patient/metadata_sources", patient_id=patient_id)
        if got:  # OPTIONAL MATCH without inputs collects one map of nulls
            got[0]["inputs"] = [i for i in got[0]["inputs"] if i.get("id") is not None]
        return MetadataSources(got[0] if got else None)

    def input_digests(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input's ``id``, ``sha256`` and ``name`` only (not its changes), by id."""
        return self.store.read_once("patient/input_digests", patient_id=patient_id)

    def input_list(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input described (``patient/list_inputs``), oldest first."""
        return self.store.read_once("patient/list_inputs", patient_id=patient_id)

    def remove_input(self, patient_id: str, input_id: str) -> dict[str, Any] | None:
        """Remove one input in one statement (``patient/remove_input``); its row, or None.

        The patient's metadata is derived again without what the input gave (hold the lock).
        """
        after = sources_after(self._metadata_sources(patient_id), [], {input_id}, {})
        got = self.store.write(
            "patient/remove_input", patient_id=patient_id, input_id=input_id, **after.as_params()
        )
        return got[0] if got else None

    def latest_twin_inputs(self, patient_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Each patient's latest complete twin (``version``, ``input_checksums_json``) and inputs.

        ``inputs``: each input's ``id``, ``sha256`` and ``name``, by id (one query per batch);
        patients without a complete twin are absent.
        """
        out: list[dict[str, Any]] = []
        ids = list(dict.fromkeys(patient_ids))
        for i in range(0, len(ids), _BATCH):
            out += self.store.read("twin/latest_twin_inputs", ids=ids[i : i + _BATCH])
        return out

    def input_checksums(self, patient_ids: Sequence[str]) -> dict[str, list[str]]:
        """Each input's ``file_checksums_json`` per patient with inputs (one query per batch)."""
        out: dict[str, list[str]] = {}
        ids = list(dict.fromkeys(patient_ids))
        for i in range(0, len(ids), _BATCH):
            for r in self.store.read("patient/input_checksums", ids=ids[i : i + _BATCH]):
                out[r["id"]] = list(r["checksums"])
        return out

    def patient_metadata(self) -> list[dict[str, Any]]:
        """Every patient's id and metadata, by id (``patient/patient_metadata``)."""
        got = self.store.read_raw("patient/patient_metadata")
        if not got:
            return []
        loads = json.loads
        return [
            {"id": pid, "metadata": loads(meta or "{}")}
            for pid, (meta,) in zip(got[0]["ids"], got[0]["metadata"], strict=True)
        ]

    def patients(
        self, patient_id: str | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Patients with counts (one when ``patient_id`` is given; a page with offset / limit)."""
        out = []
        rows = self.store.read("patient/list_patients", id=patient_id, skip=offset, limit=limit)
        for r in rows:
            r["metadata"] = json.loads(r.pop("metadata_json") or "{}")
            out.append(r)
        return out

    def count_patients(self) -> int:
        """How many patients there are."""
        return int(self.store.read("patient/count_patients")[0]["n"])

    def patients_named_alike(self, patient_id: str) -> list[str]:
        """Ids equal to ``patient_id`` but for case, when it is no id (``patients_named_alike``)."""
        return [r["id"] for r in self.store.read("patient/patients_named_alike", id=patient_id)]

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

    def delete_patient(self, patient_id: str) -> tuple[int, int]:
        """Delete every patient-specific node of ``patient_id``; returns (nodes, relationships)."""
        got = self.store.write("patient/delete_patient", patient_id=patient_id)
        return int(got[0]["nodes"]), int(got[0]["relationships"])

    def delete_patients(self, patient_ids: Sequence[str]) -> list[PatientDeleted]:
        """Delete the patients in one transaction (``patient/delete_patients``), each locked."""
        got = self.store.write(
            "patient/delete_patients",
            patient_ids=list(patient_ids),
            **new_holder("patient delete"),
        )
        return [
            PatientDeleted(
                patient_id=r["patient_id"],
                found=bool(r["found"]),
                nodes=int(r["nodes"]),
                relationships=int(r["relationships"]),
                held=r["held"] if r["busy"] else None,
            )
            for r in got
        ]

    def count_patient_data(self, patient_id: str) -> tuple[int, int]:
        """Patient-specific nodes and their relationships still present (0, 0 after delete)."""
        got = self.store.read("patient/count_patient_data", patient_id=patient_id)
        return int(got[0]["nodes"]), int(got[0]["relationships"])

    def count_patients_nodes(self, patient_ids: Sequence[str]) -> dict[str, int]:
        """Patient-specific nodes still present per patient (one read; none: left out)."""
        got = self.store.read("patient/count_patients_data", patient_ids=list(patient_ids))
        return {r["patient_id"]: int(r["nodes"]) for r in got}

    def patients_present(self, patient_ids: Sequence[str]) -> set[str]:
        """Those of ``patient_ids`` that have a Patient node now (one read)."""
        got = self.store.read("patient/patients_present", patient_ids=list(patient_ids))
        return {r["patient_id"] for r in got}

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
