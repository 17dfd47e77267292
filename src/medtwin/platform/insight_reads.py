"""Read-only views of stored twin insights: reads never compute or write (issue 19).

Disease resemblance and biomarker suggestions are computed once per twin version (and ranking)
by a write path that holds the patient's lock
(:func:`medtwin.platform.diseases.twin_diseases`,
:func:`~medtwin.platform.insights.twin_biomarkers`: ``medtwin twin diseases``,
``medtwin biomarkers``, ``POST .../twins/latest/diseases`` and ``POST .../biomarkers``). The
functions here only read what was stored; when nothing is, they raise
:class:`~medtwin.errors.NotFoundError` naming the command or route that computes it.
"""

from __future__ import annotations

from medtwin.command_lines import patient_command, version_option
from medtwin.errors import InputError, NotFoundError
from medtwin.platform.context import ReferenceContext
from medtwin.platform.insight_models import BiomarkerReport
from medtwin.platform.models import DiseaseMatch
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.stored_insights import (
    biomarker_inputs,
    biomarker_key_parts,
    stored_diseases,
)
from medtwin.store.base import GraphStore

__all__ = ["computed_biomarkers", "computed_diseases"]


def computed_diseases(
    store: GraphStore, patient_id: str, *, version: int | None = None
) -> list[DiseaseMatch]:
    """The stored disease resemblance of the patient's twin, closest first.

    Raises
    ------
    NotFoundError
        Unknown patient or twin, or the resemblance of that twin was not computed yet (the hint
        names the command and the route that compute it).
    """
    get_patient(store, patient_id)
    rows = stored_diseases(store, patient_id, version=version)
    if not rows:
        which = "latest twin" if version is None else f"twin version {version}"
        raise NotFoundError(
            f"the disease resemblance of patient {patient_id}'s {which} is not computed yet",
            # the API's error words the command as its route (POST .../twins/latest/diseases)
            hint=f"run `{patient_command('twin diseases', patient_id, *version_option(version))}`",
        )
    return rows


def computed_biomarkers(
    store: GraphStore,
    patient_id: str,
    *,
    top: int = 10,
    top_drugs: int = 20,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> BiomarkerReport:
    """The stored biomarker suggestions for the latest ranking and these limits.

    ``version``: of that twin version's latest ranking (default: the latest twin's).

    Suggestions stored for the same ranking and ``top_drugs`` with ``top`` 0 (all) or a larger
    ``top`` serve a smaller ``top`` (the first ``top`` of the same ordering).

    Raises
    ------
    NotFoundError
        Unknown patient, no ranking, or nothing stored for this ranking and limits (the hint
        names the command and the route that compute them).
    InputError
        ``top`` negative or ``top_drugs`` below 1.
    """
    if top_drugs < 1 or top < 0:
        raise InputError(f"top must be >= 0 and top_drugs >= 1, got {top} and {top_drugs}")
    got = biomarker_inputs(
        store, patient_id, top=top, top_drugs=top_drugs, version=version, ctx=ctx
    )
    prefix, suffix = biomarker_key_parts(got.ranking, top_drugs)
    key = got.stored_key or ""
    stored_top = key[len(prefix) : -len(suffix)] if key.startswith(prefix) else ""
    if key.endswith(suffix) and stored_top.isdigit():
        n = int(stored_top)
        if n == top or n == 0 or (top != 0 and n > top):
            return got.report(top)
    # the API: ?top=…&top_drugs=…; the version as asked (without it: the latest twin's ranking)
    limits = (f"--top {top}", f"--top-drugs {top_drugs}", *version_option(version))
    of = (
        "its latest ranking" if version is None else f"the latest ranking of twin version {version}"
    )
    raise NotFoundError(
        f"biomarker suggestions of patient {patient_id} for {of} (top {top}, "
        f"top_drugs {top_drugs}) are not computed yet",
        hint=f"run `{patient_command('biomarkers', patient_id, *limits)}`",
    )
