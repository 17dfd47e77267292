"""The store's verbs of patients, their inputs and their versioned twins (:class:`TwinVerbs`).

One of the protocols :class:`medtwin.store.base.GraphStore` is made of (``store.twins``),
with the values its verbs return (:class:`InputsStored`, :class:`PatientDeleted`) and the size
of a batched deletion (:data:`DELETE_BATCH`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from medtwin.domain import TwinAnalysis, TwinSpec

__all__ = ["DELETE_BATCH", "InputsStored", "PatientDeleted", "TwinVerbs"]


@dataclass(frozen=True)
class InputsStored:
    """What one ``add_inputs`` wrote: per input whether it was new, and the inputs it replaced."""

    created: tuple[bool, ...]
    """Per input, in the order given: whether it was new (the same input twice is one input)."""
    replaced: tuple[dict[str, Any], ...] = ()
    """The earlier inputs removed because their name was in ``replace`` or their slot in
    ``slots``, oldest first, each as :meth:`TwinVerbs.input_list` describes it."""


DELETE_BATCH = 100
"""Patients per transaction of a batched deletion (:meth:`TwinVerbs.delete_patients`). A bench
copy is ~155 relationships, a demo patient up to a few thousand: 100 keep a transaction's state
a few MB while the statement's fixed costs (round trip, commit) are paid once per 100 patients
(measured in README "Cohorts and scale", `make bench-delete`)."""


@dataclass(frozen=True)
class PatientDeleted:
    """One patient of a batched deletion (:meth:`TwinVerbs.delete_patients`)."""

    patient_id: str
    found: bool
    """A Patient node was there (False: "no patient"; stray nodes of the id are deleted too)."""
    nodes: int
    relationships: int
    held: dict[str, Any] | None = None
    """The lock of another operation on the patient (``owner``, ``host``, ``pid``, ``operation``,
    ``acquired_at``): nothing of the patient was deleted. None when it was deleted."""


class TwinVerbs(Protocol):
    """Patients, their inputs and versioned twins (see :class:`~medtwin.store.twins.TwinStore`)."""

    def merge_patient(self, patient_id: str, metadata: dict[str, str]) -> None:
        """Create the patient if new; merge ``metadata`` into its explicit edits (no input)."""
        ...

    def save_activity(
        self, twin_id: str, tfs: list[dict[str, Any]], pathways: list[dict[str, Any]]
    ) -> int:
        """Store the twin's ACTIVITY edges (rows: id, score, p, q, method, n_targets)."""
        ...

    def activity(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored activities: kind, id, name, score, p, q, method, n_targets."""
        ...

    def save_upstream_regulators(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Replace the twin's UPSTREAM_REGULATOR edges.

        Rows: id, rank, centrality, community, activity, q, driver, engine, network,
        louvain_seed, q_max, restart.
        """
        ...

    def upstream_regulators(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored upstream regulators (the rows above + symbol), most central first."""
        ...

    def save_context_activity(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Store ACTIVITY edges per cell type / tissue (rows with context, cell_type, tissue)."""
        ...

    def context_activity(self, twin_id: str, context: str) -> list[dict[str, Any]]:
        """Stored activities of one ``context`` (``cell_type`` | ``tissue``)."""
        ...

    def add_input(self, patient_id: str, input_id: str, props: dict[str, Any]) -> bool:
        """Attach one input; returns whether it was new (the same input twice is one input)."""
        ...

    def record_legacy_metadata(self) -> int:
        """Record each patient of an earlier medtwin's merged metadata as its legacy part.

        (:mod:`medtwin.store.input_metadata`; a patient's next write does it too.) Returns how
        many patients were recorded now; idempotent.
        """
        ...

    def inputs(self, patient_id: str) -> list[dict[str, Any]]:
        """All inputs of a patient (their properties), oldest first."""
        ...

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
        """Create the patient, attach ``(input_id, props)``, derive its metadata: all or nothing.

        ``replace``: input names (``props["name"]``: the files' names, or the kind of an input
        read from no file), ``slots`` (``props["slot"]``: kind and labels) and input ``ids``
        whose earlier inputs are removed in the same write, but for those being attached (the
        same content is the same input). ``metadata``: explicit key/values (``--note``) merged
        into the patient's edits; each input's own key/values are ``props["metadata_json"]``,
        and the patient's metadata is derived from what remains
        (:mod:`medtwin.store.input_metadata`). Returns whether each input was new and those
        removed. Hold the patient's lock: the earlier inputs are read before the write.
        """
        ...

    def input_digests(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input's ``id``, ``sha256`` and ``name`` only (not its changes), by id."""
        ...

    def input_list(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input described, oldest first (not its changes).

        Keys: ``id``, ``kind``, ``name``, ``slot``, ``added_at``, ``genes`` (distinct genes it
        changes), ``symptoms`` (a count), ``time_points``, ``files_json`` (its files' names ->
        sha256), ``metadata_json`` (what it gives the patient's metadata; None: not recorded).
        """
        ...

    def remove_input(self, patient_id: str, input_id: str) -> dict[str, Any] | None:
        """Remove one input (its whole id) in one write; its :meth:`input_list` row, or None.

        None when the patient has no such input. Its twins stay (they then predate its inputs);
        the patient's metadata is derived again without what the input gave (hold the lock).
        """
        ...

    def latest_twin_inputs(self, patient_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Each patient's latest complete twin and its inputs now, for many patients at once.

        Items: ``id``, ``version``, ``input_checksums_json`` (the twin's) and ``inputs`` (each
        input's ``id``, ``sha256``, ``name``, by id); a patient without a complete twin is absent.
        """
        ...

    def input_checksums(self, patient_ids: Sequence[str]) -> dict[str, list[str]]:
        """Each input's ``file_checksums_json`` per patient, in one lookup for many patients.

        Patients that do not exist or have no input are absent from the result.
        """
        ...

    def patients(
        self, patient_id: str | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Patients with their counts, by id.

        Keys: id, metadata, created_at, inputs, genes, symptoms, versions, unmapped (distinct
        unresolved gene names of the inputs), unmapped_genes (the first 10 by name).
        ``offset`` / ``limit``: one page of that order (``limit`` None: to the end).
        """
        ...

    def count_patients(self) -> int:
        """How many patients there are."""
        ...

    def patients_named_alike(self, patient_id: str) -> list[str]:
        """Ids that equal ``patient_id`` but for case (at most 5, by id); none when it is an id.

        ``GSM389703`` for ``gsm389703``: ids are case-sensitive, but reports and exports are
        files named by id, one file for both on macOS and Windows.
        """
        ...

    def patient_metadata(self) -> list[dict[str, Any]]:
        """Every patient's ``id`` and ``metadata`` (dict), by id: no counts (cohort choice)."""
        ...

    def delete_patient(self, patient_id: str) -> tuple[int, int]:
        """Delete every patient-specific node; returns (nodes, relationships) deleted."""
        ...

    def delete_patients(self, patient_ids: Sequence[str]) -> list[PatientDeleted]:
        """Delete the patients (distinct ids) in ONE transaction, each holding its lock.

        As :meth:`delete_patient` per patient; one result per id, in order. A patient whose lock
        another operation holds is left whole (``held``).
        """
        ...

    def count_patient_data(self, patient_id: str) -> tuple[int, int]:
        """Patient-specific nodes and relationships still present."""
        ...

    def count_patients_nodes(self, patient_ids: Sequence[str]) -> dict[str, int]:
        """Patient-specific nodes still present per patient (one read; none: left out)."""
        ...

    def patients_present(self, patient_ids: Sequence[str]) -> set[str]:
        """Those of ``patient_ids`` that have a Patient node now (one read).

        Asked before a batched deletion and after a batch whose commit lost its answer, to
        tell which of its patients that commit deleted.
        """
        ...

    def next_version(self, patient_id: str) -> int:
        """Version number the next twin of ``patient_id`` gets."""
        ...

    def create_twin(self, spec: TwinSpec, version: int) -> str:
        """Materialise ``spec`` as version ``version`` (status 'building'); returns the twin id."""
        ...

    def complete_twin(self, twin_id: str, props: dict[str, Any]) -> None:
        """Set the build summary and make the twin visible."""
        ...

    def delete_unfinished(self, patient_id: str) -> tuple[int, int]:
        """Remove 'building' twins and rankings of a patient; (twins, rankings)."""
        ...

    def delete_twin(self, twin_id: str) -> None:
        """Delete one twin version."""
        ...

    def twins(self, patient_id: str, version: int | None = None) -> list[dict[str, Any]]:
        """Complete twin versions of a patient (their properties), newest first."""
        ...

    def twin(self, patient_id: str, version: int | None = None) -> dict[str, Any]:
        """One complete twin (latest by default); :class:`~medtwin.errors.NotFoundError` if none."""
        ...

    def genes(self, twin_id: str) -> list[dict[str, Any]]:
        """Genes of a twin with values and centralities, by PageRank.

        Keys: entrez, symbol, role, log2fc, padj, in_module, pagerank, personalised_pagerank,
        betweenness, rwr, community, cell_types.
        """
        ...

    def symptoms(self, twin_id: str) -> list[dict[str, Any]]:
        """Symptoms the twin presents (id, name, kind, genes_in_twin, genes_in_module)."""
        ...

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types (name, n_genes, pagerank, out_signals, in_signals) by PageRank."""
        ...

    def edges(self, twin_id: str) -> list[dict[str, Any]]:
        """PPI, signalling and cell-type EXPRESSES_CHANGE edges (source, target, kind, weight)."""
        ...

    def set_props(self, twin_id: str, props: dict[str, Any]) -> None:
        """Update twin properties."""
        ...

    def analyse(self, twin_id: str, analysis: TwinAnalysis) -> dict[str, Any]:
        """Run the algorithms ``analysis`` names on the twin; returns a summary for the twin."""
        ...
