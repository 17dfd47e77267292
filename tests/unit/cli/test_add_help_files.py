"""`medtwin patient add --help`'s examples: each parses, and each file it names is real.

A file is real when `medtwin data fetch` copies it (so it exists after `medtwin demo`, under
``.medtwin/data/<source>/<name>``) or the checkout ships it (``tests/data/...``). Before (stop 59's
CLI probe), the examples named ``p1_de.tsv``, ``pbmc.h5ad``, ``x1004_mutations.tsv``,
``blood.h5ad`` and ``joint.h5ad``, files no user has, so no example could be pasted.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from medtwin.cli.patients import add
from medtwin.loaders.fetch import default_pins_path, load_pins
from tests.unit.test_docs import command_tree, invocations, parse_problem

REPO = Path(__file__).resolve().parents[3]
FILE_OPTIONS = {"--de", "--proteins", "--variants", "--mutations", "--vcf", "--fhir", "--h5ad"}


def _examples() -> list[str]:
    return [c for c in invocations(add.help or "") if c.startswith("medtwin patient add ")]


def test_the_examples_parse(tmp_path: Path) -> None:
    examples = _examples()
    assert len(examples) == 4
    tree = command_tree()
    assert [c for c in examples if parse_problem(c, tree, tmp_path)] == []


def test_each_file_named_is_fetched_or_shipped() -> None:
    pinned = {Path(".medtwin") / "data" / p.source / p.name for p in load_pins(default_pins_path())}
    named = [
        Path(words[i + 1])
        for words in map(shlex.split, _examples())
        for i, word in enumerate(words[:-1])
        if word in FILE_OPTIONS
    ]
    assert len(named) == 4
    assert [p for p in named if p not in pinned and not (REPO / p).is_file()] == []
