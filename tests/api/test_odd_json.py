"""Valid UTF-8 JSON that Python's parser cannot read is told why, not "check the encoding".

Found in the hostile-client sweep (stop 50): a body nested 100,000 levels deep (``[[[…]]]``) and
an integer of 5,000 digits got 400 "the request body cannot be read: a JSON body must be UTF-8
text … check the body's encoding", which sent the client after the wrong problem. In-memory
store; no Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import WRITE, TestClient, memory_client
from tests.unit.services.conftest import reference_store

JSON = {**WRITE, "Content-Type": "application/json"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    yield from memory_client(reference_store())


@pytest.mark.parametrize(
    "body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000]
)
def test_a_body_nested_too_deeply_is_told_so(client: TestClient, body: bytes) -> None:
    r = client.post("/v1/patients/P1/twins", headers=JSON, content=body)
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "nested too deeply" in detail
    assert "encoding" not in detail


def test_a_number_of_too_many_digits_is_told_so(client: TestClient) -> None:
    body = b'{"module_samples": 1' + b"0" * 5000 + b"}"
    r = client.post("/v1/patients/P1/twins", headers=JSON, content=body)
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "too many digits" in detail
    assert "encoding" not in detail


def test_a_body_that_is_not_utf8_still_says_check_the_encoding(client: TestClient) -> None:
    r = client.post("/v1/patients/P1/twins", headers=JSON, content=b'{"expand": "\xff\xfe"}')
    assert r.status_code == 400
    assert "encoding" in r.json()["detail"]
