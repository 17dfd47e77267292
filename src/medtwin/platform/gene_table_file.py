"""The store's gene table (symbols, synonyms, HGNC flags, Ensembl ids) kept on disk.

``medtwin patient add`` resolves the gene names of its files against the ~56,000 genes of the
loaded NCBI layer: reading them from Neo4j took ~0.55 s and indexing them ~0.5 s of a ~1.9 s
command, while the table only changes with a reload. Like the interactome
(:mod:`~medtwin.platform.algorithms.network_file`), the table is kept in one JSON file per
database with the key it was read for (the dataset's sha256 and load time, see
:meth:`~medtwin.platform.context.ReferenceContext.gene_index`); a later process with the same
key reads it in ~0.03 s. A different key, or a file that cannot be read or does not hold five
parallel columns of the right types, means the table is read from the database again, never
trusted (:mod:`~medtwin.platform.kept_json`): a file kept before the table had its Ensembl
column is read again once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medtwin.platform.kept_json import KeptJson, kept_path, read_kept, write_kept

__all__ = ["PREFIX", "COLUMNS", "gene_table_file", "read_gene_table", "write_gene_table"]

PREFIX = "genes-"
"""File name prefix; the rest hashes the database's identity, then ``.json``."""

COLUMNS = ("entrez", "symbol", "synonyms", "hgnc", "ensembl")
"""The parallel lists of :meth:`~medtwin.store.reference_reads.ReferenceStore.gene_table`."""


def gene_table_file(folder: Path, slot: str) -> Path:
    """The file that keeps the gene table of ``slot`` (e.g. a database identity) in ``folder``."""
    return kept_path(folder, PREFIX, slot)


def read_gene_table(folder: Path, slot: str, key: str) -> dict[str, list[Any]] | None:
    """The gene table kept for ``slot`` if it was read for ``key``; else ``None``."""
    return read_kept(folder, GENE_TABLE, slot, key)


def write_gene_table(folder: Path, slot: str, key: str, table: dict[str, list[Any]]) -> Path:
    """Keep ``table`` for ``slot``, read for ``key`` (replaces the slot's earlier file)."""
    return write_kept(folder, GENE_TABLE, slot, key, table)


def _checked(table: object) -> dict[str, list[Any]]:
    """``table`` if it holds the five parallel columns with the types the index needs.

    Examples
    --------
    >>> _checked({"entrez": ["1"], "symbol": ["A1BG"], "synonyms": [["A1B"]], "hgnc": ["HGNC:5"],
    ...           "ensembl": ["ENSG00000121410"]})["ensembl"]
    ['ENSG00000121410']
    >>> _checked({"entrez": ["1"], "symbol": [], "synonyms": [], "hgnc": [], "ensembl": []})
    Traceback (most recent call last):
    ...
    ValueError: the gene table's columns differ in length
    """
    if not isinstance(table, dict) or not all(isinstance(table.get(c), list) for c in COLUMNS):
        raise ValueError(f"the gene table lacks one of its columns {', '.join(COLUMNS)}")
    entrez, symbol, synonyms, hgnc, ensembl = (table[c] for c in COLUMNS)
    if not len(entrez) == len(symbol) == len(synonyms) == len(hgnc) == len(ensembl):
        raise ValueError("the gene table's columns differ in length")
    ok = (
        all(isinstance(x, str) for x in entrez)
        and all(isinstance(x, str) for x in symbol)
        and all(isinstance(x, list) and all(isinstance(y, str) for y in x) for x in synonyms)
        and all(x is None or isinstance(x, str) for x in hgnc)
        and all(x is None or isinstance(x, str) for x in ensembl)
    )
    if not ok:
        raise ValueError("the gene table holds a value of the wrong type")
    return {c: table[c] for c in COLUMNS}


GENE_TABLE: KeptJson[dict[str, list[Any]]] = KeptJson(
    "gene table", PREFIX, lambda table: {c: list(table[c]) for c in COLUMNS}, _checked
)
