"""Issue 10, item 1-2 and the API contract: bounded uploads, auth before the body, clear 4xx.

Each test replays one attack or malformed input of the issue against the app on the test server.
"""

from __future__ import annotations

import asyncio
import gzip
import io
from typing import Any

import numpy as np
import pytest

from medtwin.api import create_app
from tests.api.conftest import DE_TABLE, FAST_TWIN, READ, WRITE, TestClient, api_settings

pytestmark = pytest.mark.neo4j


VCF_OK = (
    '##fileformat=VCFv4.2\n##INFO=<ID=ANN,Number=.,Type=String,Description="Functional '
    "annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID' \">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
)


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def _post(client: TestClient, files: dict[str, Any], pid: str = "P1", **data: Any) -> Any:
    return client.post("/v1/patients", headers=WRITE, data={"patient_id": pid, **data}, files=files)


def _clean(r: Any, status: int, *needles: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "detail"}, body
    assert "Traceback" not in r.text
    for needle in needles:
        assert needle in body["detail"], body["detail"]
    return body


# -- the body guard, driven as raw ASGI so we can count what the app reads ----------------------
class _Endless:
    """An ASGI ``receive`` serving 1 MiB chunks forever (a chunked upload that never ends)."""

    HEAD = (
        b'--xyz\r\nContent-Disposition: form-data; name="patient_id"\r\n\r\nP1\r\n'
        b'--xyz\r\nContent-Disposition: form-data; name="de"; filename="a.tsv"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
    )

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        body = self.HEAD if self.calls == 1 else b"G2\t1.0\t0.01\n" * 80_000  # ~1 MiB
        return {"type": "http.request", "body": body, "more_body": True}


def _run_asgi(app: Any, headers: list[tuple[bytes, bytes]], receive: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/patients",
        "raw_path": b"/v1/patients",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"transfer-encoding", b"chunked"),
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            *headers,
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    return sent


def test_chunked_upload_without_key_is_401_before_one_byte_is_read(test_settings):
    app = create_app(api_settings(test_settings))
    receive = _Endless()
    sent = _run_asgi(app, [], receive)
    assert sent[0]["status"] == 401
    assert receive.calls == 0  # nothing read, nothing spooled to /tmp


def test_chunked_upload_with_a_read_key_is_403_before_reading(test_settings):
    app = create_app(api_settings(test_settings))
    receive = _Endless()
    sent = _run_asgi(app, [(b"authorization", READ["Authorization"].encode())], receive)
    assert sent[0]["status"] == 403
    assert receive.calls == 0


def test_chunked_upload_over_the_limit_is_cut_at_the_limit(test_settings):
    app = create_app(api_settings(test_settings, max_upload_mb=3))
    receive = _Endless()
    sent = _run_asgi(app, [(b"x-api-key", WRITE["X-API-Key"].encode())], receive)
    assert sent[0]["status"] == 413
    assert receive.calls <= 5  # 3 MiB limit, 1 MiB chunks: stopped right after the limit
    assert b"MEDTWIN_MAX_UPLOAD_MB" in sent[1]["body"]


# -- decompression bombs and long lines --------------------------------------------------------
def test_gzip_table_bomb_is_413_naming_the_setting(tiny_reference, client):
    bomb = _gz(b"gene\tlog2fc\tpadj\n" + b"G2\t1.0\t0.01\n" * 2_000_000)  # ~2M lines
    assert len(bomb) < 100_000
    body = _clean(_post(client, {"de": ("de.tsv.gz", bomb)}), 413, "MEDTWIN_MAX_INPUT_ROWS")
    assert body["error"] == "InputTooLarge"


def test_decompressed_size_limit_is_checked_while_streaming(tiny_reference, test_settings):
    app = create_app(api_settings(test_settings, max_input_mb=1))
    bomb = _gz(b"gene\tlog2fc\tpadj\n" + b"G2\t1.0\t0.01\n" * 400_000)  # ~5 MB expanded
    with TestClient(app, raise_server_exceptions=False) as c:
        r = _post(c, {"de": ("de.tsv.gz", bomb)})
    _clean(r, 413, "MEDTWIN_MAX_INPUT_MB", "1 MiB")


