"""The Python call that does what a hint's ``medtwin …`` command does, for notebook users.

Errors name their next step as a CLI command (``run `medtwin twin build P1```): the CLI prints
the hint, the API's clients read it. A notebook user got only that command. One table here maps
the commands of the use cases to their Python calls, and :class:`~medtwin.errors.MedtwinError`
adds the call to the hint's note, which only a traceback shows (the CLI prints ``hint``, the API
sends the message), so their words are unchanged::

    NotFoundError: patient P1 has no twin
    hint: build one with `medtwin twin build P1` (Python: `twins.build_twin(store, "P1")`)

No ``medtwin`` import: :mod:`medtwin.errors` imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["PYTHON_CALLS", "python_calls", "translated"]

_ID = r"(?P<id>[A-Za-z0-9<][A-Za-z0-9_.<>-]*)"  # an id, not `...`
_EVERY = "cohort.cohort_patients(store, all_patients=True)"
_COHORT = 'cohort.cohort_patients(store, cohort="{id}")'

PYTHON_CALLS: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), call)
    for pattern, call in (
        (r"^twin build --all\b", f"twin_batch.build_twins(store, {_EVERY})"),
        (
            rf"^twin build {_ID}.* --time-point (?P<tp>\S+)",
            'twins.build_twin(store, "{id}", TwinParams(time_point="{tp}"))',
        ),
        (rf"^twin build {_ID}", 'twins.build_twin(store, "{id}")'),
        (rf"^twin diseases {_ID}", 'insights.twin_diseases(store, "{id}")'),
        (rf"^twin trajectory {_ID}", 'insights.twin_trajectory(store, "{id}")'),
        (
            rf"^twin regulators {_ID}.* --by (?P<by>\S+)",
            'cell_regulators.context_regulators(store, "{id}", "{by}")',
        ),
        (rf"^twin regulators {_ID}", 'twin_regulators.twin_regulators(store, "{id}")'),
        (rf"^biomarkers {_ID}", 'insights.twin_biomarkers(store, "{id}")'),
        (rf"^rank {_ID}\b.*--out (?P<out>\S+)", 'rankings.export_ranking(store, "{id}", "{out}")'),
        (rf"^rank {_ID}", 'rankings.rank_drugs(store, "{id}")'),
        (
            r"^patient add-cohort\b",
            "cohort_files.add_cohort_files(store, expression, samples, ...)",
        ),
        (rf"^patient add {_ID}", 'patients.add_patient_files(store, "{id}", ...)'),
        (r"^patient add\b", "patients.add_patient_files(store, patient_id, ...)"),
        (rf"^cohort run --cohort {_ID}", f"cohort.run_cohort(store, None, {_COHORT})"),
        (
            rf"^cohort stratify --cohort {_ID} --method (?P<m>\S+) --genes (?P<g>\S+)"
            r" -k (?P<k>\d+)$",
            f'stratify.stratify_cohort(store, {_COHORT}, cohort="{{id}}", method="{{m}}", '
            'genes="{g}", k={k})',
        ),
        (
            rf"^cohort stratify --cohort {_ID} --features (?P<f>\S+) -k (?P<k>\d+)$",
            f'stratify.stratify_cohort(store, {_COHORT}, cohort="{{id}}", features="{{f}}", '
            "k={k})",
        ),
        (
            rf"^cohort stratify --cohort {_ID}$",
            f'stratify.stratify_cohort(store, {_COHORT}, cohort="{{id}}")',
        ),
        (r"^db repair\b", "datasets.repair(store)"),
        (r"^demo\b", "demo.run_demo(store, settings)"),
    )
)  # fmt: skip
"""(pattern of the command after ``medtwin ``, its Python call); the first that matches wins."""

_COMMAND = re.compile(r"`medtwin ([^`]+)`")

_AFTER_DASHES = re.compile(r"^(?P<head>.*?) -- (?P<id>-\S*)$")
"""A patient id written after ``--`` (it starts with ``-``: :mod:`medtwin.command_lines`)."""

_DASH_ID = "DASHID"
"""Stands for such an id while the patterns, whose ids never start with ``-``, are matched."""


def _usage_order(command: str) -> tuple[str, str | None]:
    """``rank --rerank -- -P1`` as ``rank DASHID --rerank`` and the id; other commands as given."""
    found = _AFTER_DASHES.match(command)
    if found is None:
        return command, None
    words = found["head"].split()
    n = next((i for i, w in enumerate(words) if w.startswith("-") or w == "..."), len(words))
    return " ".join([*words[:n], _DASH_ID, *words[n:]]), found["id"]


def translated(command: str, table: Sequence[tuple[re.Pattern[str], str | None]]) -> str | None:
    """``command`` (after ``medtwin ``) in the words of the first entry of ``table`` it matches.

    The entry's text is formatted with the pattern's groups (``{id}``: the patient id, also one
    written after ``--``); ``None`` when no entry matches or the entry says ``None``.

    >>> translated("rank --rerank -- -P1", PYTHON_CALLS)
    'rankings.rank_drugs(store, "-P1")'
    """
    usage, dash_id = _usage_order(command)
    for pattern, words in table:
        if match := pattern.search(usage):
            if words is None:
                return None
            groups = match.groupdict()
            if dash_id is not None and groups.get("id") == _DASH_ID:
                groups["id"] = dash_id
            return words.format(**groups)
    return None


def python_calls(text: str) -> list[str]:
    """The Python calls of the ``medtwin`` commands quoted in ``text``, each once, in order.

    Commands without a use case (``db start``, ``data fetch``) have none.

    >>> python_calls("build one with `medtwin twin build P1`, then `medtwin rank P1 --rerank`")
    ['twins.build_twin(store, "P1")', 'rankings.rank_drugs(store, "P1")']
    >>> python_calls("start it with `medtwin db start`")
    []
    >>> python_calls("run `medtwin rank --rerank -- -P1`")
    ['rankings.rank_drugs(store, "-P1")']
    """
    found = (translated(written, PYTHON_CALLS) for written in _COMMAND.findall(text))
    return list(dict.fromkeys(c for c in found if c is not None))
