"""Stored disease resemblance of a twin, read back without the science stack.

Kept apart from :mod:`medtwin.platform.insights` (which computes it and imports numpy and the
ranking code), so that ``medtwin twin diseases P`` shows a stored result on the lean driver
(:mod:`medtwin.store.lean`) like the other data commands, and computes only on a miss.
"""

from __future__ import annotations

from typing import Any

from medtwin.platform.models import DiseaseMatch
from medtwin.platform.patients import get_patient
from medtwin.store.base import GraphStore

__all__ = ["DISEASE_SOURCE", "disease_match", "stored_diseases", "stored_resemblance"]

DISEASE_SOURCE = "menche2015_interactome"
"""Reference disease modules a twin is compared with (Menche 2015: 299 diseases)."""


def disease_match(twin_id: str, r: dict[str, Any]) -> DiseaseMatch:
    """One stored ``RESEMBLES`` row (its properties) as a :class:`DiseaseMatch`."""
    return DiseaseMatch(
        twin_id=twin_id,
        rank=int(r["rank"]),
        disease_id=r["disease_id"],
        name=r["name"],
        n_genes=int(r["n_genes"]),
        shared=int(r["shared"]),
        d_c=float(r["d_c"]),
        z=r["z"],
        p=float(r["p"]),
        q=float(r["q"]),
        s_ab=r["s_ab"],
        n_samples=int(r["n_samples"]),
        seed=int(r["seed"]),
    )


def stored_diseases(
    store: GraphStore, patient_id: str, *, version: int | None = None
) -> list[DiseaseMatch]:
    """The stored resemblance of the patient's twin, closest first (empty when not computed)."""
    twin = store.twins.twin(patient_id, version)
    return [disease_match(twin["id"], r) for r in store.insights.resemblances(twin["id"])]


def stored_resemblance(
    store: GraphStore,
    patient_id: str,
    *,
    version: int | None = None,
    n_samples: int = 1000,
    seed: int = 0,
) -> list[DiseaseMatch] | None:
    """The stored resemblance when it was computed with ``n_samples``, ``seed`` and the source.

    ``None`` when nothing is stored for them (:func:`medtwin.platform.insights.twin_diseases`
    then computes); a :class:`~medtwin.errors.NotFoundError` for an unknown patient or twin.
    """
    get_patient(store, patient_id)
    twin = store.twins.twin(patient_id, version)
    rows = store.insights.resemblances(twin["id"])
    if rows and all(
        r["n_samples"] == n_samples and r["seed"] == seed and r["source"] == DISEASE_SOURCE
        for r in rows
    ):
        return [disease_match(twin["id"], r) for r in rows]
    return None