def test_vcf_with_one_huge_line_is_413(tiny_reference, client):
    bomb = _gz(VCF_OK.encode() + b"A" * 100_000_000)
    assert len(bomb) < 200_000
    _clean(_post(client, {"vcf": ("v.vcf.gz", bomb)}), 413, "MEDTWIN_MAX_LINE_KB")


def _h5ad_bytes(
    x: np.ndarray, *, compress: bool = True, obs_types: list[str] | None = None
) -> bytes:
    import anndata
    import pandas as pd

    n_obs, n_vars = x.shape
    types = obs_types or [f"T{i % 2}" for i in range(n_obs)]
    adata = anndata.AnnData(
        X=x,
        obs=pd.DataFrame({"cell_type": types}, index=[f"c{i}" for i in range(n_obs)]),
        var=pd.DataFrame(index=[f"G{i + 1}" for i in range(n_vars)]),
    )
    buf = io.BytesIO()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "a.h5ad"
        adata.write_h5ad(p, compression="gzip" if compress else None)
        buf.write(p.read_bytes())
    return buf.getvalue()


def test_h5ad_dense_matrix_over_the_limit_is_413_before_reading(tiny_reference, test_settings):
    app = create_app(api_settings(test_settings, max_input_mb=8))
    data = _h5ad_bytes(np.zeros((2000, 2000), dtype=np.float32))  # 15 MiB dense, tiny gzip
    assert len(data) < 500_000
    with TestClient(app, raise_server_exceptions=False) as c:
        r = _post(c, {"h5ad": ("a.h5ad", data)})
    _clean(r, 413, "MEDTWIN_MAX_INPUT_MB", "2000 x 2000")


# -- malformed input is 422, never 500 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("vcf", "v.vcf", VCF_OK.encode() + b"1\t10\t.\tA\tT\t.\tPASS\tANN=T|\xff\xfe|HIGH\n"),
        ("vcf", "v.vcf.gz", _gz(VCF_OK.encode() * 50)[:-20]),  # truncated gzip
        ("vcf", "v.vcf.gz", VCF_OK.encode()),  # named .gz, not gzip
        ("de", "de.tsv", b'gene\tlog2fc\tpadj\n"' + b"G" * 200_000 + b"\t1\t0.01\n"),
        ("de", "de.tsv", b"gene\tlog2fc\tpadj\nG2\t1.0\t0.01\n" + b"G3" + b"x" * 140_000 + b"\n"),
        ("h5ad", "a.h5ad", b"\x89HDF\r\n\x1a\n" + b"\x00" * 4000),
        ("fhir", "b.json", b"[" * 100_000),
    ],
)
def test_malformed_inputs_are_422(tiny_reference, client, kind, name, content):
    r = _post(client, {kind: (name, content)})
    assert r.status_code == 422, r.text
    assert "Traceback" not in r.text


def test_hdf5_that_is_not_anndata_is_422(tiny_reference, client, tmp_path):
    import h5py

    p = tmp_path / "x.h5"
    with h5py.File(p, "w") as f:
        f["data"] = np.arange(10)
    _clean(_post(client, {"h5ad": ("x.h5ad", p.read_bytes())}), 422, "not an AnnData file")


