"""Cohorts: build and rank many patients in parallel on Dask distributed, resumably.

:func:`run_cohort` plans each patient from what the store already holds and sends only the work left
to Dask workers (a ``LocalCluster`` of worker *processes* by default, or an existing scheduler given
by address: SLURM, Kubernetes, cloud). Stale twins are built again and done patients are skipped
(:mod:`medtwin.platform.cohort_plan` says which is which), so a killed run resumes where it stopped.

Each worker process opens its store (with the ``open_store`` factory the caller passes, e.g.
:meth:`medtwin.store.neo4j.Neo4jStore.open`: one driver connection) lazily on its first task and
keeps it; it reads the interactome once and memory-maps the all-pairs distance matrix from the cache
(``settings.cache_dir``), which the client computes once before any task starts. Workers run one
task at a time (``threads_per_worker=1``), without Dask's statistical profiler (it held the driver's
receive buffer: :mod:`medtwin.platform.dask_cluster`). One patient's failure is caught in its task
and reported with its reason at the end; the others go on.

:func:`add_cohort_files` adds the patients of an expression matrix; :func:`cohort_summary` counts,
per drug, the patients that have it in their top k (both re-exported).
"""

from __future__ import annotations

import atexit
import logging
import os
import resource
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from medtwin.command_lines import in_this_surface
from medtwin.errors import InputError, MedtwinError
from medtwin.platform.algorithms.distances import load_or_compute
from medtwin.platform.arguments import count, id_list, params_of
from medtwin.platform.cohort_arguments import StoreFactory, settings_of, store_opener
from medtwin.platform.cohort_files import add_cohort_files
from medtwin.platform.cohort_plan import PatientPlan, plan_run
from medtwin.platform.cohort_summary import (
    CohortSummary,
    DrugCount,
    PatientTop,
    cohort_patients,
    cohort_summary,
)
from medtwin.platform.context import reference_context
from medtwin.platform.dask_cluster import (
    checked_scheduler,
    close_cluster,
    connect_scheduler,
    local_cluster,
    quiet_shutdown,
    stop_profiler,
)
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.python_audit import acting_for, actor_of
from medtwin.platform.rankings import rank_drugs
from medtwin.platform.read_warnings import TARGETS_FILE_WARNINGS
from medtwin.platform.regulator_centrality import prefill
from medtwin.platform.step_times import collect, lap
from medtwin.platform.twins import build_twin
from medtwin.settings import Settings
from medtwin.store.base import GraphStore

