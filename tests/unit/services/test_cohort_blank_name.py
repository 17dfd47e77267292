"""A blank cohort name is refused: it chose every patient without a cohort.

Before, ``cohort_patients(store, cohort="")`` (``medtwin cohort summary --cohort "$COHORT"`` with
the variable unset) matched each patient whose metadata has no ``cohort`` (compared as ``""``):
``cohort summary`` printed them as "all patients: 0 of 12 patients ranked" on the demo database
(113 patients), and ``cohort run --cohort ""`` would have built and ranked all of them.
"""

from __future__ import annotations

import pytest

from medtwin.errors import InputError
from medtwin.platform import patients
from medtwin.platform.cohort_summary import cohort_patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_cohort_name_is_refused(store: MemoryStore, blank: str) -> None:
    patients.add_patient_inputs(store, "P1", [("de", profile("P1"))])  # cohort "toy"
    patients.add_patient_inputs(store, "P2", [("de", profile("P2", metadata={}))])  # none
    with pytest.raises(InputError, match=f"the cohort name {blank!r} is blank") as e:
        cohort_patients(store, cohort=blank)
    assert e.value.hint == "cohorts present: toy (patients' metadata.cohort)"
    assert cohort_patients(store, cohort="toy") == ["P1"]
