"""The Python call that does what a hint's ``medtwin …`` command does, for notebook users.

Errors name their next step as a CLI command (``run `medtwin twin build P1```): the CLI prints
the hint, the API's clients read it. A notebook user got only that command. One table here maps
the commands of the use cases to their Python calls, and :class:`~medtwin.errors.MedtwinError`
adds the call to the hint's note, which only a traceback shows (the CLI prints ``hint``, the API
sends the message), so their words are unchanged::

    NotFoundError: patient P1 has no twin
    hint: build one with `medtwin twin build P1` (Python: `twins.build_twin(store, "P1")`)

Each command's options go with its call (:class:`Keywords`): ``medtwin twin build P1
--module-samples 200`` is ``twins.build_twin(store, "P1", TwinParams(module_samples=200))`` (before,
the options were dropped: ``twins.build_twin(store, "P1")``); an option without a Python
counterpart is named beside the call with what to do instead (``rank P1 --top 0``:
``rankings.rank_drugs(store, "P1")`` (not in Python: --top, the length of the table; ...)).

No ``medtwin`` import: :mod:`medtwin.errors` imports this module.
"""

from __future__ import annotations

import json
import re
import shlex
import string
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PYTHON_CALLS",
    "SHELL_WORD",
    "Keywords",
    "filled",
    "matched",
    "not_in_python",
    "option_words",
    "python_calls",
    "python_steps",
    "python_step",
    "translated",
]

_ID = r"(?P<id>[A-Za-z0-9<][A-Za-z0-9_.<>-]*)"  # an id, not `...`
SHELL_WORD = r"""(?:[^\s'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+"""
"""A shell word: bare, or quoted as ``shlex.quote`` writes it (``'RA PBMC'``)."""
_NAME = rf"(?P<id>{SHELL_WORD})"  # a cohort name: free text
_EVERY = "cohort.cohort_patients(store, all_patients=True)"
_COHORT = "cohort.cohort_patients(store, cohort={id!q})"

_JSON = {"--json": "the call returns the result itself (its model_dump() for JSON)"}


@dataclass(frozen=True)
class Keywords:
    """How a call takes its command's options; every option of the command is in one field.

    ``keywords``: CLI option -> the call's keyword, written ``name`` (a string), ``name:num`` (a
    number), ``name:path`` (a ``Path``), ``name:list`` (every time it is given: a list),
    ``name:csv`` (comma-separated: a list) or ``name=<literal>`` (a flag's value).
    ``Group.name`` goes into a group's constructor, written once where ``groups`` says:
    ``{"TwinParams": ""}`` as the next positional argument, ``{"TwinParams": "params"}`` as
    ``params=TwinParams(...)``.
    ``in_pattern``: options the entry's pattern reads itself (``--by``, ``--cohort``).
    ``implied``: options whose effect is what the call does anyway -> why (``--json``: the
    call returns the result; ``rank --rerank``: ``rank_drugs`` always computes a new ranking).
    ``none``: options without a Python counterpart -> what to do instead; a hint names those
    its command gives beside the call (:func:`python_step`).
    """

    keywords: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    in_pattern: frozenset[str] = frozenset()
    none: Mapping[str, str] = field(default_factory=dict)
    implied: Mapping[str, str] = field(default_factory=lambda: dict(_JSON))

    def options(self) -> set[str]:
        """Every CLI option this entry accounts for."""
        return {*self.keywords, *self.in_pattern, *self.none, *self.implied}


