"""Patient, twin and page routes end to end on the test database, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.store.audit import list_events
from tests.api.conftest import DE_TABLE, FAST_TWIN, READ, WRITE, TestClient

pytestmark = pytest.mark.neo4j


def _clean_4xx(r, status: int, error: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "detail"}
    assert "Traceback" not in r.text
    assert "/tmp/" not in r.text
    assert "medtwin-upload" not in r.text
    if error:
        assert body["error"] == error
    return body


def test_patient_lifecycle(seeded):
    store, client = seeded
    listed = client.get("/v1/patients", headers=READ)
    assert [p["id"] for p in listed.json()] == ["PA"]
    assert listed.headers["X-Total-Count"] == "1"
    # Pages are cut by id in Cypher (SKIP/LIMIT before the counts): past the end is empty.
    assert client.get("/v1/patients?offset=1", headers=READ).json() == []
    assert [p["id"] for p in client.get("/v1/patients?limit=1", headers=READ).json()] == ["PA"]
    one = client.get("/v1/patients/PA", headers=READ).json()
    assert one["inputs"] == 2  # the DE table and the symptom list
    assert one["genes"] == 12
    assert one["symptoms"] == ["HP:0001370"]
    assert one["twin_versions"] == [1]

    versions = client.get("/v1/patients/PA/twins", headers=READ).json()
    assert [v["version"] for v in versions] == [1]
    assert versions[0]["params"]["module_samples"] == FAST_TWIN["module_samples"]
    latest = client.get("/v1/patients/PA/twins/latest", headers=READ).json()
    assert latest["twin"]["id"] == "PA@v1"
    assert client.get("/v1/patients/PA/twins/1", headers=READ).json() == latest

    r = client.post("/v1/patients/PA/twins", headers=WRITE, json={**FAST_TWIN, "expand": 0})
    assert r.status_code == 201
    assert r.json()["version"] == 2
    v2 = r.json()
    diff = client.get("/v1/patients/PA/twins/diff?from=1&to=2", headers=READ).json()
    assert diff["params_changed"]["expand"] == ["3", "0"]

    graph = client.get("/v1/patients/PA/twins/latest/graph", headers=READ).json()
    assert graph["twin_id"] == "PA@v2"
    assert len(_genes_and_cells(graph)) == v2["n_genes"] + v2["n_cell_types"] > 0
    assert "HP:0001370" in {n["id"] for n in graph["nodes"]}  # the presented term (stop 53)
    g1 = client.get("/v1/patients/PA/twins/1/graph", headers=READ).json()
    assert len(_genes_and_cells(g1)) == versions[0]["n_genes"] + versions[0]["n_cell_types"]

    deleted = client.delete("/v1/patients/PA", headers=WRITE).json()
    assert deleted["remaining_patient_nodes"] == 0
    assert deleted["nodes_deleted"] >= 4
    _clean_4xx(client.get("/v1/patients/PA", headers=READ), 404, "NotFoundError")
    # The audit trail outlives the patient: who added, read, built and deleted it.
    assert client.app.state.audit_writer.flush()
    events = list_events(store, "PA", limit=100)
    seen = {(e.actor, e.action, e.route, e.status) for e in events}
    assert ("writer", "write", "POST /v1/patients", 201) in seen
    assert ("reader", "read", "GET /v1/patients/PA", 200) in seen
    assert ("writer", "delete", "DELETE /v1/patients/PA", 200) in seen
    # A read of the patient that no longer exists is not written to its trail.
    assert ("reader", "read", "GET /v1/patients/PA", 404) not in seen
    r = client.get("/v1/patients/PA/audit?limit=500", headers=WRITE)
    assert r.status_code == 200
    assert len(r.json()) >= len(events)


def test_failed_access_is_audited_anonymous_is_only_counted(seeded):
    store, client = seeded
    writer = client.app.state.audit_writer
    assert writer.flush()
    before = len(list_events(store, None, limit=1000))
    for path in ("/v1/patients/PA/twins/latest", "/v1/patients/PA/nope", "/v1/patients/QQ"):
        assert client.get(path).status_code in (401, 404)
    assert client.post("/v1/patients/PA/twins", headers=READ, json=FAST_TWIN).status_code == 403
    assert client.get("/v1/patients/QQ", headers=READ).status_code == 404  # no such patient
    assert writer.flush()
    events = list_events(store, None, limit=1000)
    new = events[: len(events) - before]
    assert [(e.actor, e.status, e.route) for e in new] == [
        ("reader", 403, "POST /v1/patients/PA/twins")
    ]
    assert client.app.state.refused.total >= 2


def test_unknown_patient_is_404_everywhere(tiny_reference, client):
    for path in (
        "/v1/patients/NOPE",
        "/v1/patients/NOPE/twins",
        "/v1/patients/NOPE/twins/latest",
        "/v1/patients/NOPE/twins/latest/graph",
    ):
        _clean_4xx(client.get(path, headers=READ), 404, "NotFoundError")
    _clean_4xx(client.delete("/v1/patients/NOPE", headers=WRITE), 404)
    _clean_4xx(client.post("/v1/patients/NOPE/twins", headers=WRITE, json=FAST_TWIN), 404)


@pytest.mark.parametrize(
    ("bad_id", "status"),
    [
        ("a b", 422),
        ("x" * 65, 422),
        ("P1;MATCH", 422),
        ("é", 422),
        ("a%00b", 422),
        ("..%2F..", 404),
    ],
)
def test_invalid_patient_ids_are_4xx(client, bad_id, status):
    # An encoded slash splits the path, so no route matches: a plain 404, still no traceback.
    error = "ValidationError" if status == 422 else "NotFound"
    _clean_4xx(client.get(f"/v1/patients/{bad_id}", headers=READ), status, error)


def test_bad_uploads_are_clear_4xx(tiny_reference, client):
    def post(data=None, files=None):
        return client.post("/v1/patients", headers=WRITE, data=data or {}, files=files)

    body = _clean_4xx(post({"patient_id": "P1"}), 422, "InputError")
    assert "nothing to add" in body["detail"]
    _clean_4xx(post({"symptoms": "HP:0001370"}), 422, "ValidationError")  # no patient_id
    _clean_4xx(post({"patient_id": "bad id", "symptoms": "HP:0001370"}), 422, "ValidationError")
    body = _clean_4xx(
        post({"patient_id": "P1"}, {"de": ("p1.tsv", b"", "text/plain")}), 422, "InputError"
    )
    assert "p1.tsv: the uploaded file is empty" in body["detail"]
    bad = b"gene\tlog2fc\tpadj\nG2\tNA\t0.01\n"
    body = _clean_4xx(
        post({"patient_id": "P1"}, {"de": ("p1.tsv", bad, "text/plain")}), 422, "SourceFormatError"
    )
    assert body["detail"].startswith("p1.tsv:2:"), body["detail"]
    body = _clean_4xx(
        post({"patient_id": "P1"}, {"de": ("x.tsv", b"\x00\xff\xfe binary", "x/y")}), 422
    )
    body = _clean_4xx(post({"patient_id": "P1", "symptoms": "HP:9999999"}), 422, "InputError")
    _clean_4xx(
        post({"patient_id": "P1", "padj_max": "2"}, {"de": ("a.tsv", DE_TABLE.encode(), "t/t")}),
        422,
        "ValidationError",
    )
    assert client.get("/v1/patients", headers=READ).json() == []  # nothing half-added


def test_upload_over_the_limit_is_413(tiny_reference, neo4j_driver, test_settings):
    from medtwin.api import create_app
    from tests.api.conftest import api_settings

    app = create_app(api_settings(test_settings, max_upload_mb=1))
    big = b"gene\tlog2fc\tpadj\n" + b"G2\t1.0\t0.01\n" * 200_000  # ~2.6 MB
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post(
            "/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files={"de": ("a.tsv", big)}
        )
    _clean_4xx(r, 413, "ContentTooLarge")
    assert "MEDTWIN_MAX_UPLOAD_MB" in r.json()["detail"]


def test_bounded_parameters_are_422(seeded):
    _, client = seeded
    for body in ({"module_samples": 10**9}, {"max_seeds": 0}, {"unknown": 1}, {"layers": []}):
        _clean_4xx(client.post("/v1/patients/PA/twins", headers=WRITE, json=body), 422)
    # before: NaN/inf were stored as null (201 or 500), and every later read of the twin was a 500
    before = client.get("/v1/patients/PA/twins", headers=READ).json()
    for body in (
        {"layer_weights": {"expression": "nan"}},
        {"layer_weights": {"expression": "-inf"}},
        {"layer_weights": {"protein": -1}},
        {"layer_weights": {"bogus": 5}},
        {"layers": ["nope"]},
        {"layers": ["expression", "expression"]},
    ):
        r = client.post("/v1/patients/PA/twins", headers=WRITE, json=body)
        _clean_4xx(r, 422)
        assert "layer" in r.text
    assert client.get("/v1/patients/PA/twins", headers=READ).json() == before
    _clean_4xx(client.get("/v1/patients/PA/twins/diff?from=1", headers=READ), 422)
    _clean_4xx(client.get("/v1/patients/PA/twins/0", headers=READ), 422)
    _clean_4xx(client.get("/v1/patients/PA/twins/diff?from=1&to=9", headers=READ), 404)


def test_rankings_pages_explanations_and_report(seeded):
    _, client = seeded
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json={"n_samples": 20})
    assert r.status_code == 201, r.text
    ranking = r.json()
    assert ranking["n_drugs"] == 3
    page = client.get("/v1/patients/PA/rankings/latest?offset=1&limit=1", headers=READ).json()
    assert page["offset"] == 1
    assert [d["rank"] for d in page["drugs"]] == [2]
    top = ranking["drugs"][0]["drug_id"]
    x = client.get(f"/v1/patients/PA/drugs/{top}/explanation", headers=READ).json()
    assert x["drug_id"] == top
    assert x["twin_id"] == "PA@v1"
    _clean_4xx(client.get("/v1/patients/PA/drugs/DB99999/explanation", headers=READ), 404)
    report = client.get("/v1/patients/PA/report", headers=READ)
    assert report.status_code == 200
    assert report.headers["content-security-policy"].startswith("default-src 'none'")
    assert report.text.count("<svg") >= 2
    assert top in report.text


def _genes_and_cells(graph: dict[str, Any]) -> list[dict[str, Any]]:
    """The drawing's gene and cell-type nodes (terms, the module and pathways are drawn too)."""
    return [n for n in graph["nodes"] if n["kind"] in {"Protein", "CellType", "Tissue"}]
