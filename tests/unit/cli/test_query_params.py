"""``medtwin query``: a parameter the query has no use for, or a bad name, is refused with the fix.

Before: ``-p limt=5`` (misspelt) ran the query with the value unused and no word (the server
ignores a parameter its statement does not use), ``--show`` of an unknown name printed an empty
line with exit 0, and ``-p STAT1`` was told "must be key=value" without the parameter's name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, library
from medtwin.errors import InputError
from medtwin.platform.library import run_library_query
from medtwin.store.memory import MemoryStore


@pytest.fixture
def memory_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """``medtwin query`` opens a memory store (its checks come before any read)."""

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        with MemoryStore() as store:
            yield store

    monkeypatch.setattr(library, "open_store", memory)


def test_a_misspelt_parameter_is_refused_with_the_one_meant():
    with MemoryStore() as store, pytest.raises(InputError) as e:
        run_library_query(
            store, "drugs_ranked_for_patient", {"patient_id": "P1", "limit": "5", "limt": "5"}
        )
    assert str(e.value) == (
        "query drugs_ranked_for_patient takes no parameter 'limt' (did you mean 'limit'?)"
    )
    assert e.value.hint == "its parameters: -p patient_id=P1 -p limit=20"


def test_the_cli_says_so_on_one_line(memory_query):
    result = CliRunner().invoke(cli, ["query", "regulon_of_tf", "-p", "tf=STAT1", "-p", "x=1"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "InputError: query regulon_of_tf takes no parameter 'x'"
    assert "Traceback" not in result.output


def test_a_value_without_its_name_is_shown_the_example(memory_query):
    result = CliRunner().invoke(cli, ["query", "regulon_of_tf", "-p", "STAT1"])
    assert result.exit_code == 1
    assert "parameter 'STAT1' must be key=value (e.g. -p tf=STAT1)" in result.output


def test_show_of_an_unknown_query_names_the_valid_ones():
    result = CliRunner().invoke(cli, ["query", "regulon_of_ft", "--show"])
    assert result.exit_code == 1
    assert "unknown query 'regulon_of_ft'; valid: " in result.output
    assert "regulon_of_tf" in result.output
