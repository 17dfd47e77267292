"""``--version N`` of ``rank``, ``explain``, ``biomarkers`` and ``report`` on the real server.

Before, only ``twin show``, ``twin diseases``, ``twin regulators`` and ``export`` took the twin
version: ``rank P1 --version 1`` was "no such option" (exit 2), and the other three always read
the latest twin. Each now reads (or ranks) that version; a version the patient does not have is
one error line listing those it has.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.platform import patients
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j

NO_V7 = "patient TV1 has no twin version 7; its twin versions: 1, 2 (the latest: 2)"


def _run(*args: str) -> object:
    got = CliRunner().invoke(cli, list(args))
    assert got.exit_code == 0, got.output
    return json.loads(got.stdout) if "--json" in args else got.stdout


@pytest.fixture
def two_versions(tiny_reference):
    """TV1 with twin v1 (ranked) and v2, built from other seeds (ranked with another seed)."""
    store, _ = tiny_reference
    patients.add_patient(store, up_in_first_clique("TV1"))
    _run("twin", "build", "TV1", "--module-samples", "20")
    _run("rank", "TV1", "--samples", "20", "--seed", "1")
    _run("twin", "build", "TV1", "--module-samples", "20", "--max-seeds", "6", "--min-seeds", "6")
    _run("rank", "TV1", "--samples", "20", "--seed", "2")
    v1, v2 = (store.twins.twin("TV1", v)["id"] for v in (1, 2))
    assert v1 != v2
    return store, v1, v2


def test_rank_ranks_the_version_asked(two_versions) -> None:
    store, v1, v2 = two_versions
    (latest,) = _run("rank", "TV1", "--samples", "20", "--seed", "2", "--json")
    assert latest["twin_id"] == v2
    (old,) = _run("rank", "TV1", "--version", "1", "--samples", "20", "--seed", "1", "--json")
    assert old["twin_id"] == v1
    # the stored ranking of v1 with these parameters, shown again (not the latest twin's)
    assert old["id"] != latest["id"]
    assert "stored ranking" in _run(
        "rank", "TV1", "--version", "1", "--samples", "20", "--seed", "1"
    )
    # a new ranking of v1 (another seed) is stored with v1; the latest twin's is left as it was
    (new,) = _run("rank", "TV1", "--version", "1", "--samples", "20", "--seed", "3", "--json")
    assert new["twin_id"] == v1
    assert store.rankings.latest_ranking("TV1", None)[1]["id"] == latest["id"]


def test_explain_reads_the_version_and_its_ranking(two_versions) -> None:
    _, v1, v2 = two_versions
    latest = _run("explain", "TV1", "DB00001", "--json")
    old = _run("explain", "TV1", "DB00001", "--version", "1", "--json")
    assert (latest["twin_id"], old["twin_id"]) == (v2, v1)
    assert old["score"] is not None  # v1's ranking's row


def test_biomarkers_and_report_of_a_version(two_versions, tmp_path: Path) -> None:
    _, v1, _ = two_versions
    got = _run("biomarkers", "TV1", "--version", "1", "--json")
    assert got["twin_id"] == v1
    out = _run("report", "TV1", "--version", "1", "--out-dir", str(tmp_path))
    path = tmp_path / "TV1_v1.html"  # beside the latest's TV1.html, not in its place
    assert f"report: {path}" in out
    assert v1 in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ("rank", "TV1", "--version", "7"),
        ("explain", "TV1", "DB00001", "--version", "7"),
        ("biomarkers", "TV1", "--version", "7"),
        ("report", "TV1", "--version", "7"),
        ("twin", "show", "TV1", "--version", "7"),
    ],
)
def test_a_missing_version_lists_those_there_are(two_versions, args, tmp_path: Path) -> None:
    got = CliRunner().invoke(cli, [*args, *(["--out-dir", str(tmp_path)] * (args[0] == "report"))])
    assert got.exit_code == 1, got.output
    assert got.stderr.splitlines()[0] == f"NotFoundError: {NO_V7}"
    assert "Traceback" not in got.output
