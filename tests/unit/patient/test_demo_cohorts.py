from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medtwin.errors import NotFoundError
from medtwin.platform import demo_cohorts


def test_demo_cohorts_read_the_mirror_layout(tmp_path: Path, data, genes) -> None:
    pbmc = tmp_path / "omics_ra_pbmc_gse15573"
    pbmc.mkdir()
    shutil.copy(data / "cohort_expression.tsv", pbmc / "expression_matrix.tsv")
    shutil.copy(data / "cohort_samples.tsv", pbmc / "sample_groups.tsv")
    peac = tmp_path / "omics_ra_synovium_peac"
    peac.mkdir()
    shutil.copy(data / "loo_expression.tsv", peac / "expression_rld.tsv")
    shutil.copy(data / "loo_samples.tsv", peac / "sample_pathotype.tsv")
    ra = demo_cohorts.ra_pbmc_profiles(tmp_path, genes)
    assert [p.patient_id for p in ra] == ["S1", "S2", "S3"]
    assert ra[0].metadata["cohort"] == "omics_ra_pbmc_gse15573"
    synovium = demo_cohorts.peac_profiles(tmp_path, genes)
    assert [p.metadata["pathotype"] for p in synovium] == [
        "Lymphoid",
        "Myeloid",
        "Fibroid",
        "Lymphoid",
    ]
    with pytest.raises(NotFoundError, match="10x_pbmc68k_reduced.h5ad"):
        demo_cohorts.pbmc68k_profile(tmp_path, genes)
