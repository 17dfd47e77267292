"""``POST /v1/patients`` returns what the readers said about each uploaded file (``warnings``).

In-memory store, no Neo4j. Before, the warnings went to the server log only: an API user who
uploaded a file never learnt that rows were skipped or values reinterpreted. One test per kind
of file; messages name the file as the client named it, never the server's temporary copy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, TestClient, api_settings

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {
    "7124": "TNF",
    "3569": "IL6",
    "920": "CD4",
    "7157": "TP53",
    "2064": "ERBB2",
    "1029": "CDKN2A",
    "26191": "PTPN22",
    "7128": "TNFAIP3",
}


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.add_reference(genes=GENES)
    return store


def _add(
    client: TestClient, kind: str, name: str, data: bytes, pid: str = "P1", **form: str
) -> Any:
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": pid, **form},
        files={kind: (name, data, "application/octet-stream")},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    for said in body["warnings"]:  # never the server's temporary copy
        assert "medtwin-upload" not in said
        assert "/tmp" not in said
    return body


def test_de_table_missing_gene_cells_and_unresolved_genes(client: TestClient) -> None:
    de = "gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\nNA\t1.0\t0.01\nNaN\t1.0\t0.01\nNOPE\t1.2\t0.01\n"
    body = _add(client, "de", "my de (1).tsv", de.encode())
    assert body["genes"] == 1
    # the client's name, not the sanitised 'my_de_1_.tsv' of the server's copy
    assert body["warnings"] == [
        "my de (1).tsv: 2 row(s) without a gene were skipped (first at line 3: 'NA'; NA, NaN, "
        "N/A, NULL, -, or empty mean no gene and are never read as a symbol); give those rows "
        "a symbol or Entrez id to use them",
        "my de (1).tsv: 1 gene(s) did not resolve to an Entrez id and are listed in `unmapped`: "
        "NOPE",
    ]
    # not stored: the patient read back has no warnings field
    assert "warnings" not in client.get("/v1/patients/P1", headers=READ).json()


def test_an_upload_is_recorded_by_the_clients_file_name(
    client: TestClient, store: MemoryStore
) -> None:
    """Before, the input recorded the server copy's sanitised name ('my_de_1_.tsv')."""
    _add(client, "de", "my de (1).tsv", b"gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\n")
    (stored,) = store.twins.inputs("P1")
    assert stored["name"] == "my de (1).tsv"
    assert list(json.loads(stored["file_checksums_json"])) == ["my de (1).tsv"]


def test_a_clean_file_has_no_warnings(client: TestClient) -> None:
    body = _add(client, "de", "clean.tsv", b"gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\n")
    assert body["warnings"] == []


def _gene_obs(oid: str, gene: str, value: float) -> dict[str, Any]:
    return {
        "resource": {
            "resourceType": "Observation",
            "id": oid,
            "status": "final",
            "subject": {"reference": "Patient/BUNDLE-7"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
            "valueCodeableConcept": {
                "coding": [{"system": "http://www.genenames.org", "code": "x", "display": gene}]
            },
            "component": [
                {"code": {"text": "expression"}, "valueQuantity": {"value": value, "unit": "log2"}}
            ],
        }
    }


def test_fhir_bundle_of_another_patient_id_and_another_subject(client: TestClient) -> None:
    other = _gene_obs("o9", "IL6", 3.0)
    other["resource"]["subject"] = {"reference": "Patient/SOMEONE-ELSE"}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "BUNDLE-7"}},
            _gene_obs("o1", "TNF", 1.5),
            other,
        ],
    }
    body = _add(client, "fhir", "bundle.json", json.dumps(bundle).encode())
    said = "\n".join(body["warnings"])
    assert "bundle.json: skipped 1 Observation(s) of another subject than the bundle's" in said
    assert (
        "bundle.json: the bundle's patient is 'BUNDLE-7'; its data is added to patient 'P1'" in said
    )


def test_vcf_genes_that_do_not_resolve(client: TestClient) -> None:
    body = _add(client, "vcf", "p1.vcf", (DATA / "variants_P001.vcf").read_bytes())
    assert any(
        w.startswith("p1.vcf") and "NOTAGENE" in w and "did not resolve" in w
        for w in body["warnings"]
    ), body["warnings"]


