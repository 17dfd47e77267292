"""Typed results of the patient use cases: a patient, a twin version, what a delete removed.

Frozen pydantic models (stable JSON for ``--json`` and the API) of ``patient list``/``show``/
``delete`` and ``twin build``. What a twin holds inside is in
:mod:`medtwin.platform.twin_models`, rankings and explanations in
:mod:`medtwin.platform.ranking_models`; :mod:`medtwin.platform.models` re-exports all three.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from medtwin.domain import TwinParams
from medtwin.platform.frozen_model import FrozenModel
from medtwin.platform.gating import ModuleGated

__all__ = ["DeleteReport", "InputRemoved", "InputSummary", "PatientSummary", "TwinSummary"]


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
        "tissue=synovium time=w12`), by which `--replace` replaces it; null for a cohort "
        "sample, the demo's and a Python profile, and for inputs stored before it was kept "
        "(`--replace` reads their changes for it).",
    )
    added_at: datetime | None = None
    genes: int = Field(description="Distinct genes it changes.")
    symptoms: int = Field(description="Symptom terms it gives.")
    time_points: tuple[str, ...] = ()

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


class DeleteReport(FrozenModel):
    """What ``patient delete`` removed."""

    patient_id: str
    nodes_deleted: int
    relationships_deleted: int
    remaining_patient_nodes: int
    lock_released: str | None = None
    """Set when the id had no patient, only the lock of a killed operation, which was removed."""


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
