"""The twin summary counts a multi-tissue twin's cell types as `twin show` and the report do."""

from __future__ import annotations

from datetime import UTC, datetime

from medtwin.platform.models import TwinParams
from medtwin.platform.twins import twin_summary


def _stored(**props: object) -> dict[str, object]:
    """A Twin node's properties as the store returns them (the summary's input)."""
    return {
        "id": "MT@v1",
        "patient_id": "MT",
        "version": 1,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "params_json": TwinParams().model_dump_json(),
        "params_hash": "h",
        "input_checksums_json": "{}",
        "n_seeds": 3,
        "n_genes": 9,
        "twin_module_size": 4,
        **props,
    }


def test_a_multi_tissue_twin_counts_the_cell_types_of_its_tissues():
    # the multi-tissue demo: no cell type of its own, 10 blood + 1 synovium on its tissues
    # (before: n_cell_types 0 in the API and `twin list --json`, 11 in `twin show`)
    got = twin_summary(_stored(n_cell_types=0, n_tissues=2, n_tissue_cell_types=11))
    assert got.n_cell_types == 11


def test_a_single_tissue_twin_counts_its_own():
    assert twin_summary(_stored(n_cell_types=7)).n_cell_types == 7
    assert twin_summary(_stored()).n_cell_types == 0