_TWIN = {
    "--max-seeds": "TwinParams.max_seeds:num",
    "--seed-fdr": "TwinParams.seed_fdr:num",
    "--min-seeds": "TwinParams.min_seeds:num",
    "--expansion": "TwinParams.expansion",
    "--expand": "TwinParams.expand:num",
    "--module-samples": "TwinParams.module_samples:num",
    "--time-point": "TwinParams.time_point",
    "--seed": "TwinParams.seed:num",
}
_BUILD = Keywords(
    _TWIN,
    {"TwinParams": ""},
    none={
        "--all": "twin_batch.build_twins(store, cohort.cohort_patients(store, all_patients=True))",
        "--skip-current": "twin_batch.build_twins(store, [patient_id], skip_current=True)",
    },
)
_BUILD_ALL = Keywords(
    {**_TWIN, "--skip-current": "skip_current=True"},
    {"TwinParams": ""},
    in_pattern=frozenset({"--all"}),
)
_RANKING = {
    "--method": "rank_params.rank_params.methods:list",
    "--order": "rank_params.rank_params.order:list",
    "--tier": "rank_params.rank_params.tier",
    "--targets": "rank_params.rank_params.targets",
    "--samples": "rank_params.rank_params.n_samples:num",
    "--max-samples": "rank_params.rank_params.max_samples:num",
    "--seed": "rank_params.rank_params.seed:num",
    "--approved-only": "rank_params.rank_params.approved_only=True",
}
_RANK_NONE = {
    "--all": "call it for each of cohort.cohort_patients(store, all_patients=True)",
    "--top": "the length of the table; the result holds the first page (full=True: every drug)",
}
_RERANK = {**_JSON, "--rerank": "rank_drugs always computes a new ranking"}
_RANK = Keywords(
    {**_RANKING, "--require-module": "require_module=True", "--version": "version:num"},
    {"rank_params.rank_params": ""},
    none={**_RANK_NONE, "--out": "rankings.export_ranking(store, patient_id, out)"},
    implied=_RERANK,
)
_EXPORT = Keywords(
    {"--version": "version:num"},
    in_pattern=frozenset({"--out"}),
    implied=_RERANK,
    none={
        **_RANK_NONE,
        **dict.fromkeys(
            (*_RANKING, "--require-module"),
            "export_ranking writes the latest ranking: rank first (rankings.rank_drugs)",
        ),
    },
)  # fmt: skip
_FILES = ("de", "proteins", "variants", "vcf", "mutations", "fhir")
_ADD = Keywords(
    {
        **{f"--{k}": k for k in _FILES},
        "--h5ad": "h5ad:list",
        "--tissue": "tissues:list",
        "--symptoms": "symptoms",
        "--replace": "replace=True",
        "--padj-max": "dict.padj_max:num",
        **{f"--{k.replace('_', '-')}": f"dict.{k}" for k in (
            "vcf_sample", "tissue_key", "cell_type_key", "condition_key", "case", "control"
        )},
    },
    {"dict": "options"},
    none={
        "--note": "patients.add_patient_inputs(store, patient_id, "
        "patients.read_patient_files(...), metadata={'note': ...})",
    },
)  # fmt: skip
_ADD_COHORT = Keywords(
    {
        "--expression": "expression",
        "--sample-sheet": "samples",
        "--group-column": "group_column",
        "--control-label": "control_label",
        "--z-min": "z_min:num",
        "--p-max": "p_max:num",
        "--log-transform": "log_transform",
        "--symptoms": "symptoms",
        "--cohort": "cohort",
        "--wait": "wait:num",
        "--replace": "replace=True",
    },
)
_REGULATORS = {"--version": "version:num", "--q": "q:num", "--top": "top:num"}
_RUN = Keywords(
    {**_RANKING, "--workers": "workers:num", "--scheduler": "scheduler"},
    {"rank_params.rank_params": "rank_params"},
    in_pattern=frozenset({"--cohort", "--all"}),
)
_STRATIFY = Keywords(
    {
        "--similarity": "method",
        "--genes": "genes",
        "-k": "k:num",
        "--features": "features",
        "--labels": "labels_key",
        "--permutations": "permutations:num",
        "--seed": "seed:num",
    },
    in_pattern=frozenset({"--cohort"}),
)

