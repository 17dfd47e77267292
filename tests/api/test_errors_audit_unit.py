"""Error mapping and the audit gate, on a stand-in store (no database needed)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi import APIRouter, Depends

from medtwin.api import create_app
from medtwin.api.audit_middleware import audited
from medtwin.api.deps import require_scope
from medtwin.errors import GraphStoreUnavailable, InputError, NotFoundError, QueryFailed
from medtwin.settings import Settings
from tests.api.conftest import READ, TestClient, api_settings


class RecordingStore:
    """Takes audit writes in memory; ``fail`` makes them raise like a dead database."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.fail = False

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        if self.fail:
            raise GraphStoreUnavailable("the Neo4j database at bolt://x does not answer")
        self.events.extend(events)

    def patient_exists(self, patient_id: str) -> bool:
        return patient_id != "ghost"

    def close(self) -> None:
        pass


def _app(store: RecordingStore) -> Any:
    app = create_app(api_settings(Settings()), store=store)  # type: ignore[arg-type]
    router = APIRouter()

    @router.get("/v1/patients/{patient_id}/boom", dependencies=[Depends(require_scope("read"))])
    def boom(patient_id: str) -> None:
        errors = {
            "ghost": NotFoundError("no patient ghost"),
            "nf": NotFoundError("no patient X"),
            "input": InputError("bad value 'q'", hint="use a number"),
            "down": GraphStoreUnavailable("db down"),
            "query": QueryFailed("query failed: Neo.ClientError: secret detail"),
            "bug": RuntimeError("internal secret"),
        }
        raise errors[patient_id]

    app.include_router(router)
    return app


@pytest.mark.parametrize(
    ("case", "status", "error", "detail"),
    [
        ("nf", 404, "NotFoundError", "no patient X"),
        ("input", 422, "InputError", "bad value 'q' (use a number)"),
        ("down", 503, "GraphStoreUnavailable", "db down; retry after 10 s"),
        ("query", 500, "InternalError", "internal error; the server log has the details"),
        ("bug", 500, "InternalError", "internal error; the server log has the details"),
    ],
)
def test_errors_map_once(case, status, error, detail, caplog):
    store = RecordingStore()
    with TestClient(_app(store), raise_server_exceptions=False) as c:
        r = c.get(f"/v1/patients/{case}/boom", headers=READ)
    assert r.status_code == status
    assert r.json() == {"error": error, "detail": detail}
    assert "secret" not in r.text
    assert "Traceback" not in r.text
    if status == 500:
        assert "Traceback" in caplog.text  # the traceback goes to the log only
    assert store.events[-1]["status"] == status
    assert store.events[-1]["patient_id"] == case


def _wait(cond: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_patient_data_is_not_served_while_the_audit_log_fails_and_no_event_is_lost():
    store = RecordingStore()
    app = _app(store)
    writer = app.state.audit_writer
    writer._retry_s = 0.05
    with TestClient(app, raise_server_exceptions=False) as c:
        store.fail = True
        first = c.get("/v1/patients/nf/boom", headers=READ)  # queued; the write then fails
        assert first.status_code == 404
        _wait(lambda: not writer.healthy)
        r = c.get("/v1/patients/nf/boom", headers=READ)
        assert r.status_code == 503
        assert r.json()["error"] == "AuditUnavailable"
        assert "audit log" in r.json()["detail"]
        store.fail = False  # the database is back: the queued event is written, service resumes
        _wait(lambda: writer.healthy)
        assert c.get("/v1/patients/nf/boom", headers=READ).status_code == 404
    assert [e["status"] for e in store.events] == [404, 404]


def test_unauthenticated_and_missing_patient_requests_write_no_event(caplog):
    store = RecordingStore()
    app = _app(store)
    with TestClient(app, raise_server_exceptions=False) as c:
        for _ in range(50):
            assert c.get("/v1/patients/nf/boom").status_code == 401
            assert c.get("/v1/patients/nf/no-such-route").status_code == 404
        assert c.get("/v1/patients/ghost/boom", headers=READ).status_code == 404
    assert store.events == []
    assert app.state.refused.total == 100
    # Counted, and logged once (rate-limited), not once per request.
    assert sum("without a valid API key" in r.message for r in caplog.records) == 1


def test_a_valid_keys_request_that_no_route_takes_is_not_counted_as_refused(caplog):
    """Sweep finding: a valid key's PUT or unknown route was logged as 'without a valid API key'."""
    store = RecordingStore()
    app = _app(store)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.put("/v1/patients/nf", headers=READ).status_code == 405
        assert c.get("/v1/patients/nf/no-such-route", headers=READ).status_code == 404
        assert c.get("/v1/patients/nf/no-such-route").status_code == 404  # no key: refused
    assert app.state.refused.total == 1
    assert store.events == []  # no route ran: no patient data touched, nothing to record
    assert "PUT" not in caplog.text


def test_reads_do_not_wait_for_the_audit_write():
    """The reads are answered while the audit write is held: no timing (it asserted five reads
    under 1 s beside 0.5 s writes, and failed once at load 30)."""
    release = threading.Event()

    class HeldStore(RecordingStore):
        def write_audit_events(self, events: list[dict[str, Any]]) -> None:
            release.wait(30)  # a read that waited for this would wait until the test gives up
            super().write_audit_events(events)

    store = HeldStore()
    with TestClient(_app(store), raise_server_exceptions=False) as c:
        for _ in range(5):
            assert c.get("/v1/patients/nf/boom", headers=READ).status_code == 404
        assert store.events == []  # all five answered, none written yet
        release.set()
    # Shutdown flushed the queue: every event is there.
    assert len(store.events) == 5


def test_what_is_audited():
    assert audited("GET", "/v1/patients") == ("read", None)
    assert audited("POST", "/v1/patients") == ("write", None)
    assert audited("GET", "/v1/patients/P1/twins/latest") == ("read", "P1")
    assert audited("POST", "/v1/patients/P1/rankings") == ("write", "P1")
    assert audited("DELETE", "/v1/patients/P1") == ("delete", "P1")
    assert audited("GET", "/v1/patients/bad id!") == ("read", None)
    assert audited("GET", "/v1/patients/P1/viewer") is None
    assert audited("OPTIONS", "/v1/patients/P1") is None
    assert audited("GET", "/v1/datasets") is None
    assert audited("GET", "/health") is None


def test_app_starts_without_a_database_and_says_503():
    def down(_: Any) -> Any:
        raise GraphStoreUnavailable("the Neo4j database at bolt://127.0.0.1:1 does not answer")

    app = create_app(api_settings(Settings()), store_opener=down)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/health").status_code == 200
        r = c.get("/v1/datasets", headers=READ)
        assert r.status_code == 503
        assert r.json()["error"] == "GraphStoreUnavailable"


def test_cors_is_off_unless_configured():
    store = RecordingStore()
    pre = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    with TestClient(_app(store)) as c:
        r = c.options("/v1/datasets", headers=pre)
        assert "access-control-allow-origin" not in r.headers
    app = create_app(
        api_settings(Settings(), cors_origins="https://lab.example"),
        store=store,  # type: ignore[arg-type]
    )
    with TestClient(app) as c:
        ok = c.options("/v1/datasets", headers={**pre, "Origin": "https://lab.example"})
        assert ok.headers["access-control-allow-origin"] == "https://lab.example"
        bad = c.options("/v1/datasets", headers=pre)
        assert "access-control-allow-origin" not in bad.headers
