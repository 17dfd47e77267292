"""Which known diseases a twin resembles: the ``twin diseases`` use case.

Kept apart from :mod:`medtwin.platform.insights`, whose trajectories import the ranking stack
(~0.3 s), so that ``medtwin twin diseases`` loads only what it computes with; ``insights``
re-exports :func:`twin_diseases`. Storage: the resemblance of *every* reference disease is stored
on the twin (``RESEMBLES``; see :mod:`medtwin.platform.insights` for the choices) and read back by
:mod:`medtwin.platform.stored_insights`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from medtwin.errors import NotFoundError
from medtwin.platform.arguments import as_path, callback, count, twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.frozen_model import Rows
from medtwin.platform.models import DiseaseMatch
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited, writes_now
from medtwin.platform.resemblance import twin_resemblance
from medtwin.platform.step_times import StepProgress, lap, reporting, tally
from medtwin.platform.stored_insights import DISEASE_SOURCE, twin_resemblance_rows
from medtwin.random_seed import check_seed
from medtwin.store.base import GraphStore

__all__ = ["DISEASE_STEPS", "twin_diseases"]

DISEASE_STEPS = (
    "reading the twin and the disease modules",
    "reading the interactome",
    "scoring the disease modules",
    "storing the resemblances",
)
"""The steps :func:`twin_diseases` reports when it computes (its :func:`~.step_times.lap` marks);
the scoring also tallies the modules scored (``scoring 299 disease modules``, done of total)."""

log = logging.getLogger(__name__)


@audited("read")
def twin_diseases(
    store: GraphStore,
    patient_id: str,
    cache_dir: Path | str | None = None,
    *,
    version: int | None = None,
    n_samples: int = 1000,
    seed: int = 0,
    refresh: bool = False,
    ctx: ReferenceContext | None = None,
    progress: StepProgress | None = None,
) -> Rows[DiseaseMatch]:
    """Every reference disease module, closest first; read from the twin when stored.

    A list with ``to_frame()`` (:class:`~medtwin.platform.frozen_model.Rows`).

    Proximity z with a degree-matched null and separation s_AB
    (:func:`medtwin.platform.resemblance.twin_resemblance`), stored on the twin (``RESEMBLES``)
    when nothing is stored for these ``n_samples``/``seed``/source, or when ``refresh`` is set,
    under the patient's lock (:class:`~medtwin.errors.ConflictError` while another holds it).
    Readers that must not compute use :mod:`medtwin.platform.insight_reads`.

    ``progress(step, done, total)`` hears each of :data:`DISEASE_STEPS` end when it computes
    (nothing when the result is read back), and the modules scored in between.
    """
    version = twin_version(version, patient_id)
    cache_dir = store.cache_dir if cache_dir is None else as_path(cache_dir, "cache_dir")
    n_samples, seed = count(n_samples, "n_samples", minimum=1), check_seed(seed)
    progress = callback(progress, "progress")
    ctx = ctx or reference_context()
    get_patient(store, patient_id)
    twins = store.twins
    twin = twins.twin(patient_id, version)
    insights = store.insights

    def stored() -> list[DiseaseMatch] | None:
        if refresh:
            return None
        return twin_resemblance_rows(store, twin, n_samples=n_samples, seed=seed)

    if (got := stored()) is not None:
        return Rows(DiseaseMatch, got)
    # Computed once per twin version: under the patient's lock (a second caller gets 409), and
    # read again inside it in case the holder before us stored the same result.
    with (
        store.patient_lock(patient_id, "disease resemblance"),
        reporting(progress, DISEASE_STEPS),
    ):
        if (got := stored()) is not None:
            return Rows(DiseaseMatch, got)
        writes_now()  # audited as a write (a notebook's call; the CLI's through on_writes)
        module = [g["entrez"] for g in twins.genes(twin["id"]) if g["in_module"]]
        diseases = store.reference.disease_gene_sets(DISEASE_SOURCE)
        if not diseases:
            raise NotFoundError(
                f"no disease genes from {DISEASE_SOURCE} in the database",
                hint=f"run `medtwin load --only {DISEASE_SOURCE}`",
            )
        lap(DISEASE_STEPS[0])
        network = ctx.interactome(store)
        # mapped, not read: a command reads the pages it touches of the ~170 MB file
        dist = ctx.distances(network, cache_dir, mmap=True)
        lap(DISEASE_STEPS[1])
        found = twin_resemblance(
            network,
            dist,
            module,
            diseases,
            n_samples=n_samples,
            seed=seed,
            progress=lambda done, total: tally(f"scoring {total} disease modules", done, total),
        )
        lap(DISEASE_STEPS[2])
        # plain Python values: the CLI may run on the lean driver (no numpy parameters)
        rows = [{**_plain(r.__dict__), "source": DISEASE_SOURCE} for r in found]
        n = insights.replace_resemblances(twin["id"], rows)
        lap(DISEASE_STEPS[3])
    log.info("twin %s: disease resemblance computed, %d stored", twin["id"], n)
    return Rows(DiseaseMatch, (DiseaseMatch(twin_id=twin["id"], **r.__dict__) for r in found))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Numpy scalars as Python numbers (``.item()``), other values as they are."""
    return {k: v.item() if hasattr(v, "item") else v for k, v in row.items()}
