"""Click's usage errors are one line with the fix; an id starting with ``-`` is told about ``--``.

Before, a usage error was four lines (usage, "Try '… --help' for help.", a blank line,
"Error: …"), and ``medtwin patient show -P1`` said only "No such option '-P'": nothing told the
user that a patient id starting with ``-`` goes after ``--``, and the not-found hint for such an
id (``medtwin patient add -P1 ...``) failed the same way. Exit status 2 is kept.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from medtwin.cli import cli

CASES = {
    "missing argument": (
        ["patient", "show"],
        "cli patient show: missing argument 'PATIENT_ID' — run `cli patient show --help`",
    ),
    "unknown option, click's suggestions kept": (
        ["rank", "P1", "--to", "3"],
        "cli rank: no such option '--to' (did you mean '--method', '--out' or '--top'?) — run "
        "`cli rank --help`",
    ),
    "unknown option, one suggestion": (
        ["rank", "P1", "--bogus"],
        "cli rank: no such option '--bogus' (did you mean '--out'?) — run `cli rank --help`",
    ),
    "bad choice": (
        ["export", "P1", "--format", "zzz"],
        "cli export: invalid value for '--format': 'zzz' is not one of 'cyjs', 'graphml' — run "
        "`cli export --help`",
    ),
    "option without its value": (
        ["rank", "P1", "--top"],
        "cli rank: option '--top' requires an argument — run `cli rank --help`",
    ),
    "unknown command": (
        ["patient", "lst"],
        "cli patient: no such command 'lst' (did you mean 'list'?) — run `cli patient --help`",
    ),
    "the group's own option": (
        ["--bogus"],
        "cli: no such option '--bogus' (did you mean '--verbose'?) — run `cli --help`",
    ),
    "patient show -P1": (
        ["patient", "show", "-P1"],
        "cli patient show: '-P1' is no option; a patient id starting with '-' goes after `--`: "
        "`cli patient show -- -P1`",
    ),
    "patient delete -P1": (
        ["patient", "delete", "-P1", "--yes"],
        "cli patient delete: '-P1' is no option; a patient id starting with '-' goes after `--`: "
        "`cli patient delete --yes -- -P1`",
    ),
    "twin build -P1": (
        ["twin", "build", "-P1", "--seed", "3"],
        "cli twin build: '-P1' is no option; a patient id starting with '-' goes after `--`: "
        "`cli twin build --seed 3 -- -P1`",
    ),
    "rank P2 -P1": (
        ["rank", "P2", "-P1"],
        "cli rank: '-P1' is no option; a patient id starting with '-' goes after `--`: "
        "`cli rank P2 -- -P1`",
    ),
    "medtwin's own option after the command is no id": (
        ["patient", "show", "-v", "P1"],
        "cli patient show: -v is an option of cli itself; it goes before the command: "
        "`cli -v patient show P1`",
    ),
    "a misspelt long option is no id": (
        ["twin", "build", "P1", "--expnd", "1"],
        "cli twin build: no such option '--expnd' (did you mean '--expand', '--expansion' or "
        "'--seed'?) — run `cli twin build --help`",
    ),
}


@pytest.mark.parametrize(("args", "line"), CASES.values(), ids=CASES.keys())
def test_a_usage_error_is_one_line_with_the_fix(args: list[str], line: str) -> None:
    got = CliRunner().invoke(cli, args)
    assert got.exit_code == 2
    assert got.stdout == ""
    assert got.stderr == f"{line}\n"


def test_help_still_answers() -> None:
    got = CliRunner().invoke(cli, ["rank", "--help"])
    assert got.exit_code == 0
    assert got.stdout.startswith("Usage: cli rank [OPTIONS] [PATIENT_IDS]...")


def test_an_id_after_dashes_is_read_and_its_hint_keeps_them(memory_cli) -> None:
    memory_cli({"1": "G1"})
    got = CliRunner().invoke(cli, ["patient", "show", "--", "-P1"])
    assert got.exit_code == 1
    assert got.stderr == (
        "NotFoundError: no patient -P1\nhint: add one with `medtwin patient add ... -- -P1`\n"
    )
