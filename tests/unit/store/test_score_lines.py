"""store/score_lines.py: one drug's row of a ranking found in its compressed JSON lines."""

from __future__ import annotations

import json
import math
import random
import zlib

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


def stop52_lines(rows: list[dict]) -> bytes:
    """The lines as stop 52 wrote them: zlib, the list of columns first, every rank written."""
    keys = ["drug_id", *dict.fromkeys(k for r in rows for k in r if k != "drug_id")]
    lines = [json.dumps(keys, separators=(",", ":"))]
    lines += [json.dumps([r.get(k) for k in keys], separators=(",", ":")) for r in rows]
    return zlib.compress("\n".join(lines).encode(), 6)


def _ranking_rows(n: int, seed: int = 0) -> list[dict]:
    """Rows shaped as a DrugBank ranking's beyond the top: shuffled ids, full-precision floats.

    As in a real ranking, drugs share z and combined values (the same distance to the module
    and degree signature give the same z), here drawn from pools of 300 and 800 values.
    """
    rng = random.Random(seed)
    ids = [f"DB{i:05d}" for i in rng.sample(range(1, 20_000), n)]
    zs, combined = [rng.gauss(0, 1) for _ in range(300)], [rng.random() for _ in range(800)]
    return [
        {
            "drug_id": drug,
            "rank": 101 + i,
            "n_targets": rng.randint(1, 6),
            "approved": rng.random() < 0.6,
            "d_c": float(rng.randint(1, 4)),
            "z": rng.choice(zs),
            "p": rng.randint(1, 1001) / 1001,
            "q": 1.0,
            "n_samples": 1000,
            "degree_baseline_rank": rng.randint(1, n),
            "combined": rng.choice(combined),
            "targets_in_module": [],
        }
        for i, drug in enumerate(ids)
    ]


def teststop52_lines_are_still_read():
    rows = [*ROWS, {"drug_id": "DB5", "rank": 104}]  # ranks 101, 102, 103, 104, 104: not left out
    for row in rows[:-1]:
        columns, got = find_line(stop52_lines(rows), row["drug_id"])
        assert got == {k: v for k, v in row.items() if v is not None}
        assert columns == ["drug_id", "rank", "z", "targets_in_module", "approved", "drug_name"]
    assert find_line(stop52_lines(rows), "DB3")[1] is None


def test_ranks_that_are_not_consecutive_are_written():
    rows = [
        {"drug_id": "A", "rank": 101},
        {"drug_id": "B", "rank": 101},  # a tie
        {"drug_id": "C", "rank": 103.0},
    ]
    assert [find_line(encode_lines(rows), r["drug_id"])[1] for r in rows] == rows
    assert type(find_line(encode_lines(rows), "C")[1]["rank"]) is float


def test_consecutive_ranks_come_back_from_the_place_of_their_line():
    rows = _ranking_rows(500)
    blob = encode_lines(rows)
    assert [find_line(blob, r["drug_id"])[1] for r in rows[::37]] == rows[::37]


def test_lines_are_at_most_75_percent_of_stop52s():
    # stop 52's zlib lines of a ranking of 4,706 drugs were 81 kB beside its 71 kB Arrow table;
    # xz and no consecutive ranks: 54 kB, 67 % (module doc); these rows: 70 %. Before: 100 %.
    rows = _ranking_rows(4_606)
    assert len(encode_lines(rows)) <= 0.75 * len(stop52_lines(rows))


def test_rows_of_nothing_but_a_drug_and_its_rank_are_found():
    """With the consecutive ranks left out, such a row's line is ``["DB2"]`` (no comma after the
    id), which the search for ``["DB2",`` missed: the drug read as having no row."""
    blob = encode_lines([{"drug_id": "DB1", "rank": 101}, {"drug_id": "DB2", "rank": 102}])
    assert find_line(blob, "DB2") == (["drug_id", "rank"], {"drug_id": "DB2", "rank": 102})
    assert find_line(blob, "DB") == (["drug_id", "rank"], None)
