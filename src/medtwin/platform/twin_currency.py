"""Whether a stored twin predates its patient's inputs: the note shown with the twin and rankings.

A twin is built from the patient's inputs of that moment (their digests are stored on it as
``input_checksums_json``). An input added afterwards, or a file added again with other content,
leaves the twin as it was: ``twin show``, ``rank``, the report and the API would present the old
twin as the patient's without this note. Only the inputs are compared here (a cheap read of
their ids and digests); :func:`medtwin.platform.twin_batch.stale_reason` also compares the
parameters and the reference data, for deciding whether to build again.

Results stored under older scoring rules (:data:`medtwin.domain.SCORING_RULES`) carry a note
too, naming what changed since (:data:`RULE_CHANGES`): a drug list made by an earlier medtwin is
not presented as today's answer.

Where a user looks at a twin (``twin show``, ``twin list``, ``twin diff``, ``rank``, the report,
the API) the note is :func:`stale_note`; where a cohort view lists many patients (``cohort
summary``, ``cohort activities``, ``cohort stratify``) it is one line, :func:`cohort_stale_note`:
how many patients' twins predate their inputs and the command that builds them again.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medtwin.domain import SCORING_RULES
from medtwin.platform.cohort_loads import completeness_note
from medtwin.store.base import GraphStore

__all__ = [
    "RULE_CHANGES",
    "CohortCurrency",
    "cohort_currency",
    "cohort_stale_note",
    "inputs_changed",
    "older_rules",
    "stale_note",
    "stale_patients",
]

RULE_CHANGES: dict[int, str] = {
    1: (
        "target_expression, regulator, pathway, reversal and pathway_proximity score a twin only "
        "when it has a full statistics vector (not its thresholded changes), and a module tie "
        "between equally large components goes to the strongest seed"
    ),
}
"""What each scoring-rules version changed (:data:`medtwin.domain.SCORING_RULES`)."""


def older_rules(props: Mapping[str, Any] | None) -> str:
    """What changed since the rules a stored twin or ranking (its properties) was made under.

    ``""`` when it was made under today's rules (or ``props`` is None).

    >>> older_rules({"rules": SCORING_RULES})
    ''
    >>> older_rules({}).startswith("made under scoring rules 0 (now 1):")
    True
    """
    if props is None:
        return ""
    made = int(props.get("rules") or 0)
    if made >= SCORING_RULES:
        return ""
    since = "; ".join(RULE_CHANGES[v] for v in range(made + 1, SCORING_RULES + 1))
    return f"made under scoring rules {made} (now {SCORING_RULES}): since then {since}"


def inputs_changed(twin: Mapping[str, Any], inputs: Sequence[Mapping[str, Any]]) -> str:
    """How the patient's inputs (``id``, ``sha256``, ``name`` each) differ from ``twin``'s; ``""``.

    E.g. ``"1 input added since (de2.tsv)"``, ``"1 input removed since"``.
    """
    built = json.loads(twin.get("input_checksums_json") or "{}")
    now = {str(i["id"]): str(i.get("sha256")) for i in inputs}
    added = [i for i in inputs if str(i["id"]) not in built]
    removed = [k for k in built if k not in now]
    changed = [i for i in inputs if built.get(str(i["id"]), now[str(i["id"])]) != now[str(i["id"])]]
    parts = []
    for what, rows in (("added", added), ("changed", changed)):
        if rows:
            names = ", ".join(str(r.get("name") or r["id"]) for r in rows[:3])
            more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
            n = len(rows)
            parts.append(f"{n} input{'s' * (n != 1)} {what} since ({names}{more})")
    if removed:
        n = len(removed)
        parts.append(f"{n} input{'s' * (n != 1)} removed since")
    return "; ".join(parts)


def stale_note(
    patient_id: str,
    twin: Mapping[str, Any],
    inputs: Sequence[Mapping[str, Any]] | None,
    ranking: Mapping[str, Any] | None = None,
) -> str | None:
    """The one-line note for a twin (and its ``ranking``) that a build now would not repeat.

    Built from other inputs than the patient's now (``inputs``; None: not compared), or twin or
    ranking made under older scoring rules. None when current.
    """
    version = twin.get("version", "?")
    notes = []
    why = inputs_changed(twin, inputs) if inputs is not None else ""
    if why:
        notes.append(f"twin v{version} predates the patient's inputs: {why}")
    if older := older_rules(twin):
        notes.append(f"twin v{version} was {older}")
    elif older := older_rules(ranking):
        notes.append(f"this ranking was {older}")
    if not notes:
        return None
    fix = (
        f"`medtwin twin build {patient_id}`"
        if why or older_rules(twin)
        else f"`medtwin rank {patient_id} --rerank`"
    )
    return f"{'; '.join(notes)}; run {fix}"


def stale_patients(store: GraphStore, ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(stale, older)``: the patients of ``ids`` whose latest twin a build now would not repeat.

    Stale: the twin predates the patient's inputs (:func:`inputs_changed`) or today's scoring
    rules; ``older``: those made under older rules (:func:`older_rules`).
    """
    rows = store.twins.latest_twin_inputs(ids)
    older = sorted(r["id"] for r in rows if older_rules(r))
    stale = sorted(r["id"] for r in rows if r["id"] in older or inputs_changed(r, r["inputs"]))
    return stale, older


