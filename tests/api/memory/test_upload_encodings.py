"""Uploads read as the CLI reads the same file: a gzipped FHIR bundle, a UTF-8 BOM, client names.

In-memory store. Before, a FHIR upload named ``bundle.json.gz`` was saved as ``….json.gz.json``:
read as plain JSON it was refused as "gzip-compressed but its name does not end in .gz: rename
it to my_bundle.json.gz.json.gz" (the server copy's name), and a bundle saved with a BOM (Windows
editors) was "Invalid JSON: expected value at line 1 column 1", by the CLI too.
"""

from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest

from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, TestClient
from tests.api.memory.test_read_warnings import GENES, _gene_obs
from tests.unit.patient.conftest import FakeGenes

BUNDLE = json.dumps(
    {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "BUNDLE-7"}},
            _gene_obs("o1", "TNF", 1.5),
        ],
    }
).encode()


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.add_reference(genes=GENES)
    return store


def _post(client: TestClient, kind: str, name: str, data: bytes) -> tuple[int, dict[str, str]]:
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "BUNDLE-7"},
        files={kind: (name, data, "application/octet-stream")},
    )
    return r.status_code, r.json()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("my bundle.json.gz", gzip.compress(BUNDLE)),
        ("my bundle.json", codecs.BOM_UTF8 + BUNDLE),
    ],
)
def test_a_bundle_the_cli_reads_is_read_from_an_upload(
    client: TestClient, store: MemoryStore, name: str, data: bytes
) -> None:
    status, body = _post(client, "fhir", name, data)
    assert status == 201, body
    assert body["genes"] == 1
    assert store.twins.inputs("BUNDLE-7")[0]["name"] == name


def test_a_truncated_gzip_bundle_names_the_clients_file(client: TestClient) -> None:
    status, body = _post(client, "fhir", "my bundle.json.gz", gzip.compress(BUNDLE)[:40])
    assert status == 422
    assert body["detail"].startswith("my bundle.json.gz: not a valid gzip file (")


def test_a_fix_that_names_the_file_names_the_clients_file(client: TestClient) -> None:
    status, body = _post(client, "de", "my de.dat", gzip.compress(b"gene\tlog2fc\nTNF\t1\n"))
    assert status == 422
    assert body["detail"] == (
        "my de.dat: is gzip-compressed but its name does not end in .gz: rename it to "
        "my de.dat.gz (or decompress it with gunzip)"
    )  # it said my_de.dat.gz, the name of the server's copy


def test_the_reader_skips_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(codecs.BOM_UTF8 + BUNDLE)
    profile = read_fhir_bundle(path, FakeGenes({"TNF": "7124"}), patient_id="BUNDLE-7")
    assert [c.entrez for c in profile.changes] == ["7124"]
