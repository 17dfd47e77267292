"""``rank --out``: every drug, one row each, the contract's columns, written atomically."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime

import pytest

from medtwin.errors import InputError
from medtwin.platform.models import DrugScore, RankingResult, RankParams
from medtwin.platform.ranking_table import COLUMNS, write_ranking_tsv

CONTRACT = [
    *("rank", "drug_id", "drug_name", "approved", "n_targets", "n_targets_in_network"),
    *("d_c", "z", "p", "q", "n_samples", "centrality", "disruption", "direction"),
    *("direction_word", "degree_baseline_rank", "combined", "targets_in_module"),
]


def _ranking(n: int = 3, total: int | None = None) -> RankingResult:
    drugs = tuple(
        DrugScore(
            rank=i,
            drug_id=f"DB{i:05d}",
            drug_name=None if i == 2 else f"drug {i}",
            approved=(i == 1) if i < 3 else None,
            n_targets=2,
            n_targets_in_network=0 if i == 3 else 2,
            d_c=None if i == 3 else 0.5 * i,
            z=None if i == 3 else -1.25 * i,
            p=0.001 if i == 1 else None,
            q=0.0125 if i == 1 else None,
            n_samples=10_000 if i == 1 else None,
            centrality=0.1,
            disruption_z=2.5 if i == 1 else None,
            direction={1: 1.0, 2: -0.5}.get(i),
            degree_baseline_rank=4 - i,
            combined=1.0 / i,
            targets_in_module=("7124", "3569") if i == 1 else (),
            targets_in_module_symbols=("TNF", "IL6") if i == 1 else (),
        )
        for i in range(n, 0, -1)  # stored order does not matter: rows come out by rank
    )
    return RankingResult(
        id="P@v1/x",
        twin_id="P@v1",
        params=RankParams(),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        n_drugs=total or n,
        seconds=0.1,
        total=total or n,
        drugs=drugs,
    )


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_drug_one_row_with_the_contract_columns(tmp_path):
    out = tmp_path / "r.tsv"
    assert write_ranking_tsv(_ranking(), out) == 3
    header = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == list(COLUMNS)
    assert set(CONTRACT) <= set(header)
    rows = _read(out)
    assert [r["drug_id"] for r in rows] == ["DB00001", "DB00002", "DB00003"]
    first, second, third = rows
    assert first == {
        "rank": "1",
        "drug_id": "DB00001",
        "drug_name": "drug 1",
        "approved": "true",
        "n_targets": "2",
        "n_targets_in_network": "2",
        "d_c": "0.5",
        "z": "-1.25",
        "p": "0.001",
        "q": "0.0125",
        "n_samples": "10000",
        "centrality": "0.1",
        "disruption": "2.5",
        "direction": "1.0",
        "direction_word": "counteracts",
        "regulator": "",
        "regulator_network": "",
        "pathway": "",
        "driver": "",
        "reversal": "",
        "reversal_q": "",
        "activity_reversal": "",
        "activity_reversal_q": "",
        "pathway_proximity": "",
        "target_expression": "",
        "degree_baseline_rank": "3",
        "combined": "1.0",
        "targets_in_module": "7124;3569",
        "targets_in_module_symbols": "TNF;IL6",
        "placed_by": "",  # a ranking built here, not read back from a store
    }
    assert (second["drug_name"], second["approved"], second["direction_word"]) == (
        "",
        "false",
        "aggravates",
    )
    # None is an empty cell, never "None"
    assert third["approved"] == third["d_c"] == third["z"] == third["disruption"] == ""
    assert third["direction_word"] == "unknown"
    assert "None" not in out.read_text(encoding="utf-8")


def test_a_page_is_refused(tmp_path):
    with pytest.raises(InputError, match="holds 3 of 10 drugs"):
        write_ranking_tsv(_ranking(3, total=10), tmp_path / "r.tsv")


def test_missing_folders_are_made_as_the_cli_makes_them(tmp_path):
    """The Python call refused a missing folder (InputError) that `rank --out` made."""
    out = tmp_path / "new" / "deeper" / "r.tsv"
    assert write_ranking_tsv(_ranking(), out) == 3
    assert len(_read(out)) == 3


def test_a_file_in_the_way_is_named(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError) as got:
        write_ranking_tsv(_ranking(), tmp_path / "file" / "r.tsv")
    assert got.value.filename == str(tmp_path / "file" / "r.tsv")
    assert got.value.strerror == f"{tmp_path / 'file'} is a file, not a folder"


def test_write_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "r.tsv"
    out.write_text("old ranking\n")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_ranking_tsv(_ranking(), out)
    assert out.read_text() == "old ranking\n"  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.tsv"]  # no temporary left
    monkeypatch.undo()
    write_ranking_tsv(_ranking(), out)
    assert len(_read(out)) == 3
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # patient data: owner only (was 0644)
