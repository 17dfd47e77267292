"""A Python ``add_cohort`` without options is the same add as ``patient add-cohort`` of the same
files with the same options: one completeness record (memory store)."""

from __future__ import annotations

import inspect
import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.platform import cohort_files, cohort_profiles, patients
from medtwin.platform.cohort_options import DEFAULT_OPTIONS
from medtwin.platform.context import reference_context

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {"1": "GA", "2": "GB", "3": "GC", "4": "GX"}
EXPR, SHEET = DATA / "cohort_expression.tsv", DATA / "cohort_samples.tsv"


def _cli_add(*more: str) -> None:
    args = ["patient", "add-cohort", "--expression", str(EXPR), "--sample-sheet", str(SHEET), *more]
    got = CliRunner().invoke(cli, args)
    assert got.exit_code == 0, got.output


def test_a_cli_add_then_a_python_add_of_the_same_files_is_one_record(
    memory_cli, caplog: pytest.LogCaptureFixture
):
    """Before, the Python add (no options) was keyed by the files alone: a second record of the
    same add beside the CLI's."""
    store = memory_cli(GENES)
    _cli_add()
    profiles = cohort_profiles.read_cohort(EXPR, SHEET, reference_context().gene_index(store))
    with caplog.at_level(logging.WARNING, logger="medtwin.platform.cohort_loads"):
        patients.add_cohort(store, profiles)
    assert [r.getMessage() for r in caplog.records if r.name.endswith("cohort_loads")] == []
    records = store.cohorts.load_states("patient")
    assert len(records) == 1
    assert json.loads(records[0]["options"])["p_max"] == "0.05"
    assert records[0]["status"] == "complete"


def test_profiles_read_at_other_thresholds_are_keyed_with_those(memory_cli):
    """Not taken for the default add: keyed p_max=1.0 as `--p-max 1` is (one record with it)."""
    store = memory_cli(GENES)
    _cli_add("--p-max", "1")
    genes = reference_context().gene_index(store)
    patients.add_cohort(store, cohort_profiles.read_cohort(EXPR, SHEET, genes, p_max=1.0))
    assert [json.loads(r["options"])["p_max"] for r in store.cohorts.load_states("patient")] == [
        "1.0"
    ]


@pytest.mark.parametrize("func", [cohort_files.add_cohort_files, cohort_profiles.read_cohort])
def test_the_default_options_are_the_readers_defaults(func) -> None:
    """DEFAULT_OPTIONS keys a Python add; drifting from the readers' defaults would split it."""
    params = inspect.signature(func).parameters
    assert {k: params[k].default for k in DEFAULT_OPTIONS} == dict(DEFAULT_OPTIONS)
