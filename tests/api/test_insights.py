"""API: biomarker suggestions and trajectories (real test server, tiny reference)."""

from __future__ import annotations

import pytest

from tests.api.conftest import READ, WRITE

pytestmark = pytest.mark.neo4j


def test_biomarkers_route(seeded):
    _, client = seeded
    r = client.get("/v1/patients/PA/twins/latest/biomarkers", headers=READ)
    assert r.status_code == 404  # not ranked yet
    assert "has not been ranked" in r.json()["detail"]
    assert "Traceback" not in r.text
    assert client.post("/v1/patients/PA/rankings", headers=WRITE, json={"n_samples": 20}).is_success
    # Reads never compute (issue 19): the GET names the write path, the POST computes once.
    r = client.get("/v1/patients/PA/twins/latest/biomarkers?top=5&top_drugs=3", headers=READ)
    assert r.status_code == 404, r.text
    assert "not computed" in r.json()["detail"]
    url = "/v1/patients/PA/twins/latest/biomarkers?top=5&top_drugs=3"
    assert client.post(url, headers=READ).status_code == 403
    computed = client.post(url, headers=WRITE)
    assert computed.status_code == 200, computed.text
    r = client.get("/v1/patients/PA/twins/latest/biomarkers?top=5&top_drugs=3", headers=READ)
    assert r.status_code == 200, r.text
    assert r.json() == computed.json()
    body = r.json()
    assert body["twin_id"] == "PA@v1"
    assert body["top_drugs"] == 3
    assert "no null model" in body["rule"]
    for s in body["suggestions"]:
        assert " → " in s["chain"]
        assert s["drugs"]
    assert (
        client.get("/v1/patients/PA/twins/latest/biomarkers?top=-1", headers=READ).status_code
        == 422
    )


def test_trajectory_routes(tiny_reference, client):
    table = "gene\tlog2fc\tpadj\ttime_point\n" + "".join(
        f"G{g}\t2.0\t0.001\t{tp}\n"
        for tp, n in (("day1", 4), ("day10", 8))
        for g in range(1, n + 1)
    )
    r = client.post(
        "/v1/patients", headers=WRITE, data={"patient_id": "PT"},
        files={"de": ("pt.tsv", table.encode(), "text/tab-separated-values")},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = client.get("/v1/patients/PT/trajectory", headers=READ)  # read-only: builds nothing
    assert r.status_code == 200, r.text
    assert r.json()["missing"] == ["day1", "day10"]
    assert client.post("/v1/patients/PT/trajectory", headers=READ).status_code == 403
    r = client.post("/v1/patients/PT/trajectory", headers=WRITE, json={"rank": False})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["time_points"] == ["day1", "day10"]
    assert [p["module_size"] for p in body["points"]] == [4, 8]
    assert body["steps"][0]["entered"]
    r = client.post(
        "/v1/patients/PT/trajectory", headers=WRITE, json={"time_points": ["day1", "nope"]}
    )
    assert r.status_code == 422
    assert "no input at time point(s) nope" in r.json()["detail"]
    r = client.get("/v1/patients/PT/trajectory", headers=READ)
    assert r.json()["missing"] == []
