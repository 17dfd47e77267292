"""A body sent with a Content-Encoding (gzip, deflate, br) is refused 415, naming the coding.

Found by ``benchmarks/api_probe.py`` against ``medtwin serve``: no route decodes a compressed
body, so a gzipped JSON body was parsed as JSON and answered 400 "the request body cannot be
read: a JSON body must be UTF-8 text … check the body's encoding", and a gzipped form 400
"Invalid multipart data": neither said that the coding was the trouble (and a form labelled
gzip but sent plain was read as plain: 201). A gzipped *file* inside
a form (``-F de=@p.tsv.gz``) is still read. In-memory store; no Neo4j.
"""

from __future__ import annotations

import gzip

import pytest

from tests.api.conftest import READ, WRITE

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "GZIP"])
def test_a_compressed_json_body_is_told_415_naming_the_coding(client, coding):
    r = client.post(
        "/v1/patients/P1/twins",
        headers={**WRITE, "Content-Type": "application/json", "Content-Encoding": coding},
        content=gzip.compress(b"{}"),
    )
    assert r.status_code == 415, r.text
    assert r.json()["error"] == "UnsupportedMediaType"
    detail = r.json()["detail"]
    assert f"Content-Encoding {coding.lower()}" in detail
    assert "uncompressed" in detail
    assert r.headers["Accept-Encoding"] == "identity"


def test_a_compressed_form_is_told_415_and_where_a_gz_file_goes(client):
    r = client.post(
        "/v1/patients",
        headers={**WRITE, "Content-Encoding": "gzip"},
        data={"patient_id": "P1"},
        files={"de": ("de.tsv", DE.encode())},
    )
    assert r.status_code == 415, r.text
    assert ".gz" in r.json()["detail"]
    assert client.get("/v1/patients/P1", headers=READ).status_code == 404


def test_identity_and_a_gz_file_part_are_still_read(client):
    r = client.post(
        "/v1/patients",
        headers={**WRITE, "Content-Encoding": "identity"},
        data={"patient_id": "P1"},
        files={"de": ("de.tsv.gz", gzip.compress(DE.encode()))},
    )
    assert r.status_code == 201, r.text


def test_without_a_key_it_is_still_401_first(client):
    r = client.post(
        "/v1/patients/P1/twins",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        content=gzip.compress(b"{}"),
    )
    assert r.status_code == 401, r.text
