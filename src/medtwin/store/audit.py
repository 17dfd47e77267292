"""The audit log of patient-data access: one ``(:AuditEvent)`` node per API request or CLI action.

Events are standalone nodes (no relationship to the patient), so deleting a patient keeps the
record of who read, wrote or deleted it. Each function runs one statement of
``cypher/audit/``. The API hands events to an :class:`~medtwin.store.audit_writer.AuditWriter`,
which writes them in batches from a background thread (a read never waits for its audit write)
and flushes what is queued when the app shuts down; ``db restore`` keeps the trail with
:mod:`medtwin.store.audit_restore`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

__all__ = [
    "AuditAction",
    "AuditEvent",
    "AuditStore",
    "Catalog",
    "list_events",
    "os_user",
    "patient_exists",
    "record_event",
    "remove_stray_trails",
    "stray_trails",
]

log = logging.getLogger(__name__)

AuditAction = Literal["read", "write", "delete"]
"""What a request did with patient data."""


class AuditStore(Protocol):
    """The two store verbs the audit writer and gate need (every ``GraphStore`` has both)."""

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Write events (fields of :class:`AuditEvent`) in one transaction."""
        ...

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists (events are kept only for existing patients)."""
        ...


class Catalog(Protocol):
    """Runs catalog statements (``Neo4jStore``): what the audit functions use."""

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a catalog statement as a read."""
        ...

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a catalog statement in a write transaction."""
        ...


@dataclass(frozen=True)
class AuditEvent:
    """One recorded access.

    Attributes
    ----------
    id
        uuid4 of the event.
    at
        When the response was sent (ISO-8601, UTC).
    actor
        API key name, or ``"anonymous"`` for a request without a valid key.
    action
        ``read``, ``write`` or ``delete``.
    patient_id
        The patient concerned (``None`` when the request named no valid patient id).
    route
        ``"METHOD /path"`` as requested.
    status
        HTTP status code sent.
    """

    id: str
    at: str
    actor: str
    action: str
    patient_id: str | None
    route: str
    status: int


def record_event(
    store: Catalog,
    *,
    actor: str,
    action: AuditAction,
    patient_id: str | None,
    route: str,
    status: int,
    at: datetime | None = None,
) -> AuditEvent:
    """Write one audit event.

    Parameters
    ----------
    store
        The graph store.
    actor, action, patient_id, route, status
        See :class:`AuditEvent`; ``route`` is cut to 300 characters.
    at
        Event time (default: now, UTC).

    Returns
    -------
    AuditEvent
        The event as written.

    Raises
    ------
    GraphStoreError
        When the database does not take the write.
    """
    event = AuditEvent(
        id=str(uuid.uuid4()),
        at=(at or datetime.now(UTC)).isoformat(),
        actor=actor,
        action=action,
        patient_id=patient_id,
        route=route[:300],
        status=status,
    )
    store.write("audit/create_event", **vars(event))
    return event


def list_events(
    store: Catalog, patient_id: str | None = None, *, limit: int = 100, offset: int = 0
) -> list[AuditEvent]:
    """Return audit events, newest first.

    Parameters
    ----------
    store
        The graph store.
    patient_id
        Only this patient's events (``None``: all).
    limit
        At most this many events.
    offset
        The newest this many are skipped (a page after the first).

    Returns
    -------
    list of AuditEvent
        Newest first.
    """
    rows = store.read("audit/list_events", patient_id=patient_id, limit=limit, offset=offset)
    return [
        AuditEvent(
            id=r["id"],
            at=r["at"],
            actor=r["actor"],
            action=r["action"],
            patient_id=r["patient_id"],
            route=r["route"],
            status=int(r["status"]),
        )
        for r in rows
    ]


def os_user() -> str:
    """The operating-system user, for the actors ``os:<user>`` (CLI) and ``python:<user>``."""
    import getpass  # only where an actor is named

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name, no passwd entry (a container)
        return "unknown"


def stray_trails(store: Catalog) -> list[dict[str, Any]]:
    """Trails of ids that name no patient and whose events hold no write or delete.

    What the API stored, until stop 58, for the trail of a mistyped id (a 200 for an id that was
    no patient, recorded as a read of it). Rows: patient_id, events, first_at, last_at, routes
    (up to 3), same_but_case (existing patients whose id equals it ignoring case), by id.
    """
    return store.read("audit/stray_trails")


def remove_stray_trails(
    store: Catalog, patient_ids: Iterable[str], *, actor: str, route: str
) -> dict[str, int]:
    """Remove the stray trails of ``patient_ids``, each recorded by an event of its own.

    Each id is checked again in the removal's transaction (a patient added since it was listed
    keeps its trail); the record is an event of the id (action ``write``: a ``delete`` would read
    as a patient's deletion, which ``db restore`` applies again) naming ``actor``, ``route`` and
    the events removed. Returns {id: events removed} of the trails removed.
    """
    rows = store.write(
        "audit/remove_stray_trails", patient_ids=list(patient_ids), actor=actor, route=route
    )
    return {str(r["patient_id"]): int(r["removed"]) for r in rows}


def patient_exists(store: Catalog, patient_id: str) -> bool:
    """Whether ``patient_id`` exists (events are kept only for existing patients)."""
    got = store.read("patient/patient_exists", id=patient_id)
    return bool(got and got[0]["exists"])
