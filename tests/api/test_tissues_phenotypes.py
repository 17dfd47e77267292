"""API: multi-tissue h5ad uploads (tissue, tissue_key), tissue layer and phenotype module reads."""

from __future__ import annotations

from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from tests.api.conftest import FAST_TWIN, READ, WRITE

pytestmark = pytest.mark.neo4j


def _h5ad(folder: Path, tissues: list[str] | None = None) -> bytes:
    """30 cells of two cell types; G2 (a ligand of tiny_reference) up in Mono, G5 in Fibro."""
    rng = np.random.default_rng(2)
    genes = ["G2", "G3", "G5", "G6"]
    counts = 1 + rng.integers(0, 2, size=(30, 4)).astype(float)
    counts[0:15, 0] += 25
    counts[15:30, 2] += 25
    obs = {"cell_type": ["Mono"] * 15 + ["Fibro"] * 15}
    if tissues:
        obs["tissue"] = tissues
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame(obs, index=[f"c{i}" for i in range(30)]),
        var=pd.DataFrame(index=genes),
    )
    path = folder / "upload.h5ad"
    adata.write_h5ad(path)
    return path.read_bytes()


def test_two_uploads_with_tissues_make_a_two_tissue_twin(tiny_reference, client, tmp_path):
    for tissue in ("blood", "synovium"):
        r = client.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "MTA", "tissue": tissue, "symptoms": "HP:0001370"},
            files={"h5ad": (f"{tissue}.h5ad", _h5ad(tmp_path), "application/octet-stream")},
        )
        assert r.status_code == 201, r.text
    r = client.post("/v1/patients/MTA/twins", headers=WRITE, json=FAST_TWIN)
    assert r.status_code == 201, r.text
    r = client.get("/v1/patients/MTA/twins/latest/tissues", headers=READ)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {t["name"] for t in body["tissues"]} == {"blood", "synovium"}
    # Marker mode: G2 (ligand) is up in Mono of both tissues; G5 (receptor) is changed in both
    # cell types of both tissues (up in Fibro, down in Mono). Senders: the two Mono; receivers:
    # every other cell type: 2 within-tissue (Mono -> Fibro) and 4 cross-tissue links.
    assert body["n_cross_tissue_signals"] == 4
    assert body["n_within_tissue_signals"] == 2
    r = client.get("/v1/patients/MTA/twins/latest", headers=READ)
    shown = r.json()
    assert shown["tissues"]["twin_id"] == body["twin_id"]
    # The summary counts the cell types `twin show` lists: 2 per tissue (before: 0, the twin's
    # own, as a multi-tissue twin's cell types hang off its tissues).
    listed = len(shown["cell_types"]) + sum(len(t["cell_types"]) for t in body["tissues"])
    assert shown["twin"]["n_cell_types"] == listed == 4
    versions = client.get("/v1/patients/MTA/twins", headers=READ).json()
    assert versions[0]["n_cell_types"] == 4
    r = client.get("/v1/patients/MTA/twins/latest/phenotype-module", headers=READ)
    assert r.status_code == 200, r.text
    assert r.json()["terms"][0]["id"] == "HP:0001370"


def test_tissue_key_upload_and_clear_errors(tiny_reference, client, tmp_path):
    data = _h5ad(tmp_path, ["blood"] * 10 + ["synovium"] * 5 + ["blood"] * 5 + ["synovium"] * 10)
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "MTB", "tissue_key": "organ"},
        files={"h5ad": ("x.h5ad", data, "application/octet-stream")},
    )
    assert r.status_code == 422
    assert "no column 'organ'" in r.json()["detail"]
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "MTB", "tissue_key": "tissue"},
        files={"h5ad": ("x.h5ad", data, "application/octet-stream")},
    )
    assert r.status_code == 201, r.text
    assert r.json()["metadata"]["tissues"] == "blood;synovium"
    r = client.get("/v1/patients/MTB/twins/latest/tissues", headers=READ)
    assert r.status_code == 404
