"""A deep cohort summary's rows read from the rankings' tables (only the columns it needs, column
by column) are the rows of the whole decoded tables: names from a targets file's table or the Drug
nodes, a column a ranking lacks as None, a ranking without a table from its relationships."""

from __future__ import annotations

from typing import Any

from medtwin.store.rankings import RankingStore, decode_table, encode_table

_NAMES = {"DB1": "one", "DB2": "two", "DB3": None}


def _row(rank: int, drug_id: str, **more: Any) -> dict[str, Any]:
    return {"rank": rank, "drug_id": drug_id, "z": -1.5 * rank, "targets_in_module": ["7"], **more}


_TABLES = {
    "P1": [  # a DrugBank ranking: names from the Drug nodes, a null direction
        _row(1, "DB2", q=0.01, direction=-1.0, combined=0.9),
        _row(2, "DB1", q=0.2, direction=None, combined=0.5),
        _row(3, "DB3", q=0.5, direction=1.0, combined=0.1),
    ],
    "P2": [  # a targets file's ranking: its own names (one null), no direction column
        _row(1, "NEAR", drug_name="near inhibitor", q=0.03, combined=0.7),
        _row(2, "DB1", drug_name=None, q=0.4, combined=0.2),
    ],
}


class _Runner:
    """Answers ``cohort/top_tables`` (a table per ranking, P3 stored before tables) and names."""

    def read_raw(self, name: str, **params: Any) -> list[dict[str, Any]]:
        assert name == "cohort/top_tables"
        out = []
        for pid in params["ids"]:
            base = {"patient_id": pid, "twin_id": f"{pid}@v1", "ranking_id": f"{pid}@v1/r",
                    "targets": "drugbank", "rules": 3}  # fmt: skip
            if pid in _TABLES:
                out.append(base | {"table": encode_table(_TABLES[pid]), "rows": []})
            else:
                score = {"rank": 1, "drug_id": "DB1", "q": 0.3, "combined": 0.4}
                out.append(base | {"table": None, "rows": [{"drug_name": "one", "score": score}]})
        return out

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        assert name == "ranking/drug_names"
        return [{"id": i, "name": _NAMES[i]} for i in params["ids"] if i in _NAMES]


def _expected(pid: str, top: int) -> list[dict[str, Any]]:
    """The rows as the whole decoded table gives them (what top_tables returned before)."""
    base = {"patient_id": pid, "twin_id": f"{pid}@v1", "ranking_id": f"{pid}@v1/r",
            "targets": "drugbank", "rules": 3}  # fmt: skip
    out = []
    for r in decode_table(encode_table(_TABLES[pid]))[:top]:
        name = r.get("drug_name") if pid == "P2" else _NAMES.get(r["drug_id"])
        out.append(
            base
            | {
                "drug_id": r["drug_id"],
                "drug_name": name,
                "rank": r["rank"],
                "q": r.get("q"),
                "direction": r.get("direction"),
                "combined": r.get("combined"),
            }  # fmt: skip
        )
    return out


def test_rows_from_the_needed_columns_equal_the_whole_tables():
    got = RankingStore(_Runner()).top_tables(["P1", "P2", "P3"], 2)  # type: ignore[arg-type]
    old = {"patient_id": "P3", "twin_id": "P3@v1", "ranking_id": "P3@v1/r",
           "targets": "drugbank", "rules": 3, "drug_id": "DB1", "drug_name": "one", "rank": 1,
           "q": 0.3, "direction": None, "combined": 0.4}  # fmt: skip
    assert got == [*_expected("P1", 2), *_expected("P2", 2), old]
    assert [r["drug_name"] for r in got] == ["two", "one", "near inhibitor", None, "one"]
    assert [r["direction"] for r in got] == [-1.0, None, None, None, None]


def test_a_top_deeper_than_the_table_gives_every_row():
    got = RankingStore(_Runner()).top_tables(["P1"], 200)  # type: ignore[arg-type]
    assert got == _expected("P1", 200)
    assert [r["rank"] for r in got] == [1, 2, 3]
