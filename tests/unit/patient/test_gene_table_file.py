"""The gene table kept on disk between processes: round trip, keys, damaged files, the context."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import GeneRow
from medtwin.platform.context import ReferenceContext
from medtwin.platform.gene_table_file import gene_table_file, read_gene_table, write_gene_table
from medtwin.store.memory import MemoryStore

TABLE: dict[str, list[Any]] = {
    "entrez": ["7157", "1", "2867", "105372382"],
    "symbol": ["TP53", "A1BG", "FFAR2", "FFAR2"],
    "synonyms": [["P53"], ["P53", "ABG"], ["GPR43"], []],
    "hgnc": ["HGNC:11998", "HGNC:5", "HGNC:4502", None],
    "ensembl": ["ENSG00000141510", "ENSG00000121410", "ENSG00000126262", ""],
}


def test_round_trip_and_keys(tmp_path: Path) -> None:
    assert read_gene_table(tmp_path, "db", "load-1") is None
    write_gene_table(tmp_path, "db", "load-1", TABLE)
    assert read_gene_table(tmp_path, "db", "load-1") == TABLE
    assert read_gene_table(tmp_path, "db", "load-2") is None  # reloaded: another key
    assert read_gene_table(tmp_path, "other-db", "load-1") is None  # another database's slot
    write_gene_table(tmp_path, "db", "load-2", {k: v[:1] for k, v in TABLE.items()})
    assert [p.name for p in tmp_path.iterdir()] == [gene_table_file(tmp_path, "db").name]
    assert read_gene_table(tmp_path, "db", "load-2") == {k: v[:1] for k, v in TABLE.items()}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[:100],  # cut short
        lambda text: "\udcff".encode("utf-8", "surrogateescape").decode("latin-1") + text,
        lambda text: json.dumps({"key": "k", "table": {**TABLE, "symbol": TABLE["symbol"][:2]}}),
        lambda text: json.dumps({"key": "k", "table": {**TABLE, "entrez": [7157, 1, 2, 3]}}),
        lambda text: json.dumps({"key": "k", "table": {**TABLE, "synonyms": ["P53", [], [], []]}}),
        lambda text: json.dumps({"key": "k", "table": {"entrez": []}}),
        lambda text: json.dumps(["k", TABLE]),
        lambda text: "[" * 100_000 + "]" * 100_000,  # nested past the parser's recursion limit
    ],
)
def test_a_damaged_or_wrong_file_is_ignored_not_trusted(tmp_path: Path, damage: Any) -> None:
    path = write_gene_table(tmp_path, "db", "k", TABLE)
    path.write_text(damage(path.read_text()), encoding="latin-1")
    assert read_gene_table(tmp_path, "db", "k") is None


def _rows() -> list[GeneRow]:
    return [
        GeneRow(entrez=e, symbol=s, name="", synonyms=tuple(y), hgnc=h, ensembl=n or None,
                gene_type="", source="x", source_version="1")
        for e, s, y, h, n in zip(*TABLE.values(), strict=True)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["tp53", "P53", "abg", "FFAR2", "gpr43", "7157", "99", "x", "ENSG00000141510.17", "ensg1"],
)
def test_the_table_index_resolves_as_the_rows_index(query: str) -> None:
    """``from_table`` (the context's, without a model per gene) is ``from_rows``'s index."""
    by_table = GeneIndex.from_table(zip(*TABLE.values(), strict=True))
    assert by_table.resolve(query) == GeneIndex.from_rows(_rows()).resolve(query)
    assert len(by_table) == 4


def test_the_table_index_by_hand() -> None:
    idx = GeneIndex.from_table(zip(*TABLE.values(), strict=True))
    # P53 is a synonym of two genes; FFAR2 the symbol of two, one with an HGNC id.
    assert [idx.resolve(q) for q in ("tp53", "P53", "abg", "FFAR2", "7157", "99")] == [
        "7157", None, "1", "2867", "7157", None,
    ]  # fmt: skip


class _KeptStore(MemoryStore):
    """A memory store whose reference files are kept in a folder (as a Neo4j store's are)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.reads: list[object] = []
        read = self.reference.gene_table

        def counted(names: Any = None) -> dict[str, list[Any]]:
            self.reads.append(names)
            return read(names)

        self.reference.gene_table = counted  # type: ignore[method-assign]

    @property
    def cache_dir(self) -> Path:  # type: ignore[override]
        return self.folder


def test_a_new_process_reads_the_kept_table_until_a_reload(tmp_path: Path) -> None:
    store = _KeptStore(tmp_path)
    store.add_reference(genes={"7157": "TP53", "1": "A1BG"})
    # Before any full read, a names lookup asks the server for those names only.
    assert ReferenceContext().names_index(store, ["TP53"]).resolve("TP53") == "7157"
    assert store.reads == [["TP53"]]
    first = ReferenceContext().gene_index(store)
    assert store.reads == [["TP53"], None]
    assert first.resolve("a1bg") == "1"
    again = ReferenceContext().gene_index(store)  # a new process: a new context, the file
    assert len(store.reads) == 2
    assert again.resolve("a1bg") == "1"
    # A names lookup in a new process still asks for those names (cheaper than the whole table).
    assert ReferenceContext().names_index(store, ["A1BG"]).resolve("A1BG") == "1"
    assert store.reads[-1] == ["A1BG"]
    assert len(store.reads) == 3
    store.add_reference(genes={"7157": "TP53", "1": "A1BG", "2": "A2M"})  # reloaded
    assert ReferenceContext().gene_index(store).resolve("A2M") == "2"
    assert store.reads[-1] is None
    assert len(store.reads) == 4


def test_a_read_only_cache_folder_still_gives_the_index(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    store = _KeptStore(blocked)
    store.add_reference(genes={"7157": "TP53"})
    assert ReferenceContext().gene_index(store).resolve("TP53") == "7157"
    assert ReferenceContext().gene_index(store).resolve("TP53") == "7157"
    assert store.reads == [None, None]


def test_ensembl_ids_resolve_through_the_table_with_or_without_a_version() -> None:
    idx = GeneIndex.from_table(zip(*TABLE.values(), strict=True))
    assert idx.resolve("ENSG00000141510") == "7157"
    assert idx.resolve("ENSG00000141510.17") == "7157"
    assert idx.resolve("ensg00000121410.3") == "1"
    assert idx.resolve("ENSG00000000003") is None
    assert idx.symbol_of("7157") == "TP53"


def test_a_table_kept_without_its_ensembl_column_is_read_again(tmp_path: Path) -> None:
    """A file kept by an earlier medtwin (four columns) would leave Ensembl ids unresolved."""
    store = _KeptStore(tmp_path)
    store.add_reference(genes={"7157": "TP53"})
    store.genes["7157"]["ensembl"] = "ENSG00000141510"
    ReferenceContext().gene_index(store)
    path = next(tmp_path.iterdir())
    kept = json.loads(path.read_text())
    del kept["table"]["ensembl"]
    path.write_text(json.dumps(kept))
    assert ReferenceContext().gene_index(store).resolve("ENSG00000141510.1") == "7157"
    assert store.reads == [None, None]
