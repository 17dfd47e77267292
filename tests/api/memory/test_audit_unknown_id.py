"""The audit trail of an id that is no patient and has no event is a 404, naming a case-alike id.

Found by ``benchmarks/api_probe.py`` against ``medtwin serve`` on the demo database:
``GET /v1/patients/gsm389703/audit`` (the demo patient is ``GSM389703``) answered ``200 []``, which
reads as "nobody read or changed this patient", while every other patient route said 404 "no
patient gsm389703 (did you mean GSM389703? …)", and the 200 was audited as a read of patient
``gsm389703``, so that id then had a trail of its own (the audit middleware takes a success
for a patient that exists). A deleted patient's trail is still read (its
events stay), and a page past the end is still ``[]``. In-memory store; no Neo4j.
"""

from __future__ import annotations

from tests.api.conftest import READ, WRITE

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


def _add(client) -> None:
    r = client.post(
        "/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files={"de": ("de.tsv", DE)}
    )
    assert r.status_code == 201, r.text


def test_a_case_alike_id_is_404_naming_the_patient(client):
    _add(client)
    r = client.get("/v1/patients/p1/audit", headers=WRITE)
    assert r.status_code == 404, r.text
    # before, the 200 was audited as a read of patient p1, so p1's trail held that event after
    client.app.state.audit_writer.flush()
    assert client.get("/v1/patients/p1/audit", headers=WRITE).status_code == 404
    assert r.json() == {
        "error": "NotFoundError",
        "detail": "no patient p1 (did you mean P1? (patient ids are case-sensitive))",
    }


def test_an_id_never_used_is_404_saying_what_a_trail_holds(client):
    r = client.get("/v1/patients/NOBODY/audit", headers=WRITE)
    assert r.status_code == 404, r.text
    assert r.json()["detail"] == (
        "no patient NOBODY and no audit event of one (a trail holds the reads and writes of a "
        "patient that exists or was deleted: check the id)"
    )


def test_a_deleted_patients_trail_and_a_page_past_the_end_are_still_read(client):
    _add(client)
    assert client.get("/v1/patients/P1", headers=READ).status_code == 200
    assert client.get("/v1/patients/P1/audit?offset=1000", headers=WRITE).json() == []
    assert client.delete("/v1/patients/P1", headers=WRITE).status_code == 200
    client.app.state.audit_writer.flush()
    r = client.get("/v1/patients/P1/audit", headers=WRITE)
    assert r.status_code == 200, r.text
    assert "delete" in [e["action"] for e in r.json()]
