"""Whether a cohort was added whole: ``patient add-cohort`` and the demo record start and end.

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
incomplete: the record is of the add, not of who remains.

* **One record per set of files.** A cohort is named after its matrix's folder, so two files of
  one folder are one cohort: a record per cohort let a later add of the second file write
  ``'complete'`` over a killed add of the first. The record's id ends in the files' digest and
  the views check every record of the cohort; "n of m" counts the patients that came from the
  add's files (their inputs' checksums), not every patient of the cohort.
* **One add of a cohort at a time.** Two adds at once made the first to finish write
  ``'complete'`` while the other was still adding, and the record named only the last to start,
  so a kill of the other went unseen. The add holds the cohort's lock
  (:func:`medtwin.store.locks.cohort_lock`): a second one stops at once, before it records or
  stores anything, with the pid of the one that runs.
* **Cohorts added before these records** (and the demo's, before ``medtwin demo`` recorded its
  cohorts) have none. Their completeness is unknown, not known to be whole: a killed add of the
  old code left the same kind of partial cohort. The views go on (refusing would lock out every
  cohort of an existing database, also one whose files are gone) but say so in their
  ``completeness_note``: "completeness of cohort X not recorded (added before …); rerun …".
  Rerunning the add of the same files stores nothing new and records it. A recorded add to such
  a cohort (other files of its folder) covers its own patients only: the note then names the
  rest, "3 patient(s) of cohort X (…) came from an add before completeness was recorded"
  (before, any record made the note go, and the cohort looked whole).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from medtwin.errors import ConflictError, InputError
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform.input_slots import input_slot, unslotted_matches
from medtwin.platform.patient_reads import input_summaries
from medtwin.store.base import GraphStore
from medtwin.store.cohort_keys import load_key

__all__ = [
    "COHORT_ADD_RETRY_S",
    "RECORDED_SINCE",
    "clashing_ids",
    "cohort_add_recorded",
    "completeness_note",
    "refuse_clashing_samples",
    "require_complete",
]

log = logging.getLogger(__name__)

RECORDED_SINCE = "2026-12-06"
"""When medtwin began to record ``patient add-cohort`` runs (commit d152be8)."""

COHORT_ADD_RETRY_S = 10
"""Seconds a cohort view refused while the cohort is being added is told to wait (the API's
``Retry-After``): the demo's 81-sample cohort is added in about 5 s, a larger one in tens of
seconds; the view asked again then is refused again, with the new count, until the add ends."""

_RERUN = "medtwin patient add-cohort --expression … --sample-sheet …"


@contextmanager
def cohort_add_recorded(
    store: GraphStore,
    profiles: Sequence[PatientProfile],
    command: str | None,
    options: Mapping[str, object] | None = None,
    *,
    wait: float = 0.0,
    waiting: Callable[[str], None] | None = None,
    check: Callable[[], None] | None = None,
    replace: bool = False,
) -> Iterator[None]:
    """Record the add of ``profiles``' cohorts (``metadata.cohort``) around the block.

    Holds each cohort's lock for the block (taken before anything is recorded; when another
    process holds it, waited for up to ``wait`` seconds, ``waiting(status)`` at each look,
    so a second add of a cohort can queue behind the first instead of stopping); ``check()``
    then runs before anything is recorded (its error leaves no record). ``options`` are
    the add's options that change what is stored (``add_cohort_files`` gives its thresholds,
    controls, columns and symptoms): the record is of these files with these options, and an
    earlier record of the same files with other options is kept apart and named in a WARNING.
    ``replace`` (the add replaces the inputs its files gave before): the cohort's records of
    files of the same names (other options, or other content under the same names), and those
    of other files left unfinished whose every patient is one of ``profiles`` (replaced by
    slot: a renamed matrix), are removed as this one is begun, without a warning: the inputs
    they counted are being replaced (:func:`_superseded`).

    Raises
    ------
    ConflictError
        Another live process is adding one of these cohorts, still after ``wait`` (nothing is
        recorded or added).
    """
    adds: dict[str, list[str]] = defaultdict(list)  # cohort -> each sample's file checksums
    samples: dict[str, set[str]] = defaultdict(set)
    for p in profiles:
        if p.metadata.get("cohort"):
            adds[str(p.metadata["cohort"])].append(json.dumps(p.input_checksums, sort_keys=True))
            samples[str(p.metadata["cohort"])].add(p.patient_id)
    kept = None if options is None else {k: str(v) for k, v in options.items()}
    chosen = None if kept is None else json.dumps(kept, sort_keys=True)
    with ExitStack() as held:
        for name in sorted(adds):
            held.enter_context(store.cohorts.add_lock(name, wait=wait, waiting=waiting))
        if check is not None:
            check()
        for name, inputs in adds.items():
            gone = _superseded(store, name, inputs, chosen, samples[name]) if replace else []
            if kept is not None and not replace:
                _say_other_options(store, name, inputs, kept)
            store.cohorts.begin_load(name, len(inputs), command, inputs, chosen, superseded=gone)
        try:
            yield
        except BaseException:
            for name, inputs in adds.items():
                store.cohorts.finish_load(name, complete=False, inputs=inputs, options=chosen)
            raise
        for name, inputs in adds.items():
            store.cohorts.finish_load(name, inputs=inputs, options=chosen)


def _say_other_options(
    store: GraphStore, cohort: str, inputs: Sequence[str], options: dict[str, str]
) -> None:
    """WARN of each record of the same files as ``inputs`` whose options differ from ``options``.

    A patient whose changes differ under the new options keeps the earlier add's input beside
    the new one (inputs are keyed by their content), and its twin reads both; the user may have
    meant to replace them.
    """
    files = sorted(set(inputs))
    for load in store.cohorts.load_states(cohort):
        if sorted(load.get("inputs") or ()) != files or load.get("options") is None:
            continue
        then, this = _differ(json.loads(load["options"]), options)
        if not this:
            continue
        names = sorted({name for f in files for name in json.loads(f)})
        was = ", ".join(f"{k}={v}" for k, v in then)
        now = ", ".join(f"{k}={v}" for k, v in this)
        status = "running" if load.get("running") else load.get("status")
        log.warning(
            "cohort %r: %s were added before with other options (%s; %s, started %s UTC); this "
            "add (%s) is recorded apart, and a patient whose changes differ under these options "
            "keeps that add's input beside this one's (its twin reads both): to keep only this "
            "add's, add them again with --replace (`replace=True` in Python)",
            cohort, ", ".join(names), was, status, str(load.get("started_at"))[:16], now,
        )  # fmt: skip


def _file_names(inputs: Iterable[str]) -> set[str]:
    """The file names of samples' ``file_checksums_json`` (what ``--replace`` goes by)."""
    return {name for f in inputs for name in json.loads(f)}


