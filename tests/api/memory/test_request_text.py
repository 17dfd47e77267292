"""Odd request bodies: a lone surrogate, a URL-encoded form's raw bytes, JSON null or a boolean.

A lone surrogate in a JSON body (``"\\ud800"``) is valid JSON; Python decodes the escape into a
string that has no UTF-8 form. Before, the error answers that quote the value (an unknown ranking
method, a time point the patient does not have) failed to render and the client got ``500
internal error`` (found by the round-3 sweep on the demo server).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medtwin.api.body_guard import MAX_JSON_BYTES
from medtwin.platform import patients
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, TestClient
from tests.unit.services.conftest import profile

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"

CASES = {
    "ranking method": (
        "/v1/patients/P1/rankings",
        b'{"methods": ["\\ud800"], "n_samples": 10}',
        "unknown ranking method(s) \\ud800",
    ),
    "trajectory time point": (
        "/v1/patients/P1/trajectory",
        b'{"time_points": ["\\udfff", "week4"]}',
        "no input at time point(s) \\udfff",
    ),
}


@pytest.mark.parametrize(("path", "body", "said"), CASES.values(), ids=CASES.keys())
def test_a_lone_surrogate_is_quoted_in_a_4xx(
    client: TestClient, path: str, body: bytes, said: str
) -> None:
    files = {"de": ("p_de.tsv", DE.encode(), "text/tab-separated-values")}
    r = client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files=files)
    assert r.status_code == 201, r.text
    twin = client.post("/v1/patients/P1/twins", headers=WRITE, json={"module_samples": 20})
    assert twin.status_code == 201, twin.text
    r = client.post(path, headers={**WRITE, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 422, r.text
    assert said in r.json()["detail"]


def test_a_url_encoded_form_is_read_as_utf8(client: TestClient) -> None:
    """``curl -d "note=fièvre"`` sends the note's UTF-8 bytes unescaped; Starlette read them as
    Latin-1 and the note was stored as ``fiÃ¨vre`` (200, no word). Escaped bytes were right."""
    form = {**WRITE, "Content-Type": "application/x-www-form-urlencoded"}
    raw = "patient_id=P1&symptoms=HP:0001370&note=fièvre ü".encode()
    r = client.post("/v1/patients", headers=form, content=raw)
    assert r.status_code == 201, r.text
    assert r.json()["metadata"]["note"] == "fièvre ü"
    escaped = b"patient_id=P2&symptoms=HP:0001370&note=fi%C3%A8vre+%C3%BC"
    r = client.post("/v1/patients", headers=form, content=escaped)
    assert r.json()["metadata"]["note"] == "fièvre ü"
    latin1 = "patient_id=P3&symptoms=HP:0001370&note=fièvre".encode("latin-1")
    r = client.post("/v1/patients", headers=form, content=latin1)
    assert r.json()["metadata"]["note"] == "fi\ufffdvre"  # no UTF-8: replaced, as browsers do


@pytest.mark.parametrize(
    ("body", "kind"),
    [(b"null", "JSON null"), (b" true", "a JSON boolean"), (b"false", "a JSON boolean")],
)
def test_a_body_that_is_no_json_object_is_named(client: TestClient, body: bytes, kind: str) -> None:
    """``null`` built a twin with every default (FastAPI reads it as no body), and ``true`` was
    told "the request body is not, not a JSON object"; ``[]`` and ``"x"`` were named already."""
    files = {"de": ("p_de.tsv", DE.encode(), "text/tab-separated-values")}
    assert client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files=files)
    json_body = {**WRITE, "Content-Type": "application/json"}
    r = client.post("/v1/patients/P1/twins", headers=json_body, content=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(f"the request body is {kind}, not a JSON object; ")
    assert client.get("/v1/patients/P1/twins", headers=WRITE).json() == []
    empty = client.post("/v1/patients/P1/twins", headers=WRITE)  # no body: the defaults
    assert empty.status_code == 201, empty.text


def test_a_json_body_over_one_mib_is_413_before_it_is_parsed(client: TestClient) -> None:
    """A JSON body was bounded by the upload limit only (50 MiB): 2 million ``layer_weights``
    keys (27 MB) kept a worker 12 s and the API 280 MB larger on the demo server before its 422."""
    json_body = {**WRITE, "Content-Type": "application/json"}
    weights = b'{"layer_weights": {' + b",".join(b'"k%d": 1' % i for i in range(200_000)) + b"}}"
    assert len(weights) > MAX_JSON_BYTES
    r = client.post("/v1/patients/P1/twins", headers=json_body, content=weights)
    assert r.status_code == 413, r.text
    assert r.json()["detail"] == (
        f"request body of {len(weights)} bytes exceeds the 1 MiB a JSON body may have (a "
        "route's parameters fit in a few KB; files go in a form)"
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield weights[: len(weights) // 2]
        yield weights[len(weights) // 2 :]

    r = client.post("/v1/patients/P1/twins", headers=json_body, content=chunks())
    assert r.status_code == 413, r.text
    assert "(streamed, cut after the limit) exceeds the 1 MiB a JSON body" in r.json()["detail"]
    under = b'{"seed": 1, "note": "' + b"x" * (MAX_JSON_BYTES - 100) + b'"}'
    r = client.post("/v1/patients/P1/twins", headers=json_body, content=under)
    assert r.status_code == 422, r.text  # read and refused for what it says
    assert r.json()["detail"].startswith("unknown field(s) note")


def test_a_lone_surrogate_stored_before_the_check_is_sent_escaped(
    client: TestClient, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note stored before adds refused undecodable text (``patient add --note $'n\\xff'``)
    made every ``GET /v1/patients`` answer 500 until the patient was deleted; now the list is
    sent with the note as its JSON escape, which a client decodes to the string stored."""
    monkeypatch.setattr(patients, "utf8_only", lambda *_: None)  # the add of an older medtwin
    patients.add_patient_inputs(store, "P1", [("de", profile())], metadata={"note": "n\udcff"})
    r = client.get("/v1/patients", headers=READ)
    assert r.status_code == 200, r.text
    assert b'"note":"n\\udcff"' in r.content
    assert [p["metadata"]["note"] for p in r.json()] == ["n\udcff"]
    r = client.get("/v1/patients/P1", headers=READ)
    assert r.status_code == 200, r.text


