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

import json
import re
import shlex
import string
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["PYTHON_CALLS", "SHELL_WORD", "filled", "matched", "python_calls", "translated"]

_ID = r"(?P<id>[A-Za-z0-9<][A-Za-z0-9_.<>-]*)"  # an id, not `...`
SHELL_WORD = r"""(?:[^\s'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+"""
"""A shell word: bare, or quoted as ``shlex.quote`` writes it (``'RA PBMC'``)."""
_NAME = rf"(?P<id>{SHELL_WORD})"  # a cohort name: free text
_EVERY = "cohort.cohort_patients(store, all_patients=True)"
_COHORT = "cohort.cohort_patients(store, cohort={id!q})"

PYTHON_CALLS: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), call)
    for pattern, call in (
        (r"^twin build --all\b", f"twin_batch.build_twins(store, {_EVERY})"),
        (
            rf"^twin build {_ID}.* --time-point (?P<tp>{SHELL_WORD})",
            "twins.build_twin(store, {id!q}, TwinParams(time_point={tp!q}))",
        ),
        (rf"^twin build {_ID}", "twins.build_twin(store, {id!q})"),
        (rf"^twin diseases {_ID}", "insights.twin_diseases(store, {id!q})"),
        (rf"^twin trajectory {_ID}", "insights.twin_trajectory(store, {id!q})"),
        (
            rf"^twin regulators {_ID}.* --by (?P<by>{SHELL_WORD})",
            "cell_regulators.context_regulators(store, {id!q}, {by!q})",
        ),
        (rf"^twin regulators {_ID}", "twin_regulators.twin_regulators(store, {id!q})"),
        (rf"^biomarkers {_ID}", "insights.twin_biomarkers(store, {id!q})"),
        (
            rf"^rank {_ID}\b.*--out (?P<out>{SHELL_WORD})",
            "rankings.export_ranking(store, {id!q}, {out!q})",
        ),
        (rf"^rank {_ID}", "rankings.rank_drugs(store, {id!q})"),
        (
            r"^patient add-cohort\b",
            "cohort_files.add_cohort_files(store, expression, samples, ...)",
        ),
        (rf"^patient add {_ID}", "patients.add_patient_files(store, {id!q}, ...)"),
        (r"^patient add\b", "patients.add_patient_files(store, patient_id, ...)"),
        (rf"^cohort run --cohort {_NAME}", f"cohort.run_cohort(store, None, {_COHORT})"),
        (
            rf"^cohort stratify --cohort {_NAME} --method (?P<m>{SHELL_WORD})"
            rf" --genes (?P<g>{SHELL_WORD}) -k (?P<k>\d+)$",
            f"stratify.stratify_cohort(store, {_COHORT}, cohort={{id!q}}, method={{m!q}}, "
            "genes={g!q}, k={k})",
        ),
        (
            rf"^cohort stratify --cohort {_NAME} --features (?P<f>{SHELL_WORD}) -k (?P<k>\d+)$",
            f"stratify.stratify_cohort(store, {_COHORT}, cohort={{id!q}}, features={{f!q}}, "
            "k={k})",
        ),
        (
            rf"^cohort stratify --cohort {_NAME}$",
            f"stratify.stratify_cohort(store, {_COHORT}, cohort={{id!q}})",
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


def _unquoted(word: str) -> str:
    """A shell word as the shell reads it (``'RA PBMC'`` -> ``RA PBMC``); others as given."""
    if not any(c in word for c in "'\"\\"):
        return word
    try:
        read = shlex.split(word)
    except ValueError:  # unbalanced quotes: not a word the shell reads
        return word
    return read[0] if len(read) == 1 else word


class _Literals(string.Formatter):
    """``{x!q}``: ``x`` as a Python (and JSON) string literal; ``{x!u}``: as a URL path segment."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "q":
            return json.dumps(str(value), ensure_ascii=False)
        if conversion == "u":
            return urllib.parse.quote(str(value), safe="")
        return super().convert_field(value, conversion)


_LITERALS = _Literals()


def matched(
    command: str, table: Sequence[tuple[re.Pattern[str], Any]] | Sequence[tuple[Any, ...]]
) -> tuple[int, dict[str, str]] | None:
    """The index of the first entry of ``table`` whose pattern ``command`` matches, and its groups.

    The groups are the words as the shell reads them (quotes removed) and ``id`` is a patient id
    also when it is written after ``--``; ``None`` when no entry matches.

    >>> matched("cohort run --cohort 'RA PBMC'", PYTHON_CALLS)[1]
    {'id': 'RA PBMC'}
    """
    usage, dash_id = _usage_order(command)
    for i, entry in enumerate(table):
        if match := entry[0].search(usage):
            groups = {k: _unquoted(v) for k, v in match.groupdict().items() if v is not None}
            if dash_id is not None and groups.get("id") == _DASH_ID:
                groups["id"] = dash_id
            return i, groups
    return None


def filled(words: str, groups: Mapping[str, str]) -> str:
    """``words`` formatted with ``groups`` (``{x!q}`` a string literal, ``{x!u}`` URL-quoted)."""
    return _LITERALS.format(words, **groups)


def translated(command: str, table: Sequence[tuple[re.Pattern[str], str | None]]) -> str | None:
    """``command`` (after ``medtwin ``) in the words of the first entry of ``table`` it matches.

    The entry's text is formatted with the pattern's groups (:func:`matched`, :func:`filled`);
    ``None`` when no entry matches or the entry says ``None``.

    >>> translated("rank --rerank -- -P1", PYTHON_CALLS)
    'rankings.rank_drugs(store, "-P1")'
    >>> print(translated("cohort stratify --cohort 'RA PBMC'", PYTHON_CALLS))
    ... # doctest: +NORMALIZE_WHITESPACE
    stratify.stratify_cohort(store, cohort.cohort_patients(store, cohort="RA PBMC"),
    cohort="RA PBMC")
    """
    found = matched(command, table)
    if found is None:
        return None
    i, groups = found
    words = table[i][1]
    return None if words is None else filled(words, groups)


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
