"""The options of a cohort add that change what it stores: what its completeness record is keyed by.

``patient add-cohort`` (:func:`~medtwin.platform.cohort_files.add_cohort_files`) records its add
by files and these options (:mod:`medtwin.platform.cohort_loads`). A Python
:func:`~medtwin.platform.patients.add_cohort` of profiles read by
:func:`~medtwin.platform.cohort_profiles.read_cohort` gives no options; its add was keyed by the
files alone, so it never matched a CLI add of the same files with the default options: a
second record of the same add. :func:`options_of_profiles` keys it with the defaults instead,
but for what the profiles record of their reading (their ``p_max``, ``z_min`` and a
leave-one-out reference), so profiles read at other thresholds are not taken for a default add.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from types import MappingProxyType

from medtwin.loaders.patient_rows import PatientProfile

__all__ = ["DEFAULT_OPTIONS", "add_options", "options_of_profiles"]

DEFAULT_OPTIONS: Mapping[str, object] = MappingProxyType(
    {
        "group_column": "group",
        "control_label": "healthy",
        "sample_column": "sample",
        "z_min": 0.0,
        "p_max": 0.05,
        "log_transform": "auto",
    }
)
"""``read_cohort``'s and ``add_cohort_files``' defaults (a unit test holds them equal)."""


def add_options(
    *,
    group_column: str,
    control_label: str | None,
    sample_column: str,
    z_min: float,
    p_max: float,
    log_transform: str,
) -> dict[str, object]:
    """The options as the record keys them (``control_label`` None: ``'none'``, leave-one-out).

    >>> add_options(**DEFAULT_OPTIONS) == dict(DEFAULT_OPTIONS)  # type: ignore[arg-type]
    True
    """
    return {
        "group_column": group_column,
        "control_label": control_label or "none",
        "sample_column": sample_column,
        "z_min": float(z_min),
        "p_max": float(p_max),
        "log_transform": log_transform,
    }


def options_of_profiles(profiles: Sequence[PatientProfile]) -> dict[str, object]:
    """The options of an add given without them: the defaults, but for what the profiles record.

    ``read_cohort`` writes ``p_max``, ``z_min`` and ``reference`` into each profile's metadata;
    a value all profiles share replaces the default (the group and sample columns, the control
    label's name and the log transform are not recorded: pass ``options`` when they differ).

    >>> p = PatientProfile(patient_id="S1", metadata={"p_max": "0.5", "reference": "controls"})
    >>> options_of_profiles([p])["p_max"], options_of_profiles([p])["control_label"]
    (0.5, 'healthy')
    >>> options_of_profiles([])["p_max"]
    0.05
    """
    out = dict(DEFAULT_OPTIONS)
    for key in ("p_max", "z_min"):
        seen = {p.metadata.get(key) for p in profiles}
        value = seen.pop() if len(seen) == 1 else None
        # a value that is no number is a hand-made profile's metadata, not a reading's threshold
        with suppress(ValueError, TypeError):
            out[key] = float(value)  # type: ignore[arg-type]
    if profiles and all(p.metadata.get("reference") == "leave_one_out" for p in profiles):
        out["control_label"] = "none"
    return out