PYTHON_CALLS: tuple[tuple[re.Pattern[str], str | None, Keywords], ...] = tuple(
    (re.compile(pattern), call, keywords)
    for pattern, call, keywords in (
        (r"^twin build --all\b", f"twin_batch.build_twins(store, {_EVERY})", _BUILD_ALL),
        (rf"^twin build {_ID}", "twins.build_twin(store, {id!q})", _BUILD),
        (rf"^twin list {_ID}", "twins.twin_versions(store, {id!q})", Keywords()),
        (
            rf"^twin diseases {_ID}",
            "insights.twin_diseases(store, {id!q})",
            Keywords(
                {"--version": "version:num", "--samples": "n_samples:num", "--seed": "seed:num",
                 "--refresh": "refresh=True"},
                none={"--top": "the length of the table; the result holds every match"},
            ),
        ),
        (
            rf"^twin trajectory {_ID}",
            "insights.twin_trajectory(store, {id!q})",
            Keywords(
                {"--time-points": "time_points:csv", "--no-build": "build=False",
                 "--no-rank": "rank=False", "--top-drugs": "top_drugs:num"},
            ),
        ),
        (
            rf"^twin regulators {_ID}.* --by (?P<by>{SHELL_WORD})",
            "cell_regulators.context_regulators(store, {id!q}, {by!q})",
            Keywords(
                _REGULATORS,
                in_pattern=frozenset({"--by"}),
                none={"--engine": "the regulators of a context are scored one way"},
            ),
        ),
        (
            rf"^twin regulators {_ID}",
            "twin_regulators.twin_regulators(store, {id!q})",
            Keywords(
                {**_REGULATORS, "--engine": "engine"},
                none={"--by": "cell_regulators.context_regulators(store, id, by)"},
            ),
        ),
        (
            rf"^biomarkers {_ID}",
            "insights.twin_biomarkers(store, {id!q})",
            Keywords(
                {"--top": "top:num", "--top-drugs": "top_drugs:num", "--version": "version:num"}
            ),
        ),
        (
            rf"^rank {_ID}\b.*--out (?P<out>{SHELL_WORD})",
            "rankings.export_ranking(store, {id!q}, {out!q})",
            _EXPORT,
        ),
        (rf"^rank {_ID}", "rankings.rank_drugs(store, {id!q})", _RANK),
        (
            r"^patient add-cohort\b.* --expression ",
            "cohort_files.add_cohort_files(store)",
            _ADD_COHORT,
        ),
        (
            r"^patient add-cohort\b",
            "cohort_files.add_cohort_files(store, expression, samples, ...)",
            _ADD_COHORT,
        ),
        (rf"^patient add {_ID}", "patients.add_patient_files(store, {id!q}, ...)", _ADD),
        (r"^patient add\b", "patients.add_patient_files(store, patient_id, ...)", _ADD),
        (rf"^cohort run --cohort {_NAME}", f"cohort.run_cohort(store, None, {_COHORT})", _RUN),
        (r"^cohort run --all\b", f"cohort.run_cohort(store, None, {_EVERY})", _RUN),
        (
            rf"^cohort stratify --cohort {_NAME}",
            f"stratify.stratify_cohort(store, {_COHORT}, cohort={{id!q}})",
            _STRATIFY,
        ),
        (
            r"^db repair\b",
            "datasets.repair(store)",
            Keywords({"--remove-stray-audit": "remove_stray_audit=True"}),
        ),
        (
            r"^demo\b",
            "demo.run_demo(store, settings)",
            Keywords(
                {"--rebuild": "rebuild=True", "--out-dir": "report_dir:path"},
                none={"--top": "the drugs printed; the result holds the rankings"},
            ),
        ),
    )
)  # fmt: skip
"""(pattern of the command after ``medtwin ``, its Python call, how the call takes the command's
options); the first that matches wins."""

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


def translated(
    command: str,
    table: Sequence[tuple[re.Pattern[str], str | None]]
    | Sequence[tuple[re.Pattern[str], str | None, Keywords]],
) -> str | None:
    """``command`` (after ``medtwin ``) in the words of the first entry of ``table`` it matches.

    The entry's text is formatted with the pattern's groups (:func:`matched`, :func:`filled`),
    and given the command's options as its :class:`Keywords` say; ``None`` when no entry
    matches or the entry says ``None``.

    >>> translated("rank --rerank -- -P1", PYTHON_CALLS)
    'rankings.rank_drugs(store, "-P1")'
    >>> print(translated("cohort stratify --cohort 'RA PBMC'", PYTHON_CALLS))
    ... # doctest: +NORMALIZE_WHITESPACE
    stratify.stratify_cohort(store, cohort.cohort_patients(store, cohort="RA PBMC"),
    cohort="RA PBMC")
    >>> translated("twin build P1 --module-samples 200 --time-point w0", PYTHON_CALLS)
    'twins.build_twin(store, "P1", TwinParams(module_samples=200, time_point="w0"))'
    >>> print(translated("patient add P1 --h5ad A --tissue blood --padj-max 0.01", PYTHON_CALLS))
    ... # doctest: +NORMALIZE_WHITESPACE
    patients.add_patient_files(store, "P1", options=dict(padj_max=0.01), h5ad=["A"],
    tissues=["blood"])
    """
    found = matched(command, table)
    if found is None:
        return None
    i, groups = found
    entry = table[i]
    if entry[1] is None:
        return None
    call = filled(entry[1], groups)
    if len(entry) < 3:
        return call
    return _with_keywords(call, entry[2], _given(command, entry[2]))


