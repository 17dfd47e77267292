"""Patients and their inputs in Neo4j: added, described, counted, deleted.

Patient values live only on patient-specific nodes (``Patient``, ``PatientInput``, ``Twin``,
``CellType``, ``Ranking``, each carrying ``patient_id``), so deleting a patient is one look-up by
``patient_id``. :class:`PatientStore` is the base of :class:`~medtwin.store.twins.TwinStore`
(``store.twins``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from medtwin.store.input_metadata import MetadataSources, replaced_ids, sources_after
from medtwin.store.locks import new_holder
from medtwin.store.runner import CypherRunner
from medtwin.store.twin_verbs import InputsStored, PatientDeleted

__all__ = ["PatientStore"]

_BATCH = 5000
"""Patient ids per lookup statement (one statement per 5,000 cohort samples)."""


class PatientStore:
    """Patient and input operations on a :class:`~medtwin.store.runner.CypherRunner`."""

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

    # -- deletion --------------------------------------------------------------------------
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
