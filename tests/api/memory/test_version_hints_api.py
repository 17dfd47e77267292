"""The API's hints after a read of twin version N name version N (memory store).

Before, under the API a hint after a read of version 1 named its route without ``?version=1``
(``call POST /v1/patients/P1/rankings``, ``…/twins/latest/regulators?by=cell_type``): a client
following it read or computed the latest twin (v2), not the one asked. Now a route that takes the
version carries it, and one that does not says it is the latest twin's and what does version N.
The 404 of ``…/similar`` told a client to "run `medtwin cohort stratify`", which no route does:
the hint now says where it is done (the server's CLI, or Python) and with which call.
"""

from __future__ import annotations

import re

import pytest

from medtwin.command_lines import in_callers_words, speaking_to
from medtwin.platform.regulator_views import no_vector_note
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, TestClient
from tests.unit.services.conftest import two_twin_versions

LATEST_ONLY = "(of the latest twin: no route does this for twin version 1;"


@pytest.fixture
def store() -> MemoryStore:
    """Patient P1 with twin versions 1 and 2, neither ranked (conftest's ``client`` serves it)."""
    return two_twin_versions()


def test_the_ranking_404_of_a_version_says_no_route_ranks_it(client: TestClient) -> None:
    r = client.get("/v1/patients/P1/rankings/latest", params={"version": 1}, headers=READ)
    assert r.status_code == 404, r.text
    detail = r.json()["detail"]
    assert "twin P1@v1 has not been ranked" in detail
    assert f"call POST /v1/patients/P1/rankings {LATEST_ONLY}" in detail, detail
    assert "medtwin rank P1 --version 1 does, where the server runs)" in detail
    latest = client.get("/v1/patients/P1/rankings/latest", headers=READ).json()["detail"]
    assert latest.endswith("(call POST /v1/patients/P1/rankings)"), latest


def test_a_route_that_takes_the_version_carries_it() -> None:
    hint = "see its row in `medtwin rank P1 --out FILE.tsv --version 1`; `medtwin explain P1 DB1"
    hint += " --version 1`; `medtwin report P1 --version 1`; `medtwin twin show P1 --version 1`"
    assert in_callers_words(hint, "api") == (
        "see its row in GET /v1/patients/P1/rankings/latest?version=1; "
        "GET /v1/patients/P1/drugs/DB1/explanation?version=1; "
        "GET /v1/patients/P1/report?version=1; GET /v1/patients/P1/twins/1"
    )


def test_the_report_of_a_version_names_its_steps_for_the_api(client: TestClient) -> None:
    r = client.get("/v1/patients/P1/report", params={"version": 1}, headers=READ)
    assert r.status_code == 200, r.text
    assert "call <code>POST /v1/patients/P1/rankings</code> " + LATEST_ONLY in r.text
    assert "call <code>POST /v1/patients/P1/twins/latest/diseases</code> " + LATEST_ONLY in r.text
    latest = client.get("/v1/patients/P1/report", headers=READ)
    assert "call <code>POST /v1/patients/P1/rankings</code>" in latest.text
    assert "of the latest twin" not in latest.text


def test_the_no_regulators_note_names_the_version() -> None:
    with speaking_to("cli"):
        assert "`medtwin twin regulators P1 --by cell-type --version 1`" in no_vector_note(
            "x", "P1", 1
        )
        assert "`medtwin twin regulators P1 --by cell-type`" in no_vector_note("x", "P1")
    with speaking_to("api"):
        note = no_vector_note("x", "P1", 1)
    assert f"/twins/latest/regulators?by=cell_type {LATEST_ONLY}" in note, note


def test_the_no_regulators_note_prints_one_parenthesis(client: TestClient) -> None:
    """The report of twin version 1, as the API serves it: its regulators note ends with the
    step and its one aside. Before, the tissue alternative followed the aside in a second
    parenthesis: ``… where the server runs) (or by tissue, for a tissue whose inputs keep one)``.
    """
    r = client.get("/v1/patients/P1/report", params={"version": 1}, headers=READ)
    assert r.status_code == 200, r.text
    (note,) = re.findall(r'<p class="muted">(no twin-level regulators: [^<]*)</p>', r.text)
    assert not re.search(r"\) \(|\(\(|\)\)", note), note
    assert note.endswith(
        "per-tissue ones each tissue&#x27;s, where its inputs keep one: call GET "
        "/v1/patients/P1/twins/latest/regulators?by=cell_type (of the latest twin: no route does "
        "this for twin version 1; medtwin twin regulators P1 --by cell-type --version 1 does, "
        "where the server runs)."
    ), note
    for where in ("cli", "api", "python"):
        for version in (None, 1):
            with speaking_to(where):
                said = no_vector_note("why (a reason)", "P1", version)
            assert ") (" not in said, (where, said)
            assert said.count("(") == said.count(")"), (where, said)


def test_a_step_without_a_route_says_where_it_is_done() -> None:
    """``…/similar``'s 404 hint (its route on the real server: ``tests/api/test_cohorts.py``)."""
    hint = "stratify a cohort of patients with twins: run `medtwin cohort stratify --cohort NAME`"
    assert in_callers_words(hint, "api") == (
        "stratify a cohort of patients with twins: `medtwin cohort stratify --cohort NAME` where "
        "the server runs, or `stratify.stratify_cohort(store, cohort.cohort_patients(store, "
        'cohort="NAME"), cohort="NAME")` in Python (no route stratifies a cohort)'
    )
    assert in_callers_words(hint, "cli") == hint


def test_api_words_are_worded_once() -> None:
    """A note already in the API's words stays as it is when worded again (an error's hint)."""
    for hint in ("run `medtwin rank P1 --version 1`", "run `medtwin cohort stratify --cohort c`"):
        once = in_callers_words(hint, "api")
        assert in_callers_words(once, "api") == once
