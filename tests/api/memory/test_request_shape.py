"""A misspelt query parameter and a body of the wrong Content-Type are named, with the fix.

Before: ``GET …/rankings/latest?limt=5`` answered the default 50 drugs (the parameter ignored);
a JSON route given ``text/plain`` (or no Content-Type) was told its body "is form data", and the
upload route given JSON that ``patient_id`` was missing (422). These checks run before the
route's key check, so they stand aside for a request without a valid key (401 first; before, a
repeated query parameter without a key was a 422).
"""

from __future__ import annotations

import pytest

from tests.api.conftest import READ, WRITE

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


def _add(client) -> None:
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={"de": ("de.tsv", DE.encode())},
    )
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    ("path", "unknown", "takes"),
    [
        ("/v1/patients?limt=5", "limt", "limit, offset"),
        ("/v1/patients/P1/rankings/latest?limit=5&page=2", "page", "limit, offset, version"),
        ("/v1/patients/P1/twins/diff?from=1&to=2&versions=3", "versions", "from, to"),
        ("/v1/patients/P1?verbose=1", "verbose", "none"),
    ],
)
def test_an_unknown_query_parameter_is_named_with_the_ones_taken(client, path, unknown, takes):
    _add(client)
    r = client.get(path, headers=READ)
    assert r.status_code == 422, r.text
    assert r.json() == {
        "error": "ValidationError",
        "detail": f"unknown query parameter(s) {unknown}; this route takes {takes} (see /docs)",
    }


def test_the_known_query_parameters_still_work(client):
    _add(client)
    r = client.get("/v1/patients?limit=1&offset=0", headers=READ)
    assert (r.status_code, r.headers["X-Total-Count"]) == (200, "1")


@pytest.mark.parametrize(
    ("content_type", "said"),
    [
        ("text/plain", "not text/plain;"),
        (None, "not a body without a Content-Type;"),
        ("application/x-www-form-urlencoded", "not application/x-www-form-urlencoded (form data);"),
    ],
)
def test_a_json_route_given_another_content_type_says_415_and_how(client, content_type, said):
    _add(client)
    headers = {**WRITE, **({"content-type": content_type} if content_type else {})}
    r = client.post("/v1/patients/P1/twins", headers=headers, content=b'{"module_samples": 20}')
    assert r.status_code == 415, r.text
    body = r.json()
    assert body["error"] == "UnsupportedMediaType"
    assert body["detail"].startswith(f"this route takes a JSON body, {said}")
    assert "Content-Type: application/json" in body["detail"]
    assert client.get("/v1/patients/P1/twins", headers=READ).json() == []  # nothing built


def test_the_upload_route_given_json_says_415_and_names_its_fields(client):
    r = client.post("/v1/patients", headers=WRITE, json={"patient_id": "P1", "symptoms": "x"})
    assert r.status_code == 415, r.text
    detail = r.json()["detail"]
    assert detail.startswith("this route takes a form (multipart/form-data), not application/json")
    assert "(patient_id, de, " in detail
    assert "-F name=@path for a file" in detail
    # a form without files (urlencoded: symptoms only) is still a form
    ok = client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1", "symptoms": "x"})
    assert ok.status_code != 415, ok.text


def test_a_json_body_still_works_and_an_empty_post_takes_the_defaults(client):
    _add(client)
    for kw in ({"json": {"module_samples": 20, "min_seeds": 2}}, {}):
        r = client.post("/v1/patients/P1/twins", headers=WRITE, **kw)
        assert r.status_code != 415, r.text


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "mtk_wrong"}])
def test_a_request_without_a_valid_key_is_told_401_first(client, headers):
    for r in (
        client.get("/v1/patients?limt=5", headers=headers),
        client.get("/v1/patients?limit=1&limit=2", headers=headers),
        client.post(
            "/v1/patients/P1/twins",
            headers={**headers, "content-type": "text/plain"},
            content=b"x",
        ),
    ):
        assert r.status_code == 401, r.text


