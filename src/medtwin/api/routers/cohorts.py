"""``/v1/cohorts/{name}/summary`` and ``/v1/patients/{id}/similar``: cohort results (read scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import TypeAdapter

from medtwin.api.deps import PatientId, StoreDep
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import BUSY_RESPONSES, NOT_FOUND_RESPONSES
from medtwin.errors import InputError
from medtwin.gc_pause import paused_gc
from medtwin.platform import cohort_summary as cohort
from medtwin.platform import similar_patients as similar
from medtwin.platform.kept_reads import kept_cohort_reads

# The reads' own modules above, not platform.cohort/stratify: those import the ranking stack
# (numpy, scipy), which `medtwin serve` then paid at start-up for no route of this router.

router = APIRouter(prefix="/v1", tags=["cohorts"], responses=NOT_FOUND_RESPONSES)

MAX_TOP = 100
"""Largest ``top_drugs`` of a cohort summary (its rows are patients x top_drugs)."""
MAX_PAGE = 500

CohortName = Annotated[
    str,
    Path(
        # any printable text but '/': a cohort name is free text (the demo's "multi-tissue demo
        # (two people)" was refused with 422); it only ever reaches Cypher as a parameter
        pattern=r"^[^\x00-\x1f\x7f/]{1,128}$",
        description="A cohort: the patients whose metadata.cohort is this name (URL-encoded: "
        "spaces as %20).",
    ),
]


@router.get(
    "/cohorts/{name}/summary",
    response_model=cohort.CohortSummary,
    dependencies=[Depends(scope("read"))],
    responses={
        200: {
            "headers": {
                f"X-Total-{what.capitalize()}": {
                    "description": f"{what.capitalize()} in the whole summary (pages of `limit`)",
                    "schema": {"type": "integer", "minimum": 0},
                }
                for what in ("drugs", "patients")
            }
        },
        **BUSY_RESPONSES,
    },
    summary="Per drug: patients with it in their top k (with q < 0.05, counteracting); per patient",
)
def cohort_summary(
    name: CohortName,
    store: StoreDep,
    response: Response,
    top_drugs: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_TOP,
            description="The top N drugs of each patient's latest ranking, counted per drug (its "
            "top k; default 20).",
        ),
    ] = None,
    top: Annotated[
        int | None,
        Query(ge=1, le=MAX_TOP, deprecated=True, description="The old name of `top_drugs`."),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="First drug/patient row.")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description="Drugs and patients per page.")
    ] = 100,
) -> Response:
    """One page (``offset``, ``limit``) of the drug and the patient lists; counts are over all.

    ``X-Total-Drugs`` and ``X-Total-Patients`` give the lists' full lengths.
    """
    # `top_drugs` as `medtwin cohort summary --top-drugs` (was `top`, which in the CLI is the
    # rows printed); `top` is still read
    if top is not None and top_drugs is not None and top != top_drugs:
        raise InputError(
            f"top_drugs {top_drugs} and its old name top {top} differ; give top_drugs only"
        )
    k = top_drugs or top or 20
    # Tens of thousands of row dicts live for the whole request: the collector's passes over
    # them held the GIL for 50-170 ms under load (see medtwin.gc_pause). The rows are freed by
    # reference counting when _summary_page returns, inside the block.
    with paused_gc():
        body, drugs, patients = _summary_page(store, name, k, offset, limit)
    response.headers["X-Total-Drugs"] = str(drugs)
    response.headers["X-Total-Patients"] = str(patients)
    return Response(body, media_type="application/json", headers=dict(response.headers))


def _summary_page(
    store: StoreDep, name: str, top: int, offset: int, limit: int
) -> tuple[bytes, int, int]:
    """The page's JSON and the full lists' lengths (drugs, patients)."""
    kept = kept_cohort_reads(store)  # the metadata and the add records: one read each
    ids = cohort.cohort_patients(kept, cohort=name)
    full = cohort.cohort_summary(kept, ids, top_drugs=top, cohort=name)
    end = offset + limit
    page = full.model_copy(
        update={"drugs": full.drugs[offset:end], "per_patient": full.per_patient[offset:end]}
    )
    # Serialised here, on the worker thread: a large JSON body rendered by the framework would
    # be rendered in the event loop, where /health and the 429s are answered.
    return render_summary(page), len(full.drugs), len(full.per_patient)


_PATIENT_JSON = TypeAdapter(cohort.PatientTop).dump_json


def render_summary(page: cohort.CohortSummary) -> bytes:
    """``page.model_dump_json()`` with the per-patient lists serialised one patient at a time.

    Why: pydantic's serializer keeps the GIL for a whole call, ~12-25 ms for a 200-patient x
    100-drug page on this 2-core machine (more under load); a few such reads at once kept
    ``/health``, which the event loop answers, waiting 100-300 ms (``make bench-api`` burst).
    Between two patients other threads take the GIL. The bytes are the same
    (``tests/api/test_render_summary.py``); ``per_patient`` is the model's last field.
    """
    head = page.model_copy(update={"per_patient": ()}).model_dump_json().encode()
    rows = b",".join([_PATIENT_JSON(p) for p in page.per_patient])
    return head[: -len(b"[]}")] + b"[" + rows + b"]}"  # head ends '"per_patient":[]}'


@router.get(
    "/patients/{patient_id}/similar",
    response_model=list[similar.SimilarPatient],
    dependencies=[Depends(scope("read"))],
    summary="Patients like this one (SIMILAR_TO from `medtwin cohort stratify`), best first",
)
def similar_patients(
    patient_id: PatientId,
    store: StoreDep,
    top: Annotated[
        int | None,
        Query(ge=1, le=1000, description="The most similar patients returned (default 10)."),
    ] = None,
    limit: Annotated[
        int | None,
        Query(ge=1, le=1000, deprecated=True, description="The old name of `top`."),
    ] = None,
) -> list[similar.SimilarPatient]:
    # `top` as `medtwin patient similar --top` (was --limit; `limit` is a page's size beside
    # `offset` in the other routes); `limit` is still read
    if top is not None and limit is not None and top != limit:
        raise InputError(f"top {top} and its old name limit {limit} differ; give top only")
    return similar.similar_patients(store, patient_id, limit=top or limit or 10)
