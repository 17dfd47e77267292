"""Run one twin build or ranking and stop dead at a chosen point, for the kill -9 tests.

``python -m tests.reliability.crash_worker build|rank|add|add-replace|add-cohort PATIENT POINT``:
prints ``PAUSED <point>`` when it reaches ``POINT`` and then sleeps until it is killed. ``add``
stores :data:`tests.api.conftest.DE_TABLE` as the patient's DE input; its point ``in_write`` stops
with the patient's lock held, before the write (where a ``patient add`` killed a few ms in stops).
``add-replace`` adds :data:`EDITED_DE_TABLE` (the same DataFrame input, other values) with
``replace=True``: it replaces the input ``add`` stored, in its one write.
``remove-input PATIENT POINT INPUT_ID`` removes that input (:func:`~medtwin.platform.patients.
remove_input`); when the patient has no such input (a rerun after the removal committed) it
prints ``NOT FOUND <message>`` and exits 1.
``add-cohort`` adds 4 such samples as cohort ``PATIENT`` (:func:`add_cohort`); its point
``sample#K`` stops before the K-th (``hold#K`` too, and goes on, printing ``RESUMED``, when it
gets SIGUSR1), ``slow#S`` prints ``SAMPLE k`` and waits S seconds before each
(a slowed add that runs on, for a backup started while it runs), ``wait#S`` adds with ``wait=S``
(``patient add-cohort --wait``), printing ``WAITING <status>`` at each look while another add of
the cohort holds its lock. ``POINT`` ``none`` runs to the end;
``count`` runs to the end and prints ``WRITES <n>`` (write transactions the operation made);
``write#K`` stops before the K-th write transaction (the seeded random kill points of
``test_faults``).
"""

from __future__ import annotations

import io
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from medtwin.errors import NotFoundError
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.runner import CypherRunner
from medtwin.store.twins import TwinStore
from tests.api.conftest import DE_TABLE

TWIN = TwinParams(module_samples=20, expand=3, max_seeds=50)
EDITED_DE_TABLE = DE_TABLE.replace("\t1.5\t", "\t2.5\t")
"""DE_TABLE with other values (an edited file, or a reader that reads it otherwise)."""
RANK = RankParams(n_samples=20)


class _Resume(Exception):
    """Raised by the SIGUSR1 handler of a ``hold#K`` pause: the worker goes on."""


def _pause(point: str) -> None:
    if point.startswith("hold#"):

        def resume(*_: object) -> None:
            raise _Resume

        signal.signal(signal.SIGUSR1, resume)
    print(f"PAUSED {point}", flush=True)
    try:
        time.sleep(600)
    except _Resume:
        print("RESUMED", flush=True)


