"""Every user-facing error survives pickling: errors raised in other processes come back whole."""

from __future__ import annotations

import pickle

import pytest

from medtwin import errors


def _subclasses(cls: type) -> list[type]:
    return [cls, *(s for sub in cls.__subclasses__() for s in _subclasses(sub))]


@pytest.mark.parametrize("cls", _subclasses(errors.MedtwinError), ids=lambda c: c.__name__)
def test_an_error_pickles_with_its_message_and_hint(cls):
    if cls is errors.SourceFormatError:
        error = cls("data/x.tsv", 12, "field 3 is 'abc', expected a number")
    else:
        error = cls("what failed, and how to fix it", hint="medtwin db start")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls
    assert str(back) == str(error)
    assert back.hint == error.hint
    assert back.__dict__ == error.__dict__


def test_a_source_format_error_keeps_its_file_and_line():
    back = pickle.loads(pickle.dumps(errors.SourceFormatError("data/x.tsv", 12, "bad z")))
    assert (str(back.path), back.line, back.reason) == ("data/x.tsv", 12, "bad z")
    assert str(back) == "data/x.tsv:12: bad z"


def test_a_traceback_shows_the_hint_under_the_message():
    # before: a notebook's traceback ended 'NotFoundError: no patient P1' and the hint was lost
    import traceback

    error = errors.NotFoundError("no patient P1", hint="add one with patients.add_patient_files")
    shown = "".join(traceback.format_exception(error))
    assert shown.endswith(
        "NotFoundError: no patient P1\nhint: add one with patients.add_patient_files\n"
    )
    assert str(error) == "no patient P1"  # the message alone, as the CLI and the API print it
    error.hint = "another step"  # set again (db restore does): one hint note, the new one
    assert error.__notes__ == ["hint: another step"]
    back = pickle.loads(pickle.dumps(error))
    assert back.__notes__ == ["hint: another step"]
    assert back.hint == "another step"
    assert errors.InputError("no hint").__dict__.get("__notes__") is None
