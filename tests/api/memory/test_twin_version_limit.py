"""One limit for a twin version, refused in the same words by the CLI and the API.

Before, the CLI's ``--version`` took anything up to 2**63-1 (``IntRange(1)``) while the API's
``version`` stopped at 1,000,000, and the two refused in different words (``0 is not in the
range x>=1`` / ``Input should be greater than or equal to 1``). Now both take 1 to
:data:`~medtwin.command_lines.MAX_TWIN_VERSION` and say the API's words after the value given.
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.command_lines import MAX_TWIN_VERSION
from tests.api.conftest import READ, TestClient

WORDS = {
    "0": "'0': Input should be greater than or equal to 1",
    "1000001": "'1000001': Input should be less than or equal to 1000000",
    "x": "'x': Input should be a valid integer, unable to parse string as an integer",
}

# every CLI option naming a twin version, with its API counterpart (the same read or call)
CLI_AND_API = [
    (["twin", "show", "P1", "--version"], "/v1/patients/P1/twins/{v}", "path.version"),
    (["rank", "P1", "--version"], "/v1/patients/P1/rankings/latest?version={v}", "query.version"),
    (["explain", "P1", "DB1", "--version"], "/v1/patients/P1/drugs/DB1/explanation?version={v}",
     "query.version"),
    (["biomarkers", "P1", "--version"], "/v1/patients/P1/twins/latest/biomarkers?version={v}",
     "query.version"),
    (["report", "P1", "--version"], "/v1/patients/P1/report?version={v}", "query.version"),
    (["twin", "diff", "P1", "--to", "1", "--from"], "/v1/patients/P1/twins/diff?to=1&from={v}",
     "query.from"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "words"), list(WORDS.items()))
@pytest.mark.parametrize(
    ("args", "route", "field"), CLI_AND_API, ids=[" ".join(a[0][:2]) for a in CLI_AND_API]
)
def test_the_cli_and_the_api_refuse_a_version_alike(
    client: TestClient, value: str, words: str, args: list[str], route: str, field: str
) -> None:
    got = CliRunner().invoke(cli, [*args, value])
    assert got.exit_code == 2, got.output
    option = args[-1]
    assert f"invalid value for '{option}': {words}" in got.output, got.output
    r = client.get(route.format(v=value), headers=READ)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == f"{field} {words}"


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