def main() -> None:
    op, patient, point, *more = sys.argv[1:]
    settings = Settings()
    store = Neo4jStore.open(settings)
    if point.startswith("slow#"):  # add-cohort: print SAMPLE k and wait S s before each sample
        original_slow, done = patients.add_patient, [0]

        def slow_add(*a: Any, **k: Any) -> Any:
            done[0] += 1
            print(f"SAMPLE {done[0]}", flush=True)
            time.sleep(float(point.partition("#")[2]))
            return original_slow(*a, **k)

        patients.add_patient = slow_add  # type: ignore[assignment]
    if point.startswith(("sample#", "hold#")):  # add-cohort: stop before the K-th sample
        original_patient, calls = patients.add_patient, [0]

        def add_patient(*a: Any, **k: Any) -> Any:
            calls[0] += 1
            if calls[0] == int(point.partition("#")[2]):
                _pause(point)
            return original_patient(*a, **k)

        patients.add_patient = add_patient  # type: ignore[assignment]
    if point == "in_write":
        original_add = TwinStore.add_inputs

        def add_inputs(self: TwinStore, *a: Any, **k: Any) -> Any:
            _pause(point)
            return original_add(self, *a, **k)

        TwinStore.add_inputs = add_inputs  # type: ignore[method-assign]
    elif point == "after_create":
        original_create = TwinStore.create_twin

        def create(self: TwinStore, *a: Any, **k: Any) -> str:
            twin_id = original_create(self, *a, **k)
            _pause(point)
            return twin_id

        TwinStore.create_twin = create  # type: ignore[method-assign]
    elif point == "after_analyse":
        original_analyse = TwinStore.analyse

        def analyse(self: TwinStore, *a: Any, **k: Any) -> dict[str, Any]:
            got = original_analyse(self, *a, **k)
            _pause(point)
            return got

        TwinStore.analyse = analyse  # type: ignore[method-assign]
    elif point in {"mid_scores", "before_publish"}:
        original_write = Neo4jStore.write
        original_together = Neo4jStore.write_together

        def write(self: Neo4jStore, name: str, **params: Any) -> list[dict[str, Any]]:
            if point == "before_publish" and name == "ranking/publish_ranking":
                _pause(point)
            got = original_write(self, name, **params)
            if point == "mid_scores" and name == "ranking/create_scores":
                _pause(point)
            return got

        def together(self: Neo4jStore, *steps: tuple[str, dict[str, Any]]) -> Any:
            got = original_together(self, *steps)  # the hidden ranking with its scores
            if point == "mid_scores" and "ranking/create_scores" in {n for n, _ in steps}:
                _pause(point)
            return got

        Neo4jStore.write = write  # type: ignore[method-assign]
        Neo4jStore.write_together = together  # type: ignore[method-assign]
    if point == "count" or point.startswith("write#"):
        stop_at = int(point.partition("#")[2] or 0)
        made = [0]
        # Every write transaction of every store object goes through these three.
        original_write, original_batch = CypherRunner.write, CypherRunner._write_batch
        original_together = CypherRunner.write_together

        def counted(original: Any) -> Any:
            def call(self: CypherRunner, *a: Any, **k: Any) -> Any:
                made[0] += 1
                if made[0] == stop_at:
                    _pause(point)
                return original(self, *a, **k)

            return call

        CypherRunner.write = counted(original_write)  # type: ignore[method-assign]
        CypherRunner._write_batch = counted(original_batch)  # type: ignore[method-assign]
        CypherRunner.write_together = counted(original_together)  # type: ignore[method-assign]
    if op == "add-cohort":
        wait = float(point.partition("#")[2]) if point.startswith("wait#") else 0.0
        say = lambda status: print(f"WAITING {status}", flush=True)  # noqa: E731
        add_cohort(store, patient, 4, wait=wait, waiting=say)
    elif op == "add":
        patients.add_patient_files(store, patient, de=pd.read_csv(io.StringIO(DE_TABLE), sep="\t"))
    elif op == "add-replace":
        edited = pd.read_csv(io.StringIO(EDITED_DE_TABLE), sep="\t")
        patients.add_patient_files(store, patient, de=edited, replace=True)
    elif op == "remove-input":
        try:
            patients.remove_input(store, patient, more[0])
        except NotFoundError as e:  # a rerun after the removal committed
            print(f"NOT FOUND {e}", flush=True)
            sys.exit(1)
    elif op == "build":
        twins.build_twin(store, patient, TWIN)
    else:
        rankings.rank_drugs(store, patient, RANK, cache_dir=settings.cache_dir)
    if point == "count":
        print(f"WRITES {made[0]}", flush=True)
    print("DONE", flush=True)


def add_cohort(
    store: Neo4jStore,
    cohort: str,
    n: int,
    *,
    wait: float = 0.0,
    waiting: Callable[[str], None] | None = None,
) -> None:
    """``n`` samples ``<cohort>_<i>`` of cohort ``cohort``, each with DE_TABLE's changes."""
    frame = pd.read_csv(io.StringIO(DE_TABLE), sep="\t")
    profiles = [
        patients.read_patient_files(store, f"{cohort}_{i}", de=frame)[0][1].model_copy(
            update={"metadata": {"cohort": cohort}}
        )
        for i in range(n)
    ]
    patients.add_cohort(store, profiles, command=f"rerun {cohort}", wait=wait, waiting=waiting)


if __name__ == "__main__":
    main()
