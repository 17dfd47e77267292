"""Every single-valued option of every command refuses a second value (click kept the last).

Before: ``medtwin rank P --top 5 --top 9`` printed 9 drugs and ``--targets a.tsv --targets
b.tsv`` ranked with b.tsv only, without a word. The check is the commands' class
(:class:`medtwin.cli.Command`, :class:`medtwin.cli.Group`), so this test walks the whole CLI:
a command added without it fails here.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import Command, Group, cli
from tests.cli_tree import command_tree

COMMANDS = [(list(path), c) for path, c in command_tree().items() if path]
COMMANDS_BY_PATH = {tuple(path): c for path, c in COMMANDS}


def _single_valued() -> list[tuple[list[str], click.Option]]:
    return [
        (path, p)
        for path, command in [([], cli), *COMMANDS]
        for p in command.params
        if isinstance(p, click.Option) and not (p.multiple or p.count or p.is_flag)
    ]


def test_every_command_checks_repeats() -> None:
    assert {"rank", "twin build", "patient add", "cohort run", "api-key new"} <= {
        " ".join(path) for path, _ in COMMANDS
    }
    wrong = [
        " ".join(path)
        for path, command in [([], cli), *COMMANDS]
        if not isinstance(command, Group if isinstance(command, click.Group) else Command)
    ]
    assert wrong == []


def test_the_walk_sees_the_options() -> None:
    names = {(" ".join(path), p.opts[0]) for path, p in _single_valued()}
    assert {("rank", "--top"), ("rank", "--targets"), ("rank", "--out"), ("screen", "--out")} <= (
        names
    )
    assert len(names) > 60


@pytest.mark.parametrize(
    ("path", "option"),
    _single_valued(),
    ids=[f"{' '.join(path)} {p.opts[0]}" for path, p in _single_valued()],
)
def test_single_valued_option_refuses_a_repeat(path: list[str], option: click.Option) -> None:
    name = option.opts[0]
    value = ["1"] * option.nargs
    got = CliRunner().invoke(cli, [*path, name, *value, name, *value])
    assert got.exit_code == 2, got.output
    # a moved name alone is read as its old meaning's name (cohort summary --top: --top-drugs)
    moved = getattr(COMMANDS_BY_PATH.get(tuple(path)), "moved", {}).get(name)
    shown = moved.to if moved is not None else "/".join(option.opts)
    assert f"invalid value for '{shown}': given 2 times; give it once" in got.stderr


def test_a_repeat_is_refused_before_the_values_are_checked() -> None:
    """`--top 5 --top x`: the repeat is named, not the bad value (nor a database error)."""
    got = CliRunner().invoke(cli, ["rank", "P1", "--top", "5", "--json", "--top=x"])
    assert got.exit_code == 2
    assert "invalid value for '--top': given 2 times" in got.stderr


def test_flags_and_multiple_options_may_repeat() -> None:
    """`--json --json` changes nothing; `--method a --method b` collects both; `-vv` counts."""
    seen: dict[str, object] = {}

    @click.command(cls=Command)
    @click.option("--json", "as_json", is_flag=True)
    @click.option("--method", "methods", multiple=True)
    @click.option("-v", "verbose", count=True)
    @click.option("--top", type=int, default=1)
    def probe(as_json: bool, methods: tuple[str, ...], verbose: int, top: int) -> None:
        seen.update(as_json=as_json, methods=methods, verbose=verbose, top=top)

    args = ["--json", "--json", "--method", "a", "--method", "b", "-vv", "--top", "3"]
    got = CliRunner().invoke(probe, args)
    assert got.exit_code == 0, got.output
    assert seen == {"as_json": True, "methods": ("a", "b"), "verbose": 2, "top": 3}
    assert CliRunner().invoke(probe, ["--top", "1", "--top", "2"]).exit_code == 2
