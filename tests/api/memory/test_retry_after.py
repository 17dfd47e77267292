"""Every refusal for a passing condition says when to retry: ``Retry-After`` and the detail.

Walks the API's 409s, 429s and 503s (no route answers 423): a busy patient, a cohort being added
(before: 409 without ``Retry-After``), a cohort whose add was killed (no ``Retry-After``: waiting
does not help, the detail says to rerun the add), a client over its limits, a database that does
not answer (data routes and ``/ready``), a server without GDS (no ``Retry-After``) and an audit
log that cannot be written. In-memory stores; no Neo4j.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import neo4j.exceptions as nx

from medtwin import errors
from medtwin.api import create_app
from medtwin.api.errors import retry_after, status_for
from medtwin.errors import (
    BUSY_RETRY_S,
    UNAVAILABLE_RETRY_S,
    GdsNotInstalled,
    GraphStoreUnavailable,
    MedtwinError,
)
from medtwin.platform import patients
from medtwin.platform.cohort_loads import COHORT_ADD_RETRY_S
from medtwin.settings import Settings
from medtwin.store.connection import translate_errors
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, TestClient, api_settings, memory_app
from tests.api.test_errors_audit_unit import RecordingStore
from tests.api.test_errors_audit_unit import _app as boom_app
from tests.unit.services.conftest import profile

FAST = {"module_samples": 20, "min_seeds": 2}
DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


def _says_retry(r: Any, seconds: int) -> None:
    assert r.headers.get("retry-after") == str(seconds), (r.status_code, r.headers)
    assert r.json()["detail"].endswith(f"; retry after {seconds} s"), r.json()


def _says_no_retry(r: Any) -> None:
    assert "retry-after" not in r.headers, r.headers
    assert "retry after" not in r.json()["detail"]


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],  # noqa: S603
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def test_a_busy_patient_409_says_when_to_retry(client: TestClient, store: MemoryStore):
    files = {"de": ("p_de.tsv", DE.encode(), "text/tab-separated-values")}
    added = client.post("/v1/patients", headers=WRITE, data={"patient_id": "P1"}, files=files)
    assert added.status_code == 201, added.text
    with store.patient_lock("P1", "twin build"):
        r = client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST)
    assert r.status_code == 409
    _says_retry(r, BUSY_RETRY_S)


def test_a_cohort_being_added_409_says_when_to_retry_and_a_killed_one_does_not(
    client: TestClient, store: MemoryStore
):
    cohort = [
        profile(f"S{i}", metadata={"cohort": "trial"}, input_checksums={"t.tsv": "c" * 64})
        for i in range(2)
    ]
    patients.add_cohort(store, cohort)
    store.cohorts.begin_load("trial", 4, None)  # another add is running (this process)
    r = client.get("/v1/cohorts/trial/summary", headers=READ)
    assert r.status_code == 409, r.text
    assert "is being added (2 of 4 samples so far" in r.json()["detail"]
    _says_retry(r, COHORT_ADD_RETRY_S)  # failed before: no Retry-After, nothing said
    store.cohorts.loads["cohort:trial"]["pid"] = _dead_pid()  # that add was killed
    r = client.get("/v1/cohorts/trial/summary", headers=READ)
    assert r.status_code == 409
    assert "incomplete (2 of 4 samples)" in r.json()["detail"]
    assert "rerun `" in r.json()["detail"]
    _says_no_retry(r)


def test_a_client_over_its_limits_gets_429_with_retry_after(store: MemoryStore):
    app = memory_app(store, api_rate_per_key=0.5, api_burst_per_key=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/v1/datasets", headers=READ).status_code == 200
        r = c.get("/v1/datasets", headers=READ)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "2"
    assert "retry after 2 s" in r.json()["detail"]


def test_a_database_that_does_not_answer_503_says_when_to_retry():
    def down(_: Any) -> Any:
        raise GraphStoreUnavailable("the Neo4j database at bolt://127.0.0.1:1 does not answer")

    app = create_app(api_settings(Settings()), store_opener=down)
    with TestClient(app, raise_server_exceptions=False) as c:
        for route in ("/v1/datasets", "/ready"):  # (a patient route would queue an audit event)
            r = c.get(route, headers=READ)
            assert r.status_code == 503, route
            _says_retry(r, UNAVAILABLE_RETRY_S)


def test_a_server_without_gds_503_says_waiting_will_not_help():
    class NoGds(RecordingStore):
        def readiness(self) -> tuple[str, str]:
            raise GdsNotInstalled("the database at bolt://10.0.0.7:7687 has no GDS plugin")

    app = create_app(api_settings(Settings()), store=NoGds())  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/ready")
    assert r.status_code == 503
    _says_no_retry(r)
    assert "waiting will not help" in r.json()["detail"]
    assert "10.0.0.7" not in r.text  # /ready takes no key: no server address


class _CountedFailures(RecordingStore):
    """Releases ``failed`` once per write that raised."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = threading.Semaphore(0)

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        try:
            super().write_audit_events(events)
        except GraphStoreUnavailable:
            self.failed.release()
            raise


