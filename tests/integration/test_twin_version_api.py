"""``?version=N`` of the API's latest-twin reads (ranking page, explanation, biomarkers, report).

The CLI's ``rank``, ``explain``, ``biomarkers`` and ``report`` took ``--version N`` (stop 55); their
API routes read only the latest twin, and ``?version=1`` was refused 422 as an unknown query
parameter. Each now reads that version (with its latest ranking); a version the patient does not
have is 404 in the CLI's words, listing the versions it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.api import create_app
from tests.api.conftest import READ, TestClient, api_settings
from tests.integration.test_twin_version_options import (  # noqa: F401  (its fixture)
    NO_V7,
    _run,
    two_versions,
)

pytestmark = pytest.mark.neo4j

BASE = "/v1/patients/TV1"
ROUTES = (
    "rankings/latest?limit=5",
    "drugs/DB00001/explanation",
    "twins/latest/biomarkers",
    "report",
)


@pytest.fixture
def api(two_versions: Any, test_settings: Any) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(api_settings(test_settings)), raise_server_exceptions=False) as c:
        yield c


def _get(api: TestClient, route: str, version: int | None = None) -> Any:
    sep = "&" if "?" in route else "?"
    query = "" if version is None else f"{sep}version={version}"
    return api.get(f"{BASE}/{route}{query}", headers=READ)


def test_ranking_and_explanation_of_the_version_asked(two_versions, api) -> None:  # noqa: F811
    _, v1, v2 = two_versions
    for route in ROUTES[:2]:
        latest, old = _get(api, route), _get(api, route, 1)
        assert (latest.status_code, old.status_code) == (200, 200), old.text
        assert (latest.json()["twin_id"], old.json()["twin_id"]) == (v2, v1)
    assert _get(api, ROUTES[1], 1).json()["score"] is not None  # v1's ranking's row


def test_biomarkers_and_report_of_the_version_asked(two_versions, api) -> None:  # noqa: F811
    _, v1, v2 = two_versions
    _run("biomarkers", "TV1", "--version", "1", "--json")  # computed and stored for v1 only
    old = _get(api, "twins/latest/biomarkers", 1)
    assert old.status_code == 200, old.text
    assert old.json()["twin_id"] == v1
    assert _get(api, "twins/latest/biomarkers").status_code == 404  # the latest's: not computed
    report = _get(api, "report", 1)
    assert report.status_code == 200, report.text
    assert v1 in report.text
    assert v2 not in report.text
    assert report.headers["content-disposition"] == 'inline; filename="TV1_v1.html"'
    assert _get(api, "report").headers["content-disposition"] == 'inline; filename="TV1.html"'


@pytest.mark.parametrize("route", ROUTES)
def test_a_version_the_patient_lacks_is_404_naming_those_it_has(two_versions, api, route) -> None:  # noqa: F811
    got = _get(api, route, 7)
    assert got.status_code == 404, got.text
    assert got.json()["error"] == "NotFoundError"
    assert NO_V7 in got.json()["detail"]
    assert _get(api, route, 0).status_code == 422  # as --version 0: versions start at 1
