"""Work sent to a pool's thread or a cohort's worker process speaks to the caller's surface.

The surface is a context variable (:mod:`medtwin.command_lines`): a ``ThreadPoolExecutor``'s
threads and a Dask worker process start without it, so the demo's twin builds and ``medtwin
cohort run``'s patients made their notes in Python's words under the CLI. Here each twin pools
two time points, whose note (``input_conflicts``) names the build per time point in the caller's
words; the "cluster" runs each task in an empty context, as a new process has (no Dask, no
database).
"""

from __future__ import annotations

import contextvars
import pickle
from pathlib import Path
from typing import Any

import pytest

from medtwin.command_lines import in_this_surface, speaking_to
from medtwin.platform import cohort, cohort_plan, demo, patients, twins
from medtwin.platform.cohort_plan import PatientPlan
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import CHANGES, profile, reference_store
from tests.unit.services.test_cohort_audit import _Future

TWIN = TwinParams(module_samples=20, min_seeds=2)
RANK = RankParams(n_samples=30, methods=("proximity",))
CLI_NOTE = "(`medtwin twin build P1 --time-point w0`)"
PYTHON_NOTE = '(`twins.build_twin(store, "P1", TwinParams(time_point="w0"))`)'


class _ProcessClient:
    """Runs each task when submitted, in a fresh context: what a worker process starts with."""

    def submit(self, fn: Any, *args: Any, key: str, pure: bool, **kwargs: Any) -> _Future:
        return _Future(contextvars.Context().run(fn, *args, **kwargs))

    def close(self) -> None:
        pass


def _store() -> MemoryStore:
    store = reference_store()
    timed = tuple(c.model_copy(update={"time_point": tp}) for tp in ("w0", "w12") for c in CHANGES)
    patients.add_patient(store, profile("P1", changes=timed, symptoms=()))
    return store


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pooled-time-points note of each twin built (by the cohort's or the demo's builds)."""
    made: list[str] = []

    def build(store: Any, pid: str, params: Any = None, **kw: Any) -> Any:
        twin = twins.build_twin(store, pid, TWIN, **kw)
        made.append(twin.input_conflicts or "")
        return twin

    monkeypatch.setattr(cohort, "build_twin", build)
    monkeypatch.setattr(demo, "build_twin", build)
    return made


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import dask.distributed

    monkeypatch.setattr(cohort, "local_cluster", lambda n: None)
    monkeypatch.setattr(cohort, "connect_scheduler", lambda _: _ProcessClient())
    monkeypatch.setattr(dask.distributed, "as_completed", lambda futures: iter(futures))
    monkeypatch.setattr(cohort, "_WORKER_STORES", {})
    monkeypatch.setattr(
        cohort_plan,
        "plan_patients",
        lambda _store, ids, *_: [
            PatientPlan(patient_id=pid, build=True, rank=False, reason="missing") for pid in ids
        ],
    )


def _run(store: MemoryStore, tmp_path: Path) -> None:
    run = cohort.run_cohort(
        store,
        Settings(cache_dir=tmp_path),
        ["P1"],
        open_store=lambda _: store,
        twin_params=TWIN,
        rank_params=RANK,
        workers=2,
    )
    assert run.count("done") == 1, run.failed


def test_a_cli_cohort_runs_its_workers_in_the_clis_words(
    tmp_path: Path, workers: None, notes: list[str]
) -> None:
    with speaking_to("cli"):
        _run(_store(), tmp_path)
    assert len(notes) == 1
    assert CLI_NOTE in notes[0]  # before: the Python call, as the fresh process spoke Python
    _run(_store(), tmp_path)  # a notebook's run: Python's words still
    assert PYTHON_NOTE in notes[1]


def test_the_demos_build_threads_speak_the_clis_words(notes: list[str]) -> None:
    store = _store()
    with speaking_to("cli"):
        demo._build_twins(store, ["P1"], demo.DemoResult(), None)  # type: ignore[arg-type]
    assert CLI_NOTE in notes[0]  # before: the pool's thread spoke Python


def test_the_task_pickles_for_a_worker_process() -> None:
    with speaking_to("cli"):
        task = in_this_surface(cohort.run_patient)
    sent = pickle.loads(pickle.dumps(task))  # what Dask sends (cloudpickle reads the same)
    assert sent.args == ("cli", cohort.run_patient)
