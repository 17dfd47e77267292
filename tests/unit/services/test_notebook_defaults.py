"""What a notebook user types: the use cases on a MemoryStore with their defaults.

The README's Python example ranks with ``cache_dir=store.cache_dir``; a
:class:`~medtwin.store.memory.MemoryStore` keeps no files (``cache_dir`` is ``None``), so before
this the in-memory trial of that example failed (``rank_drugs`` required ``cache_dir`` and refused
``None``). The distance matrix's folder now defaults to the store's, and a store without one
computes the matrix in memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.errors import InputError
from medtwin.platform import insights, patients, rankings, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING, profile

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)
FAST = RankParams(n_samples=30, methods=("proximity", "centrality"))


@pytest.fixture
def built() -> MemoryStore:
    store = MemoryStore()
    store.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=RING,
        drugs={"DB1": ("drug one", [("1", "inhibit")]), "DB3": ("drug three", [("6", "inhibit")])},
        disease_genes={
            "menche2015_interactome": {"D1": ("disease one", ["1", "2"]), "D2": ("two", ["5", "6"])}
        },
    )
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    return store


def test_rank_drugs_needs_no_cache_dir_on_the_memory_store(built, tmp_path):
    assert built.cache_dir is None
    default = rankings.rank_drugs(built, "P1", FAST, ctx=ReferenceContext())
    as_documented = rankings.rank_drugs(
        built, "P1", FAST, cache_dir=built.cache_dir, ctx=ReferenceContext()
    )
    on_disk = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    # the same scores whether the matrix was kept on disk or computed in memory
    assert [(d.drug_id, d.z) for d in default.drugs] == [(d.drug_id, d.z) for d in on_disk.drugs]
    assert [(d.drug_id, d.z) for d in as_documented.drugs] == [
        (d.drug_id, d.z) for d in on_disk.drugs
    ]
    assert list(tmp_path.glob("distances-*.npy"))  # a folder given is used


def test_rank_drugs_uses_the_stores_cache_dir_by_default(built, tmp_path, monkeypatch):
    monkeypatch.setattr(MemoryStore, "cache_dir", property(lambda self: tmp_path / "cache"))
    rankings.rank_drugs(built, "P1", FAST, ctx=ReferenceContext())
    assert list(Path(tmp_path / "cache").glob("distances-*.npy"))


def test_twin_diseases_needs_no_cache_dir(built):
    rows = insights.twin_diseases(built, "P1", n_samples=20, ctx=ReferenceContext())
    assert {r.disease_id for r in rows} == {"D1", "D2"}


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (
            lambda s: twins.build_twin(s, "P1", {"seed_fdr": 5}),
            "params: invalid TwinParams: seed_fdr 5: Input should be less than or equal to 1",
        ),
        (
            lambda s: rankings.rank_drugs(s, "P1", {"n_samples": -3}),
            "params: invalid RankParams: n_samples -3: Input should be greater than or equal to 10",
        ),
    ],
)
def test_a_bad_parameter_is_one_line_naming_field_and_value(built, call, words):
    # before: pydantic's multi-line block with an errors.pydantic.dev link inside the message
    with pytest.raises(InputError) as e:
        call(built)
    assert e.value.message == words
    assert e.value.hint is not None
    assert "help(" in e.value.hint


def test_the_memory_store_is_a_context_manager_and_prints_what_it_holds(built):
    # the README's `with medtwin.connect() as store:` with a MemoryStore for a trial
    with built as store:
        assert patients.get_patient(store, "P1").id == "P1"
        assert repr(built).startswith("<MemoryStore memory://")
        assert repr(built).endswith(": 8 genes, 8 PPI edges, 2 drugs, 1 patients>")
    assert repr(built) == f"<MemoryStore {built.identity} (closed)>"  # closed by the block


def test_load_reference_into_a_memory_store_says_how_to_seed_it(tmp_path):
    from medtwin.errors import UnsupportedByStore
    from medtwin.platform import datasets

    with pytest.raises(UnsupportedByStore, match="cannot load reference files") as e:
        datasets.load_reference(MemoryStore(), tmp_path, only=["ncbi_gene_info"])  # type: ignore[arg-type]
    assert "add_reference" in (e.value.hint or "")
