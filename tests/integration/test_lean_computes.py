"""Data commands that compute on a miss (rank, twin diseases, biomarkers) and explain, each on a
database of its own: the lean driver computes, then reads back without the science stack.

Apart from ``test_data_command_imports.py``, whose read-only checks share one module-wide seeded
database: a test here wipes the database (``tiny_reference``), so in the same module it broke
that database for the checks pytest-randomly ordered after it.
"""

from __future__ import annotations

import pytest

from medtwin.platform import rankings
from tests.integration.test_data_command_imports import _medtwin, _rank_im1

pytestmark = pytest.mark.neo4j


@pytest.fixture
def ranked_fresh(tiny_reference, tmp_path):
    """A database of its own, for the test that changes IM1's latest ranking."""
    store, _ = tiny_reference
    _rank_im1(store, tmp_path)
    return store, tmp_path


def test_rank_with_other_parameters_computes_with_the_lean_driver(ranked_fresh):
    """A reuse miss ranks in the same lean process; --rerank computes even when one is stored."""
    store, tmp = ranked_fresh
    args = ["rank", "IM1", "--top", "3", "--samples", "100", "--seed", "5"]
    proc, loaded = _medtwin(args, tmp / "s.json")
    assert proc.returncode == 0, proc.stderr
    assert "s with storage" in proc.stdout
    assert "numpy" in loaded  # the ranking stack ran
    stored = rankings.get_ranking(store, "IM1")
    assert stored.params.seed == 5
    assert stored.n_drugs == 3
    proc, _ = _medtwin([*args, "--rerank"], tmp / "t.json")
    assert proc.returncode == 0, proc.stderr
    assert "s with storage" in proc.stdout
    again = rankings.get_ranking(store, "IM1")
    assert again.id == stored.id
    assert again.created_at > stored.created_at
    assert [d.drug_id for d in again.drugs] == [d.drug_id for d in stored.drugs]
    assert [(d.z, d.p) for d in again.drugs] == [(d.z, d.p) for d in stored.drugs]


def test_twin_diseases_computes_on_the_lean_driver_then_reads_without_numpy(ranked_fresh):
    """The first call computes and stores (lean driver: plain parameters); the next one reads."""
    from medtwin.loaders.rows import DiseaseGeneRow, DiseaseRow

    store, tmp = ranked_fresh
    src = {"source": "menche2015_interactome", "source_version": "tiny"}
    store.merge_rows(
        [DiseaseRow(id=f"mesh:d{i}", name=f"disease {i}", mesh_id=None, **src) for i in (1, 2)]
    )
    store.merge_rows(
        [
            DiseaseGeneRow(disease_id=f"mesh:d{i}", entrez=str(g), evidence=None, **src)
            for i, genes in ((1, range(1, 8)), (2, range(40, 47)))
            for g in genes
        ]
    )
    args = ["twin", "diseases", "IM1", "--samples", "50"]
    first, loaded = _medtwin(args, tmp / "d1.json")
    assert first.returncode == 0, first.stderr
    assert "numpy" in loaded  # computed
    assert "2 reference disease modules" in first.stdout
    again, loaded = _medtwin(args, tmp / "d2.json")
    assert again.returncode == 0, again.stderr
    assert loaded == []  # read back: nothing heavy
    assert again.stdout == first.stdout
    other, loaded = _medtwin([*args[:-1], "60"], tmp / "d3.json")  # other samples: computed
    assert other.returncode == 0, other.stderr
    assert "numpy" in loaded


def test_biomarkers_compute_on_the_lean_driver_then_read_without_numpy(ranked_fresh):
    """Suggestions are computed and stored by the first call; the same call then only reads."""
    _, tmp = ranked_fresh
    args = ["biomarkers", "IM1", "--top-drugs", "3"]
    first, loaded = _medtwin(args, tmp / "b1.json")
    assert first.returncode == 0, first.stderr
    assert "numpy" in loaded  # computed
    assert "biomarker suggestion(s) from the top 3 drugs" in first.stdout
    assert " 0 biomarker suggestion(s)" not in first.stdout  # some are stored, so a read follows
    again, loaded = _medtwin(args, tmp / "b2.json")
    assert again.returncode == 0, again.stderr
    assert loaded == []
    assert again.stdout == first.stdout


def test_explain_does_without_the_ranking_stack(ranked_fresh):
    store, tmp = ranked_fresh
    drug = rankings.get_ranking(store, "IM1", limit=1).drugs[0].drug_id
    proc, loaded = _medtwin(["explain", "IM1", drug], tmp / "e.json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(drug)
    assert "placed by:" in proc.stdout
    # shortest paths walk the kept interactome: no numpy, scipy or code that ranks (before:
    # numpy, for the driver and the search; bench-data: explain 0.601 s, the slowest read);
    # the drug's row comes from its SCORES relationship, not the Arrow table (pyarrow: before
    # this stop, every explain imported it; store/score_lines.py reads one beyond the top)
    assert loaded == []
