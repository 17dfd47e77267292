"""Every option of a hint's command is in its Python call, or named as having no counterpart.

Before, a note's Python call dropped every option its pattern did not spell out:
``medtwin twin build P1 --module-samples 200`` was ``twins.build_twin(store, "P1")``, and
``medtwin rank P1 --samples 20 --rerank`` was ``rankings.rank_drugs(store, "P1")``, with no word
that the samples were lost. These tests walk every entry of
:data:`medtwin.python_calls.PYTHON_CALLS` and every option of its CLI command (click's own
list): each is written into the call as a keyword the public Python function (or its parameter
model) takes, or is what the call does anyway (``--json``, ``rank --rerank``), or is named beside
the call with what to do instead (``rank --top 0``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from typing import Any

import click
import pytest

from medtwin.cli import cli
from medtwin.platform import inputs, models
from medtwin.python_calls import PYTHON_CALLS, matched, not_in_python, python_step, translated

# A command each entry matches (first match wins), without options but those its pattern reads;
# an entry's is the first whose key its pattern holds.
BASE = {
    r"^twin build --all\b": "twin build --all",
    "twin build": "twin build P1",
    "twin list": "twin list P1",
    "twin diseases": "twin diseases P1",
    "twin trajectory": "twin trajectory P1",
    r"--by (?P<by>": "twin regulators P1 --by cell-type",
    "twin regulators": "twin regulators P1",
    "biomarkers": "biomarkers P1",
    r"--out (?P<out>": "rank P1 --out p1.tsv",
    "^rank": "rank P1",
    r"^patient add-cohort\b.* --expression ": "patient add-cohort --expression e --sample-sheet s",
    r"^patient add-cohort\b": "patient add-cohort ...",
    "patient add (?P<id>": "patient add P1 ...",
    r"^patient add\b": "patient add ...",
    "cohort run --cohort": "cohort run --cohort toy",
    r"^cohort run --all\b": "cohort run --all",
    "cohort stratify": "cohort stratify --cohort toy",
    "db repair": "db repair",
    "demo": "demo",
}


def _base(pattern: str) -> str:
    """The sample command of an entry: the first key of BASE found in its pattern."""
    keys = [k for k in BASE if k in pattern]
    assert keys, f"no sample command for {pattern!r}: add one to BASE"
    return BASE[keys[0]]


ENTRIES = [(i, p.pattern) for i, (p, call, _) in enumerate(PYTHON_CALLS) if call is not None]


def _command(words: str) -> click.Command:
    """The click command a sample's leading words name (``twin build`` -> its command)."""
    ctx = click.Context(cli)
    command: Any = cli
    for word in words.split():
        if not isinstance(command, click.Group):
            break
        found = command.get_command(ctx, word)
        if found is None:
            break
        command = found
    return command  # type: ignore[no-any-return]


def _options(command: click.Command) -> dict[str, bool]:
    """Each option of ``command`` (its first spelling) and whether it is a flag."""
    return {p.opts[0]: p.is_flag for p in command.params if isinstance(p, click.Option)}


@pytest.mark.parametrize(("index", "pattern"), ENTRIES, ids=[p for _, p in ENTRIES])
def test_every_option_of_the_command_is_accounted_for(index, pattern):
    keywords = PYTHON_CALLS[index][2]
    options = _options(_command(_base(pattern)))
    assert set(options) - keywords.options() == set(), "neither carried nor named"
    assert keywords.options() - set(options) == set(), "not an option of the command"


@pytest.mark.parametrize(("index", "pattern"), ENTRIES, ids=[p for _, p in ENTRIES])
def test_every_option_given_is_in_the_call_or_named_beside_it(index, pattern):
    base = _base(pattern)
    assert matched(base, PYTHON_CALLS)[0] == index  # type: ignore[index]
    bare = translated(base, PYTHON_CALLS)
    for option, is_flag in _options(_command(base)).items():
        if option in PYTHON_CALLS[index][2].in_pattern:
            continue  # read by this entry's pattern or another's (cohort run --cohort / --all)
        words = base.removesuffix(" ...")
        command = f"{words} {option}" + ("" if is_flag else " 7") + base[len(words) :]
        if matched(command, PYTHON_CALLS)[0] != index:  # type: ignore[index]
            continue  # another entry's (rank --out, twin regulators --by): tested there
        call = translated(command, PYTHON_CALLS)
        step = python_step(command)
        assert call is not None
        assert step is not None
        ast.parse(call.replace("(store, ...)", "(store)").replace(", ...)", ")"))
        named = [o for o, _ in not_in_python(command)]
        if option in PYTHON_CALLS[index][2].implied:  # what the call does anyway (--json)
            assert (call, named) == (bare, []), command
        elif call == bare:
            assert named == [option], f"{command}: {option} dropped without a word"
            assert f"(not in Python: {option}, " in step
        else:
            assert named == [], f"{command}: {option} both carried and named"


def _parameters(function: str) -> set[str]:
    module, _, name = function.rpartition(".")
    if function == "TwinParams":
        return set(models.TwinParams.model_fields)
    if function == "dict":  # add_patient_files' options: an InputOptions mapping
        return set(inspect.signature(inputs.InputOptions).parameters)
    mod = importlib.import_module(f"medtwin.platform.{module}")
    assert name in mod.__all__, function  # the public Python API
    return set(inspect.signature(getattr(mod, name)).parameters)


@pytest.mark.parametrize(("index", "pattern"), ENTRIES, ids=[p for _, p in ENTRIES])
def test_every_keyword_is_a_parameter_of_the_public_function(index, pattern):
    _, call, keywords = PYTHON_CALLS[index]
    assert call is not None
    function = re.match(r"([\w.]+)\(", call)[1]  # type: ignore[index]
    for group, keyword in keywords.groups.items():
        assert not keyword or keyword in _parameters(function), (group, keyword)
    for target in keywords.keywords.values():
        name = target.partition("=")[0].partition(":")[0]
        group, _, name = name.rpartition(".")
        assert name in _parameters(group or function), f"{group or function}: {name}"


@pytest.mark.parametrize(
    ("command", "call"),
    [
        (
            "twin build P1 --module-samples 200 --expand 50 --expansion rwr",
            'twins.build_twin(store, "P1", TwinParams(module_samples=200, expand=50, '
            'expansion="rwr"))',
        ),  # before: twins.build_twin(store, "P1")
        (
            "rank P1 --samples 20 --method proximity --method degree --require-module",
            'rankings.rank_drugs(store, "P1", rank_params.rank_params(n_samples=20, '
            'methods=["proximity", "degree"]), require_module=True)',
        ),  # before: rankings.rank_drugs(store, "P1")
        (
            "patient add MT1 --h5ad blood.h5ad --tissue blood --h5ad joint.h5ad --tissue synovium",
            'patients.add_patient_files(store, "MT1", h5ad=["blood.h5ad", "joint.h5ad"], '
            'tissues=["blood", "synovium"])',
        ),  # before: patients.add_patient_files(store, "MT1", ...)
        (
            "twin trajectory P1 --time-points w0,w4 --no-rank",
            'insights.twin_trajectory(store, "P1", time_points=["w0", "w4"], rank=False)',
        ),
    ],
)
def test_a_commands_options_are_its_calls_keywords(command, call):
    assert translated(command, PYTHON_CALLS) == call
