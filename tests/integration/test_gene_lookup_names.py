"""A resolver built from the genes a few names need resolves them as the full gene index does.

The regulator layers resolve the ~64 symbols of the curated pathway cores; reading all ~57,000
genes for that cost ~1.8 s of the first ``twin regulators`` in a process. ``gene_table(names)``
reads only the genes whose symbol or a synonym is one of the names, on Neo4j
(``query/gene_lookup_names``) and in the in-memory store.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.platform.context import ReferenceContext, _index
from medtwin.platform.regulators import core_symbols, resolve_cores
from medtwin.store.memory import MemoryStore

pytestmark = pytest.mark.neo4j

# entrez: (symbol, synonyms, hgnc): an official symbol shared by two genes of which one is
# approved (HGNC), a synonym of one gene, a synonym of two genes, a synonym that is also
# somebody's official symbol, and mixed case.
GENES = {
    "7157": ("TP53", ["P53", "LFS1"], "HGNC:11998"),
    "1": ("A1BG", ["ABG", "P53"], "HGNC:5"),
    "100": ("DUP", ["ONLY1"], "HGNC:1"),
    "101": ("DUP", [], None),
    "2": ("EGFR", ["ERBB", "HER1"], "HGNC:3236"),
    "3": ("ERBB2", ["HER2", "NEU"], "HGNC:3430"),
    "4": ("Neu", ["her1"], None),
}
NAMES = ["tp53", "p53", "LFS1", "abg", "DUP", "ONLY1", "EGFR", "erbb", "HER1", "her2", "NEU", "X"]


def _neo4j(clean_db: Any, test_settings: Any) -> Any:
    from medtwin.store.neo4j import Neo4jStore

    rows = [{"id": e, "symbol": s, "synonyms": syn, "hgnc": h} for e, (s, syn, h) in GENES.items()]
    clean_db.execute_query(
        "UNWIND $rows AS r CREATE (p:Protein {id: r.id, symbol: r.symbol, synonyms: r.synonyms})"
        " SET p.hgnc = r.hgnc",
        rows=rows,
        database_=test_settings.neo4j_database,
    )
    clean_db.execute_query(  # the gene layer counts as loaded (the context keys its caches on it)
        "CREATE (:Dataset {id: 'ncbi_gene_info', status: 'complete', sha256: 'x', loaded_at: 1})",
        database_=test_settings.neo4j_database,
    )
    return Neo4jStore(clean_db, test_settings)


def _memory() -> MemoryStore:
    store = MemoryStore()
    for e, (s, syn, h) in GENES.items():
        store.genes[e] = {"symbol": s, "synonyms": syn, "hgnc": h}
    return store


@pytest.mark.parametrize("kind", ["neo4j", "memory"])
def test_names_index_resolves_like_the_full_index(kind, clean_db, test_settings):
    store = _neo4j(clean_db, test_settings) if kind == "neo4j" else _memory()
    full = _index(store.reference.gene_table())
    small = store.reference.gene_table(NAMES)
    assert sorted(small["entrez"]) == ["1", "100", "101", "2", "3", "4", "7157"]
    assert not set(store.reference.gene_table(["X", "nothing"])["entrez"])
    index = _index(small)
    expected = {
        "tp53": "7157",
        "p53": None,  # a synonym of two genes
        "LFS1": "7157",
        "abg": "1",
        "DUP": "100",  # two genes, one approved
        "ONLY1": "100",
        "EGFR": "2",
        "erbb": "2",
        "HER1": None,  # EGFR's synonym and Neu's (mixed case)
        "her2": "3",
        "NEU": "4",  # an official symbol wins over ERBB2's synonym
        "X": None,
    }
    assert {n: full.resolve(n) for n in NAMES} == expected
    assert {n: index.resolve(n) for n in NAMES} == expected


def test_regulator_cores_read_only_their_genes(clean_db, test_settings):
    store = _neo4j(clean_db, test_settings)
    ctx = ReferenceContext()
    small = ctx.names_index(store, core_symbols())
    assert resolve_cores(small) == resolve_cores(ctx.gene_index(store))
    assert resolve_cores(small)["EGFR"] == {"2": 1, "3": 1}
    assert ctx.names_index(store, core_symbols()) is ctx.gene_index(store)  # cached: reused


@pytest.mark.parametrize("kind", ["neo4j", "memory"])
def test_ensembl_ids_resolve_through_both_reads(kind, clean_db, test_settings):
    """Protein.ensembl: the full table and the names read carry it (version suffix ignored)."""
    store = _neo4j(clean_db, test_settings) if kind == "neo4j" else _memory()
    if kind == "neo4j":
        clean_db.execute_query(
            "MATCH (p:Protein {id: '7157'}) SET p.ensembl = 'ENSG00000141510'",
            database_=test_settings.neo4j_database,
        )
    else:
        store.genes["7157"]["ensembl"] = "ENSG00000141510"
    full = _index(store.reference.gene_table())
    small = store.reference.gene_table(["ENSG00000141510.17"])
    assert small["entrez"] == ["7157"]
    assert small["ensembl"] == ["ENSG00000141510"]
    assert full.resolve("ENSG00000141510.17") == "7157"
    assert _index(small).resolve("ensg00000141510") == "7157"
    assert full.resolve("ENSG00000146648") is None
