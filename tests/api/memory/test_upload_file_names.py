"""Upload file names: too long is refused saying so, long-but-allowed is recorded whole, odd
characters never reach a message or a record. In-memory store; no Neo4j.

Before: a 5,000-character name got 400 "Invalid multipart data" (python-multipart's limit on a
part's header line), a name of 101-255 characters was recorded cut at 100 without a mark, and a
table's server copy lost its ``.csv`` when its name was cut (its delimiter then sniffed).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from medtwin.api.uploads import MAX_FILE_NAME
from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, TestClient

DE = b"gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"
TARGETS = b"drug\ttarget\nDX1\tG1\nDX2\tG2\n"


def _add(client: TestClient, name: str, data: bytes = DE, pid: str = "P1") -> Any:
    return client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": pid},
        files={"de": (name, data, "text/tab-separated-values")},
    )


def _recorded(store: MemoryStore, pid: str = "P1") -> str:
    (stored,) = store.twins.inputs(pid)
    (name,) = json.loads(stored["file_checksums_json"])
    assert stored["name"] == name
    return str(name)


@pytest.mark.parametrize("length", [5000, 1000, MAX_FILE_NAME + 1])
def test_a_too_long_file_name_is_refused_naming_the_limit(
    client: TestClient, store: MemoryStore, length: int
) -> None:
    r = _add(client, "a" * (length - 4) + ".tsv")
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "file name" in detail
    assert f"at most {MAX_FILE_NAME}" in detail
    assert "rename the file" in detail
    assert len(detail) < 400  # the name is shown shortened, not whole
    assert store.twins.patients() == []  # nothing stored


def test_a_long_but_allowed_name_is_recorded_whole(client: TestClient, store: MemoryStore):
    name = "patient one " + "x" * (MAX_FILE_NAME - 20) + " DE.csv"
    assert len(name) == MAX_FILE_NAME - 1
    csv = DE.replace(b"\t", b",")
    r = _add(client, name, csv)
    assert r.status_code == 201, r.text
    assert r.json()["genes"] == 3  # read as a .csv: its suffix kept on the server's copy
    assert _recorded(store) == name


def test_a_long_names_error_shows_it_shortened_with_its_suffix(client: TestClient) -> None:
    name = "y" * 200 + ".tsv"
    r = _add(client, name, b"gene\tlog2fc\tpadj\nG1\tnot-a-number\t0.01\n")
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "…" in detail
    assert "yyyy.tsv" in detail
    assert "y" * 100 not in detail
    assert "medtwin-upload" not in detail


@pytest.mark.parametrize(
    ("name", "recorded"),
    [
        ("résumé données ü.tsv", "résumé données ü.tsv"),  # unicode letters kept
        ("ملف المريض.tsv", "ملف المريض.tsv"),  # right-to-left script kept
        ("de\u202egpj.tsv", "degpj.tsv"),  # a bidi override (Trojan Source) dropped
        ("de\x1b[31mred.tsv", "de[31mred.tsv"),  # a terminal escape dropped
        ("C:\\Users\\me\\p1.tsv", "p1.tsv"),  # a Windows path's folders dropped
        ("../../etc/p1.tsv", "p1.tsv"),  # a POSIX path's folders dropped
    ],
)
def test_odd_characters_in_a_name_are_recorded_safely(
    client: TestClient, store: MemoryStore, name: str, recorded: str
) -> None:
    r = _add(client, name)
    assert r.status_code == 201, r.text
    assert _recorded(store) == recorded


def test_control_characters_never_reach_the_record(client: TestClient, store: MemoryStore):
    # httpx sends a bell as '%07' and a NUL as '%00'; a raw one is dropped on arrival
    body = (
        b'--b\r\nContent-Disposition: form-data; name="patient_id"\r\n\r\nP1\r\n'
        b'--b\r\nContent-Disposition: form-data; name="de"; filename="a\x07b\x1bc\x7f.tsv"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + DE + b"\r\n--b--\r\n"
    )
    headers = {**WRITE, "Content-Type": "multipart/form-data; boundary=b"}
    r = client.post("/v1/patients", headers=headers, content=body)
    assert r.status_code == 201, r.text
    assert _recorded(store) == "abc.tsv"


def test_a_too_long_targets_file_name_is_refused_too(client: TestClient) -> None:
    assert _add(client, "p1.tsv").status_code == 201
    assert client.post("/v1/patients/P1/twins", headers=WRITE, json={"min_seeds": 2}).is_success
    r = client.post(
        "/v1/patients/P1/rankings/custom",
        headers=WRITE,
        files={"targets": ("t" * 300 + ".tsv", TARGETS, "text/tab-separated-values")},
    )
    assert r.status_code == 422, r.text
    assert f"at most {MAX_FILE_NAME}" in r.json()["detail"]


def test_a_long_name_in_a_stale_twin_note_is_shown_shortened(client: TestClient) -> None:
    assert _add(client, "p1.tsv").status_code == 201
    assert client.post("/v1/patients/P1/twins", headers=WRITE, json={"min_seeds": 2}).is_success
    name = "week 12 " + "z" * 230 + ".tsv"
    added = _add(client, name, DE.replace(b"2.0", b"2.5"))
    assert added.status_code == 201, added.text
    note = client.get("/v1/patients/P1/twins/latest", headers=WRITE).json()["stale_note"]
    assert "1 input added since (week 12 zzz" in note
    assert "….tsv" not in note  # the suffix is kept whole
    assert "zzz.tsv)" in note
    assert name not in note
