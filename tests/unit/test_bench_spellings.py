"""The benchmarks spell a renamed option as the commit under test takes it.

``make bench-views`` and ``make bench-demo`` run this commit and, with ``BEFORE=``, an older one.
They called ``report --out`` and ``demo --reports`` (stop 55 renamed both ``--out-dir``), which
both commits take, but this one with a notice on every run. Now the spelling is read off the
code's ``--help`` (:func:`benchmarks.bench_cli.option_spelling`): the new name on this commit,
the old one on a commit before the rename.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import click
import pytest
from benchmarks.bench_cli import _env, _export, names_option
from benchmarks.bench_demo import demo_argv
from benchmarks.bench_views import commands_of

from tests.cli_tree import command_tree

ROOT = Path(__file__).resolve().parents[2]
BEFORE_RENAMES = "ccbd1e6~1"
"""The commit before stop 55's renames (``ccbd1e6``: ``report`` and ``demo --out-dir``)."""


def _argvs(env: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The benchmarks' ``report`` and ``demo`` command lines (after ``medtwin``) for ``env``."""
    return {
        "report": commands_of(env, folder, folder / "de.tsv")["medtwin report"],
        "demo": demo_argv(env, folder)[3:],  # after `python -m medtwin`
    }


def test_names_option_tells_a_name_from_a_longer_one() -> None:
    text = "  --out-dir DIRECTORY  Folder for <patient>.html\n  --top INTEGER  Drugs.\n"
    assert names_option(text, "--out-dir")
    assert not names_option(text, "--out")  # a prefix of --out-dir
    assert names_option(text, "--top")
    assert not names_option("  --top-drugs INTEGER\n", "--top")


def test_this_commit_gets_the_new_names_and_no_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argvs = _argvs(_env(None), tmp_path)
    assert argvs["report"][2] == "--out-dir"
    assert argvs["demo"][1] == "--out-dir"
    tree = command_tree()
    for name, argv in argvs.items():  # parsed as `medtwin` parses them, without running them
        command = tree[(name,)]
        command.make_context(name, argv[1:], parent=click.Context(tree[()], info_name="medtwin"))
    assert capsys.readouterr().err == ""  # was "notice: medtwin report --out is now --out-dir…"


def test_a_commit_before_the_renames_gets_the_old_names(tmp_path: Path) -> None:
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{BEFORE_RENAMES}^{{commit}}"], cwd=ROOT, check=False
    )
    if known.returncode != 0:
        pytest.skip(f"{BEFORE_RENAMES} is not in this clone's history")
    argvs = _argvs(_env(_export(BEFORE_RENAMES, tmp_path)), tmp_path)
    assert argvs["report"][2] == "--out"
    assert argvs["demo"][1] == "--reports"
