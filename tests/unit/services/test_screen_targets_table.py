"""``screen --targets FILE`` reads ``rank --targets``' drug–target table as a table.

Before, every ``--targets`` file of ``screen`` was read as GMT-like lines: the README's
``trial_drugs.tsv`` gave a drug named ``drug_id`` (its "targets" the column names) and each row's
gene became the description of a drug without targets, screened without a word. In-memory store.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from medtwin.platform.context import reference_context
from medtwin.platform.screen import screen_gmt
from tests.unit.services.conftest import reference_store


def _screened_drugs(tmp_path: Path, targets: Path) -> dict[str, str]:
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("S1\tna\tG1\tG2\tG3\n")
    out = tmp_path / "screen.tsv"
    reference_context().clear()
    screen_gmt(reference_store(), gmt, str(targets), n_samples=10, seed=0, out=out)
    with out.open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {r["drug_id"]: r["n_targets"] for r in rows}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "trial_drugs.tsv",
            "drug_id\tgene\tdrug_name\taction\nT1\tG1\ttrial one\tinhibitor\n"
            "T1\tG4\ttrial one\t\nT2\t5\t\tagonist\n",
        ),
        ("trial_drugs.csv", "# my compounds\ndrug_id,gene\nT1,G1\nT1,G4\nT2,5\n"),
    ],
)
def test_a_drug_target_table_is_read_as_rank_reads_it(tmp_path: Path, name: str, text: str) -> None:
    table = tmp_path / name
    table.write_text(text)
    assert _screened_drugs(tmp_path, table) == {"T1": "2", "T2": "1"}


def test_gmt_like_lines_are_still_read_as_before(tmp_path: Path) -> None:
    mine = tmp_path / "mine.gmt"
    mine.write_text("T1\ttrial one\tG1\tG4\nT2\tna\t5\n")
    assert _screened_drugs(tmp_path, mine) == {"T1": "2", "T2": "1"}
