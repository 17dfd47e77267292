"""The regulator reference layers on the real server, from the hand-made samples in tests/data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medtwin.platform import reference
from medtwin.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parents[1] / "data"
LAYERS = ["ncbi_gene_info", "dorothea_hs", "progeny_2018", "lincs_l1000_dhimmel"]


def test_regulates_footprint_perturbs_land_with_their_properties(clean_db, test_settings, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    store = Neo4jStore(clean_db, test_settings)
    loads = reference.load_reference(store, data, only=LAYERS)
    assert [r.action for r in loads] == ["loaded"] * 4
    c = store.counts()
    rels = {k: v["total"] for k, v in c["relationships"].items()}
    nodes = {k: v["total"] for k, v in c["nodes"].items()}
    # samples: 2 A-C edges (TP53->MDM2 +1, TP53->EGFR -1); 4 non-zero weights over 3 pathways;
    # 5 drug-gene z-scores of 2 drugs
    assert rels["REGULATES"] == 2
    assert rels["FOOTPRINT"] == 4
    assert rels["PERTURBS"] == 5
    assert nodes["Pathway"] == 3
    got = clean_db.execute_query(
        "MATCH (t:Protein {id: '7157'})-[r:REGULATES]->(g:Protein) "
        "RETURN g.id AS g, r.mor AS mor, r.confidence AS c ORDER BY g",
        database_=store.database,
    ).records
    assert [(r["g"], r["mor"], r["c"]) for r in got] == [("1956", -1.0, "B"), ("4193", 1.0, "A")]
    w = clean_db.execute_query(
        "MATCH (:Pathway {name: 'p53'})-[f:FOOTPRINT]->(g:Protein) RETURN g.id AS g, f.weight AS w",
        database_=store.database,
    ).records
    assert [(r["g"], r["w"]) for r in w] == [("4193", 9.5)]
    again = reference.load_reference(store, data, only=LAYERS, force=True)  # MERGE path
    assert [r.action for r in again] == ["loaded"] * 4
    assert {k: v["total"] for k, v in store.counts()["relationships"].items()} == rels
