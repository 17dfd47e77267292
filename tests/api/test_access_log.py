"""uvicorn's access log names no patient: path parameters and query strings are redacted.

A real uvicorn on loopback (in-memory store, no Neo4j) logs through uvicorn's own
``AccessFormatter``, the formatter its default logging configuration puts on ``uvicorn.access``.
"""

from __future__ import annotations

import http.client
import io
import logging
from collections.abc import Iterator

import pytest
import uvicorn
from uvicorn.logging import AccessFormatter

from medtwin.api import create_app
from medtwin.api.access_log import RedactAccessLogFilter, redact_path
from medtwin.settings import Settings
from tests.api.conftest import READ, WRITE, api_settings
from tests.api.live_uvicorn import serving
from tests.unit.services.conftest import reference_store

SECRET = "PXSECRET7"
DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """What uvicorn's access logger writes, formatted as its default configuration does."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(
        AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False)
    )
    logger = logging.getLogger("uvicorn.access")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield out
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.fixture
def port() -> Iterator[int]:
    store = reference_store()
    app = create_app(api_settings(Settings()), store=store)
    # log_config=None: the test's handler stays; access_log on, as `medtwin serve` runs it
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="on")
    try:
        with serving(config) as bound:
            yield bound
    finally:
        access = logging.getLogger("uvicorn.access")
        for f in [f for f in access.filters if isinstance(f, RedactAccessLogFilter)]:
            access.removeFilter(f)


def _request(port: int, method: str, path: str, **kw: object) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, **kw)  # type: ignore[arg-type]
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def _form(fields: dict[str, str], files: dict[str, str]) -> tuple[bytes, str]:
    boundary = "medtwinboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ] + [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{k}.tsv"\r\n'
        f"Content-Type: text/tab-separated-values\r\n\r\n{v}\r\n"
        for k, v in files.items()
    ]
    return (
        "".join(parts) + f"--{boundary}--\r\n"
    ).encode(), f"multipart/form-data; boundary={boundary}"


def test_access_log_keeps_route_shapes_and_no_patient_id(access_log, port):
    body, ctype = _form({"patient_id": SECRET, "symptoms": "HP:0001370"}, {"de": DE})
    assert (
        _request(port, "POST", "/v1/patients", body=body, headers={**WRITE, "Content-Type": ctype})
        == 201
    )
    got = [
        _request(port, "GET", f"/v1/patients/{SECRET}", headers=READ),
        _request(port, "GET", f"/v1/patients/{SECRET}/rankings/latest?limit=5", headers=READ),
        _request(port, "GET", f"/v1/patients/{SECRET}/twins/2", headers=READ),
        _request(port, "GET", f"/v1/patients/{SECRET}/drugs/DB00563/explanation", headers=READ),
        _request(port, "GET", f"/v1/patients/{SECRET}%2Fx/audit", headers=READ),
        _request(port, "GET", f"/v1/patients/{SECRET}/rankngs", headers=READ),  # a typo: 404
        _request(port, "GET", "/health"),
    ]
    assert (got[0], got[5], got[6]) == (200, 404, 200)
    lines = [line for line in access_log.getvalue().splitlines() if line]
    text = "\n".join(lines)
    assert SECRET not in text, text
    assert "DB00563" not in text
    assert "limit=5" not in text
    shapes = [line.split('"')[1] for line in lines]
    assert shapes == [
        "POST /v1/patients HTTP/1.1",
        "GET /v1/patients/<redacted> HTTP/1.1",
        "GET /v1/patients/<redacted>/rankings/latest?<redacted> HTTP/1.1",
        "GET /v1/patients/<redacted>/twins/2 HTTP/1.1",
        "GET /v1/patients/<redacted>/drugs/<redacted>/explanation HTTP/1.1",
        "GET /v1/patients/<redacted>/<redacted>/audit HTTP/1.1",  # %2F: two segments, no route
        "GET /v1/patients/<redacted>/<redacted> HTTP/1.1",
        "GET /health HTTP/1.1",
    ], text
    assert lines[1].endswith(" 200 OK")
    assert lines[6].endswith(" 404 Not Found")


def test_server_log_lines_that_name_a_request_redact_it_too(port, caplog):
    """The count of requests refused for want of a key quoted one ('e.g. GET /v1/patients/P…')."""
    with caplog.at_level(logging.WARNING, logger="medtwin"):
        assert _request(port, "GET", f"/v1/patients/{SECRET}/rankings/latest") == 401
    refused = [r.getMessage() for r in caplog.records if "without a valid API key" in r.message]
    assert refused == [
        "1 request(s) without a valid API key refused (e.g. GET "
        "/v1/patients/<redacted>/rankings/latest); 1 since start"
    ]
    assert SECRET not in caplog.text


def test_redact_path_keeps_static_files_and_words_of_routes():
    templates = ["/v1/patients/{patient_id}/twins/latest", "/v1/cohorts/{name}/summary"]
    assert redact_path("/static/viewer.js", templates) == "/static/viewer.js"
    assert "P1" not in redact_path("/static/../v1/patients/P1", templates)
    # a patient named like a word of the routes is still a parameter where the route has one
    assert redact_path("/v1/patients/latest/twins/latest", templates) == (
        "/v1/patients/<redacted>/twins/latest"
    )
    assert redact_path("/v1/cohorts/trial7/summary?top=5", templates) == (
        "/v1/cohorts/<redacted>/summary?<redacted>"
    )
    assert redact_path("/v1/twins/P1/summary", templates) == "/v1/twins/<redacted>/summary"
