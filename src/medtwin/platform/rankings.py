"""Rankings: screen every drug against a twin, read and export the ranking, explain a drug.

:func:`explain_drug` and :func:`explain_drugs` are re-exported from
:mod:`medtwin.platform.explanations`.

Use cases (the public Python API, called by the CLI and the API); see
:mod:`medtwin.platform.patients` for the conventions. Importing this module loads the ranking
stack (:mod:`medtwin.platform.treatment`, :mod:`medtwin.platform.ranking`), so the CLI imports it
only in the commands that rank. The interactome, its distance matrix and the ranking pages come
from the reference context ``ctx`` (the process's one by default).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from medtwin.errors import ExploratoryModuleError
from medtwin.outputs import output_path
from medtwin.platform import treatment
from medtwin.platform.arguments import as_path, callback, flag, params_of, twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.explanations import explain_drug, explain_drugs
from medtwin.platform.gating import module_gate
from medtwin.platform.models import RankingResult, RankParams
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.platform.ranking_table import write_ranking_tsv
from medtwin.platform.read_warnings import RankingMade, ranking_made, targets_file_warnings
from medtwin.platform.step_times import StepProgress, reporting
from medtwin.platform.stored_rankings import latest_ranking_page as get_ranking
from medtwin.store.base import GraphStore

__all__ = [
    "explain_drug",
    "explain_drugs",
    "export_ranking",
    "full_ranking",
    "get_ranking",
    "rank_drugs",
    "rank_steps",
]

log = logging.getLogger(__name__)

PAGE_SIZE = 5000
"""Drugs per page when a whole ranking is read (:func:`full_ranking`)."""
FIRST_PAGE = treatment.FIRST_PAGE
"""Drugs :func:`rank_drugs` returns unless asked for all (``full``)."""


@audited("write")
def rank_drugs(
    store: GraphStore,
    patient_id: str,
    params: RankParams | None = None,
    *,
    cache_dir: Path | str | None = None,
    version: int | None = None,
    require_module: bool = False,
    full: bool = False,
    ctx: ReferenceContext | None = None,
    targets_name: str | None = None,
    progress: StepProgress | None = None,
    page: bool = True,
) -> RankingMade:
    """Screen every drug against the patient's twin; store and return the ranking (first page).

    With a targets file (``params.targets`` a path: ``rank --targets FILE``) the result's
    ``warnings`` are what its reader said (rows skipped, action words of no known direction,
    genes not in the database: :data:`~medtwin.platform.read_warnings.TARGETS_READER`'s
    WARNINGs, logged too); the ranking records the file as ``"<name> sha256:<hex>"``, the name
    being ``targets_name`` when given (the API's upload: the client's file name, not the
    server's copy) or else the file's own name.

    ``cache_dir`` is where the interactome's distance matrix is kept between processes; by
    default the store's (:attr:`~medtwin.store.base.GraphStore.cache_dir`, ``$MEDTWIN_HOME/cache``
    for :func:`medtwin.connect`; none for :class:`~medtwin.store.memory.MemoryStore`, which
    computes the matrix in memory).

    With ``full`` every drug of the ranking just made is returned (as stored, not read back: a
    concurrent ranking of the patient cannot take its place), e.g. for
    :func:`~medtwin.platform.ranking_table.write_ranking_tsv`.

    With ``require_module`` a twin whose module is not more connected than random genes
    (:func:`~medtwin.platform.gating.module_gate`) is refused with an
    :class:`~medtwin.errors.ExploratoryModuleError` before anything is computed. The ranking
    replaces the previous one of the same twin and parameters atomically. One ranking (or build)
    per patient at a time: a second gets :class:`~medtwin.errors.ConflictError`.

    ``progress(step, done, total)`` is called as each step ends (:data:`rank_steps`: reading the
    twin and the distance matrix, each method, combining, storing), ``done`` growing to
    ``total``; e.g. a notebook's progress bar.

    ``page=False`` returns no drug (``drugs`` empty; ``stale_note`` does not compare the
    inputs): the ranking's id and fields without reading its first page back, for a caller
    that keeps only the id (``cohort run``).
    """
    version = twin_version(version, patient_id)
    cache_dir = store.cache_dir if cache_dir is None else as_path(cache_dir, "cache_dir")
    params = params_of(params, RankParams, "params")
    progress = callback(progress, "progress")
    require_module, full = flag(require_module, "require_module"), flag(full, "full")
    patient = get_patient(store, patient_id)
    page = flag(page, "page")
    if require_module:
        t = store.twins.twin(patient_id, version)
        gate = module_gate(t.get("module_z"), t.get("module_p"))
        if not gate.significant:
            raise ExploratoryModuleError(
                f"twin {t['id']} not ranked because a significant module is required: {gate.note}",
                hint="rank without --require-module (API: require_module false) to get an "
                "exploratory ranking, or add stronger patient evidence and rebuild the twin",
            )
    params = params or RankParams()
    with (
        store.patient_lock(patient_id, "ranking"),
        targets_file_warnings() as said,
        reporting(progress, rank_steps(params.methods)),
    ):
        made = treatment.rank_drugs(
            store,
            ctx or reference_context(),
            cache_dir,
            patient_id,
            params,
            version=version,
            full=full,
            targets_name=targets_name,
            patient=patient,
            page=page,
        )
    return ranking_made(made, said)


def rank_steps(methods: Sequence[str]) -> tuple[str, ...]:
    """The steps :func:`rank_drugs` reports progress by (its :func:`~.step_times.lap` marks).

    >>> rank_steps(["proximity", "degree", "proximity"])
    ('rank.inputs', 'rank.proximity', 'rank.degree', 'rank.combine', 'rank.symbols', 'rank.store')
    """
    each = tuple(f"rank.{m}" for m in dict.fromkeys(methods))
    return ("rank.inputs", *each, "rank.combine", "rank.symbols", "rank.store")


@audited("read")
def full_ranking(
    store: GraphStore,
    patient_id: str,
    *,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> RankingResult:
    """The latest ranking of the patient's twin with every drug (pages read until the total).

    ``version``: of that twin version (default: the latest twin).
    """
    version = twin_version(version, patient_id)
    ctx = ctx or reference_context()
    get_patient(store, patient_id)
    first = treatment.get_ranking(store, ctx, patient_id, version=version, limit=PAGE_SIZE)
    drugs = list(first.drugs)
    while len(drugs) < first.total:
        page = treatment.get_ranking(
            store, ctx, patient_id, version=version, offset=len(drugs), limit=PAGE_SIZE
        )
        if not page.drugs:
            break
        drugs.extend(page.drugs)
    return first.model_copy(update={"drugs": tuple(drugs)})


@audited("read")
def export_ranking(
    store: GraphStore,
    patient_id: str,
    out: Path | str,
    *,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> int:
    """Write every drug of the latest ranking to ``out`` as TSV (atomically); return the rows.

    ``version``: the latest ranking of that twin version (default: the latest twin).

    Columns: :data:`~medtwin.platform.ranking_table.COLUMNS`. Missing folders of ``out`` are made,
    as ``medtwin rank --out`` makes them; a folder that cannot be made or written is an
    :class:`OSError` naming ``out`` (and the file in the way, if one is).
    """
    version = twin_version(version, patient_id)
    # Before the ranking is read: a wrong type, or a folder that cannot take the file, fails fast.
    out = output_path(as_path(out, "out"))
    return write_ranking_tsv(full_ranking(store, patient_id, version=version, ctx=ctx), out)
