"""A command-line word that is not UTF-8 (undecodable bytes) is refused before anything runs.

Python hands such bytes over as lone surrogates (``$'P\\xff'`` arrives as ``'P\\udcff'``).
Before, on the demo server: ``patient show $'P\\xff'`` ended in the driver's
``UnicodeEncodeError`` traceback, ``patient add P1 --de $'de\\xff.tsv'`` too, and ``patient add
P1 --note $'n\\xff'`` stored the note, after which ``GET /v1/patients/P1`` answered 500 to
every reader. On the memory store here, the add stored the patient (exit 0).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.store.memory import MemoryStore

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\n"
FIX = "give ids, names and notes as UTF-8 (medtwin stores them as text); rename a file whose name is not UTF-8"  # noqa: E501


@pytest.mark.parametrize("where", ["note", "file name"])
def test_an_add_with_a_word_that_is_not_utf8_stores_nothing(
    memory_cli: Callable[[dict[str, str]], MemoryStore], tmp_path: Path, where: str
) -> None:
    store = memory_cli({"1": "G1", "2": "G2"})
    name = "de\udcff.tsv" if where == "file name" else "de.tsv"
    de = tmp_path / name
    de.write_text(DE)
    note = ["--note", "n\udcff"] if where == "note" else []
    got = CliRunner().invoke(cli, ["patient", "add", "P1", "--de", str(de), *note])
    assert got.exit_code == 2, got.output
    assert got.stdout == ""
    shown = str(de).replace("\udcff", "\\xff") if where == "file name" else "n\\xff"
    assert got.stderr == f"cli: the argument '{shown}' is not UTF-8 text — {FIX}\n"
    assert not store.patient_exists("P1")


def test_an_id_that_is_not_utf8_is_one_json_line_under_json(
    memory_cli: Callable[[dict[str, str]], MemoryStore],
) -> None:
    memory_cli({"1": "G1"})
    got = CliRunner().invoke(cli, ["patient", "show", "P\udcff", "--json"])
    assert got.exit_code == 2
    assert json.loads(got.stderr) == {
        "error": "UsageError",
        "message": "cli: the argument 'P\\xff' is not UTF-8 text",
        "hint": FIX,
    }


def test_utf8_words_are_read_as_before(memory_cli: Callable[[dict[str, str]], MemoryStore]) -> None:
    memory_cli({"1": "G1"})
    got = CliRunner().invoke(cli, ["patient", "show", "Pü"])
    assert got.exit_code == 1
    assert got.stderr.startswith("InputError: invalid patient id 'Pü'")
