"""Text longer than a file name can be is read as text, not tried as a file (round 5).

``--symptoms`` takes terms or a file of them and ``--targets`` a source or a file, so each is
first looked up as a file; ``Path.is_file`` raises on a name over 255 bytes (``ENAMETOOLONG``).
Before, ``patient add --symptoms`` with 24 comma-separated HPO ids (263 characters) ended in
"OSError: HP:0001945,…: File name too long" (exit 1, "check the path"), and so did a long
``rank``/``screen --targets`` word.
"""

from __future__ import annotations

import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.platform.patient_files import symptoms_source
from medtwin.platform.rank_params import parse_targets

TERMS = ",".join(["HP:0001945", "HP:0002829"] * 12)


def test_many_symptoms_are_read_as_terms_not_tried_as_a_file() -> None:
    assert len(TERMS) == 263
    assert symptoms_source(TERMS) == TERMS
    assert symptoms_source("fever/" + "x" * 300) == "fever/" + "x" * 300  # a "/" too


def test_a_long_targets_word_is_an_unknown_source() -> None:
    word = "drugbank" * 40
    with pytest.raises(InputError, match="unknown target source") as raised:
        parse_targets(word, files=True)
    assert not isinstance(raised.value, SourceFormatError)
