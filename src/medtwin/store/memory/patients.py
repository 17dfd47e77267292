"""Patients and their inputs in the in-memory store: added, described, counted, deleted."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from medtwin.errors import NotFoundError
from medtwin.store.input_metadata import MetadataSources, replaced_ids, sources_after
from medtwin.store.memory.state import MemoryData, PatientState, now
from medtwin.store.twin_verbs import InputsStored, PatientDeleted

__all__ = ["MemoryPatients"]


class MemoryPatients:
    """Patients and inputs over :class:`~medtwin.store.memory.MemoryStore`'s dictionaries.

    The base of :class:`~medtwin.store.memory.twins.MemoryTwins` (``store.twins``).
    """

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

    # -- deletion --------------------------------------------------------------------------
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
