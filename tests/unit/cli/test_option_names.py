"""One option name, one meaning, across every command of the CLI (the survey, kept as a test).

Before (stop 54): ``--samples`` was a count of null-model samples in ``rank``, ``screen``,
``twin diseases`` and ``cohort run`` but the sample sheet (a file) in ``patient add-cohort``;
``patient similar --limit`` counted the most similar patients, where every other command names
the N first of an ordering ``--top`` and ``--limit`` is a page's size beside ``--offset``;
``report --out`` was a folder where every other ``--out`` is a file; ``cohort stratify
--method`` was a similarity measure where ``rank --method`` is a ranking method; ``explain``,
``biomarkers``, ``report`` and ``rank`` had no ``--version`` (the twin version) while ``twin
show`` and ``export`` did. This test walks the click tree (every command imported) and fails on
such a name; the old spellings still work as hidden aliases (:mod:`medtwin.cli.renamed`).
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import Command, cli, patients
from medtwin.cli.renamed import Moved, renamed_args
from tests.cli_tree import command_tree

COMMANDS = [(" ".join(("medtwin", *path)), c) for path, c in command_tree().items()]
BY_PATH = dict(COMMANDS)


def _kind(option: click.Option) -> str:
    """What an option's value is: the part of its meaning a test can read off click."""
    t = option.type
    if option.is_flag:
        return "flag"
    if isinstance(t, click.Path):
        return "file" if t.file_okay else "folder"
    if isinstance(t, click.Choice):
        return "choice"
    if isinstance(t, click.IntRange | click.types.IntParamType):
        return "integer"
    if isinstance(t, click.FloatRange | click.types.FloatParamType):
        return "number"
    if isinstance(t, click.types.StringParamType):
        return "text"
    return type(t).__name__  # a type of its own (rank's ranking METHOD)


ALLOWED: dict[str, str] = {
    # click's and every CLI's convention: `medtwin --version` prints the program's version; each
    # command's --version is a twin version (an integer), and no command has both.
    "--version": "medtwin --version: the package version (a flag) — by convention",
}
"""Option names allowed to have more than one kind of value, each with why."""


def _options() -> dict[str, dict[str, list[str]]]:
    """Option name -> kind of value -> the commands where it has that kind."""
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, command in COMMANDS:
        for p in command.params:
            if isinstance(p, click.Option):
                for name in p.opts:
                    seen[name][_kind(p)].append(path)
    return seen


def test_the_survey_sees_every_command() -> None:
    paths = {path for path, _ in COMMANDS}
    assert {"medtwin rank", "medtwin patient add-cohort", "medtwin patient similar"} <= paths
    assert {"medtwin twin trajectory", "medtwin db backup", "medtwin api-key new"} <= paths
    assert sum(len(kinds) for kinds in _options().values()) > 70


def test_one_option_name_has_one_kind_of_value() -> None:
    """``--samples`` a number here and a file there (add-cohort's sheet) fails here."""
    mixed = {
        name: dict(kinds)
        for name, kinds in _options().items()
        if len(kinds) > 1 and name not in ALLOWED
    }
    assert mixed == {}


def test_the_allow_list_is_needed() -> None:
    """An entry of :data:`ALLOWED` that no longer mixes kinds is removed (it hides nothing)."""
    assert {name for name in ALLOWED if len(_options()[name]) > 1} == set(ALLOWED)


MEANINGS: dict[str, tuple[str, str]] = {
    # name: (its one meaning, a pattern every help text of the name matches)
    "--all": ("every patient", r"\b[Ee]very patient\b"),
    "--cohort": ("a cohort's name (metadata.cohort)", r"\bcohort\b"),
    "--force": ("redo or overwrite what is there", r"(?i)\b(overwrite|again|reload)\b"),
    "--json": ("machine-readable output", r"(?i)\bjson\b|machine-readable"),
    "--limit": ("a page's size, beside --offset", r"(?i)\b(at most|per page)\b"),
    "--offset": ("the rows a page skips", r"^Skip\b"),
    "--only": ("some of the sources", r"^\w+\(s\) to \w+ \(repeatable\)"),
    "--out": ("a file written", r"(?i)\b(file|tsv|table)\b"),
    "--out-dir": ("a folder written into", r"^Folder\b"),
    "--replace": ("replace earlier inputs", r"^(Remove|Replace)\b"),
    "--samples": ("null-model samples", r"\b[Nn]ull(-model)? samples\b"),
    "--seed": ("a random seed", r"^Seed of\b"),
    "--symptoms": ("symptom terms", r"\bHPO ids\b"),
    "--targets": ("the drug-target table", r"(?i)\bdrug[-–]target\b"),
    "--top": ("the N first of an ordering, shown", r"\b(shown|print(ed)?|in the table)\b"),
    "--top-drugs": ("the top N drugs of a ranking, used", r"^The top N drugs of\b"),
    "--version": ("the twin version", r"^Twin version\b"),
}
"""Each option name used by more than one command: its one meaning, and what its help says.

The kind of value (:func:`_kind`) tells a file from a number, not one number from another:
``cohort summary --top`` was the k of top k (help "Top k.") beside ``--drugs``, the rows printed,
while every other ``--top`` is the rows shown. A help text that does not say its name's meaning
here fails (the name has a second meaning: give it another name), as does a name used twice
without an entry (say what it means)."""


