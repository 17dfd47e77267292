"""``screen`` and ``rank --targets`` given odd files: one line each, no Python warning text.

In-memory store. Before, ``rank --targets some/folder`` said "neither a target source ... nor an
existing file" of a path that exists, and ``screen`` printed the Python warning of a skipped gene
set with its source line (``result = screen_gene_sets(``) above its own line naming the set.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, treatment
from medtwin.platform.context import reference_context
from medtwin.settings import Settings
from tests.unit.services.conftest import reference_store


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_rank_targets_naming_a_folder_or_a_pipe_says_what_it_is(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "drugs.tsv"
    os.mkfifo(path) if kind == "pipe" else path.mkdir()
    result = CliRunner().invoke(cli, ["rank", "P1", "--targets", str(path)])
    assert result.exit_code == 2, result.output
    what = "a folder" if kind == "folder" else "a pipe or device"
    assert f"'{path}' is {what}, not a regular file; save the targets to a file" in result.output
    assert "nor an existing file" not in result.output


def test_screen_names_a_skipped_gene_set_once_without_a_python_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = reference_store()
    reference_context().clear()
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.setattr(treatment, "settings", lambda: Settings(home=tmp_path / "home"))
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("S1\tna\tG1\tG2\nEMPTY\tna\tNOPE\n")
    out = tmp_path / "s.tsv"
    result = CliRunner().invoke(
        cli,
        [
            "screen",
            "--gmt",
            str(gmt),
            "--targets",
            "drugbank",
            "--samples",
            "10",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "skipped gene set EMPTY: no gene in the interactome" in result.stderr
    assert "SkippedGeneSetsWarning" not in result.stderr
    assert "screen_gene_sets(" not in result.stderr
