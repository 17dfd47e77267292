"""One limit for a twin version (1 to MAX_TWIN_VERSION) in the CLI and the API, each in its words.

Before, the CLI's ``--version`` took anything up to 2**63-1 (``IntRange(1)``) while the API's
``version`` stopped at 1,000,000. Both take 1 to :data:`~medtwin.command_lines.MAX_TWIN_VERSION`
now. The API refuses in pydantic's words (its 422 and OpenAPI bounds); the CLI, which said the
API's words too (``'abc': Input should be a valid integer, unable to parse string as an
integer``: no range, no fix), says the option, the value, the range and where the versions are
listed, as its other usage errors do, in text and under ``--json`` (the words the Python use
cases say: ``tests/unit/services/test_twin_version_bound.py``).
"""

from __future__ import annotations

import json
from typing import Any

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli.common import TwinVersionRange
from medtwin.command_lines import MAX_TWIN_VERSION
from tests.api.conftest import READ, TestClient
from tests.cli_tree import command_tree

API_WORDS = {
    "0": "'0': Input should be greater than or equal to 1",
    "1000001": "'1000001': Input should be less than or equal to 1000000",
    "x": "'x': Input should be a valid integer, unable to parse string as an integer",
}

# every API parameter naming a twin version
API_ROUTES = [
    ("/v1/patients/P1/twins/{v}", "path.version"),
    ("/v1/patients/P1/rankings/latest?version={v}", "query.version"),
    ("/v1/patients/P1/drugs/DB1/explanation?version={v}", "query.version"),
    ("/v1/patients/P1/twins/latest/biomarkers?version={v}", "query.version"),
    ("/v1/patients/P1/report?version={v}", "query.version"),
    ("/v1/patients/P1/twins/diff?to=1&from={v}", "query.from"),
]


@pytest.mark.parametrize(("value", "words"), list(API_WORDS.items()))
@pytest.mark.parametrize(("route", "field"), API_ROUTES, ids=[r for r, _ in API_ROUTES])
def test_the_api_refuses_a_version_in_its_words(
    client: TestClient, value: str, words: str, route: str, field: str
) -> None:
    r = client.get(route.format(v=value), headers=READ)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == f"{field} {words}"


def _version_options() -> list[tuple[tuple[str, ...], click.Command, click.Option]]:
    """Every option of a command naming a twin version, found from the CLI's parser: its type,
    or one of the names ``--version``/``--from``/``--to`` (``medtwin --version`` is the
    package's)."""
    return [
        (path, command, p)
        for path, command in command_tree().items()
        if path
        for p in command.params
        if isinstance(p, click.Option)
        and (isinstance(p.type, TwinVersionRange) or {"--version", "--from", "--to"} & set(p.opts))
    ]


OPTIONS = _version_options()


def test_the_walk_sees_every_version_option() -> None:
    seen = {(" ".join(path), p.opts[0]) for path, _, p in OPTIONS}
    assert {("twin show", "--version"), ("rank", "--version"), ("twin diff", "--from")} <= seen
    assert len(seen) >= 10, seen
    assert all(isinstance(p.type, TwinVersionRange) for _, _, p in OPTIONS), seen


def _arguments(command: click.Command) -> list[str]:
    """Words for the command's arguments: patient P1, drug DB1."""
    words = {"patient_id": "P1", "patient_ids": "P1", "drug_id": "DB1"}
    return [words.get(p.name or "", "X") for p in command.params if isinstance(p, click.Argument)]


CLI_WORDS = {
    "abc": "'abc' is not a whole number",
    "1.5": "'1.5' is not a whole number",
    "1e9": "'1e9' is not a whole number",
    "-1": "'-1' is below 1",
    "0": "'0' is below 1",
    "1000001": "'1000001' is above 1000000",
}
RANGE = "a twin version is a whole number from 1 to 1000000"
FIX = "run `medtwin twin list P1` to list the patient's versions"


IDS = [f"{' '.join(path)} {option.opts[0]}" for path, _, option in OPTIONS]


@pytest.mark.parametrize(("value", "words"), list(CLI_WORDS.items()))
@pytest.mark.parametrize(("path", "command", "option"), OPTIONS, ids=IDS)
def test_the_cli_refuses_a_version_in_its_words(
    path: tuple[str, ...], command: click.Command, option: click.Option, value: str, words: str
) -> None:
    name = option.opts[0]
    args = [*path, *_arguments(command), name, value]
    what = f"cli {' '.join(path)}: invalid value for '{name}': {words}: {RANGE}"
    got = CliRunner().invoke(cli, args)
    assert got.exit_code == 2, got.output
    assert got.stderr == f"{what} — {FIX}\n"
    if any("--json" in p.opts for p in command.params if isinstance(p, click.Option)):
        got = CliRunner().invoke(cli, [*args, "--json"])
        assert got.exit_code == 2, got.output
        assert got.stdout == ""
        line = json.loads(got.stderr)
        assert line == {"error": "UsageError", "message": what, "hint": FIX}


def test_every_version_the_api_takes_has_the_one_limit(document: dict[str, Any]) -> None:
    bounds = [
        (path, p["name"], p["schema"])
        for path, operations in document["paths"].items()
        for operation in operations.values()
        for p in operation.get("parameters", [])
        if p["name"] in {"version", "from", "to"}
    ]
    assert len(bounds) >= 7, bounds
    for path, name, schema in bounds:
        integer = next(s for s in [schema, *schema.get("anyOf", [])] if s.get("type") == "integer")
        assert (integer["minimum"], integer["maximum"]) == (1, MAX_TWIN_VERSION), (path, name)