def test_an_audit_log_that_cannot_be_written_503_says_when_to_retry():
    store = _CountedFailures()
    app = boom_app(store)
    app.state.audit_writer._retry_s = 0.05
    with TestClient(app, raise_server_exceptions=False) as c:
        store.fail = True
        assert c.get("/v1/patients/nf/boom", headers=READ).status_code == 404
        # The writer retries only after it has marked itself unhealthy: a second failed write
        # says it is (not a 10 s poll of the flag, which timed the writer thread under load).
        for attempt in ("write", "retry"):
            assert store.failed.acquire(timeout=120), f"no failed {attempt} of the audit events"
        assert not app.state.audit_writer.healthy
        r = c.get("/v1/patients/nf/boom", headers=READ)
        store.fail = False
    assert r.status_code == 503
    assert r.json()["error"] == "AuditUnavailable"
    _says_retry(r, UNAVAILABLE_RETRY_S)


def _instances() -> Iterator[MedtwinError]:
    for name in errors.__all__:
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, MedtwinError):
            yield cls("/x", 1, "r") if cls is errors.SourceFormatError else cls("m")  # type: ignore[call-arg]


def test_every_error_the_api_answers_409_or_503_decides_on_retry_after():
    """A new 409/503 error class must take a side: passing (seconds) or not (named here)."""
    not_passing = {"GdsNotInstalled"}  # a missing plugin is installed, not waited for
    seen = {}
    for exc in _instances():
        if status_for(exc) in (409, 423, 429, 503):
            seen[type(exc).__name__] = retry_after(exc)
    assert seen == {
        "ConflictError": BUSY_RETRY_S,
        "GraphStoreUnavailable": UNAVAILABLE_RETRY_S,
        "GdsNotInstalled": None,
    }
    assert {k for k, v in seen.items() if v is None} == not_passing


def _driver_error(error: Exception) -> GraphStoreUnavailable:
    try:
        with translate_errors("bolt://127.0.0.1:7687"):
            raise error
    except GraphStoreUnavailable as e:
        return e
    raise AssertionError("not translated")


def test_a_database_that_refuses_the_credentials_or_was_restored_says_waiting_will_not_help():
    """Two 503s a wait does not end (the driver's errors, as the store translates them)."""
    refused = _driver_error(nx.AuthError("The client is unauthorized"))
    restored = _driver_error(
        nx.Neo4jError._hydrate_neo4j(code="Neo.TransientError.Transaction.BookmarkTimeout")
    )
    down = _driver_error(nx.ServiceUnavailable("no route"))
    assert (refused.retry_after, restored.retry_after) == (None, None)
    assert down.retry_after == UNAVAILABLE_RETRY_S
    for exc, fix in ((refused, "MEDTWIN_NEO4J_PASSWORD"), (restored, "restart")):
        store = RecordingStore()

        def fail(exc: Exception = exc) -> Any:
            raise exc

        store.readiness = fail  # type: ignore[attr-defined]
        app = boom_app(store)
        app.add_api_route("/v1/fail", lambda: fail())
        with TestClient(app, raise_server_exceptions=False) as c:
            ready = c.get("/ready")
            assert ready.status_code == 503
            _says_no_retry(ready)
            r = c.get("/v1/fail", headers=READ)
        assert r.status_code == 503, r.text
        _says_no_retry(r)
        assert fix in r.json()["detail"]
