"""The main job end to end on the bundled default (``make demo`` / ``medtwin demo``).

1. Fetch the pinned reference files (mirror or upstream, sha256 checked) and load the graph.
2. Add the demo patients from real data (:mod:`medtwin.platform.demo_cohorts`): 18 RA PBMC
   patients (GSE15573, vs 15 healthy donors), 81 RA synovium patients (PEAC, vs the rest of the
   cohort, pathotype kept), one multicellular PBMC profile (10x PBMC 68k) and one multi-tissue
   patient made of two people's samples (PBMC 68k blood + one PEAC synovium; said so in its
   metadata, the demo output and docs/tissues.md). The RA patients
   carry the cohort diagnosis as phenotype HP:0001370 (rheumatoid arthritis): a cohort-level
   label, not a per-patient clinical record. Each cohort is recorded as being added until its
   last patient is stored, as ``patient add-cohort`` records its own
   (:mod:`medtwin.platform.cohort_loads`).
3. Build one twin per patient (skipped when the patient already has one made under today's twin
   rules, unless ``rebuild``).
4. Rank the approved DrugBank drugs for the showcase patients (one per cohort) and explain the
   top ones (experimental compounds with one target inside the module otherwise crowd the top;
   `medtwin rank` without ``--approved-only`` screens all of them).

Every step is idempotent: a second ``make demo`` finds the datasets, patients, twins and the
showcase rankings (same twin and parameters) stored, and only writes the reports again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from medtwin.atomic import PATIENT_FILE_MODE, atomic_output
from medtwin.command_lines import in_this_surface
from medtwin.errors import InputError, names_patient
from medtwin.loaders.fetch import fetch_all
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform import demo_cohorts, reference
from medtwin.platform.cohort_loads import cohort_add_recorded
from medtwin.platform.context import reference_context
from medtwin.platform.first_screen import ScreenLine, screen_of
from medtwin.platform.models import DrugExplanation, RankingResult, RankParams, TwinSummary
from medtwin.platform.patients import add_patient, list_patients
from medtwin.platform.rankings import explain_drugs, rank_drugs
from medtwin.platform.reference import LoadTarget
from medtwin.platform.reports import patient_report
from medtwin.platform.stored_rankings import reusable_ranking
from medtwin.platform.twin_currency import stale_patients
from medtwin.platform.twin_models import TwinDetail
from medtwin.platform.twins import build_twin, show_twin
from medtwin.settings import Settings
from medtwin.store.base import GraphStore

__all__ = ["DemoResult", "add_demo_patients", "run_demo", "showcase_patients"]

log = logging.getLogger(__name__)


class DemoStore(GraphStore, LoadTarget, Protocol):
    """The demo loads the reference graph, then builds and ranks: both protocols in one store."""


RA_PHENOTYPE = "HP:0001370"
TWIN_WORKERS = 2
"""Twin builds at a time (this machine has 2 cores; the server works on the other)."""


@dataclass
class DemoResult:
    """What the demo did, for the CLI to print."""

    loaded: list[reference.DatasetLoad] = field(default_factory=list)
    patients: int = 0
    twins_built: int = 0
    twin_seconds: list[float] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    screens: dict[str, list[ScreenLine]] = field(default_factory=dict)
    showcase: list[tuple[TwinDetail, RankingResult, list[DrugExplanation]]] = field(
        default_factory=list
    )
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per step: load, patients, twins, rankings (with explanations and reports)."""


def showcase_patients(profiles: Sequence[PatientProfile], with_twin: set[str]) -> list[str]:
    """The first patient with a twin of each demo cohort (RA PBMC, PEAC, PBMC 68k, multi-tissue)."""
    picks: dict[str, str] = {}
    for p in profiles:
        cohort = p.metadata.get("cohort", "")
        if p.patient_id in with_twin and cohort not in picks:
            picks[cohort] = p.patient_id
    return list(picks.values())


