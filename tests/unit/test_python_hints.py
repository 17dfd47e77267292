"""An error's next step names the Python call beside the CLI command, where a traceback shows it.

Before, a notebook user read ``hint: build one with `medtwin twin build P1``` and had to find the
Python call. The CLI's and the API's words (``str(error)``, ``error.hint``) are unchanged.
"""

from __future__ import annotations

import importlib
import re
import traceback

import pytest

from medtwin.errors import InputError, NotFoundError
from medtwin.platform import patients, rankings
from medtwin.python_calls import PYTHON_CALLS, python_calls
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def _shown(e: BaseException) -> str:
    return "".join(traceback.format_exception(e))


def test_a_use_case_error_shows_the_python_call_in_its_traceback():
    store = MemoryStore()
    store.add_reference(genes={"1": "A", "2": "B"}, ppi=[("1", "2")])
    patients.add_patient(store, profile())
    with pytest.raises(NotFoundError) as got:
        rankings.rank_drugs(store, "P1")
    e = got.value
    assert e.hint == "build one with `medtwin twin build P1`"  # the CLI prints this, unchanged
    assert "`medtwin twin build P1`" not in str(e)  # the API's detail, unchanged
    assert (
        'hint: build one with `medtwin twin build P1` (Python: `twins.build_twin(store, "P1")`)'
        in _shown(e)
    )
    assert e.python_calls == ['twins.build_twin(store, "P1")']


def test_a_command_in_the_message_gets_a_python_note_too():
    e = InputError("twin P1@v1 is stale; run `medtwin rank P1 --rerank`")
    assert e.__notes__ == ['Python: `rankings.rank_drugs(store, "P1")`']
    assert InputError("no command here").__dict__.get("__notes__") is None


def test_a_command_without_a_use_case_keeps_its_hint_alone():
    e = InputError("down", hint="start it with `medtwin db start`")
    assert e.__notes__ == ["hint: start it with `medtwin db start`"]


def test_a_hint_set_again_replaces_its_note():
    e = NotFoundError("no twin", hint="run `medtwin twin build P1`")
    e.hint = "run `medtwin rank P2`"
    assert e.__notes__ == [
        'hint: run `medtwin rank P2` (Python: `rankings.rank_drugs(store, "P2")`)'
    ]


@pytest.mark.parametrize(("pattern", "call"), [(p.pattern, c) for p, c, _ in PYTHON_CALLS])
def test_every_python_call_names_exported_functions(pattern, call):
    for module, function in re.findall(r"\b(\w+)\.(\w+)\(", call):
        mod = importlib.import_module(f"medtwin.platform.{module}")
        assert function in mod.__all__, f"{module}.{function} ({pattern})"


def test_the_first_matching_command_wins():
    assert python_calls("`medtwin rank P1 --out p1.tsv`") == [
        'rankings.export_ranking(store, "P1", "p1.tsv")'
    ]
    assert python_calls("`medtwin patient add ...`") == [
        "patients.add_patient_files(store, patient_id, ...)"
    ]
