"""The API route that does what a hint's ``medtwin …`` command does, for API clients.

Hints and notes are written with the CLI command of their next step (``build one with `medtwin
twin build P1```). An API client calls routes, so :func:`medtwin.command_lines.in_callers_words`
words them for it with this table, as :mod:`medtwin.python_calls` does for a notebook user: the
error bodies of the API (:mod:`medtwin.api.errors`) and the notes of its responses name
``POST /v1/patients/P1/twins`` instead.

Some commands have no route (:data:`CLI_ONLY`): the server's own administration (``db``,
``data fetch``, ``load``, ``api-key``) is done where the server runs, and a cohort's add or
stratification has no route; their hints keep the command, which whoever runs the server can run.

No ``medtwin`` import but :mod:`medtwin.python_calls`: :mod:`medtwin.command_lines` imports this.
"""

from __future__ import annotations

import re

from medtwin.python_calls import translated

__all__ = ["API_ROUTES", "CLI_ONLY", "api_route"]

_ID = r"(?P<id>[A-Za-z0-9<][A-Za-z0-9_.<>-]*)"  # an id, not `...`
_PATIENT = "/v1/patients/{id}"

API_ROUTES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), route)
    for pattern, route in (
        (r"^twin build --all\b", None),  # every patient: one build route call each
        (
            rf"^twin build {_ID}.* --time-point (?P<tp>\S+)",
            f'POST {_PATIENT}/twins with {{{{"time_point": "{{tp}}"}}}}',
        ),
        (rf"^twin build {_ID}", f"POST {_PATIENT}/twins"),
        (rf"^twin diseases {_ID}", f"POST {_PATIENT}/twins/latest/diseases"),
        (rf"^twin trajectory {_ID}", f"POST {_PATIENT}/trajectory"),
        (
            rf"^twin regulators {_ID}.* --by cell-type\b",  # the API's value is cell_type
            f"GET {_PATIENT}/twins/latest/regulators?by=cell_type",
        ),
        (
            rf"^twin regulators {_ID}.* --by (?P<by>\S+)",
            f"GET {_PATIENT}/twins/latest/regulators?by={{by}}",
        ),
        (rf"^twin regulators {_ID}", f"GET {_PATIENT}/twins/latest/regulators"),
        (rf"^twin show {_ID}", f"GET {_PATIENT}/twins/latest"),
        (
            rf"^biomarkers {_ID}.* --top (?P<top>\d+) --top-drugs (?P<drugs>\d+)",
            f"POST {_PATIENT}/twins/latest/biomarkers?top={{top}}&top_drugs={{drugs}}",
        ),
        (rf"^biomarkers {_ID}", f"POST {_PATIENT}/twins/latest/biomarkers"),
        (rf"^rank {_ID}\b.* --out\b", f"GET {_PATIENT}/rankings/latest"),
        (rf"^rank {_ID}", f"POST {_PATIENT}/rankings"),
        (rf"^explain {_ID} (?P<drug>[^\s.]\S*)", f"GET {_PATIENT}/drugs/{{drug}}/explanation"),
        (rf"^report {_ID}", f"GET {_PATIENT}/report"),
        (r"^patient add-cohort\b", None),
        (rf"^patient add {_ID}", "POST /v1/patients with patient_id={id}"),
        (r"^patient add\b", "POST /v1/patients"),
        (rf"^patient delete {_ID}", f"DELETE {_PATIENT}"),
        (rf"^patient show {_ID}", f"GET {_PATIENT}"),
        (
            r"^cohort run\b",
            "POST /v1/patients/{{id}}/twins, then POST /v1/patients/{{id}}/rankings for each "
            "patient",
        ),
        (rf"^cohort summary --cohort {_ID}", "GET /v1/cohorts/{id}/summary"),
        (r"^describe\b", "GET /v1/datasets/summary"),
    )
)  # fmt: skip
"""(pattern of the command after ``medtwin ``, its route or ``None``); the first match wins."""

CLI_ONLY: dict[str, str] = {
    "db": "administers the server's database where it runs",
    "data": "fetches reference files on the server",
    "load": "loads reference data into the server's database",
    "api-key": "makes API keys, which the server's settings hold",
    "serve": "starts the API itself",
    "demo": "loads the demo into the server's database",
    "query": "runs library queries (the Browser's too)",
    "patient add-cohort": "no route adds a cohort's samples in one request",
    "cohort stratify": "no route stratifies a cohort",
    "cohort activities": "no route lists a cohort's activities",
    "twin build --all": "no route builds every twin in one request",
    "twin build --expansion diamond": "the API bounds a DIAMOnD expansion, the CLI does not",
}
"""Commands a hint may name to an API client too, and why there is no route for them."""


def api_route(command: str) -> str | None:
    """The route of ``command`` (after ``medtwin ``), or ``None`` when it has none.

    >>> api_route("twin build P1")
    'POST /v1/patients/P1/twins'
    >>> api_route("twin build --time-point w0 -- -P1")
    'POST /v1/patients/-P1/twins with {"time_point": "w0"}'
    >>> api_route("patient add P1 --h5ad FILE --tissue NAME")
    'POST /v1/patients with patient_id=P1'
    >>> api_route("db start") is None
    True
    """
    return translated(command, API_ROUTES)