def cohort_stale_note(
    stale: Sequence[str],
    n_patients: int,
    *,
    cohort: str | None = None,
    older: Sequence[str] = (),
) -> str | None:
    """The cohort views' line for patients whose twins predate their inputs, else None.

    The refresh is ``medtwin cohort run`` over the same patients (it builds a twin again only
    where it is stale, and ranks it): ``--cohort NAME``, the stale ids when few, or ``--all``.

    Examples
    --------
    >>> print(cohort_stale_note(["P3", "P1"], 81, cohort="ra synovium"))
    the twins of 2 of 81 patients predate the patients' inputs (P3, P1); run `medtwin cohort run \
--cohort 'ra synovium'`
    >>> print(cohort_stale_note(["P1"], 2))
    the twin of 1 of 2 patients predates the patient's inputs (P1); run `medtwin cohort run P1`
    >>> print(cohort_stale_note(["P1", "P2"], 2, older=["P1", "P2"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    the twins of 2 of 2 patients were made under older scoring rules (P1, P2); run `medtwin
    cohort run P1 P2`
    >>> cohort_stale_note([], 2) is None
    True
    """
    n = len(stale)
    if not n:
        return None
    names = ", ".join(stale[:3]) + (f" and {n - 3} more" if n > 3 else "")
    if cohort is not None:
        selection = f"--cohort {shlex.quote(cohort)}"
    elif n <= 5:
        selection = " ".join(shlex.quote(s) for s in stale)
    else:
        selection = "--all"
    twins, verb, whose = (
        ("twin", "predates", "patient's") if n == 1 else ("twins", "predate", "patients'")
    )
    why = f"{verb} the {whose} inputs"
    if older and len(older) == n:
        why = f"{'was' if n == 1 else 'were'} made under older scoring rules"
    elif older:
        why += f" or were made under older scoring rules ({len(older)})"
    return (
        f"the {twins} of {n} of {n_patients} patients {why} ({names}); run "
        f"`medtwin cohort run {selection}`"
    )


@dataclass(frozen=True)
class CohortCurrency:
    """A cohort view's patients whose twins are stale (:func:`stale_patients`), and its note."""

    stale: tuple[str, ...]
    note: str | None
    completeness: str | None = None
    """:func:`~medtwin.platform.cohort_loads.completeness_note` of the view's cohort."""


def cohort_currency(
    store: GraphStore, ids: Sequence[str], *, cohort: str | None = None
) -> CohortCurrency:
    """:func:`stale_patients` of ``ids``, their :func:`cohort_stale_note` (one read), and more.

    ``completeness``: whether ``cohort``'s adds are recorded (one more read).
    """
    stale, older = stale_patients(store, ids)
    note = cohort_stale_note(stale, len(ids), cohort=cohort, older=older)
    return CohortCurrency(tuple(stale), note, completeness_note(store, cohort))
