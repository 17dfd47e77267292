"""A patient's time points: the labels of its inputs, in natural order.

Kept apart from :mod:`medtwin.platform.trajectory` (which compares twins over time on the
interactome and imports numpy) so that a report, which only asks whether a patient has more than
one time point, imports none of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medtwin.store.base import GraphStore

__all__ = ["order_time_points", "patient_time_points"]


def patient_time_points(store: GraphStore, patient_id: str) -> list[str]:
    """Time point labels of the patient's inputs, in natural order."""
    labels = [tp for i in store.twins.inputs(patient_id) for tp in i.get("time_points") or ()]
    return order_time_points(labels)


def order_time_points(labels: Sequence[str]) -> list[str]:
    """Unique labels in natural order (numbers inside labels compare as numbers).

    Examples
    --------
    >>> order_time_points(["week12", "week2", "baseline", "week2"])
    ['baseline', 'week2', 'week12']
    >>> order_time_points(["t10", "t9", "t1"])
    ['t1', 't9', 't10']
    """

    def key(label: str) -> tuple[tuple[int, int, str], ...]:
        return tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", label)
            if part
        )

    return sorted(dict.fromkeys(labels), key=lambda x: (key(x), x))