def _multipart(fields: list[tuple[bytes, bytes, bytes | None]]) -> tuple[dict[str, str], bytes]:
    """Headers and a raw multipart body of ``(name, value, file name or None)`` parts."""
    boundary = b"medtwin-text-boundary"
    body = b""
    for name, value, filename in fields:
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--" + boundary + b"\r\nContent-Disposition: " + disposition + b"\r\n\r\n"
        body += value + b"\r\n"
    body += b"--" + boundary + b"--\r\n"
    return {**WRITE, "Content-Type": f"multipart/form-data; boundary={boundary.decode()}"}, body


@pytest.mark.parametrize(
    ("part", "said"),
    [
        (
            (b"note", "fièvre".encode("latin-1"), None),
            "form field 'note' is not UTF-8 text ('fi\\xe8vre')",
        ),
        ((b"symptoms", b"HP:0001370\xff", None), "form field 'symptoms' is not UTF-8 text"),
        (
            (b"de", DE.encode(), b"de\xff.tsv"),
            "the file name of form field 'de' is not UTF-8 ('de\\xff.tsv')",
        ),
    ],
    ids=["Latin-1 note", "a stray byte", "file name"],
)
def test_a_multipart_text_that_is_not_utf8_is_refused(
    client: TestClient, part: tuple[bytes, bytes, bytes | None], said: str
) -> None:
    """Starlette read a multipart text field (and a file name) that is not UTF-8 as Latin-1: the
    Latin-1 note ``fi\\xe8vre`` was stored as ``fièvre`` and a stray byte as ``ÿ`` (201, no word),
    where a JSON body that is no UTF-8 is refused."""
    fields = [(b"patient_id", b"P1", None), (b"symptoms", b"HP:0001370", None)]
    fields = [f for f in fields if f[0] != part[0]] + [part]
    headers, body = _multipart(fields)
    r = client.post("/v1/patients", headers=headers, content=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "ValidationError"
    assert r.json()["detail"].startswith(said), r.json()["detail"]
    assert "give it as UTF-8" in r.json()["detail"]
    assert client.get("/v1/patients/P1", headers=READ).status_code == 404  # nothing stored


def test_multipart_utf8_text_and_binary_files_are_read_as_given(client: TestClient) -> None:
    gz = b"\x1f\x8b\x08\x00\xff\xfe"  # a file's bytes are never text-checked (here: no table)
    headers, body = _multipart(
        [
            (b"patient_id", b"P1", None),
            (b"note", "fièvre ü".encode(), None),
            (b"de", DE.encode(), "dé.tsv".encode()),
        ]
    )
    r = client.post("/v1/patients", headers=headers, content=body)
    assert r.status_code == 201, r.text
    assert r.json()["metadata"]["note"] == "fièvre ü"
    headers, body = _multipart([(b"patient_id", b"P2", None), (b"de", gz, b"de.tsv.gz")])
    r = client.post("/v1/patients", headers=headers, content=body)
    assert r.status_code != 422 or "UTF-8" not in r.json()["detail"], r.text
