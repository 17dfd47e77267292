"""Property-based run of the OpenAPI schema: no generated request may cause a server error.

Each answer is also as documented (stop 51): its status is one the operation lists, and a JSON
success answer validates against the operation's schema. Every path parameter is tried both
generated and fixed to the seeded data (patient PA, twin version 1, drug DB00001 of the tiny
reference), so that generated queries and bodies reach the routes' own code, not only the 404 of
an unknown id.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from tests.api.conftest import WRITE_SECRET

# Both headers, so they replace any credentials schemathesis generates from the security schemes.
AUTH = {"Authorization": f"Bearer {WRITE_SECRET}", "X-API-Key": WRITE_SECRET}

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

pytestmark = pytest.mark.neo4j

MAX_EXAMPLES = 12
SEEDED = {"patient_id": "PA", "version": "1", "drug_id": "DB00001", "name": "PA"}


def test_no_server_errors(seeded):
    _, client = seeded
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    t0 = time.perf_counter()
    calls = 0
    statuses: dict[int, int] = {}
    # DELETE last, so the seeded patient PA is still there for the other operations.
    operations = sorted(
        (r.ok() for r in schema.get_all_operations()), key=lambda o: o.method == "delete"
    )
    document = client.get("/openapi.json").json()
    for op in operations:
        fixed = {k: v for k, v in SEEDED.items() if "{" + k + "}" in op.path} or None
        for path_parameters in (None, fixed) if fixed else (None,):
            strategy = op.as_strategy(path_parameters=path_parameters)

            @settings(
                max_examples=MAX_EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case) -> None:
                nonlocal calls
                response = case.call(headers=AUTH)
                calls += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )
                if response.status_code >= 400:
                    assert "Traceback" not in response.text
                where = f"{case.method} {case.formatted_path}"
                documented = document["paths"][case.path][case.method.lower()]["responses"]
                assert str(response.status_code) in documented, (
                    f"{where} -> {response.status_code}, not in {sorted(documented)}: "
                    f"{response.text[:300]}"
                )
                _conforms(document, documented, response, where)

            run()
    seconds = time.perf_counter() - t0
    print(f"schemathesis: {calls} calls in {seconds:.1f} s, statuses {sorted(statuses.items())}")
    assert calls > 100  # its duration is printed, not asserted: timings live in benchmarks


def _conforms(document: Any, documented: Any, response: Any, where: str) -> None:
    """A JSON success answer validates against the schema the operation documents for it."""
    media = documented[str(response.status_code)].get("content", {}).get("application/json")
    if response.status_code >= 300 or media is None or "schema" not in media:
        return
    schema = {**media["schema"], "components": document["components"]}
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in Draft202012Validator(schema).iter_errors(response.json())
    ]
    assert not errors, f"{where}: {errors[:5]}"
