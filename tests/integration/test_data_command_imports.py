"""The data commands import neither the science stack nor the ranking stack (issue 21).

Each command runs as ``medtwin …`` in a fresh interpreter against the test server seeded with the
tiny reference graph, one patient with a twin and a ranking; at exit the interpreter writes
which heavy modules it imported. An import-graph check, not a timing test (``make bench-cli``
prints the times).
"""

from __future__ import annotations

import getpass
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medtwin.platform import patients, twins
from medtwin.platform.models import TwinParams
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j

HEAVY = (
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "networkx",
    "graphdatascience",
    "scanpy",
    "anndata",
    "dask",
    "distributed",
    "matplotlib",
    "medtwin.platform.treatment",
    "medtwin.platform.ranking",
    "medtwin.platform.cohort",
    "medtwin.platform.algorithms.network",
)


def _medtwin(args: list[str], report: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``medtwin args`` in a new interpreter; return it and the heavy modules it imported."""
    code = textwrap.dedent(
        f"""
        import atexit, json, sys
        def _report():
            with open({str(report)!r}, "w") as f:
                json.dump(sorted(m for m in {HEAVY!r} if m in sys.modules), f)
        atexit.register(_report)
        sys.argv = ["medtwin", *{args!r}]
        from medtwin.cli import main
        main()
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    return proc, json.loads(report.read_text())


def _rank_im1(store, tmp_path: Path) -> None:
    patients.add_patient(store, up_in_first_clique("IM1", {"cohort": "imports"}))
    twins.build_twin(store, "IM1", TwinParams(module_samples=50, expand=0))
    proc, _ = _medtwin(["rank", "IM1", "--top", "3", "--samples", "100"], tmp_path / "r.json")
    assert proc.returncode == 0, proc.stderr
    assert "s with storage" in proc.stdout  # computed


@pytest.fixture(scope="module")
def ranked(neo4j_driver, test_settings, tmp_path_factory):
    """One seeded, ranked database for the read-only checks of this module (seeding and the
    first ``medtwin rank`` are most of its time); wiped before and after, like ``clean_db``."""
    from medtwin.platform.context import reference_context
    from medtwin.store.neo4j import Neo4jStore
    from medtwin.store.testing import wipe_test_database
    from medtwin.store.tiny import seed_tiny_reference

    wipe_test_database(neo4j_driver, test_settings)
    reference_context().clear()
    store = Neo4jStore(neo4j_driver, test_settings)
    seed_tiny_reference(store)
    tmp = tmp_path_factory.mktemp("ranked")
    _rank_im1(store, tmp)
    yield store, tmp
    wipe_test_database(neo4j_driver, test_settings)


@pytest.mark.parametrize(
    "args",
    [
        ["patient", "list"],
        ["patient", "show", "IM1"],
        ["patient", "audit", "IM1"],
        ["twin", "show", "IM1"],
        ["twin", "list", "IM1"],
        ["twin", "diff", "IM1", "--from", "1", "--to", "1"],
        ["rank", "IM1", "--top", "3", "--samples", "100"],
        ["cohort", "summary"],
        ["patient", "similar", "IM1"],
        ["describe"],
        ["query", "regulon_of_tf", "-p", "tf=G1"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_data_commands_import_nothing_heavy(ranked, args):
    _, tmp = ranked
    proc, loaded = _medtwin(args, tmp / "m.json")
    assert loaded == []
    if args[:2] == ["patient", "similar"]:  # no `cohort stratify` ran: an error naming it
        assert proc.returncode != 0
        assert "patient IM1 is in no stratification yet" in proc.stderr
        assert "medtwin cohort stratify" in proc.stderr
        assert "Traceback" not in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    if args[0] == "rank":
        assert "stored ranking" in proc.stdout  # not computed again
        assert "drug1" in proc.stdout or "DB0000" in proc.stdout
    if args[:2] == ["patient", "show"]:
        assert "Patient IM1, added " in proc.stdout
        assert "twins v1" in proc.stdout
        assert "cohort: imports" in proc.stdout
    if args[:2] == ["twin", "list"]:  # the fixture's one twin, read with the lean driver
        assert proc.stdout.startswith("v1  ")
    if args[:2] == ["twin", "diff"]:  # the one twin with itself: nothing changed
        assert proc.stdout.startswith("IM1: v1 → v1")
        assert "genes added 0, removed 0, values changed 0" in proc.stdout
    if args == ["describe"]:
        assert "INTERACTS_WITH" in proc.stdout
    if args[0] == "query":  # the tiny graph has no regulon: the query ran and found none
        assert proc.stdout.strip().endswith("0 rows")
    if args[:2] == ["patient", "audit"]:  # the `rank` of the fixture, as the OS user
        rank_line = next(x for x in proc.stdout.splitlines() if "cli: medtwin rank" in x)
        assert rank_line.split()[1:4] == ["write", "0", f"os:{getpass.getuser()}"]


def test_patient_delete_imports_nothing_heavy(ranked):
    store, tmp = ranked
    patients.add_patient(store, up_in_first_clique("IM2", {"cohort": "imports"}))
    proc, loaded = _medtwin(["patient", "delete", "IM2", "--yes"], tmp / "d.json")
    assert proc.returncode == 0, proc.stderr
    assert loaded == []
    assert "IM2" not in {p.id for p in patients.list_patients(store)}