__all__ = [
    "CohortRun",
    "CohortSummary",
    "DrugCount",
    "PatientOutcome",
    "PatientTop",
    "add_cohort_files",
    "cohort_patients",
    "cohort_summary",
    "run_cohort",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class PatientOutcome(_Model):
    """What a cohort run did for one patient."""

    patient_id: str
    status: Literal["done", "skipped", "failed"]
    built_twin: bool = False
    ranked: bool = False
    twin_id: str | None = None
    ranking_id: str | None = None
    error: str | None = Field(
        default=None, description="Reason of a failure: ``ErrorClass: message``."
    )
    error_type: str | None = Field(
        default=None, description="The failure's error class (``InputError``)."
    )
    hint: str | None = Field(default=None, description="What to do about the failure, if known.")
    seconds: float = 0.0
    worker_pid: int | None = None
    worker_peak_rss_mb: float | None = Field(
        default=None, description="Peak resident memory of the worker process so far."
    )
    steps: dict[str, float] = Field(
        default_factory=dict, description="Seconds per step (twin.*, rank.*), in order."
    )


class CohortRun(_Model):
    """The result of :func:`run_cohort`."""

    patients: tuple[PatientOutcome, ...]
    workers: int
    scheduler: str
    seconds: float
    warnings: tuple[str, ...] = Field(default=(), description=TARGETS_FILE_WARNINGS)

    def count(self, status: str) -> int:
        """Patients with ``status`` (done, skipped, failed)."""
        return sum(1 for p in self.patients if p.status == status)

    @property
    def failed(self) -> tuple[PatientOutcome, ...]:
        """The failures, with their reasons."""
        return tuple(p for p in self.patients if p.status == "failed")


# -- one patient (runs in a worker) -----------------------------------------------------------
_WORKER_STORES: dict[tuple[str, str], GraphStore] = {}


def _worker_store(settings: Settings, open_store: StoreFactory) -> GraphStore:
    """The process's store: one per worker process, opened on its first task."""
    key = (settings.neo4j_uri, settings.neo4j_database)
    if key not in _WORKER_STORES:
        stop_profiler()  # before the first query: see medtwin.platform.dask_cluster
        store = open_store(settings)
        _WORKER_STORES[key] = store
        atexit.register(store.close)
    return _WORKER_STORES[key]


def _share_distances(store: GraphStore, settings: Settings) -> None:
    """Memory-map the cached distance matrix into this process (once) for the rankings."""
    ctx = reference_context()
    ctx.distances(ctx.interactome(store), settings.cache_dir, mmap=True)


def run_patient(
    settings: Settings,
    plan: PatientPlan,
    twin_params: TwinParams,
    rank_params: RankParams,
    *,
    store: GraphStore | None = None,
    open_store: StoreFactory | None = None,
    audit_actor: str | None = None,
) -> PatientOutcome:
    """Build (if planned) and rank one patient; a failure is returned, never raised.

    Runs in a Dask worker process (``store`` None: the process's own, opened with ``open_store``)
    or in the caller (``store`` given). ``audit_actor``: the caller's store's actor
    (:mod:`medtwin.platform.python_audit`), so that a notebook's run on Dask is audited as its
    in-process run is; ``None`` for the CLI's run, which audits the command itself.
    """
    t0 = time.perf_counter()
    built = ranked = False
    twin_id = ranking_id = error_type = hint = None
    with collect() as steps, acting_for(audit_actor):
        try:
            if store is None:
                if open_store is None:
                    raise InputError("run_patient needs a store or a store factory")
                store = _worker_store(settings, open_store)
                lap("store")
            if plan.build:
                twin_id = build_twin(store, plan.patient_id, twin_params).id
                built = True
                lap("twin.rest")
            if plan.rank:
                _share_distances(store, settings)
                lap("rank.distances")
                result = rank_drugs(  # only the ids are kept: no first page read back
                    store, plan.patient_id, rank_params, cache_dir=settings.cache_dir, page=False
                )
                lap("rank.page")
                twin_id, ranking_id, ranked = result.twin_id, result.id, True
            status: Literal["done", "failed"] = "done"
            error = None
        except Exception as e:  # one patient's failure must not stop the cohort
            status = "failed"
            error_type = type(e).__name__
            error = f"{error_type}: {e.message if isinstance(e, MedtwinError) else e}"
            hint = (e.hint or None) if isinstance(e, MedtwinError) else None
            # INFO, as a failed twin of `twin build A B`: the caller reports each failure once
            # (the CLI as a JSON line under --json); a WARNING here was a second, text report.
            log.info("cohort: %s failed: %s", plan.patient_id, error)
    return PatientOutcome(
        patient_id=plan.patient_id,
        status=status,
        built_twin=built,
        ranked=ranked,
        twin_id=twin_id,
        ranking_id=ranking_id,
        error=error,
        error_type=error_type,
        hint=hint,
        seconds=round(time.perf_counter() - t0, 3),
        worker_pid=os.getpid(),
        worker_peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        steps={k: round(v, 3) for k, v in steps.items()},
    )


# -- the run --------------------------------------------------------------------------------
PREFILL_MIN_TWINS = 100
"""From this many twins to build, every TF's GDS PageRank column is computed first (18-26 s here):
such a batch would compute most of the 271 anyway, and its twins then only look them up."""


def _prepare_shared(store: GraphStore, settings: Settings, twins: int) -> None:
    """Compute (or find) what every worker shares, before any worker needs it.

    The cached distance matrix always; the TF PageRank columns of the regulatory projection
    when ``twins`` >= :data:`PREFILL_MIN_TWINS` (a no-op without GDS or when they are there).
    """
    t0 = time.perf_counter()
    load_or_compute(reference_context().interactome(store), settings.cache_dir, mmap=True)
    log.info(
        "cohort: distance matrix ready in %s (%.1f s)", settings.cache_dir, time.perf_counter() - t0
    )
    if twins >= PREFILL_MIN_TWINS and (filled := prefill(store)) is not None:
        log.info("cohort: %d TF PageRank columns computed in %.1f s", *filled)


def run_cohort(
    store: GraphStore,
    settings: Settings | None,
    ids: Sequence[str],
    *,
    open_store: StoreFactory | None = None,
    twin_params: TwinParams | Mapping[str, object] | None = None,
    rank_params: RankParams | Mapping[str, object] | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    progress: Progress | None = None,
    on_outcome: Callable[[PatientOutcome], None] | None = None,
) -> CohortRun:
    """Build missing or stale twins and rank every patient of ``ids`` on Dask (see module doc).

    Parameters
    ----------
    store, settings
        The client's store and settings (``None``: the store's, as :func:`medtwin.connect`
        opened it: ``run_cohort(store, None, ids)``).
    open_store
        Opens a worker process's own store from ``settings``; by default the store's class's
        ``open`` (``Neo4jStore.open``). Not used with ``workers=0``.
    ids
        Patient ids (:func:`cohort_patients`), a list.
    twin_params, rank_params
        Parameters of every twin and ranking, or dicts of their fields (defaults: the CLI's
        defaults).
    workers
        Worker processes of the ``LocalCluster``; 0 runs in this process (no Dask).
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); ``workers`` is then ignored.
    progress
        ``progress(done, total)`` after each patient finishes (skipped patients are not counted).
    on_outcome
        Called with each finished patient's outcome as it arrives (e.g. to log it at once).

    Returns
    -------
    CohortRun
        One outcome per patient: done, skipped (nothing to do) or failed (with the reason).
    """
    # A notebook's arguments, checked before any work: a dict of parameters raised
    # AttributeError deep in the plan, and a bare "P1" was read as patients "P" and "1".
    ids = id_list(ids, "ids")
    twin_params = params_of(twin_params, TwinParams, "twin_params") or TwinParams()
    rank_params = params_of(rank_params, RankParams, "rank_params") or RankParams()
    workers = count(workers, "workers")
    scheduler = checked_scheduler(scheduler)
    settings = settings_of(store, settings)
    if open_store is None and (workers or scheduler):
        open_store = store_opener(store)
    t0 = time.perf_counter()
    plans, said = plan_run(store, ids, twin_params, rank_params)  # said: the targets file's
    outcomes: dict[str, PatientOutcome] = {
        p.patient_id: PatientOutcome(patient_id=p.patient_id, status="skipped")
        for p in plans
        if p.done
    }
    todo = [p for p in plans if not p.done]
    log.info("cohort: %d patients, %d to do, %d done before", len(plans), len(todo), len(outcomes))
    where = scheduler or ("in-process" if workers == 0 else f"LocalCluster({workers})")
    if todo:
        _prepare_shared(store, settings, sum(p.build for p in todo))
        if progress:
            progress(0, len(todo))
        if scheduler is None and workers == 0:
            for i, plan in enumerate(todo, 1):
                outcomes[plan.patient_id] = run_patient(
                    settings, plan, twin_params, rank_params, store=store
                )
                if on_outcome:
                    on_outcome(outcomes[plan.patient_id])
                if progress:
                    progress(i, len(todo))
        else:
            # The workers open their own stores, which have no audit actor: the caller's
            # travels with each task (a notebook's run on Dask left no event; the CLI's: None).
            actor = actor_of(store)
            assert open_store is not None  # noqa: S101 -- set above when workers or scheduler
            for out in _run_on_dask(
                settings, open_store, todo, twin_params, rank_params, workers, scheduler, progress,
                audit_actor=actor,
            ):  # fmt: skip
                if on_outcome:
                    on_outcome(out)
                outcomes[out.patient_id] = out
    run = CohortRun(
        patients=tuple(outcomes[p.patient_id] for p in plans),
        workers=workers,
        scheduler=where,
        seconds=round(time.perf_counter() - t0, 3),
        warnings=said,
    )
    log.info(
        "cohort: %d done, %d skipped, %d failed in %.1f s",
        run.count("done"),
        run.count("skipped"),
        run.count("failed"),
        run.seconds,
    )
    return run


def _run_on_dask(
    settings: Settings,
    open_store: StoreFactory,
    todo: Sequence[PatientPlan],
    twin_params: TwinParams,
    rank_params: RankParams,
    workers: int,
    scheduler: str | None,
    progress: Progress | None,
    *,
    audit_actor: str | None = None,
) -> Iterator[PatientOutcome]:
    """Each patient's outcome as its task finishes (the cluster closes when all are out)."""
    from dask.distributed import as_completed

    # Dask's own INFO lines (scheduler and nanny start, stale scratch folders) only at -vv.
    if not log.isEnabledFor(logging.DEBUG):
        logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = local_cluster(workers) if scheduler is None else None
    client = connect_scheduler(scheduler or cluster)  # type: ignore[arg-type]
    run_id, done = uuid.uuid4().hex[:8], False
    try:
        futures = {
            client.submit(  # the worker process speaks as the caller (the CLI: commands)
                in_this_surface(run_patient),
                settings,
                plan,
                twin_params,
                rank_params,
                open_store=open_store,
                audit_actor=audit_actor,
                key=f"medtwin-cohort-{run_id}-{plan.patient_id}",
                pure=False,
            ): plan
            for plan in todo
        }
        finished = as_completed(futures)  # type: ignore[no-untyped-call]
        for i, future in enumerate(finished, 1):
            plan = futures[future]
            try:
                got: PatientOutcome = future.result()
            except Exception as e:  # a worker died (e.g. out of memory)
                got = PatientOutcome(
                    patient_id=plan.patient_id,
                    status="failed",
                    error=f"{type(e).__name__}: {e}",
                    error_type=type(e).__name__,
                )
            yield got
            if progress:
                progress(i, len(todo))
        done = True
    except KeyboardInterrupt:
        quiet_shutdown(client)
        raise
    finally:  # after an interrupt or an error a worker may be in a task: Dask's own 5 s to exit
        close_cluster(client, cluster, **({} if done else {"worker_exit": 5.0}))
