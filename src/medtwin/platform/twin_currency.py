"""Whether a stored twin predates its patient's inputs: the note shown with the twin and rankings.

A twin is built from the patient's inputs of that moment (their digests are stored on it as
``input_checksums_json``). An input added afterwards, or a file added again with other content,
leaves the twin as it was: ``twin show``, ``rank``, the report and the API would present the old
twin as the patient's without this note. Only the inputs are compared here (a cheap read of
their ids and digests); :func:`medtwin.platform.twin_batch.stale_reason` also compares the
parameters and the reference data, for deciding whether to build again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["inputs_changed", "stale_note"]


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
    patient_id: str, twin: Mapping[str, Any], inputs: Sequence[Mapping[str, Any]]
) -> str | None:
    """The one-line note for a twin built from other inputs than the patient's now, else None."""
    why = inputs_changed(twin, inputs)
    if not why:
        return None
    return (
        f"twin v{twin.get('version', '?')} predates the patient's inputs: {why}; run "
        f"`medtwin twin build {patient_id}`"
    )
