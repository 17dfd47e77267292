"""Patient ids that differ only in case, on the real store (round 5 of the resilience sweep).

``patient/patients_named_alike`` names the stored ``GC1`` for ``gc1`` and nothing for ``GC1``
itself; the add of ``gc1`` is refused and stores nothing (``tests/unit/services/
test_patient_id_case.py`` holds the same on the memory store).
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from medtwin.errors import InputError, NotFoundError
from medtwin.platform import patients
from tests.api.conftest import DE_TABLE

pytestmark = pytest.mark.neo4j


def test_an_id_differing_only_in_case_is_named_and_refused(tiny_reference):
    store, _ = tiny_reference
    de = pd.read_csv(io.StringIO(DE_TABLE), sep="\t")
    patients.add_patient_files(store, "GC1", de=de)
    assert store.twins.patients_named_alike("gc1") == ["GC1"]
    assert store.twins.patients_named_alike("GC1") == []  # the id itself: no scan, nothing
    assert store.twins.patients_named_alike("GC2") == []
    with pytest.raises(NotFoundError) as lookup:
        patients.get_patient(store, "gc1")
    assert lookup.value.hint == "did you mean GC1? (patient ids are case-sensitive)"
    with pytest.raises(InputError, match="patient GC1 exists, and gc1 differs from it only"):
        patients.add_patient_files(store, "gc1", de=de)
    assert [p.id for p in patients.list_patients(store)] == ["GC1"]
    assert patients.add_patient_files(store, "GC1", de=de).outcome == "unchanged"
