"""The Python API's audit: a notebook's calls of the use cases record who touched which patient.

The CLI and the HTTP API audit where a request enters (``medtwin.cli.common.open_store``, the
API's middleware). A notebook calls the use cases directly, so the store that
:func:`medtwin.connect` opens carries an actor (``python:<OS user>``, :data:`ACTOR_ATTRIBUTE`),
and every public use case that names patients (decorated with :func:`audited`) records one
event per patient after it ran: status 0, or 1 when it raised, route ``python: <function>``.
Only the outermost call records (``build_twins`` calls ``build_twin``; ``rank_drugs`` calls
``get_patient``), and a patient the call did not find gets no event, as in the CLI. A store
without an actor (the CLI's, the API's, the tests') records nothing here: their entries do.

A call made for the notebook in another process (a Dask worker of ``cohort.run_cohort``, whose
store it opened itself and has no actor) carries the notebook's actor with its task and runs
inside :func:`acting_for`, so that it records as the same call made in the notebook would.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

from medtwin.errors import MedtwinError, StoreClosed

__all__ = [
    "ACTOR_ATTRIBUTE",
    "acting_for",
    "actor_of",
    "audited",
    "on_writes",
    "writes_now",
]

log = logging.getLogger(__name__)

ACTOR_ATTRIBUTE = "audit_actor"
"""The store attribute naming the notebook's actor (set by :func:`medtwin.connect`)."""

F = TypeVar("F", bound=Callable[..., Any])

_inside: contextvars.ContextVar[bool] = contextvars.ContextVar("medtwin_audited", default=False)

# A context variable, not an attribute set on the worker's store: that store is shared by the
# process's tasks, which an external scheduler may run on several threads for several clients.
_task_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "medtwin_audit_actor", default=None
)


def actor_of(store: object) -> str | None:
    """The actor ``store`` audits the use cases as (``python:<user>``), ``None`` when none."""
    actor = getattr(store, ACTOR_ATTRIBUTE, None)
    return actor if isinstance(actor, str) else None


_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("medtwin_audit_wrote", default=False)

_on_write: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "medtwin_audit_on_write", default=None
)


def writes_now() -> None:
    """Record the current audited call as a ``write``: a read use case computes and stores.

    ``twin_diseases`` and ``twin_biomarkers`` read a stored result and compute and store one
    when there is none; they call this when they do (before, such a call was a ``read``), inside
    the patient's lock after looking for a stored result again. A caller that audits itself (the
    CLI) hears of it through :func:`on_writes`.
    """
    _wrote.set(True)
    if (tell := _on_write.get()) is not None:
        tell()


@contextmanager
def on_writes(tell: Callable[[], None]) -> Iterator[None]:
    """Call ``tell`` when a use case called inside computes and stores (:func:`writes_now`).

    For the CLI, which audits the command itself: before, it decided ``write`` when its own look
    found nothing stored, and so said ``write`` when another process stored the result between
    that look and the use case's lock, and this process only read it back.
    """
    token = _on_write.set(tell)
    try:
        yield
    finally:
        _on_write.reset(token)


@contextmanager
def acting_for(actor: str | None) -> Iterator[None]:
    """Audit the use cases called inside as ``actor``'s, even on a store without an actor.

    For work a notebook's call sends elsewhere (a Dask worker's task): the worker's own store
    has no actor, and without it the notebook's cohort run left no event. ``None`` (the CLI's
    run: the CLI audits the command itself) changes nothing, so nothing is recorded twice.
    """
    token = _task_actor.set(actor)
    try:
        yield
    finally:
        _task_actor.reset(token)


def audited(action: Literal["read", "write", "delete"]) -> Callable[[F], F]:
    """Record the patients a use case names in the audit log, when its store has an actor.

    The patients are read from the call's arguments: ``patient_id``, ``patient_ids``/``ids``
    (lists of ids), ``profile``/``profiles`` (their ``patient_id``).
    """

    def decorate(f: F) -> F:
        signature = inspect.signature(f)

        @functools.wraps(f)
        def call(*args: Any, **kwargs: Any) -> Any:
            store = args[0] if args else kwargs.get("store")
            actor = actor_of(store) or _task_actor.get()
            if actor is None or _inside.get():
                return f(*args, **kwargs)
            token, wrote = _inside.set(True), _wrote.set(False)
            ok = False
            failed: list[str] = []
            try:
                result = f(*args, **kwargs)
                ok = True
                # a batch's patients it did not delete (delete_patients): their event is a failure
                failed = list(getattr(result, "failed_ids", ()))
                return result
            finally:
                done = "write" if _wrote.get() else action  # writes_now() was called
                _inside.reset(token)
                _wrote.reset(wrote)
                try:
                    bound = signature.bind_partial(*args, **kwargs).arguments
                except TypeError:  # the call itself was wrong: it raised already
                    bound = {}
                ids = list(_patients(bound))
                _record(store, actor, done, ids, f.__qualname__, ok=ok, failed=failed)

        return call  # type: ignore[return-value]

    return decorate


def _patients(arguments: Mapping[str, Any]) -> Iterator[str]:
    value = arguments.get("patient_id")
    if isinstance(value, str):
        yield value
    for key in ("patient_ids", "ids"):
        many = arguments.get(key)
        if isinstance(many, list | tuple):
            yield from (v for v in many if isinstance(v, str))
    for profile in [arguments.get("profile"), *(arguments.get("profiles") or ())]:
        pid = getattr(profile, "patient_id", None)
        if isinstance(pid, str):
            yield pid


def _record(
    store: Any,
    actor: str,
    action: str,
    ids: list[str],
    name: str,
    *,
    ok: bool,
    failed: Sequence[str] = (),
) -> None:
    """Write the events of one call (one transaction); a failed write is logged, not raised.

    ``failed``: patients of a call that ran that it did not do (status 1).
    """
    import uuid
    from datetime import UTC, datetime

    at = datetime.now(UTC).isoformat()
    ids = list(dict.fromkeys(ids))
    try:
        # An event of a patient the call did not find is dropped by the write itself (the mark,
        # as the CLI's audit): a read of every patient's id first cost each call a round trip.
        events = [
            {
                "id": str(uuid.uuid4()),
                "at": at,
                "actor": actor,
                "action": action,
                "patient_id": pid,
                "route": f"python: {name}",
                "status": 0 if ok and pid not in failed else 1,
                "if_patient_exists": not (action == "delete" and ok),
            }
            for pid in ids
        ]
        if events:
            store.write_audit_events(events)
    except StoreClosed:  # the call raised it already: nothing can be recorded, nothing to add
        pass
    except MedtwinError as e:  # the call's own result or error matters more than its record
        log.error("Python API call not audited: %s", e)