def _same_names(
    store: GraphStore, cohort: str, inputs: Sequence[str], options: str | None
) -> list[str]:
    """Ids of ``cohort``'s records of files of the same names as ``inputs``, but this add's."""
    names, own = _file_names(inputs), load_key(cohort, inputs, options)
    return [
        key
        for load in store.cohorts.load_states(cohort)
        if load.get("inputs") and _file_names(load["inputs"]) == names
        if (key := load_key(cohort, load["inputs"], load.get("options"))) != own
    ]


def _superseded(
    store: GraphStore, cohort: str, inputs: Sequence[str], options: str | None, samples: set[str]
) -> list[str]:
    """Ids of ``cohort``'s records a ``--replace`` add of ``inputs`` (``samples``) makes void.

    Those of files of the same names (:func:`_same_names`), and the unfinished ones (killed,
    failed) of other files every patient of which is one of ``samples``: the add replaces each
    such patient's cohort input by its slot (a renamed matrix of the cohort), and the record
    would otherwise keep the cohort refused as incomplete. A complete record of other files
    stays: it refuses nothing, and its patients may keep other inputs from its files (the
    demo's, which have no slot).
    """
    gone = _same_names(store, cohort, inputs, options)
    own = load_key(cohort, inputs, options)
    others = [
        (key, set(load["inputs"]))
        for load in store.cohorts.load_states(cohort)
        if load.get("inputs") and load.get("status") != "complete"
        if (key := load_key(cohort, load["inputs"], load.get("options"))) not in {own, *gone}
    ]
    if not others:
        return gone
    members = [
        p["id"] for p in store.twins.patient_metadata() if p["metadata"].get("cohort") == cohort
    ]
    got = store.twins.input_checksums(members)
    for key, files in others:
        came = {pid for pid in members if files & set(got.get(pid, ()))}
        if came <= samples:
            gone.append(key)
    return gone


