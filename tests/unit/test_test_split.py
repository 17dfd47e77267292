"""`make test`'s two xdist workers: the split of tests/conftest.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import STANDALONE_FILES, xdist_scope


def test_every_server_test_is_one_scope_and_unit_tests_go_by_file() -> None:
    assert xdist_scope("tests/api/test_auth.py::test_scope[GET-/v1/patients-read]") == "server"
    assert xdist_scope("tests/reliability/test_zz_bulk_import.py::test_a") == "server"
    assert xdist_scope("tests/unit/store/test_bulk_graph.py::test_a") == (
        "tests/unit/store/test_bulk_graph.py"
    )
    assert xdist_scope("src/medtwin/gc_pause.py::medtwin.gc_pause.paused_gc") == (
        "src/medtwin/gc_pause.py"
    )
    # a server-free file beside the server tests goes by file too
    assert xdist_scope("tests/browser/test_docs.py::test_redoc") == "tests/browser/test_docs.py"


def test_every_listed_server_free_file_exists() -> None:
    """A renamed file would silently go back to the server worker."""
    root = Path(__file__).resolve().parents[2]
    assert sorted(f for f in STANDALONE_FILES if not (root / f).is_file()) == []


def test_a_unit_test_that_needs_the_server_stops_the_collection(tmp_path: Path) -> None:
    """Collected in a copy of the project's test set-up, not in the checkout's tests/unit: the
    probe written there (named after tmp_path, the same in every session) was deleted by a
    second pytest session on the same checkout (FileNotFoundError at its unlink), and any
    session collecting tests/unit meanwhile stopped on it."""
    root = Path(__file__).resolve().parents[2]
    shutil.copy(root / "pyproject.toml", tmp_path)  # markers, --strict-markers
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    shutil.copy(root / "tests" / "conftest.py", tmp_path / "tests")
    for package in ("tests", "tests/unit"):
        (tmp_path / package / "__init__.py").touch()
    (tmp_path / "tests" / "unit" / "test_probe.py").write_text(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.neo4j
            def test_uses_server():
                pass
            """
        )
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/test_probe.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 4, proc.stdout + proc.stderr  # pytest's usage error
    assert "needs the test server: move it out of tests/unit/" in proc.stdout + proc.stderr
