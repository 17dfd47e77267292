"""Reads never write: every GET route and every read command runs no write statement.

On the real test server. Every Cypher statement the process sends is recorded where the driver
sends it (``Session.run`` and a transaction's ``run``: managed, explicit and ``execute_query``
alike); a statement with a write clause or a GDS catalog/write call, other than the audit trail's
own (``cypher/audit/``: a read is audited by design), fails the route or command that sent it.
The database is not mocked: every statement still runs on the server.

The route table comes from the app's OpenAPI schema, so a new GET route is checked without
editing this file; one that does not answer 200 on the seeded patient fails the test until it is
named in :data:`WITHOUT_DATA`.
"""

from __future__ import annotations

import re
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner
from neo4j._sync.work.transaction import TransactionBase

from medtwin.cli import cli
from medtwin.cypher.catalog import query
from tests.api.conftest import READ, WRITE
from tests.integration.test_insights import _diseases

pytestmark = pytest.mark.neo4j

_WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|REMOVE|FOREACH|LOAD\s+CSV)\b|\bgds\.[\w.]*\b(write|mutate|"
    r"project|drop)\b",
    re.IGNORECASE,
)
_AUDIT = {query(f"audit/{name}") for name in ("create_event", "create_events")}
_VALUES = {"patient_id": "PA", "version": "1", "name": "reads"}


def _writes(statement: str) -> bool:
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "''", statement)  # string literals are not clauses
    text = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
    return statement not in _AUDIT and bool(_WRITE_CLAUSE.search(text))


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement this process sends to the server from now on."""
    statements: list[str] = []

    def recorder(real: Any) -> Any:
        def run(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            statements.append(str(getattr(query, "text", query)))
            return real(self, query, *args, **kwargs)

        return run

    monkeypatch.setattr(neo4j.Session, "run", recorder(neo4j.Session.run))
    monkeypatch.setattr(TransactionBase, "run", recorder(TransactionBase.run))
    return statements


@pytest.fixture
def ranked(seeded: Any) -> Any:
    """PA with a twin, a ranking, its disease resemblances, biomarkers and a cohort name."""
    store, client = seeded
    _diseases(store)
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json={"n_samples": 20})
    assert r.status_code == 201, r.text
    drug = r.json()["drugs"][0]["drug_id"]
    for path in ("twins/latest/diseases?top=0", "twins/latest/biomarkers"):
        r = client.post(f"/v1/patients/PA/{path}", headers=WRITE)
        assert r.status_code == 200, (path, r.text)
    store.twins.merge_patient("PA", {"cohort": "reads"})
    assert client.app.state.audit_writer.flush()
    return store, client, drug


# Routes whose data the tiny reference and one patient cannot give; they answer after their
# reads, and what they read is checked as for the rest.
WITHOUT_DATA = {
    "/v1/patients/PA/similar": 404,  # no cohort stratified
    "/v1/patients/PA/trajectory": 422,  # no time points
    "/v1/patients/PA/twins/latest/regulators": 404,  # no regulatory layer loaded
    "/v1/patients/PA/twins/latest/tissues": 404,  # not a multi-tissue twin
}


def _get_routes(drug: str) -> list[str]:
    from medtwin.api import create_app
    from medtwin.settings import Settings
    from tests.api.conftest import api_settings

    paths = []
    for template, operations in create_app(api_settings(Settings())).openapi()["paths"].items():
        if "get" not in operations:
            continue
        path = template
        for name, value in {**_VALUES, "drug_id": drug}.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, f"no test value for a parameter of {template}"
        query_string = "?from=1&to=1" if path.endswith("/twins/diff") else ""
        paths.append(path + query_string)
    return paths


def test_every_get_route_is_read(ranked: Any, sent: list[str]) -> None:
    _, client, drug = ranked
    routes = _get_routes(drug)
    assert len(routes) >= 25  # the table is the app's, not a list kept here
    wrote: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    read: dict[str, int] = {}
    for path in routes:
        headers = WRITE if path.endswith("/audit") else READ  # the audit trail needs a write key
        sent.clear()
        r = client.get(path, headers=headers)
        statuses[path] = r.status_code
        read[path] = len(sent)
        assert client.app.state.audit_writer.flush()  # its writes are the audit's, not the route's
        wrote.update({path: [s for s in sent if _writes(s)]})
    assert {path: said for path, said in wrote.items() if said} == {}
    # the recorder sees each data route's reads (the viewer page and liveness read nothing)
    quiet = {p for p, n in read.items() if n == 0}
    assert quiet == {"/health", "/v1/patients/PA/viewer"}, quiet
    assert {path: code for path, code in statuses.items() if code != 200} == WITHOUT_DATA


# The read commands with the exit code they give on the seeded patient (1: data it cannot have).
READ_COMMANDS = [
    (["patient", "list"], 0),
    (["patient", "show", "PA"], 0),
    (["patient", "audit", "PA"], 0),
    (["patient", "similar", "PA"], 1),  # no cohort stratified
    (["twin", "show", "PA"], 0),
    (["twin", "list", "PA"], 0),
    (["twin", "diff", "PA", "--from", "1", "--to", "1"], 0),
    (["twin", "regulators", "PA"], 1),  # no regulatory layer loaded
    (["explain", "PA", "{drug}"], 0),
    (["report", "PA", "--out-dir", "{tmp}"], 0),
    (["export", "PA", "--format", "graphml", "--out", "{tmp}/pa.graphml"], 0),
    (["describe"], 0),
    (["cohort", "summary", "--cohort", "reads"], 0),
    (["query", "regulon_of_tf", "-p", "tf=G2"], 0),
]


@pytest.mark.parametrize(
    ("args", "code"), READ_COMMANDS, ids=[" ".join(a[:2]) for a, _ in READ_COMMANDS]
)
def test_every_read_command_is_read(
    ranked: Any, sent: list[str], tmp_path: Any, args: list[str], code: int
) -> None:
    _, _, drug = ranked
    sent.clear()
    got = CliRunner().invoke(
        cli, [a.replace("{drug}", drug).replace("{tmp}", str(tmp_path)) for a in args]
    )
    assert got.exit_code == code, got.output
    assert [s for s in sent if _writes(s)] == []


def test_the_recorder_sees_a_write(ranked: Any, sent: list[str]) -> None:
    """The check can fail: a build is a write, and the recorder sees it."""
    _, client, _ = ranked
    sent.clear()
    r = client.post("/v1/patients/PA/twins", headers=WRITE, json={"module_samples": 20})
    assert r.status_code == 201, r.text
    assert any(_writes(s) for s in sent)
    assert not any(_writes(s) for s in _AUDIT)  # audit statements are told apart
