"""Which known diseases a twin resembles, against the real server."""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.loaders.rows import DiseaseGeneRow, DiseaseRow
from medtwin.platform import insights, patients, twins
from medtwin.platform.models import TwinParams

pytestmark = pytest.mark.neo4j


def _disease(i: str, name: str) -> DiseaseRow:
    return DiseaseRow(
        id=i, name=name, mesh_id=None, source="menche2015_interactome", source_version="test"
    )


def test_twin_is_closest_to_the_disease_of_its_cluster(tiny_reference, tmp_path):
    store, _ = tiny_reference
    # tiny reference: three 20-cliques 1..20, 21..40, 41..60 in a ring
    store.merge_rows([_disease("mesh:one", "cluster one"), _disease("mesh:three", "cluster three")])
    store.merge_rows(
        DiseaseGeneRow(
            disease_id=d, entrez=str(g), evidence=None,
            source="menche2015_interactome", source_version="test",
        )
        for d, genes in (("mesh:one", range(3, 12)), ("mesh:three", range(45, 54)))
        for g in genes
    )  # fmt: skip
    profile = PatientProfile(
        patient_id="PD1",
        changes=tuple(GeneChange(entrez=str(i), log2fc=2.0, padj=1e-4) for i in range(1, 15)),
        symptoms=(),
        exposures=(),
        metadata={},
        input_checksums={},
        unmapped=(),
    )
    patients.add_patient(store, profile)
    twins.build_twin(store, "PD1", TwinParams(module_samples=50))
    rows = insights.twin_diseases(store, "PD1", tmp_path, n_samples=200, seed=3)
    assert [r.disease_id for r in rows] == ["mesh:one", "mesh:three"]
    one, three = rows
    assert (one.rank, one.shared, one.d_c) == (1, 9, 0.0)  # genes 3..11, all in the twin
    assert one.z is not None
    assert three.z is not None
    assert one.z < three.z
    assert one.s_ab is not None
    assert one.s_ab < 0
    assert three.shared == 0
    assert three.d_c > 0
    assert one.seed == 3
    assert one.n_samples == 200
