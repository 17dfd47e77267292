"""Property-based run of the OpenAPI schema: no generated request may cause a server error."""

from __future__ import annotations

import time
import warnings

import pytest
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import WRITE_SECRET

# Both headers, so they replace any credentials schemathesis generates from the security schemes.
AUTH = {"Authorization": f"Bearer {WRITE_SECRET}", "X-API-Key": WRITE_SECRET}

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

pytestmark = pytest.mark.neo4j

MAX_EXAMPLES = 12


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
    for op in operations:
        fixed = {"patient_id": "PA"} if "{patient_id}" in op.path else None
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

            run()
    seconds = time.perf_counter() - t0
    print(f"schemathesis: {calls} calls in {seconds:.1f} s, statuses {sorted(statuses.items())}")
    assert calls > 100  # its duration is printed, not asserted: timings live in benchmarks