def _helps() -> dict[str, list[tuple[str, str, str]]]:
    """Option name -> (command, help text, kind of value) of each command that has it."""
    helps: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for path, command in COMMANDS:
        for p in command.params:
            if isinstance(p, click.Option):
                for name in p.opts:
                    helps[name].append((path, p.help or "", _kind(p)))
    return helps


def test_every_shared_option_name_has_a_meaning() -> None:
    """A name with two help texts has an entry; one option shared by commands (``rank`` and
    ``cohort run`` take the same ranking options) says one thing, and needs none."""
    helps = _helps()
    worded_twice = {name for name, where in helps.items() if len({h for _, h, _ in where}) > 1}
    assert worded_twice - set(MEANINGS) == set()
    assert {name for name in MEANINGS if len(helps[name]) < 2} == set()  # used once or never


def test_each_option_name_has_its_one_meaning() -> None:
    """Every help text of a name of :data:`MEANINGS` says that meaning (``Top k.`` fails)."""
    other = {
        f"{path} {name}: {text!r} is not {MEANINGS[name][0]}"
        for name, where in _helps().items()
        if name in MEANINGS
        for path, text, _ in where
        if path != "medtwin"  # the root's --version, by convention (ALLOWED)
        and re.search(MEANINGS[name][1], text) is None
    }
    assert other == set()


def test_one_meaning_has_one_name() -> None:
    """No number of another name says the meaning of ``--top`` or ``--top-drugs`` (before:
    ``cohort summary --drugs``, "Drugs to print.", beside ``rank --top``, "Drugs to print")."""
    other = {
        f"{path} {name}: {text!r} is {MEANINGS[meaning][0]}: call it {meaning}"
        for meaning in ("--top", "--top-drugs")
        for name, where in _helps().items()
        if name != meaning
        for path, text, kind in where
        if kind == "integer" and re.search(MEANINGS[meaning][1], text)
    }
    assert other == set()


def test_a_limit_is_a_page() -> None:
    """``--limit`` is a page's size beside ``--offset`` (rows by id or time); the N first of an
    ordering (most similar, best ranked) is ``--top``."""
    for path, command in COMMANDS:
        names = {n for p in command.params for n in p.opts}
        if "--limit" in names:
            assert "--offset" in names, f"{path} --limit without --offset: call it --top"


def test_samples_count_null_draws() -> None:
    """Every ``--samples`` is a number of null-model samples (an integer of 2 or more)."""
    for path, command in COMMANDS:
        for p in command.params:
            if "--samples" in p.opts:
                assert isinstance(p.type, click.IntRange), path
                assert (p.type.min or 0) >= 2, path


TWIN_READERS = (
    "medtwin twin show",
    "medtwin twin diseases",
    "medtwin twin regulators",
    "medtwin export",
    "medtwin explain",
    "medtwin biomarkers",
    "medtwin report",
    "medtwin rank",
)
"""Commands that read one twin of a patient: each takes ``--version N``, that twin version."""


@pytest.mark.parametrize("path", TWIN_READERS)
def test_twin_readers_take_a_twin_version(path: str) -> None:
    (option,) = [p for p in BY_PATH[path].params if "--version" in p.opts]
    assert isinstance(option.type, click.IntRange)
    assert option.type.min == 1
    assert (option.help or "").startswith("Twin version")


def test_every_twin_version_option_is_one() -> None:
    """No command but those of :data:`TWIN_READERS` (and the root's flag) has ``--version``."""
    having = {path for path, c in COMMANDS if any("--version" in p.opts for p in c.params)}
    assert having == {"medtwin", *TWIN_READERS}


RENAMED = {
    ("medtwin patient add-cohort", "--samples"): "--sample-sheet",
    ("medtwin patient similar", "--limit"): "--top",
    ("medtwin report", "--out"): "--out-dir",
    ("medtwin cohort stratify", "--method"): "--similarity",
    ("medtwin demo", "--reports"): "--out-dir",
    ("medtwin cohort summary", "--drugs"): "--top",
}


@pytest.mark.parametrize(("path", "old"), list(RENAMED))
def test_an_old_name_is_hidden_and_leads_to_the_new_one(path: str, old: str) -> None:
    command = BY_PATH[path]
    assert isinstance(command, Command)
    assert command.renamed == {old: RENAMED[path, old]}
    names = {n for p in command.params for n in p.opts}
    assert old not in names
    assert RENAMED[path, old] in names
    ctx = click.Context(command, info_name=path.removeprefix("medtwin "))
    assert re.search(rf"{old}(?![\w-])", command.get_help(ctx)) is None


