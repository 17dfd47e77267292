"""`medtwin describe`: each table's counts in one column, however long a name.

The label column was 12 wide and the relationship column 18: ``PhenotypeModule`` and
``HAS_PHENOTYPE_MODULE`` (the demo's) pushed their counts out of line. The use case is replaced:
no database.
"""

from __future__ import annotations

import contextlib

from click.testing import CliRunner

from medtwin.cli import cli, reference
from medtwin.platform import datasets


def _summary(_store: object) -> dict[str, object]:
    def count(total: int) -> dict[str, object]:
        return {"total": total, "by_source": {"(none)": total}}

    return {
        "nodes": {"Drug": count(8029), "PhenotypeModule": count(97)},
        "relationships": {"HAS_PHENOTYPE_MODULE": count(97), "TARGETS": count(31514)},
        "layers": {},
        "datasets": [],
    }


def test_the_counts_of_each_table_end_in_one_column(monkeypatch) -> None:
    monkeypatch.setattr(reference, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(datasets, "describe", _summary)
    got = CliRunner().invoke(cli, ["describe"])
    assert got.exit_code == 0, got.output
    lines = got.stdout.splitlines()
    nodes = lines[1:3]
    relationships = lines[4:6]
    assert nodes == [
        "  Drug                8,029   ((none) 8,029)",
        "  PhenotypeModule        97   ((none) 97)",
    ]
    assert len({line.index("   (") for line in relationships}) == 1
