"""platform.screen: gene sets x drugs on a toy network."""

from __future__ import annotations

import csv
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from medtwin.errors import InputError
from medtwin.loaders.gmt import GeneSet
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.proximity import proximity
from medtwin.platform.algorithms.stats import bh_qvalues
from medtwin.platform.ranking import DrugTargets
from medtwin.platform.screen import (
    COLUMNS,
    SkippedGeneSetsWarning,
    screen_gene_sets,
    write_tsv,
)


def gs(name: str, *genes: str) -> GeneSet:
    return GeneSet(name=name, description="", genes=genes, unmapped=())


DRUGS = {
    "x": DrugTargets("ex", ("0",)),  # d_c to {1, 2} = 1
    "y": DrugTargets(None, ("8", "9", "nope")),  # (6 + 7) / 2 = 6.5, one target outside
    "w": DrugTargets("w", ("nope",)),  # no target in the network
    "v": DrugTargets("v", ("1",)),  # 0
}


def test_columns_are_exactly_the_issue_columns() -> None:
    assert COLUMNS == (
        "gene_set", "drug_id", "drug_name", "n_targets", "n_targets_in_network",
        "n_genes_in_network", "d_c", "z", "p", "q", "rank",
    )  # fmt: skip


def test_screen_toy(path10, tmp_path: Path) -> None:
    dist = all_pairs_distances(path10)
    sets = [gs("S", "1", "2"), gs("EMPTY", "a", "b"), gs("PARTIAL", "7", "zz")]
    calls: list[int] = []
    with pytest.warns(SkippedGeneSetsWarning, match="1 of 3 gene sets .*: EMPTY"):
        res = screen_gene_sets(
            path10, dist, sets, DRUGS, n_samples=200, bin_size=1, seed=5, progress=calls.append
        )
    assert calls == [1, 1, 1]
    assert res.skipped == ("EMPTY",)
    assert (res.n_samples, res.seed) == (200, 5)
    s_rows = [r for r in res.rows if r.gene_set == "S"]
    # ranked by z ascending, the drug without a network target last and unranked
    assert [r.rank for r in s_rows] == [1, 2, 3, None]
    assert s_rows[-1].drug_id == "w"
    zs = [r.z for r in s_rows[:3]]
    assert all(z is not None for z in zs)
    assert zs == sorted(zs)  # type: ignore[type-var]
    by_id = {r.drug_id: r for r in s_rows}
    assert [by_id[d].d_c for d in ("v", "x", "y", "w")] == [0.0, 1.0, 6.5, None]
    assert (by_id["y"].n_targets, by_id["y"].n_targets_in_network) == (3, 2)
    assert (by_id["w"].n_targets_in_network, by_id["w"].z, by_id["w"].p) == (0, None, None)
    assert by_id["x"].drug_name == "ex"
    assert by_id["y"].drug_name is None
    assert all(r.n_genes_in_network == 2 for r in s_rows)
    for drug in ("v", "x"):
        want = proximity(dist, path10, DRUGS[drug].targets, ["1", "2"], n_samples=200,
                         bin_size=1, seed=5)  # fmt: skip
        assert by_id[drug].z == pytest.approx(want.z)
        assert by_id[drug].p == pytest.approx(want.p)
    q = bh_qvalues([by_id[d].p for d in ("v", "x", "y")])
    assert [by_id[d].q for d in ("v", "x", "y")] == pytest.approx(q.tolist())
    partial = [r for r in res.rows if r.gene_set == "PARTIAL"]
    assert len(partial) == 4
    assert all(r.n_genes_in_network == 1 for r in partial)

    out = tmp_path / "screen.tsv"
    write_tsv(res.rows, out)
    with out.open() as handle:
        table = list(csv.reader(handle, delimiter="\t"))
    assert tuple(table[0]) == COLUMNS
    assert len(table) == 1 + 8
    assert table[1][:2] == ["S", s_rows[0].drug_id]
    assert table[1][-1] == "1"
    assert table[4] == ["S", "w", "w", "1", "0", "2", "", "", "", "", ""]
    y_line = next(line for line in table if line[:2] == ["S", "y"])
    assert y_line[2:7] == ["", "3", "2", "2", "6.5"]


def test_all_sets_outside_network(path10) -> None:
    with pytest.raises(InputError, match="no gene set has a gene in the network"):
        screen_gene_sets(path10, all_pairs_distances(path10), [gs("E", "a")], DRUGS, n_samples=10)


def test_no_drug_in_network(path10) -> None:
    with pytest.raises(InputError, match="no drug has a target"):
        screen_gene_sets(
            path10, all_pairs_distances(path10), [gs("S", "1")],
            {"w": DrugTargets(None, ("nope",))}, n_samples=10,
        )  # fmt: skip


def test_write_tsv_makes_the_folder_and_writes_whole(tmp_path: Path, monkeypatch) -> None:
    """As ``screen --out``: a missing folder is made; a failed write leaves the old file."""
    import os

    from medtwin.platform.screen import ScreenRow

    row = ScreenRow(**{f.name: None for f in fields(ScreenRow)} | {"gene_set": "S", "drug_id": "x"})
    out = tmp_path / "new" / "screen.tsv"
    write_tsv([row], out)
    assert out.read_text().splitlines()[1].split("\t")[:2] == ["S", "x"]
    # no patient data: the bits open() gives under the umask (they were 0644 under any umask)
    old = os.umask(0o077)
    try:
        write_tsv([row], out)
    finally:
        os.umask(old)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    write_tsv([row], out)
    assert out.stat().st_mode & 0o777 == 0o666 & ~old
    monkeypatch.setattr(os, "replace", lambda *_: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        write_tsv([row, row], out)
    assert len(out.read_text().splitlines()) == 2  # the old table, not half of the new one
    assert [p.name for p in out.parent.iterdir()] == ["screen.tsv"]  # no temporary left


def test_screen_gmt_refuses_an_unwritable_out_before_screening(tmp_path: Path) -> None:
    from medtwin.platform.screen import screen_gmt

    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "screen.tsv"
    store: Any = None  # never reached: the folder is checked first
    with pytest.raises(NotADirectoryError, match="is a file, not a folder") as got:
        screen_gmt(store, tmp_path / "no.gmt", "guney2016", n_samples=10, seed=1, out=out,
                   cache_dir=tmp_path)  # fmt: skip
    assert got.value.filename == str(out)
