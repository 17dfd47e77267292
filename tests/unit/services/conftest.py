"""A MemoryStore with a hand-drawn reference: a ring of eight genes, two L-R pairs, one HPO term."""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import TwinParams
from medtwin.store.memory import MemoryStore

RING = [(str(i), str(i % 8 + 1)) for i in range(1, 9)]  # 1-2-3-4-5-6-7-8-1

CHANGES = (
    GeneChange(entrez="1", log2fc=2.0, zscore=5.0, padj=1e-4, cell_type="T"),
    GeneChange(entrez="2", log2fc=-1.0, zscore=4.0, padj=1e-3, cell_type="B"),
    GeneChange(entrez="5", log2fc=1.5, zscore=3.0, padj=1e-2),
    GeneChange(entrez="3", log2fc=0.5, zscore=1.0, padj=0.3),
)


def reference_store() -> MemoryStore:
    store = MemoryStore()
    store.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=RING,
        lr_pairs=[("1", "2"), ("2", "1")],
        phenotypes={"HP:0001370": ("Rheumatoid arthritis", ["1", "2", "7"])},
        drugs={"DB1": ("drug one", [("1", "inhibit")])},
    )
    return store


def profile(pid: str = "P1", **update: object) -> PatientProfile:
    data: dict[str, object] = {
        "patient_id": pid,
        "changes": CHANGES,
        "symptoms": ("HP:0001370", "HP:9999999"),
        "metadata": {"cohort": "toy"},
        "input_checksums": {"p1_de.tsv": "0" * 64},
    }
    data.update(update)
    return PatientProfile.model_validate(data)


def two_twin_versions() -> MemoryStore:
    """Patient P1 with twin versions 1 and 2, neither ranked (fresh reference context)."""
    reference_context().clear()
    store = reference_store()
    patients.add_patient(store, profile("P1"))
    for _ in range(2):
        twins.build_twin(
            store, "P1", TwinParams(module_samples=20, min_seeds=2), ctx=ReferenceContext()
        )
    return store


@pytest.fixture
def store() -> MemoryStore:
    return reference_store()
