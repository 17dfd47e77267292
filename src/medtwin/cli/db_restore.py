"""``medtwin db restore`` keeps the audit trail and every deletion made since the backup.

A backup holds the database as it was: restoring it alone brought back the patients deleted
since (an erasure silently undone) and erased every audit event written since. So, when the
server runs, the trail is saved before the restore (``store.audit_restore.save_events``, a file
in the medtwin home, owner only), written back afterwards, and each patient the trail says was
deleted and not added again is deleted again, with its own audit event. The file is removed once
done, or kept and named when that fails, so that nothing of the trail is lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medtwin.cli.common import open_store
from medtwin.store.server import RESTORE_STEPS, LocalServer

if TYPE_CHECKING:
    from medtwin.platform.patient_models import PatientsDeleted

__all__ = ["RESTORE_ORDER", "KeptAudit", "restore_keeping_audit"]

_SAVING, _WRITING = "saving the audit trail", "writing the audit trail back"
RESTORE_ORDER = (_SAVING, *RESTORE_STEPS, _WRITING)
"""The steps of ``db restore`` its progress bar names (a step with nothing to do ends at once)."""

REAPPLIED_ROUTE = "cli: medtwin db restore (deletion made after the backup, re-applied)"
"""The route of the audit event of each deletion a restore applies again."""


@dataclass
class KeptAudit:
    """What a restore kept: audit events written back, deletions applied again."""

    saved: bool
    events: int = 0
    redeleted: list[str] = field(default_factory=list)


def restore_keeping_audit(
    server: LocalServer, file: Path, progress: Callable[[str, int, int], object] | None = None
) -> KeptAudit:
    """Restore ``file``, keeping the audit trail and re-applying later deletions.

    Without a running server the trail cannot be read: the restore goes on and says so
    (``saved`` False). ``progress(step, done, total)`` hears each of :data:`RESTORE_ORDER` end.
    """
    from medtwin.store.audit_restore import save_events

    def mark(step: str) -> None:
        if progress is not None:
            progress(step, RESTORE_ORDER.index(step) + 1, len(RESTORE_ORDER))

    def restore_step(step: str, done: int, total: int) -> None:
        mark(step)

    running = server.status().running
    path = server.settings.home / f"restore-audit-{time.strftime('%Y%m%dT%H%M%S')}.jsonl"
    if running:
        with open_store() as store:
            save_events(store, path)
    mark(_SAVING)
    if not running:
        server.restore(file, progress=restore_step)
        mark(_WRITING)
        return KeptAudit(saved=False)
    try:
        server.restore(file, progress=restore_step)  # left running, as it was
    except BaseException:
        path.unlink()  # not restored: the database, its trail included, is as it was
        raise
    kept = _write_back(path)
    path.unlink()
    mark(_WRITING)
    return kept


def _write_back(path: Path) -> KeptAudit:
    from medtwin.errors import ConflictError, MedtwinError
    from medtwin.platform.patients import delete_patients
    from medtwin.store.audit import os_user, record_event
    from medtwin.store.audit_restore import erased_patients, load_events, saved_events

    try:
        with open_store() as store:
            kept = KeptAudit(saved=True, events=load_events(store, path))
            erased = erased_patients(saved_events(path))
            # in batches of whole patients (patient delete P1 P2 …); ones not there: skipped
            done = delete_patients(store, erased) if erased else None
            for pid in done.deleted_ids if done is not None else []:
                record_event(
                    store,
                    actor=f"os:{os_user()}",
                    action="delete",
                    patient_id=pid,
                    route=REAPPLIED_ROUTE,
                    status=0,
                )
                kept.redeleted.append(pid)
            if left := _left(done):  # busy, or the store stopped: named, after the others' events
                raise ConflictError(
                    f"patients deleted after the backup not deleted again: {', '.join(left)}"
                    + (f" ({done.stopped})" if done is not None and done.stopped else " (busy)")
                )
    except MedtwinError as e:
        e.hint = (
            f"the database was restored; the audit trail saved before it is kept in {path} "
            "(JSON lines) and may not all be written back: patients deleted since the backup "
            "may be back (its 'delete' events name them; `medtwin patient delete ID --yes`)"
        )
        raise
    return kept


def _left(done: PatientsDeleted | None) -> list[str]:
    """Patients to delete again that were not: busy, or not done (the store failed).

    A patient not there any more is not one.
    """
    if done is None:
        return []
    busy = [f.patient_id for f in done.failed if f.error != "NotFoundError"]
    return busy + list(done.not_done) + list(done.unknown)