def test_mutations_of_other_samples_are_said_to_be_left_out(client: TestClient) -> None:
    table = (
        "model\tgene\tcategory\nX-1\tTP53\tMutKnownFunctional\nX-2\tERBB2\tAmp8\n"
        "X-2\tCDKN2A\tDel0.8\n"
    )
    body = _add(client, "mutations", "cohort calls.tsv", table.encode(), pid="X-1")
    assert (
        "cohort calls.tsv: took the rows of patient 'X-1'; left out 2 row(s) of 1 other sample(s) "
        "in column 'model': 'X-2' (2 row(s))" in body["warnings"]
    )


def test_h5ad_counts_are_said_to_be_normalised(client: TestClient, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    counts = 1 + rng.integers(0, 3, size=(40, 3)).astype(np.float32)
    counts[:20, 0] += 60  # TNF up in type A: counts, not log1p values
    adata = anndata.AnnData(
        X=counts,
        obs=pd.DataFrame(
            {"cell_type": ["A"] * 20 + ["B"] * 20}, index=[f"c{i}" for i in range(40)]
        ),
        var=pd.DataFrame(index=["TNF", "IL6", "CD4"]),
    )
    path = tmp_path / "cells.h5ad"
    adata.write_h5ad(path)
    body = _add(client, "h5ad", "donor 3.h5ad", path.read_bytes())
    assert any(
        w.startswith("donor 3.h5ad: .X looks like counts (values up to") for w in body["warnings"]
    ), body["warnings"]


def test_every_file_of_one_request_says_its_own(client: TestClient) -> None:
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P2"},
        files={
            "de": ("a.tsv", b"gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\nNA\t1\t0.01\n", "text/plain"),
            "proteins": ("b.csv", b"gene,log2ratio\nIL6,1.5\nIL6,1.0\nNOPE,2\n", "text/plain"),
        },
    )
    assert r.status_code == 201, r.text
    said = r.json()["warnings"]
    assert [w.split(":")[0] for w in said] == ["a.tsv", "b.csv", "b.csv"], said


def test_the_openapi_schema_documents_the_warnings(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ok = schema["paths"]["/v1/patients"]["post"]["responses"]["201"]["content"]
    ref = ok["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    field = schema["components"]["schemas"][ref]["properties"]["warnings"]
    assert field["type"] == "array"
    assert "files named as given" in field["description"]


def test_custom_ranking_says_what_the_targets_reader_did() -> None:
    from tests.unit.services.conftest import reference_store

    store = reference_store()
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    de = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"
    targets = "drug_id\tgene\taction\nT1\tG1\tinhibitor\nT2\tG2\tfrobnicator\nT3\tNOPE\tagonist\n"
    with TestClient(app, raise_server_exceptions=False) as client:
        files = {"de": ("p1.tsv", de.encode(), "text/plain")}
        r = client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files=files)
        assert r.status_code == 201, r.text
        twin = {"module_samples": 20, "min_seeds": 2}
        r = client.post("/v1/patients/P1/twins", headers=WRITE, json=twin)
        assert r.status_code == 201, r.text
        r = client.post(
            "/v1/patients/P1/rankings/custom",
            headers=WRITE,
            files={"targets": ("my drugs (1).tsv", targets.encode(), "text/plain")},
            data={"n_samples": "20"},
        )
        latest = client.get("/v1/patients/P1/rankings/latest", headers=READ)
    assert r.status_code == 201, r.text
    said = r.json()["warnings"]
    assert [w.split(": ")[0] for w in said] == ["my drugs (1).tsv", "my drugs (1).tsv"], said
    assert "action word(s) frobnicator have no known direction" in said[0]
    assert "1 gene(s) did not resolve to a gene in the database and are left out: NOPE" in said[1]
    assert not any("medtwin-targets" in w or "/tmp" in w for w in said)
    # The ranking's provenance names the client's file too (before: the server copy's sanitised
    # 'my_drugs_1_.tsv'), with its sha256, never a server path; read back the same.
    recorded = r.json()["params"]["targets"]
    assert recorded.startswith("my drugs (1).tsv sha256:"), recorded
    assert latest.json()["params"]["targets"] == recorded
    assert "warnings" not in latest.json()
