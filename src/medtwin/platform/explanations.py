"""Why a drug ranks where it does for a patient: the ``explain`` use case.

Kept apart from :mod:`medtwin.platform.rankings`, which imports the ranking stack to rank, so that
explaining a stored ranking (``medtwin explain``) loads only what it reads: the twin, the ranking
page and the interactome for the paths (:mod:`medtwin.platform.explain`). ``rankings`` re-exports
:func:`explain_drug`.
"""

from __future__ import annotations

from collections.abc import Sequence

from medtwin.platform import explain
from medtwin.platform.arguments import twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import DrugExplanation, RankingResult
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.store.base import GraphStore

__all__ = ["explain_drug", "explain_drugs"]


@audited("read")
def explain_drug(
    store: GraphStore,
    patient_id: str,
    drug_id: str,
    *,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> DrugExplanation:
    """Targets, module genes reached and shortest paths of one drug for one patient.

    ``version``: of that twin version and its latest ranking (default: the latest twin); a
    version the patient does not have is a :class:`~medtwin.errors.NotFoundError` listing those
    it has.
    """
    version = twin_version(version, patient_id)
    get_patient(store, patient_id)
    return explain.explain_drug(
        store, ctx or reference_context(), patient_id, drug_id, version=version
    )


@audited("read")
def explain_drugs(
    store: GraphStore,
    patient_id: str,
    drug_ids: Sequence[str],
    *,
    ranking: RankingResult | None = None,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> list[DrugExplanation]:
    """:func:`explain_drug` of several drugs with one read of the twin (a report's top drugs).

    ``version``: as for :func:`explain_drug`. ``ranking``, a page of the twin's latest ranking,
    gives the rows of the drugs on it. Drugs
    that cannot be explained (not in the database; a ranking from a targets file) are left out.
    """
    version = twin_version(version, patient_id)
    get_patient(store, patient_id)
    return explain.explain_drugs(
        store, ctx or reference_context(), patient_id, drug_ids, ranking=ranking, version=version
    )
