"""A usage error of a command given ``--json`` is the JSON line of every other error.

Before, ``medtwin rank P1 --top x --json`` (or ``twin diff P1 --json`` without ``--from``, or
``rank --json -P1``) printed the text usage line on stderr while every other error of a
``--json`` command was one JSON line ``{"error", "hint", "message"}``: a script reading stderr
as JSON failed on exactly the errors it made itself. Every command of the CLI is walked, so a
new command is checked without editing this file. Without ``--json`` the line is unchanged
(``test_usage_lines.py``).
"""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from tests.unit.cli.test_repeated_options import COMMANDS

WITH_JSON = [
    path
    for path, command in COMMANDS
    if not isinstance(command, click.Group)
    and any("--json" in getattr(p, "opts", ()) for p in command.params)
]


def _json_line(args: list[str]) -> dict[str, object]:
    got = CliRunner().invoke(cli, args)
    assert got.exit_code == 2, got.output
    assert got.stdout == ""
    lines = got.stderr.splitlines()
    assert len(lines) == 1, got.stderr
    return dict(json.loads(lines[0]))


def test_the_walk_sees_the_json_commands() -> None:
    assert {"rank", "twin diff", "patient show", "db status", "api-key new"} <= {
        " ".join(p) for p in WITH_JSON
    }


@pytest.mark.parametrize("path", WITH_JSON, ids=" ".join)
def test_an_unknown_option_under_json_is_a_json_line(path: list[str]) -> None:
    line = _json_line([*path, "--json", "--no-such-option"])
    command = " ".join(["cli", *path])
    assert line == {
        "error": "UsageError",
        "message": f"{command}: no such option '--no-such-option'",
        "hint": f"run `{command} --help`",
    }


CASES = {
    "bad number": (
        ["rank", "P1", "--top", "x", "--json"],
        "cli rank: invalid value for '--top': 'x' is not a valid integer range",
        "run `cli rank --help`",
    ),
    "missing option": (
        ["twin", "diff", "P1", "--json"],
        "cli twin diff: missing option '--from'",
        "run `cli twin diff --help`",
    ),
    "an id starting with -": (
        ["patient", "show", "--json", "-P1"],
        "cli patient show: '-P1' is no option; a patient id starting with '-' goes after `--`",
        "run `cli patient show --json -- -P1`",
    ),
    "medtwin's own option after the command": (
        ["patient", "show", "-v", "P1", "--json"],
        "cli patient show: -v is an option of cli itself; it goes before the command",
        "run `cli -v patient show P1 --json`",
    ),
    "unknown command": (
        ["patient", "lst", "--json"],
        "cli patient: no such command 'lst' (did you mean 'list'?)",
        "run `cli patient --help`",
    ),
    "the group's own option": (
        ["--bogus", "patient", "list", "--json"],
        "cli: no such option '--bogus' (did you mean '--verbose'?)",
        "run `cli --help`",
    ),
}


@pytest.mark.parametrize(("args", "message", "hint"), CASES.values(), ids=CASES.keys())
def test_usage_errors_under_json(args: list[str], message: str, hint: str) -> None:
    assert _json_line(args) == {"error": "UsageError", "message": message, "hint": hint}


def test_json_after_dashes_is_an_argument_not_the_option() -> None:
    got = CliRunner().invoke(cli, ["twin", "diff", "P1", "--", "--json"])
    assert got.exit_code == 2
    assert got.stderr.startswith("cli twin diff: ")
