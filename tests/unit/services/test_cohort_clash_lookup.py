"""add-cohort's clash check: one store lookup for the whole cohort, the same answers as before.

Before, the clash check (``cohort_loads.clashing_ids``) read each sample's inputs with its own
query (1,000 samples, 1,000 queries); now ``twins.input_checksums`` answers for every sample at
once.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.errors import InputError
from medtwin.platform import cohort_loads, patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def _cohort(n: int) -> list[Any]:
    return [profile(f"S{i}", input_checksums={"cohort.tsv": "c" * 64}) for i in range(n)]


def test_one_lookup_for_the_whole_cohort(store: MemoryStore, monkeypatch: pytest.MonkeyPatch):
    asked: list[list[str]] = []
    lookup = store.twins.input_checksums

    def spy(ids: list[str]) -> dict[str, list[str]]:
        asked.append(list(ids))
        return lookup(ids)

    def per_patient(_: str) -> list[dict[str, Any]]:
        raise AssertionError("one query per sample")

    monkeypatch.setattr(store.twins, "input_checksums", spy)
    monkeypatch.setattr(store.twins, "inputs", per_patient)
    assert cohort_loads.clashing_ids(store, _cohort(50)) == []
    assert asked == [[f"S{i}" for i in range(50)]]


def test_clashes_as_before(store: MemoryStore) -> None:
    patients.add_patient(store, profile("S1"))  # its own DE table: another file
    store.twins.merge_patient("S2", {})  # a patient without inputs does not clash
    cohort = _cohort(4)
    assert cohort_loads.clashing_ids(store, cohort) == ["S1"]
    with pytest.raises(InputError, match="1 case sample\\(s\\) name an existing patient"):
        patients.add_cohort(store, cohort)
    other = MemoryStore()  # the same cohort twice: the second time is a no-op, not a clash
    other.add_reference(genes={str(i): f"G{i}" for i in range(1, 9)})
    for _ in range(2):
        got = patients.add_cohort(other, cohort)
        assert [p.inputs for p in got.added] == [1, 1, 1, 1]


def test_input_checksums_of_the_memory_store(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    patients.add_patient(store, profile("P1", input_checksums={"b.tsv": "b" * 64}, changes=()))
    store.twins.merge_patient("P2", {})
    got = store.twins.input_checksums(["P1", "P2", "P9"])
    assert got == {"P1": ['{"p1_de.tsv": "' + "0" * 64 + '"}', '{"b.tsv": "' + "b" * 64 + '"}']}
