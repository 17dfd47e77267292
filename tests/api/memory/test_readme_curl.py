"""Every ``curl`` line of README.md and the guide asks the API for what it documents (OpenAPI).

As ``tests/unit/test_docs.py`` does for the ``medtwin …`` lines: each line's method and path are a
route, its query parameters the route's, its form fields (``-F``) the form's, its JSON body (``-d``)
valid against the body's schema and sent with ``Content-Type: application/json`` (another type is
a 415). The README's walk from an upload to a report was run as written against the demo database
(stop 51); this keeps it true as routes change.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft202012Validator

from tests.docs_pages import guide_text

ROOT = Path(__file__).resolve().parents[3]
_BASE = re.compile(r"^(?:\$API|\$\{API\}|https?://127\.0\.0\.1:\d+)(?P<rest>/.*)$")


def _curl_lines() -> list[str]:
    lines = []
    for line in guide_text().splitlines():
        if line.startswith("curl "):
            lines.append(line.split("  #")[0].strip())  # the comment after two spaces
    return lines


def _parse(line: str) -> dict[str, Any]:
    words = shlex.split(line)[1:]
    got: dict[str, Any] = {"method": None, "url": None, "forms": [], "data": None, "headers": []}
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-X", "--request"):
            got["method"] = words[i + 1]
            i += 1
        elif word in ("-F", "--form"):
            got["forms"].append(words[i + 1].split("=", 1)[0])
            i += 1
        elif word in ("-d", "--data"):
            got["data"] = words[i + 1]
            i += 1
        elif word in ("-H", "--header"):
            got["headers"].append(words[i + 1].lower())
            i += 1
        elif _BASE.match(word):
            got["url"] = _BASE.match(word)["rest"]  # type: ignore[index]
        i += 1
    got["method"] = got["method"] or ("POST" if got["forms"] or got["data"] else "GET")
    return got


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    for template, operations in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]  # type: ignore[no-any-return]
    return None


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return document["components"]["schemas"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]
    return schema


def test_the_readme_has_the_walk_from_upload_to_report():
    routes = {(p["method"], p["url"].split("?")[0]) for p in map(_parse, _curl_lines())}
    for step in (
        ("POST", "/v1/patients"),
        ("POST", "/v1/patients/P1/twins"),
        ("POST", "/v1/patients/P1/rankings"),
        ("GET", "/v1/patients/P1/drugs/DB00070/explanation"),
        ("GET", "/v1/patients/P1/report"),
        ("DELETE", "/v1/patients/P1"),
    ):
        assert step in routes, step


@pytest.mark.parametrize("line", _curl_lines())
def test_a_readme_curl_line_is_a_documented_request(document, line):
    got = _parse(line)
    assert got["url"] is not None, f"no API URL in: {line}"
    url = urlsplit(got["url"])
    operation = _operation(document, got["method"], url.path)
    assert operation is not None, f"no route {got['method']} {url.path}: {line}"
    declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    unknown = set(parse_qs(url.query)) - declared
    assert not unknown, f"{line}: query parameter(s) {unknown} not in {declared}"
    content = operation.get("requestBody", {}).get("content", {})
    if got["forms"]:
        form = _schema(document, content["multipart/form-data"]["schema"])
        unknown = set(got["forms"]) - set(form["properties"])
        assert not unknown, f"{line}: form field(s) {unknown} not in {sorted(form['properties'])}"
    if got["data"] is not None:
        assert "content-type: application/json" in got["headers"], f"{line}: a 415"
        media = content["application/json"]
        validator = Draft202012Validator({**media["schema"], "components": document["components"]})
        errors = [e.message for e in validator.iter_errors(json.loads(got["data"]))]
        assert not errors, f"{line}: {errors}"


@pytest.mark.parametrize(
    "bad",
    [
        'curl -H "X-API-Key: $KEY" "$API/v1/patients/P1/rankings/latest?limt=5"',
        'curl -H "X-API-Key: $KEY" $API/v1/patients/P1/ranking',
        "curl -X PUT $API/v1/patients/P1",
        "curl -F patient_id=P1 -F protiens=@p.tsv $API/v1/patients",
        "curl -d '{\"n_samples\": 1000}' $API/v1/patients/P1/rankings",
        "curl -H 'Content-Type: application/json' -d '{\"n_samples\": 5}' "
        "$API/v1/patients/P1/rankings",
    ],
    ids=["query", "route", "method", "form field", "no content type", "body range"],
)
def test_a_wrong_line_is_caught(document, bad):
    with pytest.raises(AssertionError):
        test_a_readme_curl_line_is_a_documented_request(document, bad)
