"""A notebook's ``cohort.run_cohort`` is audited on Dask as in-process: the actor rides the task.

The Dask workers open their own stores, which have no audit actor, so a notebook's run on Dask
left no event. Here the "cluster" runs each submitted task at once in this process, on a view of
the store without the actor (what a worker opens): no Dask, no database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medtwin.platform import cohort, cohort_plan, patients
from medtwin.platform.cohort_plan import PatientPlan
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile, reference_store

TWIN = TwinParams(module_samples=20, min_seeds=2)
RANK = RankParams(n_samples=30, methods=("proximity",))


class _WorkerStore:
    """The worker's own store: the same data, no ``audit_actor`` (as ``Neo4jStore.open``)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name == "audit_actor":
            raise AttributeError(name)
        return getattr(self._store, name)


class _Future:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


class _Client:
    """Runs each task when submitted; keeps what was sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def submit(self, fn: Any, *args: Any, key: str, pure: bool, **kwargs: Any) -> _Future:
        self.sent.append(kwargs)
        return _Future(fn(*args, **kwargs))

    def close(self) -> None:
        pass


@pytest.fixture
def dask(monkeypatch: pytest.MonkeyPatch) -> _Client:
    import dask.distributed

    client = _Client()
    monkeypatch.setattr(cohort, "local_cluster", lambda n: None)
    monkeypatch.setattr(cohort, "connect_scheduler", lambda _: client)
    monkeypatch.setattr(dask.distributed, "as_completed", lambda futures: iter(futures))
    monkeypatch.setattr(cohort, "_WORKER_STORES", {})  # each test's worker opens its store
    # every patient to build and rank (the memory store does not read cohort states)
    monkeypatch.setattr(
        cohort_plan,  # run_cohort plans through cohort_plan.plan_run
        "plan_patients",
        lambda _store, ids, *_: [
            PatientPlan(patient_id=pid, build=True, rank=True, reason="missing") for pid in ids
        ],
    )
    return client


def _store(actor: str | None) -> MemoryStore:
    store = reference_store()
    for pid in ("P1", "P2"):
        patients.add_patient(store, profile(pid))
    if actor is not None:
        store.audit_actor = actor  # type: ignore[attr-defined]  # as medtwin.connect() sets it
    store.audit.clear()  # the additions' events: only the run's are compared
    return store


def _run(store: MemoryStore, tmp_path: Path, workers: int) -> None:
    run = cohort.run_cohort(
        store,
        Settings(cache_dir=tmp_path),
        ["P1", "P2", "NOPE"],
        open_store=lambda _: _WorkerStore(store),  # type: ignore[arg-type, return-value]
        twin_params=TWIN,
        rank_params=RANK,
        workers=workers,
    )
    assert run.count("done") == 2, run.failed
    assert [f.patient_id for f in run.failed] == ["NOPE"]


def _events(store: MemoryStore) -> list[tuple[str, str, str | None, str, int]]:
    return [
        (e["actor"], e["action"], e["patient_id"], e["route"], e["status"]) for e in store.audit
    ]


def test_a_notebook_run_on_dask_leaves_the_events_of_its_in_process_run(
    tmp_path: Path, dask: _Client
) -> None:
    in_process = _store("python:me")
    _run(in_process, tmp_path, workers=0)
    assert dask.sent == []  # no task: it ran in this process
    on_dask = _store("python:me")
    _run(on_dask, tmp_path, workers=2)
    assert [kw["audit_actor"] for kw in dask.sent] == ["python:me"] * 3  # with every task
    expected = [
        ("python:me", "write", pid, route, 0)
        for pid in ("P1", "P2")
        for route in ("python: build_twin", "python: rank_drugs")
    ]
    assert _events(in_process) == expected  # NOPE is no patient: no event, as in the CLI
    assert _events(on_dask) == expected  # before: [] (the workers' stores have no actor)


def test_a_cli_run_on_dask_records_nothing_there(tmp_path: Path, dask: _Client) -> None:
    """The CLI's store has no actor: it audits the command itself, so nothing is doubled."""
    store = _store(None)
    _run(store, tmp_path, workers=2)
    assert [kw["audit_actor"] for kw in dask.sent] == [None] * 3
    assert store.audit == []


def test_the_task_actor_ends_with_the_task(tmp_path: Path, dask: _Client) -> None:
    """A worker process runs many clients' tasks: the actor is not left on it afterwards."""
    from medtwin.platform import twins

    store = _store("python:me")
    _run(store, tmp_path, workers=2)
    n = len(store.audit)
    twins.show_twin(_WorkerStore(store), "P1")  # type: ignore[arg-type]  # the worker's store
    assert len(store.audit) == n
