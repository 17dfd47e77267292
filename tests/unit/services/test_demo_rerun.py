"""A `medtwin demo` rerun after a reader change leaves what a fresh demo would (MemoryStore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medtwin.platform import demo, demo_cohorts, twins
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import CHANGES, profile, reference_store


def _peac(log2fc: float) -> list[Any]:
    """Three PEAC patients read from the same files, their values as a reader gives them."""
    changes = tuple(c.model_copy(update={"log2fc": c.log2fc * log2fc}) for c in CHANGES)
    return [
        profile(
            f"SYN{i}",
            changes=changes,
            metadata={"cohort": demo_cohorts.PEAC},
            input_checksums={"expression_rld.tsv": "e" * 64, "sample_pathotype.tsv": "s" * 64},
        )
        for i in range(3)
    ]


def _state(store: MemoryStore) -> list[tuple[str, list[tuple[str, str, str]]]]:
    return [
        (p["id"], [(i["kind"], i["name"], i["sha256"]) for i in store.twins.inputs(p["id"])])
        for p in store.twins.patients()
    ]


def test_a_demo_rerun_after_a_reader_change_keeps_one_input_per_patient(store: MemoryStore):
    """Before, the rerun added the re-read values as a second input of each patient (the input
    id is the content's digest), and their twins read both."""
    demo.add_demo_patients(store, _peac(1.0))
    demo.add_demo_patients(store, _peac(2.0))  # the reader now reads the same files otherwise
    fresh = reference_store()
    demo.add_demo_patients(fresh, _peac(2.0))
    assert _state(store) == _state(fresh)
    assert all(len(inputs) == 1 for _, inputs in _state(store))
    demo.add_demo_patients(store, _peac(2.0))  # and a rerun is idempotent
    assert _state(store) == _state(fresh)
    loads = store.cohorts.load_states(demo_cohorts.PEAC)
    assert [x["status"] for x in loads] == ["complete"]


def test_a_demo_rerun_builds_again_the_twins_whose_inputs_it_replaced(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """Before, the rerun rebuilt only twins of older rules, and showed the others as they were."""
    given = [_peac(1.0)]
    monkeypatch.setattr(demo, "fetch_all", lambda *a: None)
    monkeypatch.setattr(demo, "load_for_demo", lambda *a: [])
    monkeypatch.setattr(demo, "showcase_patients", lambda *a: [])  # twins only, no rankings
    monkeypatch.setattr(demo_cohorts, "demo_patients", lambda *a: (*given[0], _blood()))
    monkeypatch.setattr(demo_cohorts, "multi_tissue_profile", lambda *a, **k: _blood("MT"))
    settings = Settings(cache_dir=tmp_path)
    first = demo.run_demo(store, settings)  # type: ignore[arg-type]
    assert first.twins_built == 5
    assert demo.run_demo(store, settings).twins_built == 0  # type: ignore[arg-type]
    given[0] = _peac(2.0)
    again = demo.run_demo(store, settings)  # type: ignore[arg-type]
    assert again.twins_built == 3  # the PEAC patients', whose inputs changed
    assert twins.show_twin(store, "SYN0").stale_note is None
    assert [len(store.twins.inputs(f"SYN{i}")) for i in range(3)] == [1, 1, 1]


def _blood(pid: str = demo_cohorts.PBMC68K_PATIENT_ID) -> Any:
    return profile(pid, metadata={"cohort": pid}, input_checksums={f"{pid}.h5ad": "b" * 64})
