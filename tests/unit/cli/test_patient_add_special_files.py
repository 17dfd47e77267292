"""`medtwin patient add` given a pipe or an unreadable file: one line naming the file and the fix.

On the in-memory store (``memory_cli``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli

GENES = {"7124": "TNF", "3569": "IL6"}


@pytest.mark.parametrize("option", ["--de", "--vcf", "--fhir", "--h5ad"])
def test_a_pipe_is_named_as_a_pipe_with_the_fix(memory_cli, tmp_path: Path, option: str) -> None:
    # bash's --de <(zcat de.tsv.gz) gives /dev/fd/63, a pipe; before: "de file /dev/fd/63 does
    # not exist" (click's own check had just found it)
    store = memory_cli(GENES)
    pipe = tmp_path / "de_pipe"
    os.mkfifo(pipe)  # never opened: the check looks at what the path is, it does not read
    result = CliRunner().invoke(cli, ["patient", "add", "P1", option, str(pipe)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    kind = option.removeprefix("--")
    assert f"InputError: {kind} file {pipe}: is a pipe or device, not a regular file" in (
        result.output
    )
    assert "save it to a file and give that" in result.output
    assert "does not exist" not in result.output
    assert store.twins.inputs("P1") == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/mem is Linux's")
def test_a_read_error_of_a_fhir_bundle_is_one_line(memory_cli) -> None:
    # /proc/self/mem opens, then its first read fails (EIO); the FHIR reader let the OSError
    # through: a traceback and exit 1 without a message (the table readers said "cannot read")
    memory_cli(GENES)
    result = CliRunner().invoke(cli, ["patient", "add", "P1", "--fhir", "/proc/self/mem"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.startswith("SourceFormatError: /proc/self/mem: cannot read: ")
