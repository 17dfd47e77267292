"""Every API validation path on the in-memory store (no Neo4j): 400/401/403/404/409/413/422/501.

The app's store is a :class:`~medtwin.store.memory.MemoryStore` (opened by ``store_opener`` for the
audit middleware, and the ``get_store`` dependency overridden for the routes); no 4xx body carries
a traceback or a server path.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import READ, WRITE, TestClient, memory_app

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"
FAST = {"module_samples": 20, "min_seeds": 2}


def _add(client: TestClient, pid: str = "P1", de: str = DE, **data: str) -> Any:
    return client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": pid, **data},
        files={"de": ("p_de.tsv", de.encode(), "text/tab-separated-values")},
    )


def _clean(r: Any) -> Any:
    """The response, after checking its error body (if any) is the one shape, without internals."""
    if r.status_code >= 400:
        body = r.json()
        assert set(body) == {"error", "detail"}, body
        assert "Traceback" not in r.text
        assert "/tmp/" not in r.text
        assert "medtwin-upload" not in r.text
    return r


def test_add_build_show_and_delete(client):
    r = _clean(_add(client, symptoms="HP:0001370"))
    assert r.status_code == 201
    assert r.json()["inputs"] == 2
    r = _clean(client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST))
    assert r.status_code == 201
    assert r.json()["id"] == "P1@v1"
    assert _clean(client.get("/v1/patients/P1/twins/latest", headers=READ)).status_code == 200
    graph = _clean(client.get("/v1/patients/P1/twins/latest/graph", headers=READ)).json()
    layers = {n["id"]: n["layer"] for n in graph["nodes"]}
    assert layers == {  # the genes, and since stop 53 the presented term and the module too
        "1": "module",
        "2": "module",
        "5": "seed",
        "HP:0001370": "phenotype",
        "P1@v1/phenotype-module": "phenotype_module",
    }
    assert _clean(client.delete("/v1/patients/P1", headers=WRITE)).status_code == 200
    assert _clean(client.get("/v1/patients/P1", headers=READ)).status_code == 404


@pytest.mark.parametrize(
    ("pid", "status"),
    [("x y", 422), ("a" * 65, 422), ("..", 422), ("P-1.ok_", 201)],
)
def test_patient_id_rules_on_upload(client, pid, status):
    assert _clean(_add(client, pid)).status_code == status


@pytest.mark.parametrize(
    ("kwargs", "status", "detail"),
    [
        ({"de": ""}, 422, "is empty"),
        ({"de": "gene\tlog2fc\tpadj\nNOPE\t1.0\t0.001\n"}, 422, "contributes nothing"),
        ({"de": "gene\tlog2fc\tpadj\nG1\tabc\t0.001\n"}, 422, "p_de.tsv"),
        ({"padj_max": "2"}, 422, "padj_max"),
        ({"symptoms": "HP:1234567,not a term at all"}, 422, ""),
    ],
)
def test_bad_uploads_are_422_naming_the_file(client, store, kwargs, status, detail):
    de = kwargs.pop("de", DE)
    r = _clean(_add(client, de=de, **kwargs))
    assert r.status_code == status, r.text
    assert detail in r.json()["detail"]
    assert store.patients == {}  # nothing stored before every input is read


def test_no_input_at_all_is_422(client):
    r = _clean(client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1"}))
    assert r.status_code == 422
    assert "nothing to add" in r.json()["detail"]


def test_repeated_form_field_is_422(client):
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": ["P1", "P2"]},
        files={"de": ("p_de.tsv", DE.encode())},
    )
    assert _clean(r).status_code == 422
    assert "more than once" in r.json()["detail"]


def test_unknown_form_field_is_422_not_ignored(client, store):
    """Before: ``protiens`` (for proteins) was dropped and the patient added without it (201)."""
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={"de": ("p_de.tsv", DE.encode()), "protiens": ("p.tsv", DE.encode())},
    )
    assert _clean(r).status_code == 422
    assert r.json()["detail"].startswith("unknown form field(s) protiens; this route takes ")
    assert "proteins" in r.json()["detail"]
    assert store.patients == {}


def test_upload_over_the_limit_is_413(store):
    big = DE + "".join("G3\t0.1\t0.5\n" for _ in range(200_000))  # ~2 MB
    with TestClient(memory_app(store, max_upload_mb=1), raise_server_exceptions=False) as c:
        r = _clean(_add(c, de=big))
    assert r.status_code == 413
    assert store.patients == {}


def test_keys_and_scopes(client):
    assert _clean(client.get("/v1/patients")).status_code == 401
    r = client.post("/v1/patients", headers=READ, data={"patient_id": "P1"})
    assert _clean(r).status_code == 403
    assert _clean(client.get("/v1/patients", headers=READ)).status_code == 200


def test_missing_patient_and_twin_are_404(client):
    for path in (
        "/v1/patients/P9",
        "/v1/patients/P9/twins",
        "/v1/patients/P9/twins/latest",
        "/v1/patients/P9/rankings/latest",
    ):
        r = _clean(client.get(path, headers=READ))
        assert r.status_code == 404, path
        assert "no patient P9" in r.json()["detail"], path
    assert _clean(client.post("/v1/patients/P9/twins", headers=WRITE)).status_code == 404
    assert _clean(client.delete("/v1/patients/P9", headers=WRITE)).status_code == 404
    _add(client)
    r = _clean(client.get("/v1/patients/P1/twins/latest", headers=READ))
    assert r.status_code == 404
    assert "has no twin" in r.json()["detail"]
    r = _clean(client.get("/v1/patients/P1/twins/3", headers=READ))
    assert r.status_code == 404
    assert "no twin version 3" in r.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"module_samples": 1},  # below 10
        {"max_seeds": 0},
        {"seed_fdr": 2.0},
        {"layers": []},
        {"expansion": "magic"},
        {"no_such_param": 1},  # extra fields are refused
    ],
)
def test_bad_twin_params_are_422(client, store, body):
    _add(client)
    r = _clean(client.post("/v1/patients/P1/twins", headers=WRITE, json=body))
    assert r.status_code == 422, body
    assert store.twins.twins("P1") == []


@pytest.mark.parametrize(
    "query",
    ["", "?from=1", "?from=0&to=1", "?from=1&to=x", "?from=1&to=1000001"],
)
def test_bad_diff_queries_are_422(client, query):
    _add(client)
    client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST)
    assert _clean(client.get(f"/v1/patients/P1/twins/diff{query}", headers=READ)).status_code == 422


def test_diff_of_a_missing_version_is_404(client):
    _add(client)
    client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST)
    r = _clean(client.get("/v1/patients/P1/twins/diff?from=1&to=2", headers=READ))
    assert r.status_code == 404
    r = _clean(client.get("/v1/patients/P1/twins/diff?from=1&to=1", headers=READ))
    assert r.status_code == 200
    assert r.json()["genes_added"] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/patients/P1/twins/0", 422),
        ("/v1/patients/P1/twins/0/graph", 422),
        ("/v1/patients/P1/rankings/latest?offset=-1", 422),
        ("/v1/patients/P1/rankings/latest?limit=0", 422),
        ("/v1/patients/P1/rankings/latest?limit=501", 422),
        ("/v1/patients/P1/rankings/latest", 404),  # no twin yet
        ("/v1/patients/P1/drugs/DB%20X/explanation", 422),
        ("/v1/patients/P1/audit?limit=0", 422),
    ],
)
def test_bad_reads(client, path, status):
    _add(client)
    headers = WRITE if "/audit" in path else READ
    r = _clean(client.get(path, headers=headers))
    assert r.status_code == status, (path, r.text)


def test_bad_rank_requests_are_422_before_any_work(client):
    _add(client)
    client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST)
    for body in ({"n_samples": 1}, {"methods": []}, {"tier": "gold"}, {"extra": 1}):
        r = _clean(client.post("/v1/patients/P1/rankings", headers=WRITE, json=body))
        assert r.status_code == 422, body
    r = _clean(client.post("/v1/patients/P1/rankings", headers=WRITE, json={"n_samples": 20}))
    assert r.status_code == 201, r.text  # the memory store keeps rankings
    latest = _clean(client.get("/v1/patients/P1/rankings/latest?limit=1", headers=READ))
    assert latest.json()["id"] == r.json()["id"]


def test_busy_patient_is_409(client, store):
    _add(client)
    with store.patient_lock("P1", "twin build"):
        r = _clean(client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST))
    assert r.status_code == 409
    assert "busy" in r.json()["detail"]


def test_audit_trail_through_the_service(store):
    with TestClient(memory_app(store), raise_server_exceptions=False) as c:
        _add(c)
        c.get("/v1/patients/P1", headers=READ)
    # The writer flushed on shutdown; the route reads them back through services.audit_trail.
    with TestClient(memory_app(store), raise_server_exceptions=False) as c:
        events = c.get("/v1/patients/P1/audit", headers=WRITE).json()
    assert [(e["action"], e["status"]) for e in events][-2:] == [("read", 200), ("write", 201)]


def test_ready_and_datasets(client):
    # Versions only to a valid key (issue 19).
    assert client.get("/ready").json() == {"status": "ready"}
    got = client.get("/ready", headers=READ).json()
    assert got == {"status": "ready", "neo4j": "memory", "gds": "memory"}
    summary = client.get("/v1/datasets/summary", headers=READ).json()
    assert summary["relationships"]["INTERACTS_WITH"]["total"] == 8


VCF = (
    "##fileformat=VCFv4.2\n"
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
    "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
    "Transcript_BioType | Rank | HGVS.c | HGVS.p' \">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP001\tP002\n"
    "1\t100\trs1\tG\tA\t60\tPASS\tANN=A|missense_variant|MODERATE|G1|E1|transcript|T1|"
    "protein_coding|1/2|c.1G>A|p.R1W\tGT\t0/1\t0/0\n"
)


def test_vcf_sample_goes_through_the_shared_dispatch(client, store):
    def post(sample: str) -> Any:
        return client.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "P1", "vcf_sample": sample},
            files={"vcf": ("p.vcf", VCF.encode())},
        )

    r = _clean(post("P9"))
    assert r.status_code == 422
    assert "sample 'P9' not in the VCF" in r.json()["detail"]
    r = _clean(post("P002"))  # P002 does not carry the variant: nothing to add
    assert r.status_code == 422
    assert "contributes nothing" in r.json()["detail"]
    r = _clean(post("P001"))
    assert r.status_code == 201
    assert r.json()["genes"] == 1


def test_unknown_fhir_resource_type_is_422_naming_the_entry(client, store):
    # before: 422 "unexpected content for the format" (the reader raised a KeyError)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "P1"}},
            {"resource": {"resourceType": "Observaton", "id": "o", "status": "final"}},
        ],
    }
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={"fhir": ("b.json", json.dumps(bundle).encode(), "application/json")},
    )
    r = _clean(r)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("b.json: entry[1] has resourceType 'Observaton'")
    assert "did you mean 'Observation'?" in r.json()["detail"]
    assert store.patients == {}


def test_mutations_of_another_sample_are_422(client, store):
    # before: a file of X-9999 was added to P1 (201)
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={"mutations": ("m.tsv", b"model\tgene\tcategory\nX-9999\tG1\tAmp8\n")},
    )
    r = _clean(r)
    assert r.status_code == 422
    assert "names 'X-9999' (1 row(s)), not patient 'P1'" in r.json()["detail"]
    assert store.patients == {}


def test_symptoms_file_upload(client):
    def post(text: str, **data: str) -> Any:
        return client.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "P1", **data},
            files={"symptoms_file": ("terms.txt", text.encode())},
        )

    r = _clean(post("HP:0001370\tRheumatoid arthritis\n", symptoms="HP:0001370"))
    assert r.status_code == 422
    assert "not both" in r.json()["detail"]
    r = _clean(post("# mine\nHP:0001370\tRheumatoid arthritis\n"))
    assert r.status_code == 201
    assert r.json()["symptoms"] == ["HP:0001370"]
    r = _clean(post("HP:0001370\nNOT_A_TERM\n"))
    assert r.status_code == 422
    assert r.json()["detail"].startswith("terms.txt")


def test_patients_are_listed_a_page_at_a_time(client: TestClient) -> None:
    for pid in ("P3", "P1", "P2"):
        assert _add(client, pid).status_code == 201
    r = client.get("/v1/patients", headers=READ)
    assert [p["id"] for p in r.json()] == ["P1", "P2", "P3"]
    assert r.headers["X-Total-Count"] == "3"
    page = client.get("/v1/patients", headers=READ, params={"limit": 2, "offset": 1})
    assert [p["id"] for p in page.json()] == ["P2", "P3"]
    assert page.headers["X-Total-Count"] == "3"
    past = client.get("/v1/patients", headers=READ, params={"offset": 5})
    assert past.json() == []
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        r = _clean(client.get("/v1/patients", headers=READ, params=bad))
        assert r.status_code == 422, bad


def test_a_form_field_over_the_part_limit_says_what_to_do(client):
    # Starlette refuses a form field (not a file) over 1 MB with "Part exceeded maximum size of
    # 1024KB." (multipart) or "Field exceeded ..." (urlencoded): naming neither the way round it
    # nor, as its parser does not say, the field
    long_text = "HP:0001370," * 200_000
    multipart = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1", "symptoms": long_text},
        files={"de": ("de.tsv", DE.encode())},
    )
    urlencoded = client.post(
        "/v1/patients", headers=WRITE, data={"patient_id": "P1", "symptoms": long_text}
    )
    for r in (multipart, urlencoded):
        assert r.status_code == 413, r.text
        detail = r.json()["detail"]
        assert "over 1 MB" in detail
        assert "-F de=@p.tsv" in detail
        assert "symptoms_file" in detail
    assert client.get("/v1/patients/P1", headers=READ).status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status", "said"),
    [
        # before: "1: JSON decode error" (neither the reason nor the fix)
        (b"{", "application/json", 422, "the request body is not valid JSON (Expecting "),
        (b'{"module_samples": 20,}', "application/json", 422, "at character 22"),
        # before: "request: Input should be a valid dictionary or object to extract fields from"
        (b"[]", "application/json", 422, "the request body is a JSON list, not a JSON object"),
        # before: 422 "is form data, not a JSON object"; now the media type (test_request_shape)
        (b"module_samples=20", "application/x-www-form-urlencoded", 415, "(form data); send a"),
        # before: 400 "There was an error parsing the body"
        (b"\xff", "application/json", 400, "a JSON body must be UTF-8 text"),
    ],
)
def test_a_body_that_is_no_json_object_says_so_and_how(client, body, content_type, status, said):
    assert _add(client).status_code == 201
    r = _clean(
        client.post(
            "/v1/patients/P1/twins",
            headers={**WRITE, "content-type": content_type},
            content=body,
        )
    )
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert said in detail
    assert "Content-Type: application/json" in detail
    assert client.get("/v1/patients/P1/twins", headers=READ).json() == []  # nothing built


def test_a_broken_multipart_body_says_how_to_send_a_form(client):
    r = _clean(
        client.post(
            "/v1/patients",
            headers={**WRITE, "content-type": "multipart/form-data"},
            content=b"patient_id=P1",
        )
    )
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Missing boundary in multipart: send the form as")
    assert "curl -F patient_id=P1 -F de=@p.tsv" in r.json()["detail"]


@pytest.mark.parametrize(
    ("path", "field"), [("/v1/patients", "de"), ("/v1/patients/P1/rankings/custom", "targets")]
)
def test_a_file_sent_as_a_text_field_says_how_to_send_it(client, path, field):
    # curl -F de=<p.tsv sends the file's text as a field; before (under 1 MB): "de: Value
    # error, Expected UploadFile, received: <class 'str'>"
    assert _add(client).status_code == 201
    data = {"patient_id": "P2"} if field == "de" else {}
    r = _clean(client.post(path, headers=WRITE, data={**data, field: DE}))
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == (
        f"{field}: a text field, not a file; send the file as a file part with a file name "
        f"(curl -F {field}=@p.tsv, not -F {field}=<p.tsv)"
    )


@pytest.mark.parametrize(
    ("path", "body", "unknown", "takes"),
    [
        ("/v1/patients/P1/rankings", {"top": 5}, "top", "targets"),  # rank --top is the CLI's
        ("/v1/patients/P1/twins", {"module_sample": 20}, "module_sample", "module_samples"),
    ],
)
def test_an_unknown_json_field_names_the_fields_the_route_takes(client, path, body, unknown, takes):
    # before: "top: Extra inputs are not permitted" (the form routes named the fields they take)
    assert _add(client).status_code == 201
    r = _clean(client.post(path, headers=WRITE, json=body))
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith(f"unknown field(s) {unknown}; this route takes "), detail
    assert takes in detail.split("takes ", 1)[1].split(", ")


def test_the_audit_route_takes_an_offset(client):
    """Before, ``?offset=`` was refused as a parameter the route does not take (apiwalk)."""
    assert (
        client.post(
            "/v1/patients", headers=WRITE, data={"patient_id": "P1", "symptoms": "HP:0001370"}
        ).status_code
        == 201
    )
    for _ in range(3):
        assert client.get("/v1/patients/P1", headers=READ).status_code == 200
    assert client.app.state.audit_writer.flush()
    whole = client.get("/v1/patients/P1/audit?limit=10", headers=WRITE).json()
    # reading the trail is audited too: flushed here, that read is the newest event, so the page
    # one past it starts at whole[0] (without this flush the event landed whenever the writer
    # ran, before or after the page's read: a flaky test)
    assert client.app.state.audit_writer.flush()
    page = client.get("/v1/patients/P1/audit?limit=2&offset=1", headers=WRITE)
    assert page.status_code == 200, page.text
    assert page.json() == whole[0:2]
    bad = client.get("/v1/patients/P1/audit?offset=-1", headers=WRITE)
    assert bad.status_code == 422
