"""The judgements of ``benchmarks/api_probe.py``: what counts as a problem in an answer."""

from __future__ import annotations

import gzip

from benchmarks.api_probe import (
    Op,
    Row,
    error_shape,
    form_bodies,
    gzip_bomb,
    leaks,
    path_values,
    problems,
)

OP = Op("post", "/v1/patients/{patient_id}/twins", {"responses": {"422": {}, "404": {}}})
GET = Op("get", "/v1/patients/{patient_id}/audit", {"security": [{}], "responses": {"200": {}}})


def _row(status: int | None, detail: str = '{"error":"E","detail":"d"}', **kw: str) -> Row:
    fields = {"probe": "body", "target": "x", **kw}
    return Row(OP.path, "POST", status=status, error_shape=error_shape(detail.encode()),
               leaks=[], ms=1.0, detail=detail, **fields)  # fmt: skip


def test_the_error_shape_is_an_object_of_two_strings():
    assert error_shape(b'{"error":"NotFoundError","detail":"no patient P9"}')
    assert not error_shape(b'{"error":"E"}')
    assert not error_shape(b'{"error":"E","detail":["a"]}')
    assert not error_shape(b"Internal Server Error")


def test_leaks_are_found_but_not_in_what_the_request_sent():
    trace = b'Traceback (most recent call last):\n  File "/work/x/app.py", line 3'
    assert leaks(trace, "", (), error=True) == ["traceback", "internal path"]
    assert leaks(b"no patient ../x", "../x", (), error=True) == []
    assert leaks(b"key mtk_" + b"a" * 43, "", ("mtk_" + "a" * 43,), error=True) == ["secret"]
    cypher = b"MATCH (p:Patient {id: $id}) RETURN p.id"
    assert leaks(cypher, "", (), error=True) == ["cypher"]
    assert leaks(cypher, "", (), error=False) == []  # the report shows its Browser query


def test_problems_are_5xx_silence_accepted_writes_and_undocumented_statuses():
    assert problems(_row(422), OP) == []
    assert problems(_row(500), OP) == ["500", "500 undocumented"]
    assert problems(_row(None, "(connection reset)"), OP) == ["no answer"]
    assert problems(_row(201, "{}"), OP) == ["201 on a write probe"]
    assert problems(_row(400), OP) == ["400 undocumented"]
    assert problems(_row(422, "Internal Server Error"), OP) == ["not the error body"]
    routeless = '{"error":"NotFound","detail":"no such route"}'
    assert problems(_row(404, routeless), OP) == []
    case = Row(GET.path, "GET", "path patient_id", "case", 200, False, [], 1.0)
    assert problems(case, GET) == ["200 for an id that differs only in case"]


def test_the_odd_values_cover_the_brief():
    labels = [label for label, _ in path_values("GSM1")]
    assert labels == ["empty", "dot-dot", "nul", "10 kB", "sharp s", "emoji", "rtl", "case"]
    assert dict(path_values("GSM1"))["case"] == "gsm1"
    assert len(dict(path_values("GSM1"))["10 kB"]) == 10_240
    bomb = gzip_bomb(3)
    assert len(gzip.decompress(bomb)) == 22 + 3 * 1024 * 1024
    assert len(bomb) < 3 * 1024 * 1024 // 200
    labels = [label for label, _, _ in form_bodies({"properties": {"patient_id": {}}})]
    assert ".gz bomb (512 MiB)" in labels
