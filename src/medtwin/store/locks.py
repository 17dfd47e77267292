"""One lock per patient, held in the database while an operation changes that patient.

Twin builds, rankings, input uploads and deletes of one patient are serialised: the second of two
concurrent operations gets :class:`~medtwin.errors.ConflictError` (API 409) at once instead of
racing. The lock is a ``(:Lock {id: 'patient:<id>'})`` node under a uniqueness constraint, so two
processes (API workers, CLI runs) exclude each other too. It records its holder's host and pid: a
lock whose holder process is dead (``kill -9``) is taken over by the next operation, so a crash
never blocks a patient. Locks of other hosts are trusted for ``stale_after`` (default 6 h).
``Lock`` is coordination, not data: it is not a :class:`~medtwin.schema.Label` of the graph's
vocabulary (nor a Bloom category); only its uniqueness constraint is in ``schema/constraints``.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from medtwin.errors import ConflictError, MedtwinError
from medtwin.store.processes import pid_alive
from medtwin.store.runner import CypherRunner

__all__ = ["holder_alive", "list_locks", "patient_lock", "pid_alive"]

log = logging.getLogger(__name__)

_HOST = socket.gethostname()


def holder_alive(lock: dict[str, Any], stale_after: timedelta = timedelta(hours=6)) -> bool:
    """Whether the holder of ``lock`` may still be working (False: safe to take over)."""
    if lock.get("host") == _HOST:
        return pid_alive(int(lock.get("pid") or 0))
    acquired: Any = lock.get("acquired_at")
    when = acquired.to_native() if hasattr(acquired, "to_native") else acquired
    if not isinstance(when, datetime):
        return False
    return datetime.now(UTC) - when < stale_after


def list_locks(store: CypherRunner) -> list[dict[str, Any]]:
    """Every lock held."""
    return [r["lock"] for r in store.read("lock/list_locks")]


@contextmanager
def patient_lock(store: CypherRunner, patient_id: str, operation: str) -> Iterator[str]:
    """Hold the lock of ``patient_id`` for the block; yields the owner token.

    Raises
    ------
    ConflictError
        Another live operation holds it; the message names that operation.
    """
    lock_id = f"patient:{patient_id}"
    owner = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex}"
    who = {"host": _HOST, "pid": os.getpid(), "operation": operation}
    got = store.write("lock/acquire_lock", id=lock_id, owner=owner, **who)[0]
    if not got["acquired"]:
        held = got["lock"]
        if holder_alive(held):
            raise ConflictError(
                f"patient {patient_id} is busy: {held.get('operation')} is running "
                f"(since {held.get('acquired_at')}); retry when it has finished"
            )
        log.warning(
            "patient %s: taking over the lock of a dead %s (pid %s on %s)",
            patient_id,
            held.get("operation"),
            held.get("pid"),
            held.get("host"),
        )
        stolen = store.write(
            "lock/steal_lock", id=lock_id, old_owner=held.get("owner"), owner=owner, **who
        )
        if not stolen or not stolen[0]["acquired"]:
            raise ConflictError(
                f"patient {patient_id} is busy: another operation took it first; retry"
            )
    try:
        yield owner
    finally:
        try:
            store.write("lock/release_lock", id=lock_id, owner=owner)
        except MedtwinError as e:
            # Left behind; the next operation takes it over (this process's pid is checked).
            log.error("could not release the lock of patient %s: %s", patient_id, e)
