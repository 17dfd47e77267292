"""Start-up work a command does not need: the pydantic plugin scan, the tables of routes and calls.

Import-graph and state checks in a fresh interpreter, not timings (``python -m
benchmarks.bench_data --before REF`` prints what they save; docs/design.md).
"""

from __future__ import annotations

import os

import click
import pytest

from medtwin.cli import PYDANTIC_PLUGINS_OFF, _skip_pydantic_plugins
from tests.fresh_interpreter import fresh_json

TABLES = ("medtwin.python_calls", "medtwin.api_routes")


def test_a_command_neither_scans_for_pydantic_plugins_nor_loads_the_tables():
    """A command builds the settings (pydantic's first model) without the entry-point scan, and
    imports neither table of routes and calls (~40 regular expressions) while it speaks to the
    CLI."""
    state = fresh_json(
        f"""
        import contextlib, io, json, os, sys
        os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)
        os.environ["MEDTWIN_API_KEYS"] = ""
        from medtwin.cli import cli
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                cli.main(["api-key", "list"], prog_name="medtwin")
            except SystemExit as exit:
                assert not exit.code, exit.code
        from pydantic.plugin import _loader
        print(json.dumps({{
            "settings": "medtwin.settings" in sys.modules,
            "scanned": _loader._plugins is not None,
            "variable": os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
            "tables": sorted(m for m in {TABLES!r} if m in sys.modules),
        }}))
        """
    )
    assert state == {"settings": True, "scanned": False, "variable": "__all__", "tables": []}


def test_the_tables_load_with_a_step_worded_for_python_or_an_error():
    """What the lazy imports defer still works: an error's note names its Python call, and a step
    is worded for the API and Python."""
    got = fresh_json(
        """
        import json, sys
        from medtwin.command_lines import next_step, speaking_to
        from medtwin.errors import NotFoundError
        with speaking_to("cli"):
            cli = next_step("medtwin twin build P1")
        loaded = "medtwin.python_calls" in sys.modules
        with speaking_to("api"):
            api = next_step("medtwin twin build P1")
        python = next_step("medtwin twin build P1")  # no surface set: a call from Python
        error = NotFoundError("patient P1 has no twin", hint="run `medtwin twin build P1`")
        print(json.dumps([loaded, cli, api, python, error.python_calls]))
        """
    )
    assert got == [
        False,
        "run `medtwin twin build P1`",
        "call POST /v1/patients/P1/twins",
        'call `twins.build_twin(store, "P1")`',
        ['twins.build_twin(store, "P1")'],
    ]


@pytest.mark.parametrize(("command", "expected"), [("describe", "__all__"), ("serve", None)])
def test_serve_still_loads_the_plugins(monkeypatch, command, expected):
    monkeypatch.delenv(PYDANTIC_PLUGINS_OFF[0], raising=False)
    _skip_pydantic_plugins(click.Context(click.Command(command), info_name=command))
    assert os.environ.get(PYDANTIC_PLUGINS_OFF[0]) == expected


def test_a_value_already_set_wins(monkeypatch):
    monkeypatch.setenv(PYDANTIC_PLUGINS_OFF[0], "")  # the user's way to keep the plugins
    _skip_pydantic_plugins(click.Context(click.Command("describe"), info_name="describe"))
    assert os.environ[PYDANTIC_PLUGINS_OFF[0]] == ""


def test_reading_twins_regulators_or_explanations_loads_no_input_reader():
    """`twin show|diff`, `twin regulators`, `explain` and `patient audit` read what is stored: the
    input readers (the mutation reader, for its table of category weights, and through it the
    table readers) and `patients`' add stack are imported where inputs are read or a twin built."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.twins, medtwin.platform.regulator_views
        import medtwin.platform.explanations, medtwin.platform.patient_reads, medtwin.cli.patients
        readers = ("medtwin.loaders.patient_mutations", "medtwin.loaders.patient_io",
                   "medtwin.loaders.patient_tables", "medtwin.platform.activity_inputs",
                   "medtwin.platform.patients")
        print(json.dumps(sorted(m for m in readers if m in sys.modules)))
        """
    )
    assert loaded == []


def test_the_mutation_reader_weighs_categories_as_the_twin_does():
    from medtwin.loaders import mutation_categories, patient_mutations

    assert patient_mutations.CATEGORY_EVIDENCE is mutation_categories.CATEGORY_EVIDENCE
    assert patient_mutations.mutation_evidence is mutation_categories.mutation_evidence
