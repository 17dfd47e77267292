"""The graph store interface: the domain verbs the platform needs, and nothing about Cypher.

:class:`GraphStore` is what the use cases of :mod:`medtwin.platform` (and so the CLI and the API)
take. Two implementations satisfy it structurally:

- :class:`medtwin.store.neo4j.Neo4jStore` — the real one; the only code that names ``.cypher``
  files and touches the driver (with :mod:`~medtwin.store.twins`,
  :mod:`~medtwin.store.reference_reads`, :mod:`~medtwin.store.locks`, :mod:`~medtwin.store.audit`);
- :class:`medtwin.store.memory.MemoryStore` — dictionaries, for unit tests of the use cases and of
  the API (a FastAPI dependency override), with the same semantics and models.

The protocol is made of one protocol per noun, each in its own module: ``store.twins``
(:mod:`~medtwin.store.twin_verbs`), ``store.reference`` (:mod:`~medtwin.store.reference_verbs`),
``store.cohorts`` (:mod:`~medtwin.store.cohort_verbs`) and what is computed on a twin
(:mod:`~medtwin.store.analysis_verbs`); what every store writes for a twin is in
:mod:`~medtwin.store.twin_rows`, the errors of a lookup that found nothing in
:mod:`~medtwin.store.not_found`.

Every verb returns plain Python values: driver types (temporal values, nodes, paths) are converted
inside the store, so nothing above it duck-types ``to_native``/``iso_format``. Rows are dicts with
the keys documented on each verb (the ``RETURN`` columns of the Neo4j implementation's statement).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from medtwin.store.analysis_verbs import (
    InsightVerbs,
    PhenotypeModuleVerbs,
    RankingVerbs,
    RegulatorNetworkVerbs,
    TissueVerbs,
)
from medtwin.store.audit import AuditEvent
from medtwin.store.cohort_verbs import CohortVerbs
from medtwin.store.library import LibraryRow
from medtwin.store.reference_verbs import ReferenceReads
from medtwin.store.twin_verbs import TwinVerbs

__all__ = ["GraphStore"]


class GraphStore(Protocol):
    """The store every service takes (see the module docstring)."""

    @property
    def identity(self) -> str:
        """Which database this is (URI and name), for per-process caches."""
        ...

    @property
    def cache_dir(self) -> Path | None:
        """Folder for files derived from this database's reference (``None``: keep none)."""
        ...

    @property
    def twins(self) -> TwinVerbs:
        """Patient and twin verbs."""
        ...

    @property
    def reference(self) -> ReferenceReads:
        """Reference-graph reads."""
        ...

    @property
    def rankings(self) -> RankingVerbs:
        """Stored drug rankings (top relationships + the full table)."""
        ...

    @property
    def tissues(self) -> TissueVerbs:
        """A twin's tissue layer (multi-tissue twins)."""
        ...

    @property
    def phenotype_modules(self) -> PhenotypeModuleVerbs:
        """Symptom vocabulary and a twin's phenotype module."""
        ...

    @property
    def insights(self) -> InsightVerbs:
        """Stored twin insights (disease resemblance) and the reads behind biomarkers."""
        ...

    @property
    def cohorts(self) -> CohortVerbs:
        """Cohort reads and writes."""
        ...

    @property
    def regulator_network(self) -> RegulatorNetworkVerbs:
        """The shared regulatory + PPI projection (GDS) for upstream-regulator centrality."""
        ...

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """Properties of one Dataset (temporal values as ISO 8601 text), or ``None``."""
        ...

    def datasets(self) -> list[dict[str, Any]]:
        """Properties of every Dataset (temporal values as ISO 8601 text)."""
        ...

    def counts(self) -> dict[str, Any]:
        """Nodes per label and relationships per type with ``by_source``, and ``layers``."""
        ...

    def counts_and_datasets(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """:meth:`counts` and :meth:`datasets` together (``describe``: one read of the datasets)."""
        ...

    def patient_lock(self, patient_id: str, operation: str) -> AbstractContextManager[str]:
        """Hold the patient's lock for a block; :class:`~medtwin.errors.ConflictError` if busy."""
        ...

    def dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """The patient's lock if its holder died; None when free or held by a live operation.

        The lock's ``operation``, ``pid``, ``host`` and ``acquired_at`` say what died.
        """
        ...

    def release_dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """Remove the patient's lock if its holder died; returns the lock removed, or None."""
        ...

    def running_writes(self) -> list[str]:
        """Writes in progress (transactions, operations holding a patient's lock, cohort adds).

        Each named; a cohort add as ``patient add-cohort of cohort 'trial' (pid 4711 on vm,
        since 2026-12-06 09:36 UTC)`` by both stores.
        """
        ...

    def release_dead_locks(self) -> int:
        """Release locks whose holder is dead; returns how many."""
        ...

    def mark_legacy_status(self) -> tuple[int, int]:
        """Give twins and rankings written before statuses existed one; (twins, rankings)."""
        ...

    def unfinished_patients(self) -> list[str]:
        """Patients with 'building' twins or rankings."""
        ...

    def audit_events(
        self, patient_id: str | None, *, limit: int = 100, offset: int = 0
    ) -> list[AuditEvent]:
        """Recorded accesses, newest first, the newest ``offset`` skipped."""
        ...

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Write audit events (fields of :class:`~medtwin.store.audit.AuditEvent`).

        An event with ``if_patient_exists`` true is written only when its patient exists (the
        CLI's audit asks so in its one write instead of asking :meth:`patient_exists` first);
        that key is not stored.
        """
        ...

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists."""
        ...

    def stray_audit_trails(self) -> list[dict[str, Any]]:
        """Trails of ids that name no patient, with no write or delete in them, by id.

        Rows: patient_id, events, first_at, last_at, routes, same_but_case
        (:func:`medtwin.store.audit.stray_trails`).
        """
        ...

    def remove_stray_audit_trails(
        self, patient_ids: Sequence[str], *, actor: str, route: str
    ) -> dict[str, int]:
        """Remove those of ``patient_ids`` still stray, one record event each; {id: removed}."""
        ...

    def readiness(self) -> tuple[str, str]:
        """(database version, GDS version); a :class:`~medtwin.errors.GraphStoreError` if down."""
        ...

    def close(self) -> None:
        """Release connections (nothing to do for the in-memory store)."""
        ...

    def library_rows(self, name: str, params: dict[str, Any]) -> list[LibraryRow]:
        """Rows of a query-library statement, paths and nodes rendered as text."""
        ...
