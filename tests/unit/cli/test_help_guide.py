"""``medtwin --help`` says where the user guide is (stop 57: README.md's sections became ``docs/``).

Before, the help ended with the command list: a user with only the CLI had no pointer to the
pages. Its last lines name ``docs/index.md`` of this checkout, a file that exists and links the
guide's pages.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from medtwin.cli import cli, guide_epilog

ROOT = Path(__file__).resolve().parents[3]


def test_help_ends_with_the_guides_index() -> None:
    lines = CliRunner().invoke(cli, ["--help"], terminal_width=80).output.rstrip().splitlines()
    assert lines[-2].strip().startswith("User guide (Markdown, reads offline")
    index = Path(lines[-1].strip())
    assert index == ROOT / "docs" / "index.md"
    assert index.is_file()
    assert "](patients.md)" in index.read_text(encoding="utf-8")


def test_a_wheel_without_docs_names_the_page_of_the_source_tree(monkeypatch) -> None:
    monkeypatch.setattr("os.path.isfile", lambda path: False)
    assert guide_epilog().endswith("  docs/index.md of the medtwin source tree")
