"""Text a patient's add would store must be UTF-8: a lone surrogate is refused, nothing stored.

A note or a file name given with undecodable bytes (Python's ``surrogateescape``: ``'n\\udcff'``)
was stored inside the patient's JSON properties, and then no JSON answer could hold it: on the
demo server ``GET /v1/patients`` answered 500 for the whole list, for every reader, after one
``patient add P1 --note $'n\\xff'`` (the CLI now refuses such a word first; a notebook's call
comes here).
"""

from __future__ import annotations

import re

import pytest

from medtwin.errors import InputError
from medtwin.platform import patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"metadata": {"note": "n\udcff"}}, "metadata 'note' is not UTF-8 text ('n\\udcff')"),
        ({"checksums": {"de\udcff.tsv": "0" * 64}}, "de input name is not UTF-8 text"),
        ({"profile_metadata": {"site": "\udcff"}}, "metadata 'site' is not UTF-8 text"),
    ],
    ids=["note", "file name", "a reader's metadata"],
)
def test_a_lone_surrogate_is_refused_and_nothing_stored(
    store: MemoryStore, given: dict[str, dict[str, str]], said: str
) -> None:
    update: dict[str, object] = {}
    if "checksums" in given:
        update["input_checksums"] = given["checksums"]
    if "profile_metadata" in given:
        update["metadata"] = given["profile_metadata"]
    with pytest.raises(InputError, match=re.escape(f"patient P1: {said}")):
        patients.add_patient_inputs(
            store, "P1", [("de", profile(**update))], metadata=given.get("metadata")
        )
    assert not store.patient_exists("P1")


def test_utf8_text_is_stored_as_given(store: MemoryStore) -> None:
    patients.add_patient_inputs(store, "P1", [("de", profile())], metadata={"note": "fièvre ü"})
    assert patients.get_patient(store, "P1").metadata["note"] == "fièvre ü"
