"""Typed results of the patient use cases: a patient, a twin version, what a delete removed.

Frozen pydantic models (stable JSON for ``--json`` and the API) of ``patient list``/``show``/
``delete`` and ``twin build``. What a twin holds inside is in
:mod:`medtwin.platform.twin_models`, rankings and explanations in
:mod:`medtwin.platform.ranking_models`; :mod:`medtwin.platform.models` re-exports all three.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from medtwin.domain import TwinParams
from medtwin.platform.frozen_model import FrozenModel
from medtwin.platform.gating import ModuleGated

__all__ = [
    "AddOutcome",
    "DeleteFailure",
    "DeleteReport",
    "InputRemoved",
    "InputSummary",
    "PatientStored",
    "PatientSummary",
    "PatientsDeleted",
    "TwinSummary",
]


class InputSummary(FrozenModel):
    """One input of a patient, described (``patient show``; what ``remove-input`` removed)."""

    id: str = Field(
        description="The input's whole id, `<patient>/<16 hex digits of its digest>`; "
        "`patient remove-input` takes it, its hex part or a unique prefix of that."
    )
    kind: str | None = Field(
        description="How it was read: de, proteins, variants, vcf, mutations, h5ad, fhir, "
        "symptoms, cohort (a sample of `patient add-cohort`), profile (a Python PatientProfile)."
    )
    name: str | None = Field(
        description="The base names of the files it was read from (the API's as uploaded; a "
        "cohort sample's: its matrix and sample sheet), or its kind when read from no file."
    )
    slot: str | None = Field(
        default=None,
        description="Its kind and labels (tissues, time points, a table's cell types: `de "
        "tissue=synovium time=w12`; a cohort sample's: its cohort, `cohort "
        "cohort=omics_ra_pbmc_gse15573`), by which `--replace` replaces it; null for the demo's "
        "and a Python profile, and for inputs stored before it was kept (`--replace` reads "
        "their changes for it).",
    )
    added_at: datetime | None = None
    genes: int = Field(description="Distinct genes it changes.")
    symptoms: int = Field(description="Symptom terms it gives.")
    time_points: tuple[str, ...] = ()
    files: dict[str, str] = Field(
        default_factory=dict,
        description="The files it was read from: name -> sha256 of the bytes read (empty: "
        "symptoms, a Python profile without files).",
    )
    metadata: dict[str, str] | None = Field(
        default=None,
        description="The key/values it gives the patient's metadata (a later input wins per "
        "key; the patient's explicit ones, `--note`, win over all); null for an input stored "
        "before inputs recorded theirs (the patient's metadata of then is kept whole).",
    )

    @model_validator(mode="before")
    @classmethod
    def _stored_json(cls, row: Any) -> Any:
        """A store's row carries ``files_json`` and ``metadata_json`` (JSON text): parsed."""
        if isinstance(row, Mapping) and ("files_json" in row or "metadata_json" in row):
            row = dict(row)
            files, meta = row.pop("files_json", None), row.pop("metadata_json", None)
            row.setdefault("files", json.loads(files) if files else {})
            row.setdefault("metadata", json.loads(meta) if meta is not None else None)
        return row

    @property
    def short_id(self) -> str:
        """The hex part of :attr:`id` (what ``patient show`` prints)."""
        return self.id.rsplit("/", 1)[-1]


class InputRemoved(FrozenModel):
    """What ``patient remove-input`` removed, and what the patient keeps."""

    patient_id: str
    removed: InputSummary
    inputs_left: int = Field(description="The patient's inputs after the removal.")
    stale_note: str | None = Field(
        default=None,
        description="Set when the patient's latest twin now predates its inputs (it was built "
        "with the removed input): the note `twin show` gives, with the step that builds a "
        "current one in the caller's words.",
    )


class PatientSummary(FrozenModel):
    """One patient and what is stored for them."""

    id: str
    inputs: int
    genes: int
    """Distinct genes changed over the inputs (a gene in two inputs counts once; an input
    stored before inputs carried their gene ids adds its own count)."""
    symptoms: tuple[str, ...]
    metadata: dict[str, str]
    twin_versions: tuple[int, ...]
    created_at: datetime | None = None
    endotype: int | None = None
    """The patient's community in the latest ``cohort stratify`` that placed it (None: none)."""
    endotype_method: str | None = None
    endotype_note: str | None = None
    """Set when a patient of that stratification was deleted since: the endotype predates the
    deletion, and the note names the command that refreshes it (``platform/endotypes.py``)."""
    unmapped: int = 0
    """Distinct gene names of the inputs that did not resolve to a gene (in no twin)."""
    unmapped_genes: tuple[str, ...] = ()
    """The first 10 of them by name."""
    input_list: tuple[InputSummary, ...] | None = Field(
        default=None,
        description="The inputs one by one, oldest first, each with its id (for `patient "
        "remove-input`): in `patient show`, `GET /v1/patients/{id}` and the adds' results; "
        "null in the lists of patients.",
    )


