"""Building several twins: a failure stops none; ``skip_current`` keeps twins a rebuild repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medtwin.errors import GraphStoreUnavailable, InputError, NotFoundError
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform import patients, twin_batch, twins
from medtwin.platform.models import TwinParams
from medtwin.platform.twin_batch import TwinBuildOutcome
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

FAST = TwinParams(module_samples=20, min_seeds=2)


def _statuses(outcomes: list[TwinBuildOutcome]) -> list[tuple[str, str, int | None]]:
    return [(o.patient_id, o.status, o.twin.version if o.twin else None) for o in outcomes]


def test_a_failing_patient_stops_none_of_the_others(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    patients.add_patient(store, profile("P2"))
    seen: list[str] = []
    out = twin_batch.build_twins(
        store, ["P1", "P9", "P2"], FAST, on_done=lambda o: seen.append(o.patient_id)
    )
    assert _statuses(out) == [("P1", "built", 1), ("P9", "failed", None), ("P2", "built", 1)]
    assert seen == ["P1", "P9", "P2"]
    assert (out[1].error_type, out[1].error) == ("NotFoundError", "no patient P9")
    assert out[1].hint is not None
    assert "patient add P9" in out[1].hint


def test_an_unreachable_database_stops_the_batch(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise GraphStoreUnavailable("no database at bolt://127.0.0.1:1")

    monkeypatch.setattr(twin_batch, "build_twin", down)
    with pytest.raises(GraphStoreUnavailable):
        twin_batch.build_twins(store, ["P1", "P2"], FAST)


def test_rerun_skips_current_twins_only(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    patients.add_patient(store, profile("P2"))
    twin_batch.build_twins(store, ["P1", "P2"], FAST)
    again = twin_batch.build_twins(store, ["P1", "P2"], FAST, skip_current=True)
    assert _statuses(again) == [("P1", "current", 1), ("P2", "current", 1)]
    # without the flag every call is a new version (as `twin build P` always was)
    assert _statuses(twin_batch.build_twins(store, ["P1"], FAST)) == [("P1", "built", 2)]
    # other options: not current
    other = TwinParams(module_samples=30, min_seeds=2)
    assert _statuses(twin_batch.build_twins(store, ["P2"], other, skip_current=True)) == [
        ("P2", "built", 2)
    ]


def test_new_inputs_make_a_twin_stale(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    twins.build_twin(store, "P1", FAST)
    assert twin_batch.twin_is_current(store, "P1", FAST) is not None
    extra = profile(
        changes=(GeneChange(entrez="7", log2fc=1.0, padj=1e-3),),
        input_checksums={"p1_more.tsv": "1" * 64},
    )
    patients.add_patient_inputs(store, "P1", [("de", extra)])
    assert twin_batch.twin_is_current(store, "P1", FAST) is None


def test_a_reference_reload_makes_a_twin_stale(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    twins.build_twin(store, "P1", FAST)
    assert twin_batch.twin_is_current(store, "P1", FAST) is not None
    later = (datetime.now(UTC) + timedelta(seconds=5)).isoformat()
    store.datasets_["menche2015_interactome"]["loaded_at"] = later
    assert twin_batch.twin_is_current(store, "P1", FAST) is None


def test_no_twin_is_not_current_and_unknown_patients_error(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    assert twin_batch.twin_is_current(store, "P1", FAST) is None
    with pytest.raises(NotFoundError, match="no patient P9"):
        twin_batch.twin_is_current(store, "P9", FAST)


def test_a_bare_str_of_ids_is_refused(store: MemoryStore) -> None:
    with pytest.raises(InputError, match="patient_ids"):
        twin_batch.build_twins(store, "P1", FAST)  # type: ignore[arg-type]


def test_an_id_given_twice_is_built_once(store: MemoryStore) -> None:
    patients.add_patient(store, profile("P1"))
    assert _statuses(twin_batch.build_twins(store, ["P1", "P1"], FAST)) == [("P1", "built", 1)]
