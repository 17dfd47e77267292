"""The compact ranking table stored on a Ranking node: a lossless, small round trip."""

from __future__ import annotations

import math

import numpy as np

from medtwin.store.rankings import decode_table, encode_table


def _rows(n: int) -> list[dict[str, object]]:
    rng = np.random.default_rng(0)
    rows: list[dict[str, object]] = []
    for i in range(n):
        row: dict[str, object] = {
            "rank": i + 1,
            "drug_id": f"DB{i:05d}",
            "n_targets": int(rng.integers(1, 9)),
            "n_targets_in_network": int(rng.integers(0, 9)),
            "approved": bool(i % 2),
            "z": float(rng.normal()),
            "p": float(rng.uniform()),
            "combined": float(rng.normal()),
            "targets_in_module": [str(g) for g in rng.integers(1, 20000, size=i % 3)],
            "targets_in_module_symbols": [f"G{g}" for g in range(i % 3)],
        }
        if i % 5:
            row["direction"] = float(rng.uniform(-1, 1))  # missing = null, as on a relationship
        rows.append(row)
    return rows


def test_round_trip_is_exact_and_keeps_missing_values_missing():
    rows = _rows(50)
    back = decode_table(encode_table(rows))
    assert back == rows  # floats bit for bit, lists, booleans; no key invented for a null
    assert "direction" not in back[0]
    assert back[1]["direction"] == rows[1]["direction"]


def test_special_floats_and_empty_lists_survive():
    rows = [
        {"rank": 1, "drug_id": "A", "combined": -math.inf, "targets_in_module": []},
        {"rank": 2, "drug_id": "B", "combined": 1e-300, "targets_in_module": ["1"]},
    ]
    assert decode_table(encode_table(rows)) == rows


def test_full_ranking_table_is_small():
    # ~5,000 drugs with ~10 scores each: far below the ~2 MB of 5,000 SCORES relationships.
    blob = encode_table(_rows(5000))
    assert len(blob) < 400_000, len(blob)
