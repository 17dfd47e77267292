"""``DELETE /v1/patients/{id}/inputs/{input_id}``: one input removed (in-memory store)."""

from __future__ import annotations

from medtwin.errors import BUSY_RETRY_S
from tests.api.conftest import READ, WRITE, TestClient

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"
FAST = {"module_samples": 20, "min_seeds": 2}


def _add(client: TestClient, **data: str) -> list[dict]:
    files = {"de": ("p_de.tsv", DE.encode(), "text/tab-separated-values")}
    r = client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1", **data}, files=files)
    assert r.status_code == 201, r.text
    return r.json()["input_list"]


def test_delete_an_input_removes_it_audits_and_a_second_call_is_404(client, store):
    """Before, the route did not exist (405: only a patient could be deleted)."""
    added = _add(client, symptoms="HP:0001370")
    assert [i["kind"] for i in added] == ["de", "symptoms"]
    assert client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST).status_code == 201
    shown = client.get("/v1/patients/P1", headers=READ).json()["input_list"]
    assert shown == added
    de = added[0]["id"].split("/")[1]
    url = f"/v1/patients/P1/inputs/{de[:8]}"
    assert client.delete(url, headers=READ).status_code == 403  # a write key's work
    r = client.delete(url, headers=WRITE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["removed"]["id"], body["removed"]["name"]) == (added[0]["id"], "p_de.tsv")
    assert body["inputs_left"] == 1
    assert body["stale_note"] == (
        "twin v1 predates the patient's inputs: 1 input removed since; "
        "call POST /v1/patients/P1/twins"
    )
    twin = client.get("/v1/patients/P1/twins/latest", headers=READ).json()
    assert twin["stale_note"] == body["stale_note"]
    again = client.delete(url, headers=WRITE)
    assert again.status_code == 404
    assert f"patient P1 has no such input: '{de[:8]}'" in again.json()["detail"]
    assert client.app.state.audit_writer.flush()
    events = [(e.action, e.status, e.route) for e in store.audit_events("P1", limit=100)]
    assert ("delete", 200, f"DELETE {url}") in events
    assert ("delete", 404, f"DELETE {url}") in events


def test_delete_an_input_of_a_busy_patient_is_409_and_bad_ids_are_4xx(client, store):
    added = _add(client)
    hexes = added[0]["id"].split("/")[1]
    with store.patient_lock("P1", "twin build"):
        r = client.delete(f"/v1/patients/P1/inputs/{hexes}", headers=WRITE)
    assert r.status_code == 409
    assert r.headers.get("retry-after") == str(BUSY_RETRY_S)
    assert client.delete("/v1/patients/P1/inputs/ab", headers=WRITE).status_code == 422
    assert client.delete("/v1/patients/P1/inputs/zz-top", headers=WRITE).status_code == 422
    assert client.delete(f"/v1/patients/P9/inputs/{hexes}", headers=WRITE).status_code == 404
    assert client.get("/v1/patients/P1", headers=READ).json()["inputs"] == 1


def test_the_route_is_in_the_openapi_table(client):
    doc = client.get("/openapi.json").json()
    route = doc["paths"]["/v1/patients/{patient_id}/inputs/{input_id}"]["delete"]
    assert set(route["responses"]) >= {"200", "401", "403", "404", "409", "422"}
    assert "InputRemoved" in doc["components"]["schemas"]


def test_a_note_given_with_an_add_stays_when_its_input_is_removed(client):
    """Before, ``POST /v1/patients`` took no note (the README named a metadata field that no
    route had): an API client could not give the caveat ``medtwin patient add --note`` gives."""
    added = _add(client, symptoms="HP:0001370", note="blood and biopsy from two donors")
    shown = client.get("/v1/patients/P1", headers=READ).json()
    assert shown["metadata"] == {"note": "blood and biopsy from two donors"}
    de = added[0]["id"].split("/")[1]
    assert client.delete(f"/v1/patients/P1/inputs/{de}", headers=WRITE).status_code == 200
    kept = client.get("/v1/patients/P1", headers=READ).json()["metadata"]
    assert kept == {"note": "blood and biopsy from two donors"}
