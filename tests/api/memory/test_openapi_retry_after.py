"""``/openapi.json`` documents ``Retry-After`` on every 409, 429 and 503 a route can answer.

Before, no response of the document declared the header (the API sent it: ``test_retry_after.py``),
only ``POST /v1/patients`` listed its 409 (not ``DELETE``, the twin, ranking and insight writes or
the cohort summary), no route listed 429, and ``/v1/datasets`` listed no error at all. Which routes
can answer what is read from the app, not from a list kept beside it:

* 429: the per-client limits (:mod:`medtwin.api.resilience`) answer all but ``GET /health``;
* 503: every route that opens the store (a database that does not answer) or is audited (an audit
  log that cannot be written), and ``/ready``;
* 409: every route that writes a patient (under its lock: add, delete, build, rank, compute), and
  the cohort summary (a cohort being added).

The document also stays a valid OpenAPI 3.1 document (schemathesis' meta-schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from medtwin.api.audit_middleware import audited
from medtwin.api.deps import get_store
from medtwin.store.memory import MemoryStore
from tests.api.conftest import memory_app


def _uses(dependant: Dependant, call: Any) -> bool:
    return dependant.call is call or any(_uses(d, call) for d in dependant.dependencies)


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # a router the app included
        if included is not None:
            yield from _api_routes(included.routes)
        elif isinstance(route, APIRoute) and route.include_in_schema:
            yield route


def _operations() -> Iterator[tuple[str, str, APIRoute]]:
    for route in _api_routes(memory_app(MemoryStore()).routes):
        for method in sorted(route.methods):
            yield method, route.path, route


def _may_answer(method: str, path: str, route: APIRoute) -> set[int]:
    codes = {429} if path != "/health" else set()
    example = path.replace("{patient_id}", "P1").replace("{name}", "c").replace("{version}", "1")
    if path == "/ready" or _uses(route.dependant, get_store) or audited(method, example):
        codes.add(503)
    writes_a_patient = path.startswith("/v1/patients") and method in ("POST", "DELETE")
    if writes_a_patient or path == "/v1/cohorts/{name}/summary":
        codes.add(409)
    return codes


def test_every_409_429_503_a_route_can_answer_declares_retry_after(document):
    missing = []
    seen = {409: 0, 429: 0, 503: 0}
    for method, path, route in _operations():
        responses = document["paths"][path][method.lower()]["responses"]
        for code in sorted(_may_answer(method, path, route)):
            seen[code] += 1
            header = (responses.get(str(code)) or {}).get("headers", {}).get("Retry-After")
            if header is None or header["schema"]["type"] != "integer":
                missing.append(f"{method} {path} {code}")
    assert missing == []
    assert seen[409] == 10  # the 9 patient writes and the cohort summary
    assert seen[429] == len(list(_operations())) - 1  # all but /health
    assert seen[503] >= 25


def test_retry_after_is_declared_only_on_those_statuses(document):
    declared = {
        (method.upper(), path, code)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        for code, response in op["responses"].items()
        if "Retry-After" in (response.get("headers") or {})
    }
    assert {code for _, _, code in declared} == {"409", "429", "503"}


def test_the_document_is_valid_openapi(document):
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    assert document["openapi"].startswith("3.1")
    errors = [str(e) for e in OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert errors == []
