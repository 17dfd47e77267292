"""One lock per patient, held in the database while an operation changes that patient.

(And one per cohort while ``patient add-cohort`` adds it: :func:`cohort_lock`.)

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
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from medtwin.errors import ConflictError, MedtwinError
from medtwin.store.cohort_keys import since_text
from medtwin.store.processes import pid_alive
from medtwin.store.runner import CypherRunner

__all__ = [
    "cohort_lock",
    "dead_lock",
    "holder_alive",
    "list_locks",
    "new_holder",
    "patient_lock",
    "pid_alive",
    "release_dead_lock",
]

log = logging.getLogger(__name__)

_HOST = socket.gethostname()


_ABANDONED: set[tuple[str, str]] = set()
"""(lock id, owner) of locks this process let go of but could not delete (the server was down:
a ``db backup`` stopped it mid-operation). Its pid lives on (an API server, a notebook), so without
this the lock read as held until the process ended. Deleted again at this process's next lock,
and taken for dead meanwhile."""


def holder_alive(lock: dict[str, Any], stale_after: timedelta = timedelta(hours=6)) -> bool:
    """Whether the holder of ``lock`` may still be working (False: safe to take over)."""
    if (lock.get("id"), lock.get("owner")) in _ABANDONED:
        return False
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


def dead_lock(store: CypherRunner, patient_id: str) -> dict[str, Any] | None:
    """The lock of ``patient_id`` if a dead holder left it (None: free, or held by a live one).

    A ``patient add`` of a *new* patient killed inside its write leaves such a lock and no
    patient: the next add takes it over, but ``patient delete``, ``twin build`` and ``rank``
    answered a bare "no patient" and the lock stayed until ``medtwin db repair``.
    """
    got = store.read("lock/get_lock", id=f"patient:{patient_id}")
    if not got or holder_alive(got[0]["lock"]):
        return None
    lock: dict[str, Any] = dict(got[0]["lock"])
    when: Any = lock.get("acquired_at")
    lock["acquired_at"] = when.to_native() if hasattr(when, "to_native") else when
    return lock


def release_dead_lock(store: CypherRunner, patient_id: str) -> dict[str, Any] | None:
    """Remove the lock of ``patient_id`` if its holder is dead; returns the lock removed.

    Compare-and-delete on the dead owner: a live operation that took the lock over meanwhile
    keeps it.
    """
    lock = dead_lock(store, patient_id)
    if lock is None:
        return None
    got = store.write("lock/release_lock", id=lock["id"], owner=lock.get("owner"))
    return lock if got and int(got[0]["released"]) else None


@contextmanager
def patient_lock(store: CypherRunner, patient_id: str, operation: str) -> Iterator[str]:
    """Hold the lock of ``patient_id`` for the block; yields the owner token.

    Raises
    ------
    ConflictError
        Another live operation holds it; the message names that operation.
    """

    def busy(held: dict[str, Any]) -> ConflictError:
        return ConflictError(
            f"patient {patient_id} is busy: {held.get('operation')} is running "
            f"(since {held.get('acquired_at')}); retry when it has finished"
        )

    with _held(store, f"patient:{patient_id}", f"patient {patient_id}", operation, busy) as owner:
        yield owner


def new_holder(operation: str) -> dict[str, Any]:
    """A new holder's lock properties: ``owner`` (unique), ``host``, ``pid``, ``operation``.

    For a statement that takes patients' locks inside its own transaction
    (``patient/delete_patients``) as :func:`patient_lock` takes one.
    """
    owner = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex}"
    return {"owner": owner, "host": _HOST, "pid": os.getpid(), "operation": operation}


@contextmanager
def cohort_lock(
    store: CypherRunner,
    cohort: str,
    operation: str,
    *,
    wait: float = 0.0,
    waiting: Callable[[str], None] | None = None,
) -> Iterator[str]:
    """Hold the lock of ``cohort`` (``'cohort:<name>'``) for a whole ``patient add-cohort``.

    Two adds of one cohort at once made its completeness record lie: the first to finish wrote
    ``'complete'`` while the other was still adding (and overwrote the other's record, so a kill
    of the slower one went unseen). The second add stops before it records or stores anything,
    at once (``wait`` 0), or after waiting up to ``wait`` seconds for the lock (``patient
    add-cohort --wait``): ``waiting(status)`` is called at each look while it waits, naming the
    add it waits for. A holder that dies meanwhile is taken over.

    Raises
    ------
    ConflictError
        Another live process adds ``cohort`` (still, after ``wait``); the message names its pid
        and host.
    """

    def busy(held: dict[str, Any]) -> ConflictError:
        waited = f" (waited {wait:g} s)" if wait > 0 else ""
        return ConflictError(
            f"{_adding(cohort, held)}; nothing was added{waited}",
            hint="wait for it to finish (`--wait SECONDS` waits for it), then run this again if "
            "you need to (samples already stored are kept); or stop that process, and run this "
            "again to complete the cohort",
        )

    def look(held: dict[str, Any], left: float) -> None:
        if waiting is not None:
            waiting(f"{_adding(cohort, held)}; waiting for it ({left:.0f} s left)")

    with _held(
        store, f"cohort:{cohort}", f"cohort {cohort!r}", operation, busy, wait=wait, look=look
    ) as owner:
        yield owner


def _adding(cohort: str, held: dict[str, Any]) -> str:
    return (
        f"cohort {cohort!r} is being added by another process ({held.get('operation')}, "
        f"pid {held.get('pid')} on {held.get('host')}, since {since_text(held.get('acquired_at'))})"
    )


_POLL = 1.0
"""Seconds between looks at a lock waited for: one small write each, and a wait of about this
much after the holder lets go."""


@contextmanager
def _held(
    store: CypherRunner,
    lock_id: str,
    subject: str,
    operation: str,
    busy: Callable[[dict[str, Any]], ConflictError],
    *,
    wait: float = 0.0,
    look: Callable[[dict[str, Any], float], None] | None = None,
) -> Iterator[str]:
    """Hold the lock ``lock_id`` for the block; ``busy(holder)`` is raised if a live one has it.

    With ``wait`` > 0 the lock is tried again every :data:`_POLL` seconds until it is free or
    ``wait`` has passed; ``look(holder, seconds_left)`` before each pause.
    """
    _release_abandoned(store)
    who = new_holder(operation)
    owner = who.pop("owner")
    deadline = time.monotonic() + wait
    while not _take(store, lock_id, subject, owner, who, busy, deadline, look):
        pass
    try:
        yield owner
    finally:
        try:
            store.write("lock/release_lock", id=lock_id, owner=owner)
        except MedtwinError as e:
            # Left behind: taken for dead from now on, and deleted at this process's next lock
            # (another process's pid is checked: it takes it over once this one has ended).
            _ABANDONED.add((lock_id, owner))
            log.error("could not release the lock of %s: %s", subject, e)


def _take(
    store: CypherRunner,
    lock_id: str,
    subject: str,
    owner: str,
    who: dict[str, Any],
    busy: Callable[[dict[str, Any]], ConflictError],
    deadline: float,
    look: Callable[[dict[str, Any], float], None] | None,
) -> bool:
    """One try at the lock: True when taken; False after a pause (time left to wait)."""
    got = store.write("lock/acquire_lock", id=lock_id, owner=owner, **who)[0]
    if got["acquired"]:
        return True
    held = got["lock"]
    if not holder_alive(held):
        log.warning(
            "%s: taking over the lock of a dead %s (pid %s on %s)",
            subject,
            held.get("operation"),
            held.get("pid"),
            held.get("host"),
        )
        stolen = store.write(
            "lock/steal_lock", id=lock_id, old_owner=held.get("owner"), owner=owner, **who
        )
        if stolen and stolen[0]["acquired"]:
            return True
        if time.monotonic() >= deadline:
            raise ConflictError(f"{subject} is busy: another operation took it first; retry")
        return False  # another waiter took it over first: wait for that one
    left = deadline - time.monotonic()
    if left <= 0:
        raise busy(held)
    if look is not None:
        look(held, left)
    time.sleep(min(_POLL, left))
    return False


def _release_abandoned(store: CypherRunner) -> None:
    """Delete the locks this process could not release before (:data:`_ABANDONED`)."""
    for lock_id, owner in sorted(_ABANDONED):
        try:
            store.write("lock/release_lock", id=lock_id, owner=owner)
        except MedtwinError:
            return  # still unreachable: the lock's own write will say so
        _ABANDONED.discard((lock_id, owner))
