"""A cohort whose ``patient add-cohort`` stopped halfway is refused as incomplete, not summarised.

Before, the patients stored so far were the cohort for ``cohort summary``/``stratify``/``run``
(``metadata.cohort`` was all they looked at). In-memory store; the kill -9 through the real CLI
is in ``tests/reliability/test_faults.py``.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.errors import ConflictError
from medtwin.platform import cohort_summary, patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

RERUN = "medtwin patient add-cohort --expression /d/trial.tsv --sample-sheet /d/sheet.tsv"


def _cohort(n: int, name: str = "trial") -> list[Any]:
    return [
        profile(f"S{i}", metadata={"cohort": name}, input_checksums={"trial.tsv": "c" * 64})
        for i in range(n)
    ]


def _fail_at(monkeypatch: pytest.MonkeyPatch, k: int) -> None:
    """``add_patient`` raises at its ``k``-th call (a failure halfway through a cohort)."""
    real, calls = patients.add_patient, [0]

    def add(*a: Any, **kw: Any) -> Any:
        calls[0] += 1
        if calls[0] == k:
            raise RuntimeError("disk full")
        return real(*a, **kw)

    monkeypatch.setattr(patients, "add_patient", add)


def test_a_failed_add_is_refused_with_the_rerun_command_and_a_rerun_completes_it(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
):
    _fail_at(monkeypatch, 4)
    with pytest.raises(RuntimeError):
        patients.add_cohort(store, _cohort(5), command=RERUN)
    assert len(store.twins.patients()) == 3
    with pytest.raises(ConflictError) as e:
        cohort_summary.cohort_patients(store, cohort="trial")
    assert "cohort 'trial' is incomplete (3 of 5 samples)" in e.value.message
    assert "failed before it finished" in e.value.message
    assert f"rerun `{RERUN}`" in (e.value.hint or "")
    monkeypatch.undo()
    patients.add_cohort(store, _cohort(5), command=RERUN)  # the rerun: 3 no-ops, 2 added
    assert cohort_summary.cohort_patients(store, cohort="trial") == [f"S{i}" for i in range(5)]
    # rerun again: idempotent, still complete
    assert [p.inputs for p in patients.add_cohort(store, _cohort(5)).added] == [1] * 5
    assert len(cohort_summary.cohort_patients(store, cohort="trial")) == 5


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],  # noqa: S603
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def test_a_killed_add_and_a_running_one(store: MemoryStore):
    patients.add_cohort(store, _cohort(2))
    store.cohorts.begin_load("trial", 4, None)  # a second add began: 'adding'
    with pytest.raises(ConflictError, match=r"'trial' is being added \(2 of 4 samples so far"):
        cohort_summary.cohort_patients(store, cohort="trial")  # its process (this one) runs
    store.cohorts.loads["cohort:trial"]["pid"] = _dead_pid()  # killed -9: 'adding', holder dead
    with pytest.raises(ConflictError, match=r"incomplete \(2 of 4 samples\).*was killed") as e:
        cohort_summary.cohort_patients(store, cohort="trial")
    assert "medtwin patient add-cohort --expression" in (e.value.hint or "")  # no command kept
    store.cohorts.begin_load("empty", 3, None)  # killed before its first sample
    store.cohorts.loads["cohort:empty"]["pid"] = _dead_pid()
    with pytest.raises(ConflictError, match=r"incomplete \(0 of 3 samples\)"):
        cohort_summary.cohort_patients(store, cohort="empty")  # was: "no patient in cohort"
    assert len(cohort_summary.cohort_patients(store, all_patients=True)) == 2  # --all: as is


def test_deleting_a_member_keeps_a_complete_cohort_complete(store: MemoryStore):
    patients.add_cohort(store, _cohort(3))
    patients.delete_patient(store, "S1")
    assert cohort_summary.cohort_patients(store, cohort="trial") == ["S0", "S2"]


@pytest.fixture
def cli_store(store: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    from medtwin.cli import cohort

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield store

    monkeypatch.setattr(cohort, "open_store", memory)
    return store


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--cohort", "trial"],
        ["stratify", "--cohort", "trial"],
        ["run", "--cohort", "trial", "--workers", "0"],
    ],
)
def test_cohort_commands_refuse_an_incomplete_cohort(cli_store, monkeypatch, args):
    from medtwin.cli import cli

    _fail_at(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        patients.add_cohort(cli_store, _cohort(3), command=RERUN)
    got = CliRunner().invoke(cli, ["cohort", *args])
    assert got.exit_code == 1, got.output
    assert "ConflictError: cohort 'trial' is incomplete (1 of 3 samples)" in got.stderr
    assert RERUN in got.stderr


def test_the_api_answers_409(store: MemoryStore, monkeypatch: pytest.MonkeyPatch):
    from medtwin.api import create_app
    from medtwin.api.deps import get_store
    from medtwin.settings import Settings
    from tests.api.conftest import READ, TestClient, api_settings

    _fail_at(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        patients.add_cohort(store, _cohort(3), command=RERUN)
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as c:
        r = c.get("/v1/cohorts/trial/summary", headers=READ)
    assert r.status_code == 409, r.text
    assert "incomplete (1 of 3 samples)" in r.json()["detail"]


def test_add_cohort_cli_records_its_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from medtwin.cli import patients as cli_patients

    store = MemoryStore()
    store.add_reference(genes={"1": "GA", "2": "GB", "3": "GC", "4": "GX"})

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield store

    monkeypatch.setattr(cli_patients, "open_store", memory)
    data = Path(__file__).resolve().parents[2] / "data" / "patient"
    monkeypatch.chdir(data)  # relative paths, as a user types them
    got = CliRunner().invoke(
        cli_patients.patient,
        ["add-cohort", "--expression", "cohort_expression.tsv",
         "--sample-sheet", "cohort_samples.tsv", "--p-max", "1"],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    (load,) = store.cohorts.load_states("patient")  # the folder's name: tests/data/patient
    assert load["status"] == "complete"
    assert load["samples"] == 3
    assert load["command"] == (
        f"medtwin patient add-cohort --expression {data / 'cohort_expression.tsv'} "
        f"--sample-sheet {data / 'cohort_samples.tsv'} --group-column group "
        "--control-label healthy --z-min 0.0 --p-max 1.0 --log-transform auto"
    )
