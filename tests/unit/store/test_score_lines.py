"""store/score_lines.py: one drug's row of a ranking found in its compressed JSON lines."""

from __future__ import annotations

import math

import pytest

from medtwin.store.score_lines import encode_lines, find_line

ROWS = [
    {"drug_id": "DB1", "rank": 101, "z": -1.5, "targets_in_module": ["7157"]},
    {"drug_id": "DB10", "rank": 102, "z": math.inf, "approved": True},
    {"drug_id": 'odd "id",\n+é', "rank": 103, "drug_name": "a file's drug"},  # a targets file's
    {"drug_id": "DB2", "rank": 104, "z": None},
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: repr(r["drug_id"]))
def test_each_row_comes_back_as_written_without_its_nulls(row):
    columns, got = find_line(encode_lines(ROWS), row["drug_id"])
    assert got == {k: v for k, v in row.items() if v is not None}
    assert columns == ["drug_id", "rank", "z", "targets_in_module", "approved", "drug_name"]


@pytest.mark.parametrize("drug", ["DB", "DB3", "drug_id", "rank", "101", '"DB1"', ""])
def test_a_drug_without_a_row_is_none_not_a_neighbour(drug):
    assert find_line(encode_lines(ROWS), drug)[1] is None


def test_no_rows():
    assert find_line(encode_lines([]), "DB1") == (["drug_id"], None)


def test_nan_survives():
    _, got = find_line(encode_lines([{"drug_id": "X", "z": math.nan}]), "X")
    assert got is not None
    assert math.isnan(got["z"])
