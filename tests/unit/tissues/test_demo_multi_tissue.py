"""The multi-tissue demo patient: two people's samples, labelled as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.errors import InputError
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform.demo_cohorts import (
    MULTI_TISSUE_NOTE,
    MULTI_TISSUE_PATIENT_ID,
    multi_tissue_profile,
)


def _peac(pid: str, pathotype: str, genes: list[str]) -> PatientProfile:
    return PatientProfile(
        patient_id=pid,
        changes=tuple(GeneChange(entrez=g, log2fc=1.0) for g in genes),
        metadata={"pathotype": pathotype},
        input_checksums={"expression_rld.tsv": "b" * 64},
    )


def test_blood_cells_and_the_largest_lymphoid_synovium_are_combined() -> None:
    blood = PatientProfile(
        patient_id="pbmc68k_donorA",
        changes=(GeneChange(entrez="1", log2fc=2.0, cell_type="CD14+ Monocyte"),),
        input_checksums={"pbmc.h5ad": "a" * 64},
    )
    cohort = [
        _peac("SYN001", "Lymphoid", ["5"]),
        _peac("SYN002", "Myeloid", ["5", "6", "7", "8"]),
        _peac("SYN003", "Lymphoid", ["5", "6", "7"]),
    ]
    got = multi_tissue_profile(Path("."), genes=None, blood=blood, synovium=cohort)  # type: ignore[arg-type]
    assert got.patient_id == MULTI_TISSUE_PATIENT_ID
    assert [(c.tissue, c.cell_type) for c in got.changes[:1]] == [("blood", "CD14+ Monocyte")]
    assert {(c.tissue, c.cell_type, c.entrez) for c in got.changes[1:]} == {
        ("synovium", None, g) for g in ("5", "6", "7")
    }
    assert got.metadata["synovium_from"].endswith("SYN003")
    assert "DIFFERENT PEOPLE" in got.metadata["note"]
    assert got.metadata["note"] == MULTI_TISSUE_NOTE


def test_no_lymphoid_patient_is_a_clear_error() -> None:
    blood = PatientProfile(patient_id="pbmc68k_donorA")
    with pytest.raises(InputError, match="Lymphoid"):
        multi_tissue_profile(
            Path("."),
            genes=None,
            blood=blood,
            synovium=[_peac("SYN002", "Myeloid", ["5"])],  # type: ignore[arg-type]
        )
