"""The audit trail across ``db restore``: saved before the database is replaced, loaded back after.

A restore of an older backup must not erase the record of who read, wrote or deleted patient
data since that backup (:func:`save_events`, :func:`load_events`), nor bring back the patients
the trail says were deleted (:func:`erased_patients`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from medtwin.store.audit import Catalog

__all__ = ["erased_patients", "load_events", "save_events", "saved_events"]


_PAGE = 10_000
"""Events per read or write when all of them are saved and loaded again (``db restore``)."""


def save_events(store: Catalog, path: Path) -> int:
    """Write every audit event to ``path`` (JSON lines, owner only) a page at a time.

    ``medtwin db restore`` saves the trail before it replaces the database and loads it back
    afterwards (:func:`load_events`), so that a restore does not erase the record of who read,
    wrote or deleted patient data since the backup. Returns how many events were saved.
    """
    n = 0
    after: str | None = None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        while rows := store.read("audit/events_after", after_id=after, limit=_PAGE):
            for r in rows:
                fh.write(json.dumps(r, separators=(",", ":")) + "\n")
            n += len(rows)
            after = rows[-1]["id"]
    return n


def saved_events(path: Path) -> Iterator[dict[str, Any]]:
    """The events :func:`save_events` wrote to ``path``, in its order."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_events(store: Catalog, path: Path) -> int:
    """Write the events saved in ``path`` back; an event already there is kept as it is.

    ``audit/create_events`` merges on the event id, so the events the backup holds are not
    doubled. Returns how many events were in ``path``.
    """
    n = 0
    batch: list[dict[str, Any]] = []
    for event in saved_events(path):
        batch.append(event)
        if len(batch) == _PAGE:
            store.write("audit/create_events", events=batch)
            n, batch = n + len(batch), []
    if batch:
        store.write("audit/create_events", events=batch)
        n += len(batch)
    return n


def erased_patients(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """Patients whose last successful delete comes after their last successful write.

    The audit says these were deleted and not added again, so they must not exist: after a
    restore of an older backup (which holds them again), ``db restore`` deletes them again. A
    success is status 0 (the CLI and Python) or 2xx (the API). Sorted ids.

    Examples
    --------
    >>> ev = [dict(patient_id="A", action="write", status=0, at="2026-01-01T00:00:00Z"),
    ...       dict(patient_id="A", action="delete", status=200, at="2026-01-02T00:00:00Z"),
    ...       dict(patient_id="B", action="delete", status=0, at="2026-01-01T00:00:00Z"),
    ...       dict(patient_id="B", action="write", status=0, at="2026-01-03T00:00:00Z"),
    ...       dict(patient_id="C", action="delete", status=1, at="2026-01-04T00:00:00Z")]
    >>> erased_patients(ev)
    ['A']
    """
    last: dict[tuple[str, str], datetime] = {}
    for e in events:
        status, pid = int(e["status"]), e.get("patient_id")
        if pid is None or e["action"] not in ("write", "delete"):
            continue
        if status != 0 and not 200 <= status < 300:
            continue
        at = datetime.fromisoformat(str(e["at"]).replace("Z", "+00:00"))
        key = (pid, e["action"])
        if key not in last or at > last[key]:
            last[key] = at
    return sorted(
        pid
        for (pid, action), at in last.items()
        if action == "delete" and ((pid, "write") not in last or at > last[(pid, "write")])
    )
