"""A patient's inputs one at a time: find one by its id or a prefix, remove it; their slots.

The slot (:func:`input_slot`) is the kind and labels by which ``--replace`` replaces an earlier
input.

``patient show`` lists each input with its id (:func:`~medtwin.platform.patient_reads.
get_patient` ``with_inputs``); ``medtwin patient remove-input P ID``, ``DELETE
/v1/patients/{id}/inputs/{input_id}`` and :func:`remove_input` remove one. Before, the only way
to drop one wrong input was to delete the whole patient.
"""

from __future__ import annotations

import logging

from medtwin.command_lines import patient_command
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.patient_rows import validate_patient_id
from medtwin.platform.input_slots import SLOTTED_KINDS, input_slot, unslotted_matches
from medtwin.platform.patient_models import InputRemoved, InputSummary
from medtwin.platform.patient_reads import get_patient, input_summaries
from medtwin.platform.python_audit import audited
from medtwin.platform.safe_text import printable, shortened
from medtwin.platform.twin_currency import stale_note
from medtwin.store.base import GraphStore

__all__ = [
    "MIN_PREFIX",
    "SLOTTED_KINDS",
    "find_input",
    "input_slot",
    "remove_input",
    "unslotted_matches",
]

log = logging.getLogger(__name__)

MIN_PREFIX = 4
"""Fewest characters of an input id's hex part taken as a prefix (git's minimum too)."""


def find_input(inputs: tuple[InputSummary, ...], patient_id: str, given: str) -> InputSummary:
    """The input of ``inputs`` that ``given`` names: its whole id, its hex part or a prefix of it.

    Raises
    ------
    InputError
        ``given`` is shorter than :data:`MIN_PREFIX` or starts more than one input's id (the
        candidates are listed).
    NotFoundError
        No input of the patient has that id.

    Examples
    --------
    >>> rows = tuple(
    ...     InputSummary(id=f"P1/{h}", kind="de", name=f"{h[:2]}.tsv", genes=1, symptoms=0)
    ...     for h in ("3f2a9c1b0d4e5f67", "3f2b000000000000")
    ... )
    >>> find_input(rows, "P1", "3f2a").id
    'P1/3f2a9c1b0d4e5f67'
    >>> find_input(rows, "P1", "P1/3f2b000000000000").name
    '3f.tsv'
    >>> find_input(rows, "P1", "3f2")
    Traceback (most recent call last):
    ...
    medtwin.errors.InputError: input id '3f2' is too short: give at least 4 characters of it
    """
    text = given.strip()
    hex_part = text.removeprefix(f"{patient_id}/")
    exact = [i for i in inputs if text in (i.id, i.short_id)]
    if exact:
        return exact[0]
    if len(hex_part) < MIN_PREFIX:
        raise InputError(
            f"input id {shortened(printable(given), 60)!r} is too short: give at least "
            f"{MIN_PREFIX} characters of it"
        )
    found = [i for i in inputs if i.short_id.startswith(hex_part.lower())]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            f"patient {patient_id} has no such input: {shortened(printable(given), 60)!r}",
            hint=f"`{patient_command('patient show', patient_id)}` lists its inputs' ids",
        )
    listed = ", ".join(f"{i.short_id} ({i.kind}: {_name(i)})" for i in found)
    raise InputError(
        f"input id {hex_part!r} is ambiguous: {len(found)} inputs of patient {patient_id} "
        f"start with it: {listed}",
        hint="give more characters of the id",
    )


@audited("delete")
def remove_input(store: GraphStore, patient_id: str, input_id: str) -> InputRemoved:
    """Remove one input of a patient, in one write under the patient's lock.

    ``input_id``: the input's whole id (``P1/3f2a…``), its hex part or a unique prefix of it
    (at least :data:`MIN_PREFIX` characters), as ``patient show`` lists them. The input node
    holds all it gave (changes, symptoms, statistics, its metadata keys), so nothing derived
    from it is left: the patient's metadata is derived again from the inputs left
    (:mod:`medtwin.store.input_metadata`); the patient keeps its other inputs, its explicit
    metadata (``--note``) and its twins, whose note then says they predate its inputs (``1
    input removed since``).

    Raises
    ------
    InputError
        A prefix too short or of several inputs (named).
    NotFoundError
        No such patient, or no such input of it (so a second call of the same removal fails).
    ConflictError
        Another operation on the patient is running.
    """
    pid = validate_patient_id(patient_id)
    inputs = input_summaries(store, pid)
    if not inputs:
        get_patient(store, pid)  # no such patient: its own error
    chosen = find_input(inputs, pid, input_id)
    with store.patient_lock(pid, "remove input"):
        gone = store.twins.remove_input(pid, chosen.id)
    if gone is None:  # removed by another call between the look-up and the lock
        raise NotFoundError(f"patient {pid} has no such input: {chosen.short_id}")
    removed = InputSummary.model_validate(gone)
    log.info("patient %s: input %s (%s) removed", pid, removed.short_id, _name(removed))
    left = store.twins.latest_twin_inputs([pid])
    note = stale_note(pid, left[0], left[0]["inputs"]) if left else None
    return InputRemoved(
        patient_id=pid,
        removed=removed,
        inputs_left=len(input_summaries(store, pid)),
        stale_note=note,
    )


def _name(i: InputSummary) -> str:
    return shortened(printable(i.name or i.kind or "?"), 60)