def not_in_python(command: str) -> list[tuple[str, str]]:
    """The options of ``command`` its Python call has no counterpart for, and what to do instead.

    >>> not_in_python("rank P1 --rerank --top 0 --samples 20")  # --rerank: what Python does
    [('--top', 'the length of the table; the result holds the first page (full=True: every drug)')]
    """
    found = matched(command, PYTHON_CALLS)
    if found is None or PYTHON_CALLS[found[0]][1] is None:
        return []
    none = PYTHON_CALLS[found[0]][2].none
    named = dict.fromkeys(o for o, _ in option_words(command) if o in none)  # not `implied` ones
    return [(o, none[o]) for o in named]


def python_step(command: str) -> str | None:
    """The Python call of ``command`` in backticks, with the options it has no counterpart for.

    >>> python_step("twin diseases P1 --top 5")
    '`insights.twin_diseases(store, "P1")` (not in Python: --top, the length of the table; the result holds every match)'
    >>> python_step("rank P1 --rerank --json")  # what the call does anyway
    '`rankings.rank_drugs(store, "P1")`'
    >>> python_step("db start") is None
    True
    """  # noqa: E501
    call = translated(command, PYTHON_CALLS)
    if call is None:
        return None
    none = not_in_python(command)
    said = "; ".join(f"{option}, {instead}" for option, instead in none)
    return f"`{call}`" + (f" (not in Python: {said})" if none else "")


def option_words(command: str) -> list[tuple[str, str | None]]:
    """The ``-x``/``--name`` words of ``command`` before ``--``, each with the word after it."""
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes: read it word by word
        words = command.split()
    out: list[tuple[str, str | None]] = []
    for i, word in enumerate(words):
        if word == "--":
            break
        if word.startswith("-") and len(word) > 1:
            name, eq, value = word.partition("=")
            out.append((name, value if eq else words[i + 1] if i + 1 < len(words) else None))
    return out


def _given(command: str, keywords: Keywords) -> list[tuple[str, str | None]]:
    """The options of ``command`` that ``keywords`` carries, with their values, in order."""
    return [(o, v) for o, v in option_words(command) if o in keywords.keywords]


_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _literal(value: str | None, kind: str) -> str:
    if value is not None and kind == "num" and _NUMBER.fullmatch(value):
        return value
    return json.dumps(value or "", ensure_ascii=False)


def _list(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _with_keywords(call: str, keywords: Keywords, given: Sequence[tuple[str, str | None]]) -> str:
    """``call`` with ``given`` as ``keywords`` writes them (a trailing ``...`` is their place)."""
    written: dict[tuple[str, str], str] = {}  # (group, keyword) -> its value, in order
    listed: dict[tuple[str, str], list[str]] = {}
    for option, value in given:
        target, eq, constant = keywords.keywords[option].partition("=")
        target, _, kind = target.partition(":")
        group, _, name = target.rpartition(".")
        if eq:
            written[group, name] = constant
        elif kind in ("list", "csv"):
            parts = (value or "").split(",") if kind == "csv" else [value or ""]
            listed.setdefault((group, name), []).extend(p.strip() for p in parts if p.strip())
            written[group, name] = ""
        elif kind == "path":
            written[group, name] = f"Path({_literal(value, kind)})"
        else:
            written[group, name] = _literal(value, kind)
    for key, values in listed.items():
        written[key] = _list(values)
    args: list[str] = []
    for group, keyword in keywords.groups.items():
        inside = ", ".join(f"{n}={v}" for (g, n), v in written.items() if g == group)
        if inside:
            args.append(f"{keyword}={group}({inside})" if keyword else f"{group}({inside})")
    args += [f"{n}={v}" for (g, n), v in written.items() if not g]
    if not args:
        return call
    head = call.removesuffix(", ...)") if call.endswith(", ...)") else call.removesuffix(")")
    return f"{head}, {', '.join(args)})"


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


def python_steps(text: str) -> list[str]:
    """:func:`python_step` of each ``medtwin`` command quoted in ``text``, each once, in order.

    Examples
    --------
    >>> for step in python_steps("`medtwin demo --top 5`, `medtwin rank P1 --rerank --samples 20`"):
    ...     print(step)
    `demo.run_demo(store, settings)` (not in Python: --top, the drugs printed; the result holds the rankings)
    `rankings.rank_drugs(store, "P1", rank_params.rank_params(n_samples=20))`
    """  # noqa: E501
    found = (python_step(written) for written in _COMMAND.findall(text))
    return list(dict.fromkeys(c for c in found if c is not None))
