"""Reference datasets and the database: load, describe, provenance, readiness, repair.

Use cases (the public Python API, called by the CLI and the API); see
:mod:`medtwin.platform.patients` for the conventions. The loading itself is
:mod:`medtwin.platform.reference`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtwin.errors import ConflictError
from medtwin.platform.python_audit import actor_of
from medtwin.store.audit import os_user
from medtwin.store.base import GraphStore

if TYPE_CHECKING:  # for type checkers; at run time __getattr__ imports it on first use
    from medtwin.platform.reference import BulkLoadTarget, DatasetLoad
    from medtwin.platform.reference import load_reference as load_reference

__all__ = [
    "describe",
    "list_datasets",
    "load_reference",
    "load_reference_bulk",
    "readiness",
    "repair",
]

log = logging.getLogger(__name__)


def __getattr__(name: str) -> Any:
    # The loading (platform.reference: every source's loader, fetch, tomllib) is imported when a
    # load runs: `describe`, `datasets` and a report read counts and provenance only, and paid
    # ~20-35 ms of CPU for its import (python -X importtime -m medtwin describe).
    if name == "load_reference":
        from medtwin.platform.reference import load_reference

        return load_reference
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def describe(store: GraphStore) -> dict[str, Any]:
    """Counts per label/relationship type and source, and the datasets."""
    counts, datasets = store.counts_and_datasets()  # the Dataset nodes read once, for both
    keep = ("id", "version", "status", "sha256", "licence", "url", "rows", "counts", "loaded_at")
    return {
        "layers": counts["layers"],
        "nodes": counts["nodes"],
        "relationships": counts["relationships"],
        "datasets": [{k: d.get(k) for k in keep} for d in datasets],
    }


def list_datasets(store: GraphStore) -> list[dict[str, Any]]:
    """Provenance of every loaded dataset."""
    return store.datasets()


def load_reference_bulk(
    store: BulkLoadTarget,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
    use_cache: bool = True,
    report: dict[str, Any] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[DatasetLoad]:
    """Fill an empty local database with the store's bulk importer (server stopped for it).

    See :func:`medtwin.platform.reference.load_reference_bulk` (``progress``: its steps,
    ``reference.BULK_UNITS``).
    """
    from medtwin.platform import reference

    return reference.load_reference_bulk(
        store,
        store.bulk_importer(cache=use_cache),
        data_dir,
        only=only,
        use_cache=use_cache,
        report=report,
        progress=progress,
    )


def readiness(store: GraphStore) -> tuple[str, str]:
    """(database version, GDS version) of the store's server; a GraphStoreError when down."""
    return store.readiness()


def repair(
    store: GraphStore,
    *,
    remove_stray_audit: bool = False,
    actor: str | None = None,
    route: str = "python: datasets.repair(remove_stray_audit=True)",
) -> dict[str, Any]:
    """Remove what interrupted operations left: unfinished twins and rankings, dead locks.

    Patients whose lock is held by a live operation are skipped (reported under ``busy``). Twins
    and rankings written before statuses existed get one first, and patients stored before their
    inputs kept their own metadata have that metadata recorded as one legacy part
    (:mod:`medtwin.store.input_metadata`).

    Audit trails of ids that name no patient and hold no write or delete (what the API stored,
    until 7 December 2026, for the trail of a mistyped id) are listed under
    ``stray_audit_trails``; an audit trail is a record, so they are removed only with
    ``remove_stray_audit``, each removal recorded in the trail by an event of ``actor`` (default:
    the notebook's, ``python:<user>``) and ``route``; ``stray_audit_events_removed`` counts the
    events removed.
    """
    legacy_twins, legacy_rankings = store.mark_legacy_status()
    legacy_metadata = store.twins.record_legacy_metadata()
    dead = store.release_dead_locks()
    twins_removed = rankings_removed = 0
    busy: list[str] = []
    twins = store.twins
    for pid in store.unfinished_patients():
        try:
            with store.patient_lock(pid, "repair"):
                t, r = twins.delete_unfinished(pid)
        except ConflictError:
            busy.append(pid)
            continue
        twins_removed += t
        rankings_removed += r
    report = {
        "legacy_twins_marked": legacy_twins,
        "legacy_rankings_marked": legacy_rankings,
        "legacy_metadata_recorded": legacy_metadata,
        "dead_locks_released": dead,
        "unfinished_twins_removed": twins_removed,
        "unfinished_rankings_removed": rankings_removed,
        "busy": busy,
        **_stray_audit(store, remove=remove_stray_audit, actor=actor, route=route),
    }
    log.info("repair: %s", report)
    return report


def _stray_audit(
    store: GraphStore, *, remove: bool, actor: str | None, route: str
) -> dict[str, Any]:
    """The stray audit trails (listed), and with ``remove`` the events removed."""
    stray = store.stray_audit_trails()
    removed: dict[str, int] = {}
    if remove and stray:
        actor = actor if actor is not None else actor_of(store) or f"python:{os_user()}"
        removed = store.remove_stray_audit_trails(
            [t["patient_id"] for t in stray], actor=actor, route=route
        )
        log.warning(
            "removed %d audit event(s) of %d id(s) that name no patient; each removal is an "
            "audit event of %s",
            sum(removed.values()),
            len(removed),
            actor,
        )
    # each trail says what became of it: a listed id that is a patient's by the removal's
    # transaction keeps its trail, so "the list" and "what was removed" can differ
    stray = [{**t, "removed_events": removed.get(t["patient_id"], 0)} for t in stray]
    return {"stray_audit_trails": stray, "stray_audit_events_removed": sum(removed.values())}


def refuse_running_writes(store: GraphStore) -> None:
    """Refuse to stop the server under running writes (``medtwin db backup``), naming them.

    Neo4j Community dumps only a stopped database, so a backup stops the server: a write
    transaction running then is rolled back, and a twin build or ranking between two of its
    transactions fails (its remains are repaired by the next run). The dump itself stays
    consistent (what was committed); it is the writers that lose their work, which before
    happened without a word.

    Raises
    ------
    ConflictError
        Writes are running; the message names each one, the hint the two ways on.
    """
    running = store.running_writes()
    if not running:
        return
    shown = "; ".join(running[:10]) + (
        f"; and {len(running) - 10} more" if len(running) > 10 else ""
    )
    raise ConflictError(
        f"{len(running)} write(s) running, which a backup would interrupt (it stops the "
        f"server): {shown}",
        hint="wait for them to finish and run `medtwin db backup` again, or pass "
        "--interrupt-writes to stop the server anyway (their transactions are rolled back; "
        "a medtwin command so stopped can be run again)",
    )