AddOutcome = Literal["added", "unchanged", "replaced"]
"""What an add did to one patient: stored a new input (``added``), nothing (``unchanged``: every
input was stored already, same content, same slot) or removed earlier inputs (``replaced``)."""


class PatientStored(PatientSummary):
    """A patient as an add left it, with what the add did to it (``patient add-cohort`` rows)."""

    outcome: AddOutcome = Field(
        description="added: a new input was stored; unchanged: every input was stored already "
        "(same content: a rerun); replaced: earlier inputs were removed (`replaced`)."
    )
    inputs_added: int = Field(description="Inputs of this add that were new.")
    inputs_unchanged: int = Field(description="Inputs of this add that were stored already.")
    replaced: tuple[InputSummary, ...] = Field(
        default=(),
        description="The earlier inputs this add removed (`replace`): those of the same file "
        "names, or of the same kind and labels (`slot`), oldest first; empty without `replace`.",
    )


def add_outcome(added: int, replaced: int) -> AddOutcome:
    """``replaced`` when anything was, else ``added`` when an input was new, else ``unchanged``.

    >>> add_outcome(0, 0), add_outcome(1, 0), add_outcome(0, 1)
    ('unchanged', 'added', 'replaced')
    """
    return "replaced" if replaced else "added" if added else "unchanged"


class DeleteReport(FrozenModel):
    """What ``patient delete`` removed."""

    patient_id: str
    nodes_deleted: int
    relationships_deleted: int
    remaining_patient_nodes: int
    lock_released: str | None = None
    """Set when the id had no patient, only the lock of a killed operation, which was removed."""


class DeleteFailure(FrozenModel):
    """One patient a batched deletion did not delete, and why."""

    patient_id: str
    error: str
    """The error's class name: ``NotFoundError`` (no such patient), ``ConflictError`` (busy)."""
    message: str


class PatientsDeleted(FrozenModel):
    """What ``patient delete P1 P2 …`` (or ``--cohort``) did, patient by patient.

    The patients are deleted in batches of whole patients, one transaction each: a run that
    stops midway (the server went away) has deleted exactly ``deleted`` and
    ``deleted_uncounted``; ``not_done`` were not touched, ``unknown`` could not be read back (a
    rerun deletes them; the ones deleted already are then "no patient").
    """

    deleted: tuple[DeleteReport, ...]
    """Each patient deleted (its ``remaining_patient_nodes`` read back after the batches)."""
    failed: tuple[DeleteFailure, ...] = ()
    """Patients not deleted: no such patient, or busy (another operation holds its lock)."""
    not_done: tuple[str, ...] = ()
    """Patients not deleted because the run stopped (``stopped`` says why): not tried, or of the
    batch that failed and read back still there."""
    deleted_uncounted: tuple[str, ...] = ()
    """Patients of the batch that failed (its commit's answer lost) that the database no longer
    has: that commit deleted them; their node and relationship counts are unknown."""
    unknown: tuple[str, ...] = ()
    """Patients of the batch that failed whose state could not be read back (the database did
    not answer): deleted or whole; the same command again deletes the ones left."""
    stopped: str | None = None
    nodes_deleted: int = 0
    relationships_deleted: int = 0
    remaining_patient_nodes: int = 0
    """Nodes of the deleted patients found when they were read again after the deletion (0)."""

    @property
    def deleted_ids(self) -> list[str]:
        """Patients this run deleted: with counts (``deleted``), without (``deleted_uncounted``)."""
        return [d.patient_id for d in self.deleted] + list(self.deleted_uncounted)

    @property
    def failed_ids(self) -> list[str]:
        """Patients named but not deleted (failed or not tried): their audit event is a failure."""
        return [f.patient_id for f in self.failed] + list(self.not_done) + list(self.unknown)


class TwinSummary(ModuleGated):
    """One twin version (with the module gate: ``module_significant``, ``module_note``)."""

    id: str
    patient_id: str
    version: int
    created_at: datetime
    params: TwinParams
    params_hash: str
    input_checksums: dict[str, str]
    n_seeds: int
    n_genes: int
    module_size: int
    module_z: float | None
    module_p: float | None
    n_symptoms: int
    n_cell_types: int = Field(
        description="Cell types of the twin: its own and those of its tissues (a multi-tissue "
        "twin's hang off its tissues), as `twin show` lists them."
    )
    seconds: float | None = None
    input_conflicts: str | None = Field(
        default=None,
        description="Set when the patient's inputs disagree on a gene's direction of change: "
        "how many genes, a few examples, and the value kept (the change with the most evidence).",
    )
    stale_note: str | None = Field(
        default=None,
        description="Set when this version predates the patient's inputs (an input added, "
        "changed or removed since it was built), with the step that builds a current one in the "
        "caller's words (an API route, a command, a Python call); the words of `twin show`, "
        "`rank` and the report.",
    )
    activity_note: str | None = Field(
        default=None,
        description="Why the twin has no twin-level TF/pathway activities and upstream "
        "regulators (no vector of every measured gene: medtwin.platform.activity_inputs); "
        "null when it has them or was built before this was kept.",
    )