def test_a_read_key_on_a_write_route_is_told_403_first(client):
    r = client.post(
        "/v1/patients/P1/twins", headers={**READ, "content-type": "text/plain"}, content=b"x"
    )
    assert r.status_code == 403, r.text


def test_the_openapi_declares_415_on_every_route_with_a_body(client):
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            has_body = "requestBody" in operation
            assert ("415" in operation["responses"]) == has_body, f"{method} {path}"


@pytest.mark.parametrize(
    ("method", "path", "detail"),
    [
        # before: "path.patient_id: String should match pattern '^[A-Za-z0-9_.-]*[A-Za-z0-9_-]…'"
        (
            "GET",
            "/v1/patients/bad%20id",
            "path.patient_id 'bad id': not a valid value; expected patient id "
            "([A-Za-z0-9_.-]{1,64}, not only dots)",
        ),
        (
            "GET",
            "/v1/patients/P1/drugs/a%20b/explanation",
            "path.drug_id 'a b': not a valid value; expected drug id (DrugBank id, e.g. DB00945)",
        ),
        # before: "query.limit: Input should be greater than or equal to 1" (no value)
        (
            "GET",
            "/v1/patients?limit=0",
            "query.limit '0': Input should be greater than or equal to 1",
        ),
        (
            "GET",
            "/v1/patients/P1/twins/latest/regulators?by=cells",
            "query.by 'cells': Input should be 'cell_type' or 'tissue'",
        ),
        ("GET", "/v1/patients/P1/twins/diff?from=1", "query.to: Field required"),
    ],
)
def test_a_bad_value_is_named_with_what_was_expected(client, method, path, detail):
    r = client.request(method, path, headers=READ)
    assert r.status_code == 422, r.text
    assert r.json() == {"error": "ValidationError", "detail": detail}


def test_a_bad_json_field_is_named_with_its_value(client):
    _add(client)
    r = client.post(
        "/v1/patients/P1/twins", headers=WRITE, json={"module_samples": 5, "expansion": "x"}
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == (
        "expansion 'x': Input should be 'none', 'diamond' or 'rwr'; "
        "module_samples 5: Input should be greater than or equal to 10"
    )


def test_a_201_says_where_the_created_resource_is(client):
    # before: no Location; a client had to build the twin's path from the body's version
    added = client.post(
        "/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files={"de": ("de.tsv", DE)}
    )
    assert (added.status_code, added.headers["Location"]) == (201, "/v1/patients/P1")
    assert client.get(added.headers["Location"], headers=READ).json()["id"] == "P1"
    built = client.post(
        "/v1/patients/P1/twins", headers=WRITE, json={"module_samples": 20, "min_seeds": 2}
    )
    assert (built.status_code, built.headers["Location"]) == (201, "/v1/patients/P1/twins/1")
    shown = client.get(built.headers["Location"], headers=READ).json()
    assert shown["twin"]["id"] == built.json()["id"]
    document = client.get("/openapi.json").json()
    for path in ("/v1/patients", "/v1/patients/{patient_id}/twins"):
        assert "Location" in document["paths"][path]["post"]["responses"]["201"]["headers"]


def test_openapi_names_the_400_408_413_of_every_route_with_a_body_and_414_of_every_v1_route(client):
    """The body guard's 408 (a stalled body) and ``medtwin serve``'s 414 (a URL over 65,535
    bytes) are answers a client can get, so the schema a client is generated from lists them;
    before, neither was declared anywhere."""
    spec = client.get("/openapi.json").json()
    with_body, missing = 0, []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if path.startswith("/v1") and "414" not in codes:
                missing.append(f"{method} {path}: 414")
            if "requestBody" in op:
                with_body += 1
                # 400 (a body that cannot be read) and 413 (too large): found by
                # benchmarks/api_probe.py, undeclared on the JSON routes (413) and all (400)
                need = ("400", "408", "413", "415")
                missing += [f"{method} {path}: {c}" for c in need if c not in codes]
    assert with_body >= 4
    assert missing == []
