"""`patient add` with several inputs is all or nothing (MemoryStore; the graph's one statement is
checked on the server in tests/integration/test_patient_add_atomic.py)."""

from __future__ import annotations

import pytest

from medtwin.errors import NotFoundError
from medtwin.platform import patients
from medtwin.platform import patients as patients_module
from tests.unit.services.conftest import CHANGES, profile


def _three() -> list[tuple[str, object]]:
    return [
        ("de", profile("KP1", changes=CHANGES[:2], input_checksums={"de.tsv": "1" * 64})),
        ("fhir", profile("KP1", changes=CHANGES[2:], input_checksums={"p.json": "2" * 64})),
        ("symptoms", profile("KP1", changes=(), input_checksums={}, symptoms=("HP:0001370",))),
    ]


def test_an_add_failing_at_its_second_input_stores_none_of_them(store, monkeypatch):
    """Before, each input was its own write: the first was stored, and the patient looked
    complete with 1 of its 3 inputs (a killed `patient add` left 2 of 3)."""
    real = patients_module.stored_activity_stats
    calls = []

    def fail_second(p):  # a reader/serialiser error (or a kill) between two inputs
        calls.append(p)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(p)

    monkeypatch.setattr(patients_module, "stored_activity_stats", fail_second)
    with pytest.raises(RuntimeError, match="killed"):
        patients.add_patient_inputs(store, "KP1", _three())  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        patients.get_patient(store, "KP1")
    assert store.twins.inputs("KP1") == []


def test_an_add_stores_every_input_in_the_commands_order_and_again_is_a_no_op(store):
    first = patients.add_patient_inputs(store, "KP1", _three())  # type: ignore[arg-type]
    assert first.inputs == 3
    assert [i["kind"] for i in store.twins.inputs("KP1")] == ["de", "fhir", "symptoms"]
    again = patients.add_patient_inputs(store, "KP1", _three())  # type: ignore[arg-type]
    assert again.inputs == 3
