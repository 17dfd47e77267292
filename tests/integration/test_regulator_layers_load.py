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


def _perturbs_keys(driver, database) -> list[list[str]]:
    got = driver.execute_query(
        "MATCH (:Drug)-[p:PERTURBS]->(:Protein) RETURN DISTINCT keys(p) AS k",
        database_=database,
    ).records
    return sorted(sorted(r["k"]) for r in got)


def test_perturbs_edges_name_their_dataset_and_carry_no_copy_of_its_version(
    clean_db, test_settings, tmp_path
):
    """1.1 M LINCS edges: provenance once, on the Dataset node the edge's `source` names."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    store = Neo4jStore(clean_db, test_settings)
    reference.load_reference(store, data, only=LAYERS)
    assert _perturbs_keys(clean_db, store.database) == [["source", "z"]]
    by_source = store.counts()["relationships"]["PERTURBS"]["by_source"]
    assert by_source == {"lincs_l1000_dhimmel": 5}  # counted under its dataset, not "(none)"
    dataset = store.dataset("lincs_l1000_dhimmel")
    assert dataset is not None
    assert dataset["version"]
    assert dataset["sha256"]
    # an edge an older load left with the copies loses them on a MERGE reload
    clean_db.execute_query(
        "MATCH ()-[p:PERTURBS]->() SET p.sources = [p.source], p.source_version = 'old'",
        database_=store.database,
    )
    reference.load_reference(store, data, only=LAYERS, force=True)
    assert _perturbs_keys(clean_db, store.database) == [["source", "z"]]
