"""`cohort run` reports each failed patient as `twin build A B` and `rank --all` do.

Before: the failures were ``FAILED Q3: ...`` text lines on stdout, also under ``--json``, and a
``cohort: Q3 failed: ...`` WARNING log line on stderr said it again; ``--json``'s stderr was not
one JSON line per failure. The use case is replaced: no database, no Dask.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import cohort as cohort_cli
from medtwin.platform.cohort import CohortRun, PatientOutcome, run_patient
from medtwin.platform.cohort_plan import PatientPlan
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore

_RUN = CohortRun(
    patients=(
        PatientOutcome(patient_id="Q1", status="done"),
        PatientOutcome(
            patient_id="Q3", status="failed", error="InputError: no seed gene",
            error_type="InputError", hint="add DE genes",
        ),
        PatientOutcome(
            patient_id="Q4", status="failed", error="KilledWorker: worker died",
            error_type="KilledWorker",
        ),
    ),
    workers=0, scheduler="in-process", seconds=0.5,
)  # fmt: skip


@pytest.fixture
def cohort_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cohort run` without a database: every run gives :data:`_RUN`."""
    from medtwin.platform import cohort

    monkeypatch.setattr(cohort_cli, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(cohort_cli, "settings", lambda: None)
    monkeypatch.setattr(cohort, "cohort_patients", lambda *_, **__: ["Q1", "Q3", "Q4"])
    monkeypatch.setattr(cohort, "run_cohort", lambda *_, **__: _RUN)


def _messages(stderr: str) -> str:
    """``stderr`` without progress lines (``2026-01-01 10:00:00 patients 1/3``)."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if not re.match(r"\d{4}-\d\d-\d\d ", line)
    )


@pytest.mark.usefixtures("cohort_run")
def test_json_stderr_has_one_json_line_per_failed_patient() -> None:
    got = CliRunner().invoke(cli, ["cohort", "run", "--all", "--workers", "0", "--json"])
    assert got.exit_code == 1
    assert json.loads(got.stdout)["patients"][1]["error_type"] == "InputError"
    assert [json.loads(line) for line in got.stderr.splitlines()] == [
        {"error": "InputError", "hint": "add DE genes", "message": "no seed gene",
         "patient_id": "Q3"},
        {"error": "KilledWorker", "hint": None, "message": "worker died", "patient_id": "Q4"},
    ]  # fmt: skip


@pytest.mark.usefixtures("cohort_run")
def test_text_names_each_failure_on_stderr() -> None:
    got = CliRunner().invoke(cli, ["cohort", "run", "--all", "--workers", "0"])
    assert got.exit_code == 1
    assert "FAILED" not in got.stdout
    assert "1 done, 0 already done (skipped), 2 failed" in got.stdout
    assert _messages(got.stderr) == (
        "patient Q3: InputError: no seed gene\n"
        "hint: add DE genes\n"
        "patient Q4: KilledWorker: worker died\n"
        "2 of 3 patients failed\n"
    )


def test_a_failed_patient_is_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    """The failure is returned with its class and hint, and logged at INFO only: the caller
    reports it (a WARNING was a second, text report on --json's stderr)."""
    plan = PatientPlan(patient_id="NOPE", build=True, rank=True, reason="missing")
    with caplog.at_level(logging.WARNING):
        got = run_patient(Settings(), plan, TwinParams(), RankParams(), store=MemoryStore())
    assert got.status == "failed"
    assert got.error_type == "NotFoundError"
    assert (got.error or "").startswith("NotFoundError: ")
    assert not [r for r in caplog.records if r.name == "medtwin.platform.cohort"]
