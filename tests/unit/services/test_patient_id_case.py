"""Patient ids that differ only in case (round 5 of the resilience sweep).

Before: ``patient show gsm389703`` of a stored ``GSM389703`` said "no patient gsm389703" with the
hint "add one with `medtwin patient add gsm389703 ...`", and that add made a second patient beside
the first (their reports and exports are one file on macOS and Windows). Now the lookup names the
stored id, and an add of a new id equal to a stored one but for case is refused, naming it.
"""

from __future__ import annotations

import pytest

from medtwin.errors import InputError, NotFoundError
from medtwin.platform import patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def test_a_lookup_names_the_id_stored_in_another_case(store: MemoryStore) -> None:
    patients.add_patient(store, profile("GSM389703"))
    with pytest.raises(NotFoundError) as info:
        patients.get_patient(store, "gsm389703")
    assert info.value.message == "no patient gsm389703"
    assert info.value.hint == "did you mean GSM389703? (patient ids are case-sensitive)"
    with pytest.raises(NotFoundError) as other:  # no such id in any case: the add hint, as before
        patients.get_patient(store, "P2")
    assert other.value.hint == "add one with `medtwin patient add P2 ...`"


def test_a_new_id_equal_to_a_stored_one_but_for_case_is_refused(store: MemoryStore) -> None:
    patients.add_patient(store, profile("GSM389703"))
    with pytest.raises(InputError) as info:
        patients.add_patient(store, profile("gsm389703"))
    assert (
        info.value.message == "patient GSM389703 exists, and gsm389703 differs from it only in case"
    )
    assert "add to it with `medtwin patient add GSM389703 ...`" in str(info.value.hint)
    assert [p.id for p in patients.list_patients(store)] == ["GSM389703"]  # nothing stored


def test_the_stored_id_itself_and_cohort_samples_are_added(store: MemoryStore) -> None:
    patients.add_patient(store, profile("GSM389703"))
    again = patients.add_patient(
        store, profile("GSM389703", input_checksums={"other.tsv": "1" * 64})
    )
    assert again.id == "GSM389703"
    # a cohort's sample ids are its matrix's columns: not looked up one by one (a scan each)
    patients.add_patient(store, profile("Gsm389703"), kind="cohort")
    assert [p.id for p in patients.list_patients(store)] == ["GSM389703", "Gsm389703"]


@pytest.mark.parametrize("given", ["gsm389703", " GSM389703 ", "", "P2"])
def test_the_regulator_views_name_a_bad_id_as_get_patient_does(
    store: MemoryStore, given: str
) -> None:
    """``twin regulators`` reads the twin without ``get_patient`` (stop 60's CLI probe).

    Before, ``twin regulators gsm389703`` said "no patient gsm389703" with the hint to add it,
    and ``' GSM389703 '`` or ``''`` "no patient" with the text as typed, unquoted (every other
    view named the stored id, or the id rule). Each of its three ways to the twin (the stored
    report, a computed one, one per tissue) now says what ``get_patient`` says.
    """
    from medtwin.platform.cell_regulators import context_regulators
    from medtwin.platform.regulator_views import stored_regulator_report
    from medtwin.platform.twin_regulators import twin_regulators

    patients.add_patient(store, profile("GSM389703"))
    with pytest.raises((InputError, NotFoundError)) as expected:
        patients.get_patient(store, given)
    for view in (
        lambda: stored_regulator_report(store, given, q=0.05),
        lambda: twin_regulators(store, given, engine="in_process"),
        lambda: context_regulators(store, given, "tissue"),
    ):
        with pytest.raises((InputError, NotFoundError)) as got:
            view()
        assert type(got.value) is type(expected.value)
        assert (got.value.message, got.value.hint) == (expected.value.message, expected.value.hint)
