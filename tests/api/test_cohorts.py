"""``GET /v1/cohorts/{name}/summary`` and ``/v1/patients/{id}/similar`` behind the API keys."""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import cohort, patients, stratify
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.neo4j import Neo4jStore
from tests.api.conftest import READ
from tests.ranking_orders import NETWORK_ORDER

pytestmark = pytest.mark.neo4j


def test_cohort_summary_and_similar_patients(tiny_reference, client, test_settings):
    store, _ = tiny_reference
    ids = []
    for k in range(4):
        start = 1 + 40 * (k % 2)  # cliques 1 and 3
        patients.add_patient(
            store,
            PatientProfile(
                patient_id=f"Q{k}",
                changes=tuple(
                    GeneChange(entrez=str(i), log2fc=2.0) for i in range(start, start + 12)
                ),
                symptoms=(),
                exposures=(),
                metadata={"cohort": "trial 7 (arm B)"},
                input_checksums={},
                unmapped=(),
            ),
        )
        ids.append(f"Q{k}")
    cohort.run_cohort(
        store,
        test_settings,
        ids,
        open_store=Neo4jStore.open,
        twin_params=TwinParams(module_samples=20),
        rank_params=RankParams(n_samples=50, order=NETWORK_ORDER),
        workers=0,
    )
    # a cohort name is free text (before: 422 for anything but [A-Za-z0-9_.:-])
    assert client.get("/v1/cohorts/trial%207%20(arm%20B)/summary").status_code == 401
    summary = "/v1/cohorts/trial%207%20(arm%20B)/summary"
    r = client.get(summary, params={"top_drugs": 1}, headers=READ)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ranked"] == 4
    counts = {d["drug_id"]: d["top_k"] for d in body["drugs"]}
    assert counts == {"DB00001": 2, "DB00002": 2}
    assert [p["patient_id"] for p in body["per_patient"]] == ids
    assert client.get("/v1/cohorts/nobody/summary", headers=READ).status_code == 404
    assert client.get("/v1/cohorts/trial%0A7/summary", headers=READ).status_code == 422
    # Before a stratification: 404 naming the command, not an empty list that reads as "none".
    r = client.get("/v1/patients/Q0/similar", headers=READ)
    assert r.status_code == 404, r.text
    assert "no stratification yet" in r.json()["detail"]
    assert "medtwin cohort stratify" in r.json()["detail"]
    # no route stratifies: the hint says where it is done, not "run" as if a client could
    assert (
        "`medtwin cohort stratify --cohort NAME` where the server runs, or `stratify."
        in (r.json()["detail"])
    )
    stratify.stratify_cohort(store, ids, k=1)
    r = client.get("/v1/patients/Q0/similar", headers=READ)
    assert r.status_code == 200, r.text
    assert [x["patient_id"] for x in r.json()] == ["Q2"]
    # `top`, as `medtwin patient similar --top`; its old name `limit` is still read
    for given in ({"top": 1}, {"limit": 1}, {"top": 1, "limit": 1}):
        r = client.get("/v1/patients/Q0/similar", params=given, headers=READ)
        assert [x["patient_id"] for x in r.json()] == ["Q2"], given
    r = client.get("/v1/patients/Q0/similar", params={"top": 1, "limit": 2}, headers=READ)
    assert r.status_code == 422
    assert "give top only" in r.json()["detail"]
    assert client.get("/v1/patients/NOPE/similar", headers=READ).status_code == 404
    assert client.get("/v1/patients/Q0", headers=READ).json()["endotype_method"] == "jaccard:twin"
