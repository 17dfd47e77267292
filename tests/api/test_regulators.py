"""API: the twin's upstream regulators (issue 18)."""

from __future__ import annotations

import pytest

from tests.api.conftest import FAST_TWIN, READ, WRITE
from tests.integration.test_twin_regulators import _layers, _stats

pytestmark = pytest.mark.neo4j


def test_regulators_route_404_without_layers_then_lists_the_ur(tiny_reference, client):
    store, _ = tiny_reference
    table = "gene\tz\n" + "".join(f"G{g}\t{v}\n" for g, v in _stats().items())
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "RA1", "padj_max": "1"},
        files={"de": ("de.tsv", table.encode(), "text/tab-separated-values")},
    )
    assert r.status_code == 201, r.text
    assert client.post("/v1/patients/RA1/twins", headers=WRITE, json=FAST_TWIN).status_code == 201
    r = client.get("/v1/patients/RA1/twins/latest/regulators", headers=READ)
    assert r.status_code == 404
    assert "medtwin load" in r.text
    _layers(store)
    r = client.get("/v1/patients/RA1/twins/latest/regulators", headers=READ)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["regulators"][0]["symbol"] == "G2"
    assert body["regulators"][0]["words"].startswith("G2 active (t ")
    assert (body["engine"], body["stored"]) == ("gds", False)  # twin built before the layers
    assert body["regulators"][0]["community"] == 1
    top = body["regulators"][0]
    # the group is a community of the whole network, with its size (stop 46)
    assert 0 < top["community_size"] <= top["network_size"]
    sized = f"({top['community_size']:,} of {top['network_size']:,} proteins)"
    assert f", 1st most central; Louvain community 1 of the network {sized}" in top["words"]
    r = client.get("/v1/patients/RA1/twins/latest/regulators?top=1", headers=READ)
    assert r.status_code == 200, r.text
    assert len(r.json()["regulators"]) == 1
    assert r.json()["n_regulators"] == body["n_regulators"]
    r = client.get("/v1/patients/RA1/twins/latest/regulators?q=2", headers=READ)
    assert r.status_code == 422
