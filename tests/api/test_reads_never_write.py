"""Reads never write: every GET route and every read command runs no write statement.

On the real test server. Every Cypher statement the process sends is recorded where the driver
sends it (``Session.run`` and a transaction's ``run``: managed, explicit and ``execute_query``
alike); a statement with a write clause or a GDS catalog/write call, other than the audit trail's
own (``cypher/audit/``: a read is audited by design), fails the route or command that sent it.
The database is not mocked: every statement still runs on the server.

The route table comes from the app's OpenAPI schema, so a new GET route is checked without
editing this file; one that does not answer 200 on the seeded patient fails the test until it is
named in :data:`WITHOUT_DATA`. The read commands come from the click tree: each command the
audit calls a read (``cli.common.audit_action``), the read commands that name no patient
(:data:`READS_WITHOUT_PATIENT`) and ``query`` with each query of the library; a new command fails
:func:`test_every_command_is_a_read_or_named_a_write` until it is one or the other. Before, the
commands were a list kept here, which missed ``twin diseases``, ``biomarkers``, ``cohort
activities``, ``api-key list``, ``db status`` and all library queries but one.
"""

from __future__ import annotations

import re
from typing import Any

import click
import neo4j
import pytest
from click.testing import CliRunner
from neo4j._sync.work.transaction import TransactionBase

from medtwin.cli import cli
from medtwin.cli.common import audit_action
from medtwin.cypher.catalog import query
from medtwin.platform.library import LIBRARY
from tests.api.conftest import READ, WRITE
from tests.cli_tree import command_tree
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


# Read commands that name no patient: the audit's table (cli.common._READS) is of patient commands.
READS_WITHOUT_PATIENT = {"describe", "db status", "query"}
# Every other command writes (or runs the server, or only touches files): not run here.
WRITES = {
    "api-key new", "api-key revoke", "cohort run", "cohort stratify", "data fetch", "db backup",
    "db install", "db repair", "db restore", "db start", "db stop", "demo", "load",
    "patient add", "patient add-cohort", "patient delete", "patient remove-input", "rank",
    "screen", "serve", "twin build", "twin trajectory",
}  # fmt: skip
# A value for each required argument or option of a read command (a new one fails until given).
VALUES = {"patient_id": "PA", "patient_ids": "PA", "drug_id": "{drug}", "from_": "1", "to": "1"}
# Options a command is run with beyond its required ones: the stored data it is about.
OPTIONS = {
    "report": ["--out-dir", "{tmp}"],
    "export": ["--format", "graphml", "--out", "{tmp}/pa.graphml"],
    "cohort summary": ["--cohort", "reads"],
    "cohort activities": ["--cohort", "reads"],
}
# A library query's example values (``medtwin query``'s own), but those naming the seeded patient.
QUERY_VALUES = {"patient_id": "PA", "twin_id": "PA@v1", "drug_id": "{drug}"}
# Read commands with the exit code they give on the seeded patient (1: data it cannot have).
FAILING = {
    "patient similar": 1,  # no cohort stratified
    "twin regulators": 1,  # no regulatory layer loaded
}


def _leaf_commands() -> dict[str, click.Command]:
    return {" ".join(p): c for p, c in command_tree().items() if not isinstance(c, click.Group)}


def _is_read(path: str) -> bool:
    return path in READS_WITHOUT_PATIENT or audit_action(path.split()[-1]) == "read"


def _read_commands() -> list[tuple[str, list[str]]]:
    runs = []
    for path, cmd in sorted(_leaf_commands().items()):
        if not _is_read(path):
            continue
        if path == "query":  # each query of the library, with its example values
            for key, entry in sorted(LIBRARY.items()):
                ours = {k: v for k, v in QUERY_VALUES.items() if k in entry.params}
                given = {**entry.params, **ours}
                values = [w for k, v in given.items() for w in ("-p", f"{k}={v}")]
                runs.append((f"query {key}", ["query", key, *values]))
            continue
        args = [*path.split(), *OPTIONS.get(path, [])]
        for p in cmd.params:
            if p.required and not (isinstance(p, click.Option) and p.opts[-1] in args):
                assert p.name in VALUES, f"no test value for {p.name} of `medtwin {path}`"
                opt = [p.opts[-1]] if isinstance(p, click.Option) else []
                args += [*opt, VALUES[p.name]]
        runs.append((path, args))
    return runs


READ_COMMANDS = _read_commands()


def test_every_command_is_a_read_or_named_a_write() -> None:
    commands = set(_leaf_commands())
    assert {p for p in commands if not _is_read(p)} == WRITES
    # derived, not a list kept here: the 14 commands of that list and those it missed
    assert {p for p, _ in READ_COMMANDS} >= {
        "patient list", "patient show", "patient audit", "patient similar", "twin show",
        "twin list", "twin diff", "twin regulators", "explain", "report", "export", "describe",
        "cohort summary", "twin diseases", "biomarkers", "cohort activities", "db status",
        *(f"query {name}" for name in LIBRARY),
    }  # fmt: skip


def test_every_read_command_is_read(ranked: Any, sent: list[str], tmp_path: Any) -> None:
    """All in one test: the seeded patient is built once (a twin, a ranking, its results)."""
    _, _, drug = ranked
    wrote: dict[str, list[str]] = {}
    codes: dict[str, int] = {}
    for path, args in READ_COMMANDS:
        sent.clear()
        got = CliRunner().invoke(
            cli, [a.replace("{drug}", drug).replace("{tmp}", str(tmp_path)) for a in args]
        )
        codes[path] = got.exit_code
        if got.exit_code != FAILING.get(path, 0):
            print(path, got.output)  # noqa: T201 - why, in the failure's captured output
        wrote.update({path: [s for s in sent if _writes(s)]})
    assert {path: said for path, said in wrote.items() if said} == {}
    assert {path: code for path, code in codes.items() if code} == FAILING


def test_the_recorder_sees_a_write(ranked: Any, sent: list[str]) -> None:
    """The check can fail: a build is a write, and the recorder sees it."""
    _, client, _ = ranked
    sent.clear()
    r = client.post("/v1/patients/PA/twins", headers=WRITE, json={"module_samples": 20})
    assert r.status_code == 201, r.text
    assert any(_writes(s) for s in sent)
    assert not any(_writes(s) for s in _AUDIT)  # audit statements are told apart
