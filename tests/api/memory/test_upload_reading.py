"""Uploads are read as the CLI reads the same file, and their unresolved genes are reported.

In-memory store (no Neo4j), as ``test_validation_memory``.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, TestClient
from tests.unit.services.conftest import reference_store

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nNOPE\t-1.0\t0.001\nG5\t1.5\t0.01\nALSO_NOT\t1\t0.01\n"


def _add(client: TestClient, name: str, text: str, pid: str = "P1") -> Any:
    return client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": pid},
        files={"de": (name, text.encode(), "application/octet-stream")},
    )


def test_the_upload_and_the_patient_name_their_unresolved_genes(client: TestClient) -> None:
    added = _add(client, "p_de.tsv", DE)
    assert added.status_code == 201, added.text
    assert (added.json()["unmapped"], added.json()["unmapped_genes"]) == (2, ["ALSO_NOT", "NOPE"])
    shown = client.get("/v1/patients/P1", headers=READ).json()
    assert (shown["unmapped"], shown["unmapped_genes"]) == (2, ["ALSO_NOT", "NOPE"])
    listed = client.get("/v1/patients", headers=READ).json()
    assert listed[0]["unmapped"] == 2


def test_an_upload_is_read_as_the_cli_reads_the_same_file(
    client: TestClient, store: MemoryStore, tmp_path
) -> None:
    """de_comma.dat: the API appended .tsv and split on tabs; the CLI sniffs the commas."""
    from medtwin.platform import patients

    comma = DE.replace("\t", ",")
    added = _add(client, "de_comma.dat", comma)
    assert added.status_code == 201, added.text
    assert added.json()["genes"] == 2
    (stored,) = store.twins.inputs("P1")
    assert stored["name"] == "de_comma.dat"
    by_cli = reference_store()
    path = tmp_path / "de_comma.dat"
    path.write_text(comma)
    patients.add_patient_files(by_cli, "P1", de=path)
    assert by_cli.twins.inputs("P1")[0]["sha256"] == stored["sha256"]


def test_an_upload_error_names_the_clients_file(client: TestClient) -> None:
    bad = "gene,log2fc,padj\nG1,2.0,0.001\nG2,high,0.01\n"
    got = _add(client, "de bad (1).dat", bad)
    assert got.status_code == 422
    detail = got.json()["detail"]
    assert detail.startswith("de bad (1).dat:3: log2fc must be a finite number, got 'high'")
    assert ".tsv" not in detail


@pytest.mark.parametrize(
    ("field", "name", "text", "said"),
    [
        # the symptoms file left the saved files before the names were rewritten: n_c_d_.txt:1
        ("symptoms_file", "ünï cødé.txt", "HP:0001370\nnot a symptom\n", "ünï cødé.txt:2: "),
        # an empty file was named by its saved copy, with a suffix the client never wrote
        ("vcf", "calls", "", "calls: the uploaded file is empty"),
        ("fhir", "bundle", "", "bundle: the uploaded file is empty"),
        ("h5ad", "cells", "", "cells: the uploaded file is empty"),
        ("de", "$(x) de.tsv", "", "$(x) de.tsv: the uploaded file is empty"),
    ],
)
def test_every_upload_error_names_the_clients_file(
    client: TestClient, field: str, name: str, text: str, said: str
) -> None:
    got = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={field: (name, text.encode(), "application/octet-stream")},
    )
    assert got.status_code == 422, got.text
    assert got.json()["detail"].startswith(said), got.json()["detail"]


def test_a_targets_file_error_names_the_clients_file(client: TestClient) -> None:
    """The custom ranking's targets file was named by its sanitised copy (n_c_d_.tsv)."""
    assert _add(client, "p.tsv", DE).status_code == 201
    twin = client.post("/v1/patients/P1/twins", headers=WRITE, json={"module_samples": 20})
    assert twin.status_code == 201, twin.text
    got = client.post(
        "/v1/patients/P1/rankings/custom",
        headers=WRITE,
        files={"targets": ("ünï cødé.tsv", b"gene\tlog2fc\nG1\t1\n", "text/plain")},
    )
    assert got.status_code == 422, got.text
    assert got.json()["detail"].startswith("ünï cødé.tsv:1: no 'drug_id' column"), got.text
