"""API: upstream regulators per cell type / tissue (issue 18 item 6)."""

from __future__ import annotations

import pytest

from medtwin.platform import cell_regulators, patients
from tests.api.conftest import FAST_TWIN, READ, WRITE
from tests.integration.test_cell_regulators import _layers, _profile, _stats

pytestmark = pytest.mark.neo4j


def test_regulators_by_cell_type_and_tissue(tiny_reference, client, monkeypatch):
    store, _ = tiny_reference
    _layers(store)
    parts = {("blood", "B"): _stats(1, 4.0), ("synovium", "F"): _stats(3, -4.0)}
    patients.add_patient(store, _profile("RC", parts))
    assert client.post("/v1/patients/RC/twins", headers=WRITE, json=FAST_TWIN).status_code == 201
    r = client.get("/v1/patients/RC/twins/latest/regulators?by=cell_type", headers=READ)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["by"] == "cell_type"
    assert [c["context"] for c in body["contexts"]] == ["blood / B", "synovium / F"]
    assert body["contexts"][0]["regulators"][0]["words"].startswith("G2 active in blood / B")
    # neither tissue keeps a vector of every measured gene: no tissue activities, and why
    # (before: both scored from their thresholded changes)
    r = client.get("/v1/patients/RC/twins/latest/regulators?by=tissue", headers=READ)
    assert r.status_code == 200, r.text
    assert r.json()["contexts"] == []
    for tissue in ("blood", "synovium"):
        assert f"no vector of every measured gene in tissue {tissue}: input " in r.json()["note"]
    r = client.get("/v1/patients/RC/twins/latest/regulators", headers=READ)
    # without ?by the patient-level report: none (no vector of every measured gene), and why
    assert r.status_code == 200, r.text
    assert r.json()["regulators"] == []
    assert r.json()["note"].endswith(
        "per-tissue ones each tissue's, where its inputs keep one: "
        "call GET /v1/patients/RC/twins/latest/regulators?by=cell_type"
    )  # the route (before: the CLI command, with the API's query beside it)
    # ?top keeps the first regulators of each context (before: ignored with ?by); the count stays
    real = cell_regulators._ranked
    monkeypatch.setattr(cell_regulators, "_ranked", lambda *a: real(*a) * 3)
    r = client.get("/v1/patients/RC/twins/latest/regulators?by=cell_type&top=2", headers=READ)
    assert [(c["n_regulators"], len(c["regulators"])) for c in r.json()["contexts"]] == [(3, 2)] * 2
    r = client.get("/v1/patients/RC/twins/latest/regulators?by=cell_type", headers=READ)
    assert [len(c["regulators"]) for c in r.json()["contexts"]] == [3, 3]
    monkeypatch.undo()
    bulk = _profile("RD", {}).model_copy(update={"changes": _profile("RC", parts).changes[:20]})
    patients.add_patient(
        store,
        bulk.model_copy(update={"changes": tuple(
            c.model_copy(update={"cell_type": None, "tissue": None}) for c in bulk.changes)}),
    )  # fmt: skip
    assert client.post("/v1/patients/RD/twins", headers=WRITE, json=FAST_TWIN).status_code == 201
    r = client.get("/v1/patients/RD/twins/latest/regulators?by=cell_type", headers=READ)
    assert r.status_code == 404
    assert "no activities per cell type" in r.text
    assert "Traceback" not in r.text
    r = client.get("/v1/patients/RC/twins/latest/regulators?by=organ", headers=READ)
    assert r.status_code == 422
    assert "Traceback" not in r.text
