"""Patients like a given one, as ``medtwin cohort stratify`` stored them (``SIMILAR_TO``).

A read of stored results, kept apart from :mod:`medtwin.platform.stratify` (which computes them
and imports numpy), so that ``medtwin patient similar`` runs on the lean driver
(:mod:`medtwin.store.lean`) like the other data commands; ``stratify`` re-exports both names.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from medtwin.platform.patients import get_patient
from medtwin.store.base import GraphStore

__all__ = ["SimilarPatient", "similar_patients"]


class SimilarPatient(BaseModel):
    """A patient like another one."""

    model_config = ConfigDict(frozen=True)

    patient_id: str
    score: float
    method: str
    endotype: int | None
    metadata: dict[str, str]


def similar_patients(
    store: GraphStore, patient_id: str, *, limit: int = 10
) -> list[SimilarPatient]:
    """Patients most similar to ``patient_id`` (after ``cohort stratify``), best first."""
    get_patient(store, patient_id)
    return [
        SimilarPatient(
            patient_id=r["id"],
            score=float(r["score"]),
            method=r["method"],
            endotype=r["endotype"],
            metadata=json.loads(r["metadata_json"] or "{}"),
        )
        for r in store.cohorts.similar_patients(patient_id, limit)
    ]
