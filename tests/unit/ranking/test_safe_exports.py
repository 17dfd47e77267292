"""Exports neutralise formula cells; the CLI prints no bidi controls (issue 19, finding 6)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.errors import SourceFormatError
from medtwin.loaders.drug_targets_custom import read_custom_targets
from medtwin.platform.models import DrugScore, RankingResult, RankParams
from medtwin.platform.ranking_table import write_ranking_tsv

HOSTILE = ("+1+1", "-2+3", '=HYPERLINK("http://x")', "@SUM(1)", "\tTAB", "\rCR")


def _ranking() -> RankingResult:
    drugs = tuple(
        DrugScore(
            rank=i + 1,
            drug_id=f"D{i}",
            drug_name=name,
            n_targets=1,
            n_targets_in_network=1,
            z=-2.39,
            d_c=1.5,
            combined=-0.25,
            targets_in_module=("7124",),
            targets_in_module_symbols=("=CMD()",),
        )
        for i, name in enumerate(HOSTILE)
    )
    return RankingResult(
        id="P@v1/r",
        twin_id="P@v1",
        params=RankParams(),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        n_drugs=len(drugs),
        seconds=0.1,
        total=len(drugs),
        drugs=drugs,
    )


def test_ranking_tsv_has_no_formula_cells_and_keeps_numbers(tmp_path: Path):
    out = tmp_path / "r.tsv"
    write_ranking_tsv(_ranking(), out)
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        for column in ("drug_id", "drug_name", "targets_in_module_symbols"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), row[column]
        assert float(row["z"]) == -2.39  # numbers keep their meaning
        assert float(row["combined"]) == -0.25
        assert int(row["rank"]) >= 1
    assert [r["drug_name"] for r in rows] == ["'" + n.replace("\r", " ") for n in HOSTILE]
    assert len(rows) == len(HOSTILE)  # a CR inside a cell does not end the row


@pytest.mark.parametrize("drug_id", ["+1+1", "-2+3", "=1", "@SUM(1)"])
def test_custom_drug_ids_with_a_formula_start_are_refused(tmp_path: Path, drug_id: str):
    path = tmp_path / "t.tsv"
    path.write_text(f"drug_id\tgene\n{drug_id}\tTNF\n")
    with pytest.raises(SourceFormatError) as e:
        read_custom_targets(path)
    assert e.value.line == 2


def test_custom_drug_ids_keep_their_combinations(tmp_path: Path):
    path = tmp_path / "t.tsv"
    path.write_text("drug_id\tgene\nDB00001+DB00002\tTNF\nTRIAL-7\tIL6\n")
    assert {r.drug_id for r in read_custom_targets(path)} == {"DB00001+DB00002", "TRIAL-7"}


def test_cli_ranking_table_strips_bidi_controls():
    import click

    from medtwin.cli.treatment import print_ranking

    r = _ranking()
    evil = r.drugs[0].model_copy(update={"drug_name": "abc\u202egnp.exe", "drug_id": "D\u2066x"})
    r = r.model_copy(update={"drugs": (evil,)})

    @click.command()
    def show() -> None:
        print_ranking(r, 0)

    out = CliRunner().invoke(show).output
    assert "abcgnp.exe" in out
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
