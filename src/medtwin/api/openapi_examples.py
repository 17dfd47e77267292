"""Examples in ``/openapi.json`` (and so in ``/docs``): request bodies, answers, error bodies.

Before, no route documented an example: a new user met each body's shape first in a 422. Now
each body route has named request examples, each route's success answer has an example (real
answers of the demo database through ``medtwin serve``, lists cut to two items, the patient
called P1: ``openapi_examples.json`` beside this module), and each error response the example
body of its status. ``tests/api/memory/test_openapi_examples.py`` validates every example
against the schema it illustrates, so an example cannot drift from the models.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from fastapi import FastAPI

__all__ = ["ERROR_EXAMPLES", "REQUEST_EXAMPLES", "install_examples", "response_examples"]

_TWINS = "POST /v1/patients/{patient_id}/twins"
_RANKINGS = "POST /v1/patients/{patient_id}/rankings"

REQUEST_EXAMPLES: dict[str, dict[str, dict[str, Any]]] = {
    "POST /v1/patients": {
        "DE table and symptoms": {
            "summary": "A DE table (a file part) and symptom terms",
            "description": "`curl -F patient_id=P1 -F de=@p1_de.tsv -F symptoms=HP:0001370,"
            "HP:0002829`; a file's value here is its text.",
            "value": {
                "patient_id": "P1",
                "de": "gene\tlog2fc\tpadj\nTNF\t2.5\t0.001\nIL6\t-1.25\t0.02\n",
                "symptoms": "HP:0001370,HP:0002829",
                "padj_max": 0.05,
            },
        },
    },
    _TWINS: {
        "defaults": {"summary": "Every default (as `{}` or no body)", "value": {}},
        "quick": {
            "summary": "A quicker build: fewer null samples, 50 genes added by RWR",
            "value": {"module_samples": 200, "expansion": "rwr", "expand": 50},
        },
        "one time point": {
            "summary": "Only the inputs of one time point, expression weighted up",
            "value": {
                "time_point": "week4",
                "layer_weights": {"expression": 2.0, "protein": 1.0, "variant": 1.0},
            },
        },
    },
    _RANKINGS: {
        "defaults": {"summary": "Every default (as `{}` or no body)", "value": {}},
        "network only": {
            "summary": "Network proximity and centrality, ordered by proximity",
            "value": {
                "methods": ["proximity", "centrality"],
                "order": ["proximity"],
                "n_samples": 500,
                "seed": 7,
            },
        },
        "DrugCentral, approved": {
            "summary": "DrugCentral's targets, approved drugs only",
            "value": {"targets": "drugcentral", "approved_only": True},
        },
    },
    "POST /v1/patients/{patient_id}/rankings/custom": {
        "targets file": {
            "summary": "Your own drugs: a drug-target table (a file part)",
            "description": "`curl -F targets=@trial_drugs.tsv -F n_samples=1000`; a file's "
            "value here is its text.",
            "value": {
                "targets": "drug_id\tgene\tdrug_name\taction\n"
                "TRIAL-1\tTNF\tanti-TNF trial\tinhibitor\n",
                "methods": "proximity,target_expression",
                "n_samples": 1000,
            },
        },
    },
    "POST /v1/patients/{patient_id}/trajectory": {
        "two time points": {
            "summary": "Baseline and week 4, each built and ranked if needed",
            "value": {"time_points": ["baseline", "week4"], "rank": True, "top_drugs": 10},
        },
    },
}
"""Named request examples by ``"METHOD path"`` (the OpenAPI media type's ``examples``)."""

ERROR_EXAMPLES: dict[str, dict[str, str]] = {
    "400": {
        "error": "BadRequest",
        "detail": "the JSON body is nested too deeply to be read (Python's parser stops at about "
        "1,000 levels of arrays and objects; no route's body nests more than a few); send a JSON "
        "object of the route's fields with Content-Type: application/json ({} takes the defaults; "
        "the fields are in /docs)",
    },
    "401": {
        "error": "Unauthorized",
        "detail": "missing or invalid API key: send `Authorization: Bearer <key>` or "
        "`X-API-Key: <key>` (create one with `medtwin api-key new NAME`)",
    },
    "403": {"error": "Forbidden", "detail": "API key 'viewer' has scope read, needs write"},
    "404": {
        "error": "NotFoundError",
        "detail": "no patient P9 (add one with POST /v1/patients with patient_id=P9)",
    },
    "408": {
        "error": "RequestTimeout",
        "detail": "the request body stopped: no byte for 30 s after 524,288 bytes "
        "(MEDTWIN_API_BODY_IDLE_S); send the body without pausing (on a slow link, gzip the "
        "file first); a server's operator can raise the limit",
    },
    "409": {
        "error": "ConflictError",
        "detail": "patient P1 is busy: twin build is running (since 2026-12-06T23:23:04Z); "
        "retry when it has finished; retry after 5 s",
    },
    "413": {
        "error": "ContentTooLarge",
        "detail": "request body 300.0 MiB exceeds the upload limit of 200 MiB "
        "(MEDTWIN_MAX_UPLOAD_MB)",
    },
    "414": {
        "error": "URITooLong",
        "detail": "the URL has more than 65,535 bytes, the most the server reads; send fewer or "
        "shorter query parameters (page a list with offset and limit; /docs)",
    },
    "415": {
        "error": "UnsupportedMediaType",
        "detail": "this route takes a JSON body, not text/plain; send a JSON object of its "
        "fields with Content-Type: application/json (curl -H 'Content-Type: application/json' "
        "-d '{}' takes the defaults; the fields are in /docs)",
    },
    "422": {
        "error": "ValidationError",
        "detail": "unknown query parameter(s) limt; this route takes limit, offset (see /docs)",
    },
    "429": {
        "error": "TooManyRequests",
        "detail": "too many requests from API key 'walker': at most 4 at once and 50 per "
        "second (burst 100); retry after 1 s",
    },
    "503": {
        "error": "GraphStoreUnavailable",
        "detail": "the Neo4j database at bolt://127.0.0.1:7687 does not answer "
        "(ServiceUnavailable) (start the local server with `medtwin db start` (or `make db`), "
        "or set MEDTWIN_NEO4J_URI); retry after 10 s",
    },
}
"""The example error body of each status (``{"error", "detail"}``, real details)."""


def response_examples() -> dict[str, dict[str, Any]]:
    """Each route's example success answer: ``{"METHOD path": {status: body}}``."""
    text = files("medtwin.api").joinpath("openapi_examples.json").read_text(encoding="utf-8")
    examples: dict[str, dict[str, Any]] = json.loads(text)
    return examples


def install_examples(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document (built once, at its first request) carry the examples."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_examples(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


def with_examples(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (changed in place) with the request, answer and error examples."""
    answers = response_examples()
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            key = f"{method.upper()} {path}"
            if key in REQUEST_EXAMPLES:
                for media in operation["requestBody"]["content"].values():
                    media["examples"] = REQUEST_EXAMPLES[key]
            for status, response in operation.get("responses", {}).items():
                example = answers.get(key, {}).get(status, ERROR_EXAMPLES.get(status))
                media = response.get("content", {}).get("application/json")
                if example is not None and media is not None:
                    media["example"] = example
    return document