def test_a_moved_name_keeps_its_old_meaning_alone() -> None:
    """``cohort summary --top`` (the k of top k before, now the rows) is read as ``--top-drugs``
    unless ``--top-drugs`` is given (the outputs: ``test_cohort_summary_options.py``)."""
    command = BY_PATH["medtwin cohort summary"]
    assert isinstance(command, Command)
    assert command.moved == {"--top": Moved("--top-drugs", "the drugs printed")}
    ctx = click.Context(command, info_name="summary", resilient_parsing=False)
    read = functools.partial(
        renamed_args, command, ctx, renamed=command.renamed, moved=command.moved
    )
    assert read(["--top", "5"]) == ["--top-drugs", "5"]
    assert read(["--top=5", "--drugs", "2"]) == ["--top-drugs=5", "--top", "2"]
    assert read(["--top", "5", "--top-drugs", "9"]) == ["--top", "5", "--top-drugs", "9"]
    assert read(["--cohort", "--top-drugs", "--top", "5"]) == [  # a cohort named --top-drugs
        "--cohort",
        "--top-drugs",
        "--top-drugs",
        "5",
    ]
    assert read(["--cohort", "c", "--", "--top"]) == ["--cohort", "c", "--", "--top"]


def test_renamed_args_rewrites_option_names_only() -> None:
    command = BY_PATH["medtwin patient add-cohort"]
    ctx = click.Context(command, info_name="add-cohort")
    renamed = {"--samples": "--sample-sheet"}
    args = ["--symptoms", "--samples", "--samples=s.tsv", "--", "--samples"]
    assert renamed_args(command, ctx, args, renamed) == [
        "--symptoms",
        "--samples",  # the value of --symptoms
        "--sample-sheet=s.tsv",
        "--",
        "--samples",  # an argument after --
    ]


def test_an_old_name_works_with_a_notice(tmp_path: Path) -> None:
    """``patient similar --limit 0``: read as ``--top 0`` (its range error names --top)."""
    got = CliRunner().invoke(cli, ["patient", "similar", "P1", "--limit", "0"], prog_name="medtwin")
    assert got.exit_code == 2
    notice = "notice: medtwin patient similar --limit is now --top; the old name still works"
    assert got.stderr.splitlines()[0].startswith(notice)
    assert "'--top': 0 is not in the range 1<=x<=1000" in got.stderr
    # given twice under one name: refused as any repeat
    got = CliRunner().invoke(cli, ["patient", "similar", "P1", "--limit", "3", "--limit", "4"])
    assert got.exit_code == 2
    assert "'--top': given 2 times; give it once" in got.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--limit", "3", "--top", "4"],
        ["--top=4", "--limit=3"],
        ["--limit", "3", "--top", "3", "--json"],
    ],
)
def test_an_old_and_a_new_name_together_are_named(args: list[str]) -> None:
    """Old and new name of one option: the error names both (it said ``--top`` given twice).

    Round 4 of the resilience sweeps: ``patient similar P1 --limit 3 --top 5`` printed the
    notice, then "invalid value for '--top': given 2 times", of a ``--top`` typed once.
    """
    got = CliRunner().invoke(cli, ["patient", "similar", "P1", *args], prog_name="medtwin")
    assert got.exit_code == 2
    said = "--limit is the old name of --top, and both are given; give --top once"
    assert said in got.stderr
    assert "given 2 times" not in got.stderr
    assert "notice" not in got.stderr  # the error alone: the notice would say it still works
    if "--json" in args:
        assert json.loads(got.stderr)["message"].endswith(said)


def test_the_old_sample_sheet_option_adds_the_cohort(memory_cli) -> None:  # type: ignore[no-untyped-def]
    """``add-cohort --samples`` (the old name) still adds the cohort, after one notice line."""
    data = Path(__file__).resolve().parents[2] / "data" / "patient"
    store = memory_cli({"1": "GA", "2": "GB", "3": "GC", "4": "GX"})
    args = ["add-cohort", "--expression", str(data / "cohort_expression.tsv"), "--p-max", "1"]
    sheet = str(data / "cohort_samples.tsv")
    got = CliRunner().invoke(patients.patient, [*args, "--samples", sheet])
    assert got.exit_code == 0, got.output
    assert got.stderr.splitlines()[0] == (
        "notice: patient add-cohort --samples is now --sample-sheet; the old name still works "
        "for now"
    )
    assert got.stderr.count("notice") == 1
    assert got.stdout == "3 patients: 3 added, 0 unchanged\n"
    assert [p["id"] for p in store.twins.patients()] == ["S1", "S2", "S3"]
    again = CliRunner().invoke(patients.patient, [*args, "--sample-sheet", sheet])
    assert again.exit_code == 0
    assert "notice" not in again.stderr
    assert again.stdout == "3 patients: 0 added, 3 unchanged\n"
