"""``screen`` and ``rank --targets`` given odd files: one line each, no Python warning text.

In-memory store. Before, ``rank --targets some/folder`` said "neither a target source ... nor an
existing file" of a path that exists, and ``screen`` printed the Python warning of a skipped gene
set with its source line (``result = screen_gene_sets(``) above its own line naming the set.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, treatment
from medtwin.platform.context import reference_context
from medtwin.settings import Settings
from tests.unit.services.conftest import reference_store


@pytest.mark.parametrize("kind", ["missing", "folder", "pipe"])
@pytest.mark.parametrize("command", [["rank", "P1"], ["cohort", "run", "--all"]])
def test_rank_targets_naming_no_readable_file_is_the_readers_one_line(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    """The readers' words and exit 1, as ``--de`` says them (stop 59's CLI probe).

    Before, click's callback said ``invalid value for '--targets': '…' is neither a target
    source … nor an existing file`` (exit 2) of a missing file, unlike every other path option.
    """
    path = tmp_path / "drugs.tsv"
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    result = CliRunner().invoke(cli, [*command, "--targets", str(path)])
    assert result.exit_code == 1, result.output
    why = {
        "missing": "file not found; check the path",
        "folder": "is a folder, not a file; give the file in it",
        "pipe": "is a pipe or device, not a regular file; save it to a file and give that",
    }[kind]
    assert result.output == f"SourceFormatError: {path}: {why}\n"
    as_json = CliRunner().invoke(cli, [*command, "--targets", str(path), "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)["error"] == "SourceFormatError"


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


@pytest.mark.parametrize("which", ["--gmt", "--targets"])
def test_screen_given_a_missing_file_says_the_readers_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """As ``rank --targets``: before, a missing --gmt was click's ``File '…' does not exist``
    (exit 2) and a missing --targets file "unknown target source" (stop 59's CLI probe)."""
    store = reference_store()
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.setattr(treatment, "settings", lambda: Settings(home=tmp_path / "home"))
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("S1\tna\tG1\tG2\n")
    missing = tmp_path / "no" / "such.tsv"
    files = {"--gmt": str(gmt), "--targets": "drugbank", which: str(missing)}
    args = ["screen", "--out", str(tmp_path / "s.tsv"), *[w for kv in files.items() for w in kv]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.output == f"SourceFormatError: {missing}: file not found; check the path\n"
    assert not (tmp_path / "s.tsv").exists()


def targets_command(tmp_path: Path, command: str) -> list[str]:
    """The words of ``command`` (``rank``, ``cohort run``, ``screen``) but ``--targets``."""
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("S1\tna\tG1\tG2\n")
    return {
        "rank": ["rank", "P1"],
        "cohort run": ["cohort", "run", "--all"],
        "screen": ["screen", "--gmt", str(gmt), "--out", str(tmp_path / "s.tsv")],
    }[command]


@pytest.mark.parametrize("command", ["rank", "cohort run", "screen"])
def test_empty_targets_is_an_unknown_source_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """``--targets ''`` is refused as an unknown source word is (stop 60's CLI probe).

    That line names the value and the sources one may give (a usage error, exit 2, from each
    command: ``test_probe_leftovers.py``). Before, the empty text
    was read as the path ``.`` (``Path("")``, which exists) and refused as ``SourceFormatError:
    .: is a folder, not a file; give the file in it``, which names neither.
    """
    store = reference_store()
    reference_context().clear()
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.chdir(tmp_path)
    words = targets_command(tmp_path, command)
    result = CliRunner().invoke(cli, [*words, "--targets", ""])
    unknown = CliRunner().invoke(cli, [*words, "--targets", "nosuch"])
    assert "unknown target source 'nosuch'; valid: drugbank, " in unknown.output
    assert result.exit_code == unknown.exit_code != 0
    assert result.output == unknown.output.replace("'nosuch'", "''")
    assert len(result.output.splitlines()) == 1
