"""Every example in ``/openapi.json`` validates against the schema it illustrates, and every
route documents one.

Before, the document had no example at all (``/docs`` showed generated placeholders: ``"string"``
for a patient id, ``0`` for every number). The examples are in
:mod:`medtwin.api.openapi_examples`; this test keeps them true to the models: a field renamed,
added as required or given a narrower range fails here, naming the route and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

# Success answers without an example, and why (the demo database has none to show).
NO_ANSWER_EXAMPLE = {
    "GET /v1/patients/{patient_id}/similar": "needs `medtwin cohort stratify`",
    "GET /v1/patients/{patient_id}/trajectory": "needs inputs of several time points",
    "POST /v1/patients/{patient_id}/trajectory": "needs inputs of several time points",
}


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _examples(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """``(where, schema, example)`` of every example in the document."""
    for key, operation in _operations(document):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            for name, example in media.get("examples", {}).items():
                yield f"{key} request {media_type} {name!r}", media["schema"], example["value"]
        for status, response in operation["responses"].items():
            for media_type, media in response.get("content", {}).items():
                if "example" in media:
                    yield f"{key} {status} {media_type}", media["schema"], media["example"]


def _problems(document: dict[str, Any], schema: dict[str, Any], example: Any) -> list[str]:
    # the document's components travel with the schema, so that its "#/components/..." resolve
    validator = Draft202012Validator({**schema, "components": document["components"]})
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:200]}"
        for e in validator.iter_errors(example)
    ]


def test_every_example_validates_against_its_schema(document):
    checked, wrong = 0, []
    for where, schema, example in _examples(document):
        checked += 1
        wrong += [f"{where}: {p}" for p in _problems(document, schema, example)]
    assert not wrong, "\n".join(wrong)
    assert checked >= 100  # about a request and an error body per route, an answer per route


def test_every_body_and_every_answer_has_an_example(document):
    missing = []
    for key, operation in _operations(document):
        if "requestBody" in operation:
            for media_type, media in operation["requestBody"]["content"].items():
                if not media.get("examples"):
                    missing.append(f"{key} request {media_type}")
        for status, response in operation["responses"].items():
            media = response.get("content", {}).get("application/json")
            if media is None or "example" in media:
                continue  # an HTML page (report, viewer) has its own content type
            if status.startswith("2") and key in NO_ANSWER_EXAMPLE:
                continue
            missing.append(f"{key} {status}")
    assert not missing, "no example: " + ", ".join(missing)


def test_an_example_that_breaks_its_schema_is_caught(document):
    # the check itself: a bad example (a patient id of the wrong type, a field missing) fails
    operation = document["paths"]["/v1/patients/{patient_id}"]["get"]
    media = operation["responses"]["200"]["content"]["application/json"]
    bad = {**media["example"], "id": 7}
    del bad["genes"]
    problems = _problems(document, media["schema"], bad)
    assert any(p.startswith("id: 7 is not of type 'string'") for p in problems), problems
    assert any("'genes' is a required property" in p for p in problems), problems


def test_the_examples_are_the_patient_p1_and_no_local_path(document):
    text = str(document["paths"])
    assert "WALK1" not in text
    for local in ("/tmp/", "/work/", "/root/", "/home/", "mtk_"):
        assert local not in text, local


def _drug_rows(value: Any) -> Iterator[dict[str, Any]]:
    """Every ranking row (a ``DrugScore``: ``rank``, ``drug_id``, ``combined``) in an example."""
    if isinstance(value, dict):
        if {"rank", "drug_id", "combined"} <= value.keys():
            yield value
        for v in value.values():
            yield from _drug_rows(v)
    elif isinstance(value, list):
        for v in value:
            yield from _drug_rows(v)


def test_every_ranking_row_example_shows_every_column(document):
    # a column added later (activity_reversal, stop 53) was missing from every ranking answer:
    # the schema allows a missing optional field, so the validation above did not see it
    from medtwin.platform.models import DrugScore

    columns = set(DrugScore.model_fields) | set(DrugScore.model_computed_fields)
    rows = [row for _, _, example in _examples(document) for row in _drug_rows(example)]
    assert len(rows) >= 5
    missing = {c for row in rows for c in columns - row.keys()}
    assert not missing, f"ranking rows without {sorted(missing)}"
