"""What a stored endotype is worth after a patient of its stratification was deleted.

``cohort stratify`` writes each patient's Louvain community (``endotype``) on its ``Patient``
node, computed from the kNN similarity graph of every patient of the run. Deleting one of them
removes its node and its ``SIMILAR_TO`` edges, but the others' communities were found with it and
stay as they were until ``cohort stratify`` runs again; nothing said so. Now the deletion counts
itself on the other patients of the same run (``endotype_deleted``: a number, never the deleted
patient's id), and every view of an endotype (``patient show``/``list``, ``patient similar``, the
API's patient and similar-patient answers) carries :func:`endotype_note`. The labels are kept and
flagged rather than removed: they still describe the cohort as it was stratified, and a user who
reported them can see which ones changed status and how to recompute them; removing them would
lose that without saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from medtwin.command_lines import in_callers_words

__all__ = ["endotype_note"]


def endotype_note(row: Mapping[str, Any]) -> str | None:
    """A note for an endotype whose stratification predates a deletion (None: current or none).

    Examples
    --------
    >>> row = {"endotype": 1, "endotype_method": "jaccard:twin", "endotype_deleted": 2,
    ...     "endotype_refresh": "medtwin cohort stratify --cohort c"}
    >>> print(endotype_note(row))  # doctest: +NORMALIZE_WHITESPACE
    endotype 1 of stratification jaccard:twin predates the deletion of 2 of its patients (its
    communities were found with them); refresh it with `stratify.stratify_cohort(store,
    cohort.cohort_patients(store, cohort="c"), cohort="c")`
    >>> endotype_note({"endotype": 1, "endotype_method": "jaccard:twin"}) is None
    True
    """
    deleted = row.get("endotype_deleted")
    if not deleted or row.get("endotype_method") is None:
        return None
    when = row.get("endotype_at")
    at = (
        f" ({str(when.to_native() if hasattr(when, 'to_native') else when)[:16]} UTC)"
        if when
        else ""
    )
    refresh = row.get("endotype_refresh") or "medtwin cohort stratify --cohort NAME"
    # the stored command, in the caller's words (Python: the call; the API has no such route)
    return in_callers_words(
        f"endotype {row.get('endotype')} of stratification {row['endotype_method']}{at} predates "
        f"the deletion of {deleted} of its patients (its communities were found with "
        f"{'it' if deleted == 1 else 'them'}); refresh it with `{refresh}`"
    )
