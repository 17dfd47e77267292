"""The audit log of patient-data access: one ``(:AuditEvent)`` node per API request.

Events are standalone nodes (no relationship to the patient), so deleting a patient keeps the
record of who read, wrote or deleted it. Each function runs one statement of
``cypher/audit/``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

__all__ = ["AuditAction", "AuditEvent", "AuditStore", "list_events", "record_event"]

AuditAction = Literal["read", "write", "delete"]
"""What a request did with patient data."""


class AuditStore(Protocol):
    """The two store verbs the audit log needs (``Neo4jStore`` has both)."""

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
    store: AuditStore,
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
    store: AuditStore, patient_id: str | None = None, *, limit: int = 100
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

    Returns
    -------
    list of AuditEvent
        Newest first.
    """
    rows = store.read("audit/list_events", patient_id=patient_id, limit=limit)
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
