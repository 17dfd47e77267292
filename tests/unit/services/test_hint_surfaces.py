"""Every note and hint speaks the caller's language, and an id starting with ``-`` is typed right.

Stop 49 worded the stale notes per surface; the others still named CLI commands to everyone: the
pooled-time-points note of a twin (``input_conflicts``), the regulators' and the report's notes,
and the hints of the API's error bodies (``build one with `medtwin twin build P1```). Now:

* the API: no response body quotes a ``medtwin`` command that has a route; it names the route
  (a command without one, :data:`~medtwin.api_routes.CLI_ONLY`, may stay: ``medtwin load``);
* Python: no result note quotes such a command, and an error naming one shows the Python call;
* the CLI: the commands as they must be typed, a patient id starting with ``-`` after ``--``
  (``medtwin twin build --time-point w0 -- -P1``; before, ``medtwin patient add -P1 --h5ad …``
  gave click an option ``-P1``).

One memory store walks the same patients on each surface: ``-P1`` (a twin pooling two time
points, no symptoms, no tissue, nothing computed on it), ``-Q`` (symptoms only), ``-R`` (no twin).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from medtwin.api_routes import CLI_ONLY
from medtwin.command_lines import speaking_to
from medtwin.errors import MedtwinError
from medtwin.platform import (
    cell_regulators,
    insight_reads,
    insights,
    patients,
    rankings,
    reports,
    twins,
)
from medtwin.platform.context import ReferenceContext
from medtwin.platform.gene_data import needs_gene_data
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, memory_client
from tests.unit.services.conftest import CHANGES, profile, reference_store
from tests.unit.services.test_rankings_memory import FAST_TWIN

_QUOTED = re.compile(r"`medtwin ([^`]+)`|<code>medtwin ([^<]+)</code>")


def _commands(text: str) -> list[str]:
    """The ``medtwin`` commands ``text`` quotes (in backticks, or in a report's ``<code>``)."""
    return [a or b for a, b in _QUOTED.findall(text)]


def _cli_only(command: str) -> bool:
    return any(command.startswith(k) for k in CLI_ONLY)


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = reference_store()
    timed = [
        c.model_copy(update={"time_point": tp}) for tp in ("w0", "w12") for c in CHANGES
    ]  # the twin pools both: its note names a build per time point and the trajectory
    patients.add_patient(store, profile("-P1", changes=tuple(timed), symptoms=()))
    twins.build_twin(store, "-P1", FAST_TWIN, ctx=ReferenceContext())
    patients.add_patient(store, profile("-Q", changes=()))  # symptoms, no gene
    patients.add_patient(store, profile("-R"))  # no twin
    return store


_GETS = [
    "/v1/patients/-P1/twins/latest",
    "/v1/patients/-P1/twins",
    "/v1/patients/-P1/twins/latest/tissues",
    "/v1/patients/-P1/twins/latest/phenotype-module",
    "/v1/patients/-P1/twins/latest/diseases",
    "/v1/patients/-P1/twins/latest/biomarkers",
    "/v1/patients/-P1/twins/latest/regulators",
    "/v1/patients/-P1/twins/latest/regulators?by=cell_type",
    "/v1/patients/-P1/twins/latest/regulators?by=tissue",
    "/v1/patients/-P1/rankings/latest",
    "/v1/patients/-P1/trajectory",
    "/v1/patients/-P1/report",
    "/v1/patients/-R/twins/latest",
    "/v1/patients/-R/rankings/latest",
    "/v1/patients/NOPE",
]
_POSTS = [
    ("/v1/patients/-P1/trajectory", {"time_points": ["w9"]}),
    ("/v1/patients/-Q/twins", {"module_samples": 20}),
]


def test_the_api_names_routes_not_commands(store):
    bodies: dict[str, str] = {}
    for client in memory_client(store):
        for path in _GETS:
            bodies[f"GET {path}"] = client.get(path, headers=READ).text
        for path, body in _POSTS:
            bodies[f"POST {path}"] = client.post(path, headers=WRITE, json=body).text
    said = {where: _commands(text) for where, text in bodies.items()}
    got = {path: bodies[f"GET {path}"] for path in _GETS}
    assert {w: c for w, c in said.items() if not all(map(_cli_only, c))} == {}
    # each told the route instead (these failed before: they named the commands)
    twin = bodies["GET /v1/patients/-P1/twins/latest"]
    assert 'per time point (POST /v1/patients/-P1/twins with {\\"time_point\\": \\"w0\\"})' in twin
    assert "compare them (POST /v1/patients/-P1/trajectory)" in twin
    # tissues: add inputs, with the form fields of the command's options (before: without)
    assert "POST /v1/patients with patient_id=-P1, h5ad=@FILE, tissue=NAME" in got[_GETS[2]]
    assert "call POST /v1/patients/-P1/twins/latest/diseases" in got[_GETS[4]]
    assert "build one with POST /v1/patients/-R/twins" in got[_GETS[12]]
    assert "call <code>POST /v1/patients/-P1/twins/latest/diseases</code>" in got[_GETS[11]]
    assert (
        "add inputs with POST /v1/patients with patient_id=-Q"
        in bodies["POST /v1/patients/-Q/twins"]
    )
    report = got["/v1/patients/-P1/report"]
    assert "call GET /v1/patients/-P1/twins/latest/regulators?by=cell_type" in report


def _python_walk(store: MemoryStore) -> Iterator[tuple[str, Any]]:
    """(what, result or error) of the Python calls that mirror the API walk."""
    ctx = ReferenceContext()
    calls: dict[str, Callable[[], Any]] = {
        "show_twin": lambda: twins.show_twin(store, "-P1"),
        "twin_tissues": lambda: twins.twin_tissues(store, "-P1"),
        "twin_phenotype_module": lambda: twins.twin_phenotype_module(store, "-P1"),
        "stored diseases": lambda: insight_reads.computed_diseases(store, "-P1"),
        "context_regulators cell-type": lambda: cell_regulators.context_regulators(
            store, "-P1", "cell-type", ctx=ctx
        ),
        "get_ranking": lambda: rankings.get_ranking(store, "-P1", ctx=ctx),
        "trajectory w9": lambda: insights.twin_trajectory(store, "-P1", time_points=["w9"]),
        "report": lambda: reports.patient_report(store, "-P1", ctx=ctx),
        "no twin": lambda: twins.show_twin(store, "-R"),
        "symptoms only": lambda: twins.build_twin(store, "-Q", FAST_TWIN, ctx=ctx),
    }
    for what, call in calls.items():
        try:
            yield what, call()
        except MedtwinError as e:
            yield what, e


def _notes(result: Any) -> list[str]:
    """The text a result shows: its ``*_note`` fields and ``input_conflicts`` (nested results'
    too), or the report."""
    if isinstance(result, str):
        return [result]
    out = []
    for f in getattr(type(result), "model_fields", {}):
        value = getattr(result, f)
        if isinstance(value, str) and (f.endswith("note") or f == "input_conflicts"):
            out.append(value)
        elif hasattr(type(value), "model_fields"):
            out.extend(_notes(value))
    return out


def test_python_is_never_told_a_command_alone(store):
    told_command: dict[str, list[str]] = {}
    for what, got in _python_walk(store):
        if isinstance(got, MedtwinError):
            shown = "".join(traceback.format_exception(got))
            named = [c for c in _commands(shown) if not _cli_only(c)]
            if named and "Python: `" not in shown:
                told_command[what] = named
        else:
            named = [c for n in _notes(got) for c in _commands(n) if not _cli_only(c)]
            if named:
                told_command[what] = named
    assert told_command == {}
    twin = twins.show_twin(store, "-P1").twin
    assert '(`twins.build_twin(store, "-P1", TwinParams(time_point="w0"))`)' in (
        twin.input_conflicts or ""
    )  # before: (`medtwin twin build -P1 --time-point w0`)
    report = reports.patient_report(store, "-P1", ctx=ReferenceContext())
    assert "call <code>insights.twin_diseases(store, &quot;-P1&quot;)</code>" in report


def test_the_cli_is_told_commands_it_can_type(store):
    with speaking_to("cli"):
        walked = dict(_python_walk(store))
    notes = walked["show_twin"].twin.input_conflicts
    assert "(`medtwin twin build --time-point w0 -- -P1`)" in notes  # before: build -P1 --time…
    assert "(`medtwin twin trajectory -- -P1`)" in notes
    hints = {w: e.hint for w, e in walked.items() if isinstance(e, MedtwinError)}
    assert "`medtwin patient add --h5ad FILE --tissue NAME -- -P1`" in hints["twin_tissues"]
    assert "`medtwin patient add --symptoms HP:... -- -P1`" in hints["twin_phenotype_module"]
    assert "`medtwin twin diseases -- -P1`" in hints["stored diseases"]
    assert "`medtwin twin build -- -P1`" in hints["context_regulators cell-type"]
    assert "`medtwin patient add --de FILE -- -P1`" in hints["trajectory w9"]
    assert "`medtwin patient add --de FILE -- -Q`" in needs_gene_data("-Q")
    assert "`medtwin patient add ... -- -Q`" in hints["symptoms only"]  # no gene kept
    # every command quoted to the CLI has its id where click reads an argument
    for text in [notes, *hints.values(), walked["report"]]:
        for command in _commands(text or ""):
            assert not re.search(r" -P1\b(?! *$)| -Q\b(?! *$)", command), command
