"""`medtwin --help`'s "Typical session": each command parses with the CLI's own parser, and each
file it names is one `medtwin data fetch` copies (so it exists after `medtwin demo`).

Before, it showed ``--de p1_de.tsv``, a placeholder no user has (tests/unit/test_docs.py parses
every help line too, but creates the files a line names, so a placeholder passed there).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from medtwin.cli import cli
from medtwin.loaders.fetch import default_pins_path, load_pins
from tests.unit.test_docs import command_tree, invocations, parse_problem

FILE_OPTIONS = {"--de", "--proteins", "--variants", "--mutations", "--vcf", "--fhir", "--h5ad"}


def _session() -> list[str]:
    """The command lines of the help's "Typical session" block."""
    text = cli.help or ""
    return list(invocations(text[text.index("Typical session") :].split("\n\n")[0]))


def test_the_session_is_commands_that_parse(tmp_path: Path) -> None:
    commands = _session()
    assert [c.split()[:3] for c in commands] == [
        ["medtwin", "demo"],  # named in the block's first line
        ["medtwin", "db", "start"],
        ["medtwin", "data", "fetch"],
        ["medtwin", "load"],
        ["medtwin", "patient", "add"],
        ["medtwin", "patient", "add"],
        ["medtwin", "twin", "build"],
        ["medtwin", "rank", "P1"],
        ["medtwin", "rank", "GSM389703"],
    ]
    tree = command_tree()
    assert [c for c in commands if parse_problem(c, tree, tmp_path)] == []
    # the check can fail: a misspelt option is refused
    assert parse_problem("medtwin patient add P1 --dee x.tsv", tree, tmp_path)


def test_each_file_it_names_is_one_data_fetch_copies() -> None:
    pinned = {Path(".medtwin") / "data" / p.source / p.name for p in load_pins(default_pins_path())}
    named = [
        Path(words[i + 1])
        for words in map(shlex.split, _session())
        for i, word in enumerate(words[:-1])
        if word in FILE_OPTIONS
    ]
    assert named == [Path(".medtwin/data/omics_ra_pbmc_gse15573/deg_table.tsv")]
    assert set(named) <= pinned