def _build_one(store: DemoStore, pid: str) -> tuple[TwinSummary | None, InputError | None]:
    try:
        return build_twin(store, pid), None
    except InputError as e:  # e.g. a PEAC patient whose few changes miss the interactome
        return None, e


def _build_twins(
    store: DemoStore,
    todo: Sequence[str],
    out: DemoResult,
    progress: Callable[[str, int, int], None] | None,
) -> None:
    """Build the twins of ``todo``, :data:`TWIN_WORKERS` at a time; record them in ``out``.

    Each build alternates Python work (seeds, module, random walk) with waits on the server
    (writes, GDS algorithms in the JVM), so two builds overlap on two cores. Builds of different
    patients are independent (each holds its own patient lock, projections are named per twin,
    algorithms are seeded and single-threaded), so the twins are those of a serial run.
    """
    if not todo:
        return
    reference_context().interactome(store)  # read once, before the threads share it
    with ThreadPoolExecutor(max_workers=TWIN_WORKERS, thread_name_prefix="twin") as pool:
        # the pool's threads start without the caller's surface: each build takes it along
        futures = {pool.submit(in_this_surface(_build_one), store, pid): pid for pid in todo}
        for i, _ in enumerate(as_completed(futures), 1):
            if progress:
                progress("twins", i, len(todo))
    for future, pid in futures.items():  # in patient order, as a serial run reports them
        twin, error = future.result()
        if error is not None:
            log.warning("no twin for %s: %s", pid, error)
            out.skipped.append(_skip_line(pid, error))
        elif twin is not None:
            out.twin_seconds.append(twin.seconds or 0.0)
    out.twins_built = len(out.twin_seconds)


def load_for_demo(
    store: DemoStore, settings: Settings, progress: Callable[[str, int, int], None] | None
) -> list[reference.DatasetLoad]:
    """Load the reference: the bulk importer when the local database is empty, else MERGE.

    Both build the same graph (``tests/reliability/test_zz_bulk_import.py``); the importer is
    the fast path for an empty database, but it needs the project-managed server running here
    (it stops and restarts it), so any other store is loaded incrementally.
    """
    bulk_importer = getattr(store, "bulk_importer", None)
    if bulk_importer is not None and settings.is_local:
        importer: reference.BulkImporter = bulk_importer()
        if importer.is_available() and importer.is_empty():
            log.info("demo: empty local database, loading with the bulk importer")
            return reference.load_reference_bulk(
                store, importer, settings.data_dir, progress=progress
            )
    return reference.load_reference(store, settings.data_dir, progress=progress)


