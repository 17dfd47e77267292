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
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.domain import SCORING_RULES

__all__ = ["RULE_CHANGES", "inputs_changed", "older_rules", "stale_note"]

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
