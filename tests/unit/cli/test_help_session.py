"""`medtwin --help`'s "Typical session": each command parses with the CLI's own parser, and each
file it names is one `medtwin data fetch` copies (so it exists after `medtwin demo`).

Before, it showed ``--de p1_de.tsv``, a placeholder no user has, and ``HP:0001369``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest

from medtwin.cli import cli
from medtwin.loaders.fetch import default_pins_path, load_pins


def _session() -> list[list[str]]:
    """The commands of the help's "Typical session" block, each as its words."""
    help_text = cli.help or ""
    block = help_text[help_text.index("Typical session") :].split("\n\n")[0]
    lines = block.replace("\\\n", " ").splitlines()[1:]
    commands = []
    for line in lines:
        code = line.split(" #")[0].strip()
        if not code or code.startswith("#") or not code.startswith("medtwin"):
            continue
        commands.extend(shlex.split(part) for part in code.split("&&"))
    return commands


def _parse(words: list[str]) -> click.Context:
    """Parse ``words`` as the CLI would, down to the command that would run (which is not run)."""
    assert words[0] == "medtwin", words
    args = words[1:]
    command: click.Command = cli
    ctx = click.Context(cli, info_name="medtwin")
    while isinstance(command, click.Group):
        name = args.pop(0)
        sub = command.get_command(ctx, name)
        assert sub is not None, f"no command {name!r} in {words}"
        ctx, command = click.Context(sub, info_name=name, parent=ctx), sub
    return command.make_context(ctx.info_name, args, parent=ctx.parent)


def test_the_session_is_commands_that_parse() -> None:
    commands = _session()
    assert [c[:3] for c in commands] == [
        ["medtwin", "db", "start"],
        ["medtwin", "data", "fetch"],
        ["medtwin", "load"],
        ["medtwin", "patient", "add"],
        ["medtwin", "twin", "build"],
        ["medtwin", "rank", "P1"],
        ["medtwin", "rank", "GSM389703"],
    ]
    for words in commands:
        _parse(words)  # a misspelt option, a missing argument: click raises UsageError


@pytest.mark.parametrize("words", [["medtwin", "patient", "add", "P1", "--dee", "x.tsv"]])
def test_a_wrong_command_does_not_parse(words: list[str]) -> None:
    with pytest.raises(click.UsageError):
        _parse(words)


def test_each_file_it_names_is_one_data_fetch_copies() -> None:
    pinned = {Path(".medtwin") / "data" / p.source / p.name for p in load_pins(default_pins_path())}
    named = [
        Path(words[i + 1])
        for words in _session()
        for i, word in enumerate(words)
        if word in {"--de", "--proteins", "--vcf", "--h5ad", "--fhir", "--mutations"}
    ]
    assert named == [Path(".medtwin/data/omics_ra_pbmc_gse15573/deg_table.tsv")]
    assert set(named) <= pinned
    assert "p1_de.tsv" not in (cli.help or "")
