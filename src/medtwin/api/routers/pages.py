"""HTML pages: the per-patient report (needs a read key) and the twin viewer page.

The viewer page itself holds no patient data (it is the same static page for every patient),
so it is served without a key; its script asks for the key and sends it on each data request.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from medtwin.api.app_static import STATIC_DIR
from medtwin.api.deps import PatientId, StoreDep, TwinVersionQuery
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import NOT_FOUND_RESPONSES
from medtwin.platform import reports

router = APIRouter(prefix="/v1/patients/{patient_id}", tags=["pages"])

# These routes answer HTML, but their errors are the usual JSON body: say so in the schema (a
# plain {"model": ErrorBody} would be documented under text/html).
_JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": spec["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        **({"headers": spec["headers"]} if "headers" in spec else {}),
    }
    for code, spec in NOT_FOUND_RESPONSES.items()
}

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
VIEWER_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; frame-ancestors 'none'"
)


@router.get(
    "/report",
    response_class=HTMLResponse,
    dependencies=[Depends(scope("read"))],
    responses={
        **_JSON_ERRORS,
        200: {
            "content": {"text/html": {}},
            "description": "Self-contained HTML report, named `<patient_id>.html` for saving "
            "(`<patient_id>_v<N>.html` with `?version=N`; Content-Disposition), as `medtwin "
            "report` names its file",
            "headers": {
                "Content-Disposition": {
                    "description": 'inline; filename="<patient_id>.html" '
                    '("<patient_id>_v<N>.html" with ?version=N)',
                    "schema": {"type": "string"},
                }
            },
        },
    },
    summary="The patient's report: twin, plots, top drugs, explanations, provenance",
)
def report(
    patient_id: PatientId, store: StoreDep, version: TwinVersionQuery = None
) -> HTMLResponse:
    # Shown in the browser; saved (curl -OJ, a browser's "Save as") under the name `medtwin report`
    # writes, not "report" (an older version's beside the latest's, as `--version N` names it).
    # The id's pattern leaves nothing to quote in the header.
    name = patient_id if version is None else f"{patient_id}_v{version}"
    disposition = f'inline; filename="{name}.html"'
    return HTMLResponse(
        reports.patient_report(store, patient_id, version=version),
        headers={
            "Content-Security-Policy": REPORT_CSP,
            "Cache-Control": "no-store",
            "Content-Disposition": disposition,
        },
    )


@router.get(
    "/viewer",
    response_class=HTMLResponse,
    responses={
        414: _JSON_ERRORS[414],
        422: _JSON_ERRORS[422],
        429: _JSON_ERRORS[429],  # a static page, but the per-client limits count it
        200: {"content": {"text/html": {}}, "description": "Interactive twin viewer"},
    },
    summary="Interactive twin viewer (Cytoscape.js); asks for an API key in the page",
)
def viewer(patient_id: PatientId) -> HTMLResponse:
    page = (STATIC_DIR / "viewer.html").read_text(encoding="utf-8")
    return HTMLResponse(
        page.replace("{{patient_id}}", html.escape(patient_id, quote=True)),
        headers={"Content-Security-Policy": VIEWER_CSP, "Cache-Control": "no-store"},
    )
