"""Whether a cohort was added whole: ``patient add-cohort`` records its start and its end.

A ``patient add-cohort`` killed (or failing) after 31 of its 40 samples left 31 patients whose
``metadata.cohort`` names the cohort, and ``cohort summary``/``stratify``/``run --cohort`` took
them for the whole cohort: a summary "of the cohort" over three quarters of it, endotypes written
from a partial similarity graph, a run reported done. Now the add records the cohort as
``'adding'`` with the number of samples it adds before the first one, and ``'complete'`` after the
last (``'failed'`` when it raised halfway), and those commands refuse a cohort that is not complete
with how many of its samples are stored and the command that completes it. They refuse rather
than warn: their figures and the endotypes they write would be of a cohort that does not exist,
and a warning above a table is easily missed; rerunning the add is cheap (samples already stored
are no-ops) and idempotent. Patients deleted from a complete cohort later do not make it
incomplete: the record is of the add, not of who remains. Cohorts added before these records
existed have none and are taken as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from medtwin.errors import ConflictError
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.store.base import GraphStore

__all__ = ["cohort_add_recorded", "require_complete"]


@contextmanager
def cohort_add_recorded(
    store: GraphStore, profiles: Sequence[PatientProfile], command: str | None
) -> Iterator[None]:
    """Record the add of ``profiles``' cohorts (``metadata.cohort``) around the block."""
    sizes = Counter(str(p.metadata["cohort"]) for p in profiles if p.metadata.get("cohort"))
    for name, n in sizes.items():
        store.cohorts.begin_load(name, n, command)
    try:
        yield
    except BaseException:
        for name in sizes:
            store.cohorts.finish_load(name, complete=False)
        raise
    for name in sizes:
        store.cohorts.finish_load(name)


def require_complete(store: GraphStore, cohort: str, members: Iterable[str]) -> None:
    """Refuse ``cohort`` unless its last ``patient add-cohort`` finished.

    ``members`` are the patients whose ``metadata.cohort`` is ``cohort`` now (counted in the
    message).

    Raises
    ------
    ConflictError
        The add is still running, or it was killed or failed halfway (API 409).
    """
    load = store.cohorts.load_state(cohort)
    if load is None or load.get("status") == "complete":
        return
    n, m = len(list(members)), int(load.get("samples") or 0)
    started = str(load.get("started_at"))[:16]  # a datetime: '2026-12-06 09:33'
    rerun = load.get("command") or "medtwin patient add-cohort --expression … --samples …"
    if load.get("running"):
        raise ConflictError(
            f"cohort {cohort!r} is being added ({n} of {m} samples so far, by pid "
            f"{load.get('pid')} since {started} UTC)",
            hint="wait for that `patient add-cohort` to finish, then run this again",
        )
    how = "failed" if load.get("status") == "failed" else "was killed"
    raise ConflictError(
        f"cohort {cohort!r} is incomplete ({n} of {m} samples): its `patient add-cohort` "
        f"(started {started} UTC) {how} before it finished",
        hint=f"rerun `{rerun}` (with the same files and options): samples already stored are "
        "kept, the others are added, and the cohort is marked complete",
    )