def _differ(
    before: dict[str, str], now: dict[str, str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The options that differ, as (name, value) pairs of ``before`` and of ``now``."""
    keys = sorted(k for k in before | now if before.get(k) != now.get(k))
    return [(k, before.get(k, "")) for k in keys], [(k, now.get(k, "")) for k in keys]


def _same_files_other_options(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two records are adds of the same files with other (known) options."""
    if a.get("options") is None or b.get("options") is None:
        return False
    same = sorted(a.get("inputs") or ()) == sorted(b.get("inputs") or ())
    return same and a["options"] != b["options"]


def refuse_clashing_samples(
    store: GraphStore, profiles: Sequence[PatientProfile], *, replace: bool = False
) -> None:
    """Raise InputError naming the samples :func:`clashing_ids` finds (nothing added yet).

    ``patient add-cohort`` runs it under the cohort's lock, so an add that waited for another
    one sees the patients that one stored.
    """
    clash = clashing_ids(store, profiles, replace=replace)
    if clash:
        shown = ", ".join(clash[:10]) + (f" and {len(clash) - 10} more" if len(clash) > 10 else "")
        # a renamed copy of a cohort's files in another folder is another cohort (the folder
        # names it), whose samples --replace cannot match: say which cohort this add is
        cohort = profiles[0].metadata.get("cohort") if profiles else None
        named = (
            "; if they came from one cohort under another name, give its name (--cohort NAME; "
            f"this add's cohort is {cohort!r})"
            if replace and cohort
            else ""
        )
        raise InputError(
            f"{len(clash)} case sample(s) name an existing patient with other inputs: {shown}; "
            "nothing was added (the sample would be merged into that patient)",
            hint="rename those samples in the sample sheet, or delete those patients first"
            + ("" if replace else "; if the files were edited, add them with --replace")
            + named,
        )


def clashing_ids(
    store: GraphStore, profiles: Sequence[PatientProfile], *, replace: bool = False
) -> list[str]:
    """Ids of samples that name an existing patient none of whose inputs came from these files.

    Re-adding the same cohort files stays a no-op; a sample named like another patient (a
    demo's ``GSM389703``) was merged into it, its metadata overwritten. With ``replace`` the
    files are compared by name (an edited matrix replaces what it gave), not by content, and a
    patient with an input of the sample's slot (a sample of the same cohort, from a renamed
    matrix) is no clash either: the add replaces that input.
    """
    known = store.twins.input_checksums([p.patient_id for p in profiles])  # one query, not n
    clash = []
    for p in profiles:
        if p.patient_id not in known:
            continue
        if replace:
            names = set(p.input_checksums)
            came = any(set(json.loads(f)) == names for f in known[p.patient_id])
            came = came or _has_slot(store, p)  # a read per such sample: only those
        else:
            came = json.dumps(p.input_checksums, sort_keys=True) in known[p.patient_id]
        if not came:
            clash.append(p.patient_id)
    return clash


def _has_slot(store: GraphStore, p: PatientProfile) -> bool:
    """Whether the sample's patient has a cohort input of its slot (recorded, or by changes)."""
    slot = input_slot("cohort", p.changes, cohort=p.metadata.get("cohort"))
    if slot is None:
        return False
    if any(i.slot == slot for i in input_summaries(store, p.patient_id)):
        return True
    return bool(unslotted_matches(store, p.patient_id, [slot]))


def require_complete(store: GraphStore, cohort: str, members: Iterable[str]) -> None:
    """Refuse ``cohort`` unless every recorded ``patient add-cohort`` of it finished.

    ``members`` are the patients whose ``metadata.cohort`` is ``cohort`` now; those whose inputs
    came from an unfinished add's files are counted in the message.

    Raises
    ------
    ConflictError
        An add is still running, or it was killed or failed halfway (API 409).
    """
    every = store.cohorts.load_states(cohort)
    loads = [x for x in every if x.get("status") != "complete"]
    if not loads:
        return
    load = next((x for x in loads if x.get("running")), loads[-1])
    members = list(members)
    n, others = _stored(store, load, members), ""
    if load.get("inputs") and len(members) > n:
        others = f"; {len(members) - n} other patient(s) of the cohort came from other files"
    twin = next((x for x in every if x is not load and _same_files_other_options(x, load)), None)
    if twin is not None:  # patients are counted by file: the other add's are counted too
        differ = _differ(json.loads(twin["options"]), json.loads(load["options"]))
        others += (
            f"; counted by file: an add of the same files with other options ("
            f"{', '.join(f'{k}={v}' for k, v in differ[0])}) stored some of them too; this add "
            f"has {', '.join(f'{k}={v}' for k, v in differ[1])}"
        )
    m = int(load.get("samples") or 0)
    started = str(load.get("started_at"))[:16]  # a datetime: '2026-12-06 09:33'
    if load.get("running"):
        raise ConflictError(
            f"cohort {cohort!r} is being added ({n} of {m} samples so far{others}, by pid "
            f"{load.get('pid')} since {started} UTC)",
            hint="wait for that `patient add-cohort` to finish, then run this again",
            retry_after=COHORT_ADD_RETRY_S,
        )
    how = "failed" if load.get("status") == "failed" else "was killed"
    rerun = load.get("command") or _RERUN
    raise ConflictError(
        f"cohort {cohort!r} is incomplete ({n} of {m} samples{others}): its `patient add-cohort` "
        f"(started {started} UTC) {how} before it finished",
        hint=f"rerun `{rerun}` (with the same files and options): samples already stored are "
        "kept, the others are added, and the cohort is marked complete",
        retry_after=None,  # waiting does not help: the add must be rerun
    )


def completeness_note(store: GraphStore, cohort: str | None) -> str | None:
    """What a cohort view says of the part of a cohort no record covers (module docstring).

    None for ``--all`` or explicit ids (no cohort), and when every patient of ``cohort`` came
    from a recorded add's files (a record without files, of the first recording code, covers
    them all; :func:`require_complete` refuses the unfinished ones). A cohort without any record
    is said to be unrecorded as a whole; one whose recorded adds joined patients of an older,
    unrecorded add names how many came from that (before, any record made the note go, and the
    cohort looked complete though part of it was never recorded).
    """
    if cohort is None:
        return None
    loads = store.cohorts.load_states(cohort)
    rerun = (
        "rerun its `patient add-cohort` with the same files and options (`medtwin demo` for the "
        "demo's cohorts) to record it: samples already stored are kept"
    )
    if not loads:
        return (
            f"completeness of cohort {cohort!r} not recorded (added before {RECORDED_SINCE}, when "
            "medtwin began recording `patient add-cohort` runs, so a killed add would not show); "
            f"{rerun}"
        )
    if any(not x.get("inputs") for x in loads):
        return None
    files = {f for x in loads for f in x["inputs"]}
    members = [
        p["id"]
        for p in store.twins.patient_metadata()
        if str(p["metadata"].get("cohort", "")) == cohort
    ]
    got = store.twins.input_checksums(members)
    outside = [pid for pid in members if not files & set(got.get(pid, ()))]
    if not outside:
        return None
    shown = ", ".join(outside[:5]) + (f" and {len(outside) - 5} more" if len(outside) > 5 else "")
    return (
        f"{len(outside)} patient(s) of cohort {cohort!r} ({shown}) came from an add before "
        f"completeness was recorded (before {RECORDED_SINCE}, so a killed add would not show); "
        f"{rerun.replace(' it:', ' them:')}"
    )


def _stored(store: GraphStore, load: dict[str, Any], members: list[str]) -> int:
    """Members whose inputs came from ``load``'s files (every member for a record without files)."""
    files = set(load.get("inputs") or ())
    if not files:
        return len(members)
    got = store.twins.input_checksums(members)
    return sum(1 for pid in members if files & set(got.get(pid, ())))
