"""An unknown patient id given to a cohort view (``cohort activities X``, ``cohort summary``'s
ids) has the hint every other command's has: the stored id differing only in case or spaces, else
how to add one (stop 59's CLI probe: it was "NotFoundError: no patient X" with no hint)."""

from __future__ import annotations

import pytest

from medtwin.command_lines import speaking_to
from medtwin.errors import NotFoundError
from medtwin.platform import patients
from medtwin.platform.cohort_summary import cohort_patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


@pytest.mark.parametrize(
    ("given", "named", "hint"),
    [
        ("NOPE", "NOPE", "add one with `medtwin patient add NOPE ...`"),
        ("p1", "p1", "did you mean P1? (patient ids are case-sensitive)"),
        # stop 60's CLI probe: "no patient  P1 " and "no patient " (nothing after it)
        (" P1 ", "' P1 '", "did you mean P1? (patient ids are case-sensitive)"),
        ("", "''", "add one with `medtwin patient add '' ...`"),
    ],
)
def test_one_unknown_id_has_the_hint_of_every_command(
    store: MemoryStore, given: str, named: str, hint: str
) -> None:
    patients.add_patient_inputs(store, "P1", [("de", profile("P1"))])
    with speaking_to("cli"), pytest.raises(NotFoundError) as e:
        cohort_patients(store, [given])
    assert e.value.message == f"no patient {named}"
    assert e.value.hint == hint


def test_several_unknown_ids_say_how_to_list_the_patients(store: MemoryStore) -> None:
    patients.add_patient_inputs(store, "P1", [("de", profile("P1"))])
    with speaking_to("cli"), pytest.raises(NotFoundError, match="no patient A, B") as e:
        cohort_patients(store, ["P1", "A", "B"])
    assert e.value.hint == "run `medtwin patient list` to list the patients"
