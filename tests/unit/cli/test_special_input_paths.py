"""A pipe, a device or a folder given as an input file: one line naming it, never a hang.

Before, ``patient add-cohort --expression <(zcat expr.tsv.gz)`` (a pipe), ``screen --gmt`` and
``rank --targets`` given a FIFO blocked forever in ``open`` (no writer) or read the pipe's bytes
once and found it gone at the checksum; ``/dev/null`` was read as an empty file and
``--symptoms some/folder`` as an unknown symptom named like the path.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.errors import SourceFormatError
from medtwin.loaders import drug_targets_custom, gmt, patient_cohort
from medtwin.loaders.patient_rows import file_sha256
from medtwin.loaders.patient_symptoms import read_symptoms
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes({"TNF": "7124", "IL6": "3569"})
SAMPLES = "sample\tgroup\nS1\tRA\nC1\thealthy\nC2\thealthy\n"
MATRIX = "gene\tS1\tC1\tC2\nTNF\t8\t1\t2\n"


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO that a background writer fills with a valid table once a reader opens it.

    The writer lets a reader that opens the pipe (the behaviour before the fix) finish instead of
    hanging the test: it then reads a valid file, and the test fails on the missing error.
    """
    path = tmp_path / "pipe.tsv"
    os.mkfifo(path)
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno != errno.ENXIO:  # ENXIO: no reader yet
                    return
                time.sleep(0.01)
                continue
            os.set_blocking(fd, True)
            try:
                os.write(fd, MATRIX.encode())
            finally:
                os.close(fd)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    yield path
    stop.set()
    thread.join(timeout=5)


def _samples(tmp_path: Path) -> Path:
    path = tmp_path / "samples.tsv"
    path.write_text(SAMPLES)
    return path


READERS: dict[str, Callable[[Path, Path], Any]] = {
    "cohort matrix": lambda p, tmp: patient_cohort.read_cohort_matrix(p, _samples(tmp), GENES),
    "gmt": lambda p, tmp: gmt.read_gmt(p, GENES),
    "targets": lambda p, tmp: drug_targets_custom.read_custom_targets(p),
    "symptoms": lambda p, tmp: read_symptoms(p),
    "checksum": lambda p, tmp: file_sha256(p),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_pipe_is_refused_before_it_is_opened(fifo: Path, tmp_path: Path, reader: str) -> None:
    with pytest.raises(SourceFormatError) as e:
        READERS[reader](fifo, tmp_path)
    assert str(e.value) == (
        f"{fifo}: is a pipe or device, not a regular file; save it to a file and give that"
    )


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_device_is_not_read_as_an_empty_file(tmp_path: Path, reader: str) -> None:
    with pytest.raises(SourceFormatError, match="/dev/null: is a pipe or device, not a regular"):
        READERS[reader](Path("/dev/null"), tmp_path)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_folder_is_named_as_a_folder(tmp_path: Path, reader: str) -> None:
    folder = tmp_path / "inputs.tsv"
    folder.mkdir()
    with pytest.raises(SourceFormatError, match="inputs.tsv: is a folder, not a file; give the"):
        READERS[reader](folder, tmp_path)


def test_add_cohort_given_a_pipe_says_so_and_adds_nothing(
    memory_cli, fifo: Path, tmp_path: Path
) -> None:
    store = memory_cli({"7124": "TNF"})
    result = CliRunner().invoke(
        cli,
        ["patient", "add-cohort", "--expression", str(fifo)]
        + ["--sample-sheet", str(_samples(tmp_path))],
    )
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"SourceFormatError: {fifo}: is a pipe or device, not a regular file; save it to a file "
        "and give that\n"
    )
    assert store.twins.inputs("S1") == []


@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_symptoms_naming_a_pipe_or_folder_say_what_it_is(
    memory_cli, tmp_path: Path, kind: str
) -> None:
    store = memory_cli({"7124": "TNF"})
    path = tmp_path / "symptoms"
    os.mkfifo(path) if kind == "pipe" else path.mkdir()
    result = CliRunner().invoke(cli, ["patient", "add", "P1", "--symptoms", str(path)])
    assert result.exit_code == 1, result.output
    what = "is a pipe or device, not a regular file" if kind == "pipe" else "is a folder"
    assert result.output.startswith(f"InputError: symptoms file {path}: {what}")
    assert "unknown symptom" not in result.output
    assert store.twins.inputs("P1") == []


@pytest.mark.parametrize("text", ["", "\n\n", "# symptoms of P1\n"])
def test_a_symptoms_file_without_a_symptom_is_named(memory_cli, tmp_path: Path, text: str) -> None:
    # before: "InputError: nothing to add: give at least one of the files ..." naming no file
    store = memory_cli({"7124": "TNF"})
    path = tmp_path / "symptoms.txt"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["patient", "add", "P1", "--symptoms", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"SourceFormatError: {path}: no symptom in the file (empty, or blank and # lines only); "
        "give one HPO id (HP:0001945), MeSH id or HPO term name per line\n"
    )
    assert store.twins.inputs("P1") == []


def test_unresolved_names_are_cut_and_their_control_characters_shown(
    memory_cli, tmp_path: Path
) -> None:
    # before: a gene cell's escape sequence went to the terminal as is (it runs there), and a
    # 5,000-character cell was printed whole, in the CLI line and the reader's WARNING alike
    memory_cli({"7124": "TNF"})
    de = tmp_path / "de.tsv"
    de.write_text(
        f"gene\tlog2fc\tpadj\nTNF\t1.5\t0.01\nIL6\x1b[2J\t1\t0.01\n{'X' * 5000}\t1\t0.01\n"
    )
    result = CliRunner().invoke(cli, ["patient", "add", "P1", "--de", str(de), "--json"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr
    assert "X" * 61 not in result.stderr
    line = f"de: 2 genes not resolved: 'IL6\\x1b[2J', {'X' * 60}… (5000 characters)"
    assert line in result.stderr.splitlines()
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings[0].startswith(f"{de.name}: 2 gene(s) did not resolve to an Entrez id")
    assert "'IL6\\x1b[2J'" in warnings[0]
    assert "\x1b" not in warnings[0]
    assert "X" * 61 not in warnings[0]
