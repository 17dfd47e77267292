"""The patient report: gather twin, ranking, explanations, graph and insights, then render.

Use case (the public Python API, called by the CLI and the API); see
:mod:`medtwin.platform.patients` for the conventions. The rendering is
:mod:`medtwin.platform.report` (matplotlib is loaded only by its charts,
:mod:`medtwin.platform.report_charts`).
"""

from __future__ import annotations

import logging

from medtwin.errors import InputError, NotFoundError
from medtwin.platform.arguments import count, twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.datasets import list_datasets
from medtwin.platform.explain import explain_drugs
from medtwin.platform.first_screen import screen_of
from medtwin.platform.insight_models import BiomarkerReport
from medtwin.platform.insight_reads import computed_biomarkers
from medtwin.platform.kept_reads import kept_twin_reads
from medtwin.platform.models import DrugExplanation, RankingResult
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.platform.regulator_views import stored_regulators
from medtwin.platform.report import render_report
from medtwin.platform.report_insights import (
    biomarker_section,
    resemblance_section,
    trajectory_section,
)
from medtwin.platform.report_regulators import regulator_section
from medtwin.platform.step_times import StepProgress, lap, reporting
from medtwin.platform.stored_insights import stored_diseases
from medtwin.platform.stored_rankings import latest_ranking_page
from medtwin.platform.time_points import patient_time_points
from medtwin.platform.twin_drawing import graph_of_twin
from medtwin.platform.twins import confirm_read_whole, twin_detail
from medtwin.store.base import GraphStore

__all__ = [
    "patient_report",
]

log = logging.getLogger(__name__)

REPORT_STEPS = (
    "reading the twin and its ranking",
    "explaining the top drugs",
    "laying out the twin",
    "reading and drawing the regulators and insights",
    "drawing the charts",
)
"""The steps :func:`patient_report` reports (its :func:`~.step_times.lap` marks). ``medtwin report``
was silent for them: 1.2-1.4 s idle, 16-17 s at load 17 (1.4 s of CPU), whose largest part is
the first chart's (the regulators', with matplotlib's import) and the twin's layout."""


@audited("read")
def patient_report(
    store: GraphStore,
    patient_id: str,
    *,
    top_drugs: int = 20,
    explain: int = 5,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
    progress: StepProgress | None = None,
) -> str:
    """The patient's self-contained HTML report.

    Parameters
    ----------
    store
        The graph store.
    patient_id
        The patient.
    top_drugs
        Drugs listed in the table.
    explain
        Drugs (from the top) explained with paths.
    version
        The twin version reported, with its latest ranking, explanations, resemblance and
        biomarkers (default: the latest twin).
    ctx
        The reference context (the process's one by default).
    progress
        ``progress(step, done, total)`` as each of :data:`REPORT_STEPS` ends.

    Raises
    ------
    NotFoundError
        Unknown patient, the patient has no twin yet, or no twin version ``version`` (the
        message lists the versions it has).
    """
    version = twin_version(version, patient_id)
    top_drugs, explain = count(top_drugs, "top_drugs", minimum=1), count(explain, "explain")
    with reporting(progress, REPORT_STEPS):
        return _report(store, patient_id, top_drugs, explain, version, ctx)


def _report(
    store: GraphStore,
    patient_id: str,
    top_drugs: int,
    explain: int,
    version: int | None,
    ctx: ReferenceContext | None,
) -> str:
    """:func:`patient_report`'s work, its steps marked (:data:`REPORT_STEPS`)."""
    # each part reads the twin's rows by its id: read once for all of them (kept_reads)
    store = kept_twin_reads(store)
    patient = get_patient(store, patient_id)
    # one twin for every part, checked once at the end (not by each part again)
    twin = store.twins.twin(patient_id, version)
    detail = twin_detail(store, twin)
    try:
        ranking: RankingResult | None = latest_ranking_page(
            store, patient_id, offset=0, limit=top_drugs, version=version, ctx=ctx
        )
    except NotFoundError:
        ranking = None
    screen = screen_of(store, ranking, lines=0) if ranking is not None else None
    lap(REPORT_STEPS[0])
    # one per first-screen line; a drug of a user's targets file has no targets to explain
    explanations: list[DrugExplanation] = explain_drugs(
        store,
        ctx or reference_context(),
        patient_id,
        [line.drug.drug_id for line in screen[:explain]] if screen else [],
        ranking=ranking,
        version=version,
    )
    lap(REPORT_STEPS[1])
    graph = graph_of_twin(store, twin)
    lap(REPORT_STEPS[2])
    extra_sections = [
        regulator_section(
            stored_regulators(store, detail.twin.id, twin=twin, version=version),
            patient_id=patient_id,
            version=version,
        ),  # fmt: skip
        *insight_sections(store, patient_id, ranked=ranking is not None, version=version, ctx=ctx),
    ]
    confirm_read_whole(store, patient_id, twin)
    lap(REPORT_STEPS[3])
    page = render_report(
        detail,
        ranking,
        explanations,
        graph,
        patient=patient,
        datasets=list_datasets(store),
        extra_sections=extra_sections,
        screen=screen,
        version=version,
    )
    lap(REPORT_STEPS[4])
    return page


def insight_sections(
    store: GraphStore,
    patient_id: str,
    *,
    ranked: bool = False,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> list[str]:
    """The insight sections of a patient's report (:mod:`medtwin.platform.report_insights`).

    The resemblance and the biomarkers are shown when stored (a report never computes them:
    issue 19; those of twin version ``version``, default the latest), the trajectory when the
    patient has more than one time point with a twin (nothing is built or ranked for it).
    """
    diseases = stored_diseases(store, patient_id, version=version)
    sections = [resemblance_section(patient_id, diseases, version=version)]
    try:
        report: BiomarkerReport | None = computed_biomarkers(
            store, patient_id, version=version, ctx=ctx
        )
    except NotFoundError:
        report = None
    sections.append(
        biomarker_section(report, patient_id=patient_id, ranked=ranked, version=version)
    )
    if len(patient_time_points(store, patient_id)) > 1:
        # the trajectory use case imports the ranking stack: only for patients followed in time
        from medtwin.platform import insights

        try:
            traj = insights.twin_trajectory(
                store, patient_id, None, build=False, rank=False, ctx=ctx
            )
        except InputError as e:  # e.g. fewer than two time points with a twin
            log.info("report %s: no trajectory (%s)", patient_id, e)
        else:
            sections.append(trajectory_section(traj))
    return sections
