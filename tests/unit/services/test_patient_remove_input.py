"""One input of a patient removed (``patients.remove_input``; MemoryStore; the graph's one
statement and a kill inside it: tests/reliability/test_remove_input_kills.py)."""

from __future__ import annotations

import pytest

from medtwin.errors import InputError, NotFoundError
from medtwin.platform import patients, twins
from medtwin.platform.models import TwinParams
from tests.unit.services.conftest import CHANGES, profile

FAST = TwinParams(module_samples=20, expand=3, max_seeds=10)


def _two_inputs(store) -> tuple[str, str]:
    """P1 with a DE input (a.tsv, 3 genes) and a protein input (b.tsv, 1 gene); their ids."""
    a = profile("P1", changes=CHANGES[:3], symptoms=(), input_checksums={"a.tsv": "1" * 64})
    b = profile("P1", changes=CHANGES[3:], symptoms=(), input_checksums={"b.tsv": "2" * 64})
    patients.add_patient(store, a, kind="de")
    got = patients.add_patient(store, b, kind="proteins")
    assert got.input_list is not None
    first, second = got.input_list
    return first.id, second.id


def test_remove_input_removes_one_input_and_what_it_gave_and_is_not_repeated(store):
    """Before, there was no way to drop one input but deleting the patient."""
    a, b = _two_inputs(store)
    assert patients.get_patient(store, "P1").genes == 4
    got = patients.remove_input(store, "P1", a.rsplit("/", 1)[1][:6])
    assert (got.removed.id, got.removed.name, got.removed.kind) == (a, "a.tsv", "de")
    assert got.removed.genes == 3
    assert got.inputs_left == 1
    assert got.stale_note is None  # no twin yet
    left = patients.get_patient(store, "P1", with_inputs=True)
    assert (left.inputs, left.genes) == (1, 1)
    assert [i.id for i in left.input_list or ()] == [b]
    with pytest.raises(NotFoundError, match="patient P1 has no such input"):
        patients.remove_input(store, "P1", a.rsplit("/", 1)[1][:6])


def test_a_twin_built_with_the_removed_input_says_it_predates_the_inputs(store):
    a, _ = _two_inputs(store)
    twins.build_twin(store, "P1", FAST)
    got = patients.remove_input(store, "P1", a)  # the whole id works too
    note = '1 input removed since; call `twins.build_twin(store, "P1")`'
    assert got.stale_note == f"twin v1 predates the patient's inputs: {note}"
    assert twins.show_twin(store, "P1").stale_note == got.stale_note


def test_an_ambiguous_prefix_is_refused_with_the_candidates(store):
    _two_inputs(store)
    rows = patients.get_patient(store, "P1", with_inputs=True).input_list or ()
    # the two ids share no prefix by chance: give them one (ids are digests of the content)
    for i, hexes in zip(rows, ("abcd0000aaaaaaaa", "abcd1111bbbbbbbb"), strict=True):
        store.patients["P1"].inputs[f"P1/{hexes}"] = {
            **store.patients["P1"].inputs.pop(i.id),
            "id": f"P1/{hexes}",
        }
    with pytest.raises(InputError, match="ambiguous") as e:
        patients.remove_input(store, "P1", "abcd")
    assert "abcd0000aaaaaaaa (de: a.tsv), abcd1111bbbbbbbb (proteins: b.tsv)" in str(e.value)
    assert patients.get_patient(store, "P1").inputs == 2  # nothing removed
    assert patients.remove_input(store, "P1", "abcd1").removed.name == "b.tsv"


def test_unknown_patient_and_too_short_prefix(store):
    with pytest.raises(NotFoundError, match="no patient P9"):
        patients.remove_input(store, "P9", "abcd")
    _two_inputs(store)
    with pytest.raises(InputError, match="at least 4 characters"):
        patients.remove_input(store, "P1", "ab")
