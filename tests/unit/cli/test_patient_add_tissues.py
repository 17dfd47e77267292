"""`medtwin patient add --h5ad A --tissue a --h5ad B --tissue b` on the in-memory store."""

from __future__ import annotations

import json
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
from click.testing import CliRunner

from medtwin.cli import patients
from medtwin.errors import InputError

GENES = {"7124": "TNF", "3569": "IL6", "920": "CD4", "7157": "TP53"}


def _h5ad(path: Path, marked: int) -> Path:
    counts = 1 + np.random.default_rng(marked).integers(0, 2, size=(30, 4)).astype(float)
    counts[0:15, marked] += 25  # one gene marks the first cell type
    anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame(
            {"cell_type": ["A"] * 15 + ["B"] * 15}, index=[f"c{i}" for i in range(30)]
        ),
        var=pd.DataFrame(index=list(GENES.values())),
    ).write_h5ad(path)
    return path


def test_each_h5ad_gets_its_tissue_and_a_count_mismatch_is_refused(tmp_path, memory_cli) -> None:
    store = memory_cli(GENES)
    blood, joint = _h5ad(tmp_path / "blood.h5ad", 0), _h5ad(tmp_path / "joint.h5ad", 1)
    runner = CliRunner()
    args = ["add", "MT1", "--h5ad", str(blood), "--tissue", "blood", "--h5ad", str(joint)]
    bad = runner.invoke(patients.patient, args)  # the main group prints InputErrors
    assert isinstance(bad.exception, InputError)
    assert "1 tissue(s) for 2 h5ad file(s)" in str(bad.exception)
    assert store.twins.inputs("MT1") == []  # nothing stored
    ok = runner.invoke(patients.patient, [*args, "--tissue", "synovium"])
    assert ok.exit_code == 0, ok.output
    tissues = {
        c["tissue"]
        for i in store.twins.inputs("MT1")
        for c in json.loads(i["changes_json"])["changes"]
    }
    assert tissues == {"blood", "synovium"}