def run_demo(
    store: DemoStore,
    settings: Settings,
    *,
    rebuild: bool = False,
    explain_top: int = 3,
    report_dir: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoResult:
    """Run the whole demo (see the module docstring); returns what happened.

    ``progress(step, done, total)`` reports rows per dataset while loading, then the steps
    ``patients``, ``twins`` and ``rankings`` (one call per item).
    """
    t0 = time.perf_counter()
    out = DemoResult()
    fetch_all(settings.data_dir, settings.data_mirror)
    out.loaded = load_for_demo(store, settings, progress)
    out.phases["load"] = time.perf_counter() - t0
    t_step = time.perf_counter()
    genes = reference_context().gene_index(store)
    profiles = demo_cohorts.demo_patients(settings.data_dir, genes)
    profiles = (
        *profiles,
        demo_cohorts.multi_tissue_profile(
            settings.data_dir,
            genes,
            blood=next(p for p in profiles if p.patient_id == demo_cohorts.PBMC68K_PATIENT_ID),
            synovium=[p for p in profiles if p.metadata.get("cohort") == demo_cohorts.PEAC],
        ),
    )
    profiles = tuple(
        p
        if p.patient_id in {demo_cohorts.PBMC68K_PATIENT_ID, demo_cohorts.MULTI_TISSUE_PATIENT_ID}
        else p.model_copy(update={"symptoms": (RA_PHENOTYPE,)})
        for p in profiles
    )
    add_demo_patients(store, profiles, progress)
    out.patients = len(profiles)
    out.phases["patients"] = time.perf_counter() - t_step
    t_step = time.perf_counter()
    todo = _twins_to_build(store, [p.patient_id for p in profiles], rebuild=rebuild)
    _build_twins(store, todo, out, progress)
    out.phases["twins"] = time.perf_counter() - t_step
    t_step = time.perf_counter()
    with_twin = {p.id for p in list_patients(store) if p.twin_versions}
    showcase = showcase_patients(profiles, with_twin)
    for i, pid in enumerate(showcase, 1):
        params = RankParams(approved_only=True)
        # a rerun shows the stored ranking of the same twin and parameters (same table)
        ranking = (
            None if rebuild else reusable_ranking(store, reference_context(), pid, params)
        ) or (rank_drugs(store, pid, params, cache_dir=settings.cache_dir))
        screen = screen_of(store, ranking, lines=0)
        out.screens[pid] = screen
        explanations = explain_drugs(  # one per first-screen line: same targets explained once
            store, pid, [line.drug.drug_id for line in screen[:explain_top]], ranking=ranking
        )
        out.showcase.append((show_twin(store, pid), ranking, explanations))
        if report_dir is not None:
            report_dir.mkdir(parents=True, exist_ok=True)
            page = patient_report(store, pid)
            with atomic_output(report_dir / f"{pid}.html", text=True, mode=PATIENT_FILE_MODE) as fh:
                fh.write(page)
            out.reports.append(report_dir / f"{pid}.html")
        if progress:
            progress("rankings", i, len(showcase))
    out.phases["rankings"] = time.perf_counter() - t_step
    out.seconds = time.perf_counter() - t0
    return out


def add_demo_patients(
    store: GraphStore,
    profiles: Sequence[PatientProfile],
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Store the demo's patients, each as one ``demo`` input, their cohorts recorded.

    Its cohorts are recorded as ``patient add-cohort`` records its own: a demo killed while
    adding leaves them incomplete (cohort summary/stratify/run refuse them, naming ``medtwin
    demo``), where before they had no record and a partial PEAC passed for the whole cohort.
    Each input replaces the patient's earlier ones of the same files (``replace``): a rerun
    after a reader change leaves the inputs a fresh demo would (before, the re-read values
    were a second input beside the first, and the twin read both).
    """
    with cohort_add_recorded(store, profiles, "medtwin demo", replace=True):
        for i, profile in enumerate(profiles, 1):
            add_patient(store, profile, kind="demo", replace=True)
            if progress:
                progress("patients", i, len(profiles))


def _skip_line(pid: str, error: object) -> str:
    """Why ``pid`` got no twin, naming the patient once.

    Examples
    --------
    >>> _skip_line("SYN049", "patient SYN049 has no changed gene to build a twin from")
    'patient SYN049 has no changed gene to build a twin from'
    >>> _skip_line("P1", "the interactome is not loaded")
    'P1: the interactome is not loaded'
    """
    text = str(error)
    return text if names_patient(text, pid) else f"{pid}: {text}"


def _twins_to_build(store: GraphStore, ids: Sequence[str], *, rebuild: bool) -> list[str]:
    """The patients of ``ids`` whose latest twin a build now would not repeat (or who have none).

    A rerun of the demo after an upgrade builds again the twins made under older twin rules,
    and those that predate their patient's inputs (a reader change gave a demo patient other
    inputs, which the rerun replaced), so it leaves the twins a fresh demo would, instead of
    showing the old ones with a note to rebuild them.
    """
    if rebuild:
        return list(ids)
    stale, _ = stale_patients(store, ids)
    current = {r["id"] for r in store.twins.latest_twin_inputs(ids)} - set(stale)
    return [pid for pid in ids if pid not in current]
