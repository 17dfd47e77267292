"""Every option a route hint carries (``medtwin.api_routes``) is a field its route takes.

A hint in the API's words writes the command's options as the route's form fields, JSON body or
query parameters (``POST /v1/patients with patient_id=P1, h5ad=@FILE, tissue=NAME``); a field
the route does not take would send the client to a 422. Checked against the app's OpenAPI.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from medtwin.api import create_app
from medtwin.api_routes import API_ROUTES, VERSION_QUERY
from medtwin.settings import Settings


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    app = create_app(Settings(api_keys=""), store_opener=lambda _: None)  # type: ignore[arg-type,return-value]
    return app.openapi()


def _schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$ref`` (also inside ``anyOf``) followed."""
    for option in [schema, *schema.get("anyOf", [])]:
        if "$ref" in option:
            return spec["components"]["schemas"][option["$ref"].rsplit("/", 1)[1]]
    return schema


def _fields(spec: dict[str, Any], method: str, path: str, style: str) -> set[str]:
    operation = spec["paths"][path][method.lower()]
    if style == "query":
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    (content,) = operation["requestBody"]["content"].values()
    return set(_schema(spec, content["schema"]).get("properties", {}))


CARRIED = [
    (route, carried)
    for _, route, carried in API_ROUTES
    if route is not None and carried is not None
]


@pytest.mark.parametrize(("route", "carried"), CARRIED, ids=[r for r, _ in CARRIED])
def test_each_carried_option_is_a_field_of_its_route(spec, route, carried):
    method, path = route.split(" ")[:2]
    path = re.sub(r"\{id(!\w)?\}", "{patient_id}", path.split("?")[0])
    path = path.replace("/cohorts/{patient_id}", "/cohorts/{name}")
    taken = _fields(spec, method, path, carried.style)
    assert {field for field, _ in carried.fields.values()} - taken == set()


def test_the_routes_said_to_take_a_version_are_those_that_do(spec):
    """:data:`~medtwin.api_routes.VERSION_QUERY`: a hint adds ``?version=N`` to these routes only
    (a route without it would answer 422; one left out would read the latest twin)."""
    taking = {
        f"{method.upper()} {path.replace('{patient_id}', '{id}').replace('{drug_id}', '{drug}')}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if any(
            p["name"] == "version" and p["in"] == "query" for p in operation.get("parameters", [])
        )
    }
    assert taking == VERSION_QUERY
