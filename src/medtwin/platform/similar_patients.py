r"""Patients like a given one, as ``medtwin cohort stratify`` stored them (``SIMILAR_TO``).

A read of stored results, kept apart from :mod:`medtwin.platform.stratify` (which computes them
and imports numpy), so that ``medtwin patient similar`` runs on the lean driver
(:mod:`medtwin.store.lean`) like the other data commands; ``stratify`` re-exports both names.

The score is the one the stratification stored for the pair (its ``method``): the Jaccard
overlap of the two gene sets :math:`J = |A \cap B| / |A \cup B|` (``jaccard``,
``signed_jaccard``), :math:`\exp(-s_{AB})` with the network separation
:math:`s_{AB} = \langle d_{AB} \rangle - (\langle d_{AA} \rangle + \langle d_{BB} \rangle) / 2`
(``separation``), or the Pearson correlation of standardised activity vectors (``correlation``).

References
----------
Menche J. et al. Uncovering disease-disease relationships through the incomplete interactome.
Science 347, 1257601 (2015). doi:10.1126/science.1257601
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from medtwin.errors import InputError, NotFoundError
from medtwin.platform.endotypes import endotype_note
from medtwin.platform.frozen_model import Rows
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
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
    endotype_note: str | None = None
    """Set when a patient of the stratification was deleted since (the endotype predates it)."""


@audited("read")
def similar_patients(
    store: GraphStore, patient_id: str, *, limit: int = 10
) -> Rows[SimilarPatient]:
    """Patients most similar to ``patient_id`` (after ``cohort stratify``), best first.

    An empty list means a stratification placed the patient and its neighbours have since been
    deleted; a patient no stratification placed is an error that names the command, so that an
    API client can tell "not computed" from "none" (as for biomarker suggestions).

    Raises
    ------
    NotFoundError
        Unknown patient, or no ``medtwin cohort stratify`` has placed it (no twin then, or added
        after the run).
    InputError
        ``limit`` outside 1-1000 (the API's bounds).
    """
    if not 1 <= limit <= 1000:
        raise InputError(f"limit must be between 1 and 1000, got {limit}")
    patient = get_patient(store, patient_id)
    got = Rows(
        SimilarPatient,
        (
            SimilarPatient(
                patient_id=r["id"],
                score=float(r["score"]),
                method=r["method"],
                endotype=r["endotype"],
                metadata=json.loads(r["metadata_json"] or "{}"),
                endotype_note=endotype_note(r),
            )
            for r in store.cohorts.similar_patients(patient_id, limit)
        ),
    )
    if not got and patient.endotype_method is None:
        raise NotFoundError(
            f"patient {patient_id} is in no stratification yet, so no similar patient is stored",
            # no route stratifies: in_callers_words tells an API client where it is done
            hint="stratify a cohort of patients with twins (`medtwin cohort run` builds them): "
            "run `medtwin cohort stratify --cohort NAME`",
        )
    return got
