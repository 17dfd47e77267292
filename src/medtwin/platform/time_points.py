"""A patient's time points: the labels of its inputs, in clinical and natural order.

Kept apart from :mod:`medtwin.platform.trajectory` (which compares twins over time on the
interactome and imports numpy) so that a report, which only asks whether a patient has more than
one time point, imports none of it.

Order: a label naming a phase before treatment (``pre-treatment``, ``baseline``, ``screening``)
comes first and one naming a phase after it (``post-treatment``, ``follow-up``, ``relapse``)
last, since their spelling would sort them the other way (``post`` < ``pre``); within a phase,
numbers inside labels compare as numbers (``week2`` < ``week12``), then text alphabetically. An
order that rests on the alphabet alone is said (:func:`order_note`), with the fix: name the
time points in their order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medtwin.store.base import GraphStore

__all__ = ["order_note", "order_time_points", "patient_time_points"]

_BEFORE = r"pre|before|baseline|screening|untreated|naive|bl"
_AFTER = r"post|after|follow|fu|eot|end|progression|relapse|recurrence"
_WORD = r"(?:^|(?<=[^a-z]))({})(?=[^a-z]|$)"


def _phase(label: str) -> int:
    """0 before treatment, 2 after it, 1 neither named (on treatment, or a plain label).

    >>> [_phase(x) for x in ("pre-treatment", "Baseline", "C1D1", "post_treatment", "FU1", "wk2")]
    [0, 0, 1, 2, 2, 1]
    """
    low = label.lower()
    if re.search(_WORD.format(_BEFORE), low):
        return 0
    if re.search(_WORD.format(_AFTER), low):
        return 2
    return 1


def _key(label: str) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    return _phase(label), tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", label)
        if part
    )


def patient_time_points(store: GraphStore, patient_id: str) -> list[str]:
    """Time point labels of the patient's inputs, in order (:func:`order_time_points`)."""
    labels = [tp for i in store.twins.inputs(patient_id) for tp in i.get("time_points") or ()]
    return order_time_points(labels)


def order_time_points(labels: Sequence[str]) -> list[str]:
    """Unique labels in order: phase (before / other / after treatment), then natural order.

    Examples
    --------
    >>> order_time_points(["week12", "week2", "baseline", "week2"])
    ['baseline', 'week2', 'week12']
    >>> order_time_points(["t10", "t9", "t1"])
    ['t1', 't9', 't10']
    >>> order_time_points(["post-treatment", "on-treatment", "pre-treatment"])
    ['pre-treatment', 'on-treatment', 'post-treatment']
    """
    return sorted(dict.fromkeys(labels), key=lambda x: (_key(x), x))


def order_note(ordered: Sequence[str]) -> str | None:
    """A note when two consecutive labels of ``ordered`` are ordered by their spelling alone.

    Neither a phase word nor a number tells which came first (``visitA``, ``visitB``), so the
    trajectory's direction is a guess.

    >>> order_note(["week2", "week12"]) is None
    True
    >>> order_note(["pre-treatment", "post-treatment"]) is None
    True
    >>> print(order_note(["biopsy", "resection"]))  # doctest: +NORMALIZE_WHITESPACE
    time points biopsy, resection are ordered alphabetically: if that is not their order, name
    them in order (--time-points)
    """
    guessed: list[str] = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        (pa, ka), (pb, kb) = _key(a), _key(b)
        if pa != pb:
            continue
        first = next(((x, y) for x, y in zip(ka, kb, strict=False) if x != y), None)
        if first is None or (first[0][0] == 0 and first[1][0] == 0):
            continue  # decided by a number (or by length: "t1" < "t1b")
        guessed.extend(x for x in (a, b) if x not in guessed)
    if not guessed:
        return None
    return (
        f"time points {', '.join(guessed)} are ordered alphabetically: if that is not their "
        "order, name them in order (--time-points)"
    )
