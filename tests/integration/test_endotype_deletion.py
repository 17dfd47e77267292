"""Endotypes after a deletion: the others of the stratification say it predates it; no trace left.

Before, deleting a stratified patient left the other patients' endotypes (found with it) as they
were, and every view showed them as current.
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.command_lines import speaking_to
from medtwin.platform import patients, stratify, twins
from tests.api.conftest import READ, client  # noqa: F401  (the app on the test server)
from tests.integration.test_cohort import TWIN, _add

pytestmark = pytest.mark.neo4j

_TRACE = """
MATCH (n) WHERE NOT n:AuditEvent
UNWIND keys(n) AS k
WITH n[k] AS v
WHERE (valueType(v) STARTS WITH 'STRING' AND v CONTAINS $id)
   OR (valueType(v) STARTS WITH 'LIST<STRING' AND any(x IN v WHERE x CONTAINS $id))
RETURN count(*) AS n
UNION ALL
MATCH ()-[r]->()
UNWIND keys(r) AS k
WITH r[k] AS v
WHERE (valueType(v) STARTS WITH 'STRING' AND v CONTAINS $id)
   OR (valueType(v) STARTS WITH 'LIST<STRING' AND any(x IN v WHERE x CONTAINS $id))
RETURN count(*) AS n
"""


def _traces(store: Any, pid: str) -> int:
    got = store.driver.execute_query(_TRACE, id=pid, database_=store.database).records
    return sum(r["n"] for r in got)


def test_deleting_a_stratified_patient_flags_the_others_endotypes(tiny_reference):
    store, _ = tiny_reference
    ids = _add(store, 6)
    other = _add(store, 3, name="C2")
    for pid in [*ids, *other]:
        twins.build_twin(store, pid, TWIN)
    stratify.stratify_cohort(store, ids, k=1, cohort="C1")
    stratify.stratify_cohort(store, other, k=1, cohort="C2")  # another run, same method
    assert all(p.endotype_note is None for p in patients.list_patients(store))

    patients.delete_patient(store, "C1P3")

    notes = {p.id: p.endotype_note for p in patients.list_patients(store)}
    assert {pid for pid, note in notes.items() if note} == {"C1P0", "C1P1", "C1P2", "C1P4", "C1P5"}
    note = notes["C1P0"]
    assert note is not None
    assert "of stratification jaccard:twin" in note
    assert "predates the deletion of 1 of its patients" in note
    # a Python caller is told the call (the CLI: `medtwin cohort stratify --cohort C1 …`)
    assert (
        '`stratify.stratify_cohort(store, cohort.cohort_patients(store, cohort="C1"), '
        'cohort="C1", method="jaccard", genes="twin", k=1)`'
    ) in note
    assert _traces(store, "C1P3") == 0  # no property of any other node or relationship names it

    # The views: patient show and list, patient similar (CLI), and the API's answers.
    out = CliRunner().invoke(cli, ["patient", "show", "C1P0"])
    assert out.exit_code == 0, out.output
    with speaking_to("cli"):  # the CLI's words: the command
        cli_note = patients.get_patient(store, "C1P0").endotype_note
    assert f"NOTE {cli_note}" in out.output
    refresh = "`medtwin cohort stratify --cohort C1 --similarity jaccard --genes twin -k 1`"
    assert refresh in out.output
    out = CliRunner().invoke(cli, ["patient", "list"])
    assert "NOTE the endotypes of 5 patient(s) (C1P0, C1P1, C1P2 and 2 more)" in out.output
    like = stratify.similar_patients(store, "C1P1")
    assert like
    assert all(x.endotype_note and "predates the deletion" in x.endotype_note for x in like)
    out = CliRunner().invoke(cli, ["patient", "similar", "C1P1"])
    assert out.exit_code == 0, out.output
    assert out.output.count("NOTE endotype") == len({x.endotype_note for x in like})

    patients.delete_patient(store, "C1P4")  # a second deletion counts
    assert "deletion of 2 of its patients" in (
        patients.get_patient(store, "C1P0").endotype_note or ""
    )

    stratify.stratify_cohort(store, ["C1P0", "C1P1", "C1P2", "C1P5"], k=1, cohort="C1")
    assert all(p.endotype_note is None for p in patients.list_patients(store))  # refreshed


def test_the_api_carries_the_note(tiny_reference, client):  # noqa: F811
    store, _ = tiny_reference
    ids = _add(store, 6)
    for pid in ids:
        twins.build_twin(store, pid, TWIN)
    stratify.stratify_cohort(store, ids, k=1, cohort="C1")
    patients.delete_patient(store, "C1P3")
    body = client.get("/v1/patients/C1P0", headers=READ).json()
    assert "predates the deletion of 1 of its patients" in body["endotype_note"]
    listed = client.get("/v1/patients", headers=READ).json()
    assert all(p["endotype_note"] for p in listed)
    similar = client.get("/v1/patients/C1P1/similar", headers=READ).json()
    assert similar  # C1P4, on the same clique
    assert all("predates the deletion" in x["endotype_note"] for x in similar)
