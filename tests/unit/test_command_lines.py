"""A hint's command in Python's words keeps what the command says.

Before, a command naming a cohort in quotes (``cohort stratify --cohort 'RA PBMC' …``, as
``shlex.quote`` writes it) got no Python call at all.
"""

from __future__ import annotations

import ast
import shlex

import pytest

from medtwin.platform.endotypes import endotype_note
from medtwin.python_calls import PYTHON_CALLS, python_calls, translated

STRATIFY = "medtwin cohort stratify --cohort 'RA PBMC' --method jaccard --genes twin -k 10"


def test_a_quoted_cohort_name_is_a_string_literal_in_the_python_call():
    call = translated(STRATIFY.removeprefix("medtwin "), PYTHON_CALLS)
    assert call == (
        'stratify.stratify_cohort(store, cohort.cohort_patients(store, cohort="RA PBMC"), '
        'cohort="RA PBMC", method="jaccard", genes="twin", k=10)'
    )  # before: None
    ast.parse(call)  # a call Python reads
    assert python_calls("run `medtwin cohort run --cohort 'RA PBMC'`") == [
        'cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="RA PBMC"))'
    ]


@pytest.mark.parametrize("name", ["it's", 'say "x"', "a\\b", "naïve"])
def test_any_cohort_name_reads_back_as_written(name):
    command = f"cohort stratify --cohort {shlex.quote(name)}"
    call = translated(command, PYTHON_CALLS)
    assert call is not None
    tree = ast.parse(call).body[0].value  # type: ignore[attr-defined]
    assert [k.value.value for k in tree.keywords if k.arg == "cohort"] == [name]


def test_the_endotype_note_gives_python_the_call():
    row = {"endotype": 2, "endotype_method": "jaccard:twin", "endotype_deleted": 1}
    note = endotype_note({**row, "endotype_refresh": STRATIFY})
    assert note is not None
    assert note.endswith(
        "refresh it with `stratify.stratify_cohort(store, cohort.cohort_patients(store, "
        'cohort="RA PBMC"), cohort="RA PBMC", method="jaccard", genes="twin", k=10)`'
    )  # before: refresh it with `medtwin cohort stratify --cohort 'RA PBMC' …`