@pytest.mark.parametrize(
    ("kind", "name", "content", "needle"),
    [
        ("de", "de.tsv", b"gene\tlog2fc\tpadj\n", "0 of 0 genes mapped"),
        ("de", "de.tsv", b"gene\tlog2fc\tpadj\nNOPE1\t1\t0.01\nNOPE2\t-1\t0.01\n", "0 of 2 genes"),
        ("de", "de.tsv", b"gene\tlog2fc\tpadj\nG\x002\t1\t0.01\n", "NUL"),
        ("proteins", "p.tsv", b"gene\tlog2ratio\n", "0 of 0 genes"),
        ("variants", "v.tsv", b"gene\tvariant_id\tconsequence\n", "0 of 0 genes"),
        ("vcf", "v.vcf", VCF_OK.encode(), "0 of 0 genes"),
    ],
)
def test_inputs_that_contribute_nothing_are_422(
    tiny_reference, client, kind, name, content, needle
):
    _clean(_post(client, {kind: (name, content)}), 422, needle)
    assert client.get("/v1/patients", headers=READ).json() == []  # no empty patient


def test_all_nan_h5ad_is_422(tiny_reference, client):
    x = np.full((40, 20), np.nan, dtype=np.float32)
    r = _post(client, {"h5ad": ("a.h5ad", _h5ad_bytes(x))})
    assert r.status_code == 422, r.text
    assert client.get("/v1/patients", headers=READ).json() == []


@pytest.mark.parametrize("bad", [".", ".."])
def test_dot_ids_are_refused(tiny_reference, client, bad):
    r = _post(client, {"de": ("de.tsv", DE_TABLE.encode())}, pid=bad)
    _clean(r, 422)
    encoded = bad.replace(".", "%2E")
    assert client.get(f"/v1/patients/x/../{encoded}", headers=READ).status_code in (404, 422)
    assert client.get(f"/v1/patients/{encoded}", headers=READ).status_code in (404, 422)
    assert client.get("/v1/patients", headers=READ).json() == []


# -- API contract gaps -----------------------------------------------------------------------
def test_405_lists_every_allowed_method_and_head_works(seeded):
    _, client = seeded
    r = client.put("/v1/patients/PA", headers=WRITE)
    assert r.status_code == 405
    allowed = {m.strip() for m in r.headers["allow"].split(",")}
    assert {"GET", "DELETE", "HEAD"} <= allowed
    r = client.put("/v1/patients", headers=WRITE)
    assert {"GET", "POST"} <= {m.strip() for m in r.headers["allow"].split(",")}
    head = client.head("/v1/patients/PA", headers=READ)
    assert head.status_code == 200
    assert head.content == b""
    assert client.head("/health").status_code == 200
    # a repeated query parameter is refused (before: limit=2&limit=3 gave 3 drugs)
    r = client.get("/v1/patients?limit=2&limit=3", headers=READ)
    assert r.status_code == 422
    assert "query parameter(s) limit given more than once" in r.json()["detail"]
    # a body sent to a route that takes none is refused (before: POST …/biomarkers ignored it)
    r = client.post("/v1/patients/PA/twins/latest/biomarkers", headers=WRITE, json={"top": 5})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("this route takes no body")
    # a path no route matches says where the routes are (before: "Not Found"), without echoing it
    r = client.get("/v1/patientz/<b>PA</b>", headers=READ)
    assert r.status_code == 404
    assert r.json() == {
        "error": "NotFound",
        "detail": "no such route; the routes are listed at /docs (OpenAPI: /openapi.json)",
    }


def test_strict_booleans_blank_time_point_and_duplicate_fields(seeded):
    _, client = seeded
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json={"approved_only": 0})
    _clean(r, 422, "approved_only")
    r = client.post("/v1/patients/PA/twins", headers=WRITE, json={**FAST_TWIN, "time_point": ""})
    assert r.status_code == 201, r.text
    dup = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": ["PB", "PC"], "symptoms": "HP:0001370"},
    )
    _clean(dup, 422, "patient_id")
    assert [p["id"] for p in client.get("/v1/patients", headers=READ).json()] == ["PA"]


def test_html_pages_document_their_json_errors(test_settings):
    schema = create_app(api_settings(test_settings)).openapi()
    for path in ("/v1/patients/{patient_id}/viewer", "/v1/patients/{patient_id}/report"):
        err = schema["paths"][path]["get"]["responses"]["422"]["content"]
        assert list(err) == ["application/json"]
        assert err["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
