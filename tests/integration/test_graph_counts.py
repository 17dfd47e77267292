"""``describe``'s counts on the real server: the kept figures equal a full count, and go stale.

The expected figures are counted here with the scans ``describe`` ran before the kept counts
existed (every node and relationship read), written out in this file, so an error in
``store/graph_counts.py`` cannot hide in its own reference.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.platform import reference
from medtwin.store import graph_counts
from medtwin.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

FULL_NODES = """
MATCH (n) WHERE NOT n:CountCache AND NOT n:Lock
UNWIND labels(n) AS label
UNWIND CASE WHEN size(coalesce(n.sources, [])) = 0 THEN [null] ELSE n.sources END AS source
RETURN label, source, count(*) AS n
"""
FULL_RELATIONSHIPS = """
MATCH ()-[r]->()
UNWIND CASE WHEN size(coalesce(r.sources, [])) > 0 THEN r.sources
            WHEN r.source IS NOT NULL THEN [r.source] ELSE [null] END AS source
RETURN type(r) AS type, source, count(*) AS n
"""
TOTALS = """
CALL () { MATCH (n) WHERE NOT n:CountCache AND NOT n:Lock UNWIND labels(n) AS k
          RETURN 'node' AS what, k, count(*) AS n
          UNION ALL MATCH ()-[r]->() RETURN 'rel' AS what, type(r) AS k, count(*) AS n }
RETURN what, k, n
"""


def _run(store: Neo4jStore, text: str) -> list[dict[str, Any]]:
    return [r.data() for r in store.driver.execute_query(text, database_=store.database).records]


def _expected(store: Neo4jStore) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes: dict[str, Any] = {}
    rels: dict[str, Any] = {}
    for r in _run(store, TOTALS):
        (nodes if r["what"] == "node" else rels)[r["k"]] = {"total": r["n"], "by_source": {}}
    for r in _run(store, FULL_NODES):
        nodes[r["label"]]["by_source"][r["source"] or "(none)"] = r["n"]
    for r in _run(store, FULL_RELATIONSHIPS):
        rels[r["type"]]["by_source"][r["source"] or "(none)"] = r["n"]
    return nodes, rels


def _counted(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], set[str]]:
    """``store.counts()`` and the statements it ran."""
    ran: set[str] = set()
    read = store.read

    def spy(name: str, **params: Any) -> list[dict[str, Any]]:
        ran.add(name)
        return read(name, **params)

    monkeypatch.setattr(store, "read", spy)
    try:
        return store.counts(), ran
    finally:
        monkeypatch.setattr(store, "read", read)


FULL_SCAN = "query/count_relationships"


@pytest.fixture
def loaded(samples):
    store, data = samples
    reference.load_reference(store, data)
    # patients' data beside the reference: a twin that resembles a disease (RESEMBLES names its
    # source), an audit event, a Lock (coordination, never counted)
    _run(
        store,
        "MATCH (d:Disease) WITH d LIMIT 1 "
        "CREATE (p:Patient {id: 'C1', patient_id: 'C1'})-[:HAS_TWIN]->"
        "(t:Twin {id: 'C1@v1', patient_id: 'C1'})"
        "-[:RESEMBLES {source: 'menche2015_interactome'}]->(d) "
        "CREATE (:AuditEvent {id: 'e1', patient_id: 'C1'}) CREATE (:Lock {id: 'patient:C9'})",
    )
    return store, data


def test_the_kept_counts_equal_a_full_count_without_scanning_the_reference(loaded, monkeypatch):
    store, _ = loaded
    counted, ran = _counted(store, monkeypatch)
    assert FULL_SCAN not in ran  # the load kept the reference's figures
    assert "query/count_patient_relationships" in ran
    nodes, rels = _expected(store)
    assert counted["nodes"] == nodes
    assert counted["relationships"] == rels
    assert "CountCache" not in counted["nodes"]
    assert "Lock" not in counted["nodes"]
    assert rels["RESEMBLES"]["by_source"] == {"menche2015_interactome": 1}
    assert counted["layers"] == _run(store, _layers_query())[0]
    assert counted["layers"]["interactome_proteins"] > 0


def _layers_query() -> str:
    return (
        "CALL () { MATCH (p:Protein) WHERE EXISTS { (p)-[:INTERACTS_WITH]-() } "
        "RETURN count(p) AS interactome_proteins } "
        "CALL () { MATCH (p:Protein) WHERE EXISTS { (p)<-[:TARGETS]-() } "
        "RETURN count(p) AS targeted_proteins } "
        "CALL () { MATCH (d:Drug) WHERE EXISTS { (d)-[:TARGETS]->() } "
        "RETURN count(d) AS drugs_with_targets } "
        "CALL () { MATCH (p:Protein) WHERE EXISTS { (p)<-[:ASSOCIATED_WITH]-() } "
        "RETURN count(p) AS disease_genes } "
        "RETURN interactome_proteins, targeted_proteins, drugs_with_targets, disease_genes"
    )


def test_a_change_outside_a_load_is_counted_in_full_until_the_next_load(loaded, monkeypatch):
    store, data = loaded
    # an interaction written by hand: the kept figures no longer hold
    _run(
        store,
        "MATCH (a:Protein), (b:Protein) WHERE a.id < b.id AND NOT (a)-[:INTERACTS_WITH]-(b) "
        "WITH a, b LIMIT 1 CREATE (a)-[:INTERACTS_WITH {sources: ['by_hand']}]->(b)",
    )
    counted, ran = _counted(store, monkeypatch)
    assert FULL_SCAN in ran
    nodes, rels = _expected(store)
    assert counted["relationships"] == rels
    assert counted["nodes"] == nodes
    assert counted["relationships"]["INTERACTS_WITH"]["by_source"]["by_hand"] == 1
    # a load (every dataset complete: nothing reloaded) counts once and keeps the figures again
    assert {r.action for r in reference.load_reference(store, data)} == {"skipped"}
    counted, ran = _counted(store, monkeypatch)
    assert FULL_SCAN not in ran
    assert counted["relationships"] == rels
    assert store.refresh_counts() is False  # still valid: nothing counted again


def test_a_load_in_progress_is_counted_in_full(loaded, monkeypatch):
    store, _ = loaded
    _run(store, "MATCH (d:Dataset) WITH d LIMIT 1 SET d.status = 'loading'")
    counted, ran = _counted(store, monkeypatch)
    assert FULL_SCAN in ran
    assert counted["relationships"] == _expected(store)[1]


def test_patients_change_without_invalidating_the_kept_counts(loaded, monkeypatch):
    store, _ = loaded
    _run(
        store,
        "MATCH (t:Twin {id: 'C1@v1'}), (p:Protein) WITH t, p LIMIT 3 "
        "CREATE (t)-[:INCLUDES {z: 1.0}]->(p)",
    )
    _run(store, "MATCH (p:Patient {id: 'C1'}) CREATE (p)-[:HAS_TWIN]->(:Twin {id: 'C1@v2'})")
    counted, ran = _counted(store, monkeypatch)
    assert FULL_SCAN not in ran
    nodes, rels = _expected(store)
    assert counted["nodes"] == nodes
    assert counted["relationships"] == rels
    assert rels["INCLUDES"] == {"total": 3, "by_source": {"(none)": 3}}
    assert nodes["Twin"]["total"] == 2


def test_a_bulk_import_s_own_counts_are_kept_only_when_the_database_agrees(loaded, monkeypatch):
    # figures as a bulk import hands them over (bulk_csv.graph_sources): totals and sources
    store, _ = loaded
    _run(store, "MATCH (c:CountCache) DETACH DELETE c")
    nodes, rels = _expected(store)
    reference = {k: v for k, v in {**nodes, **rels}.items() if k != "Dataset"}
    totals = {k: v["total"] for k, v in reference.items()}
    sources = {
        k: {("" if s == "(none)" else s): n for s, n in v["by_source"].items()}
        for k, v in reference.items()
    }
    assert graph_counts.keep(store, totals, sources) is True
    counted, ran = _counted(store, monkeypatch)
    assert FULL_SCAN not in ran
    assert (counted["nodes"], counted["relationships"]) == (nodes, rels)
    # a total that differs: everything is counted instead
    _run(store, "MATCH (c:CountCache) DETACH DELETE c")
    wrong = {**sources, "TARGETS": {"drugbank_dhimmel": 1}}
    assert graph_counts.keep(store, {**totals, "IS_A": totals["IS_A"] + 1}, wrong) is True
    counted, _ = _counted(store, monkeypatch)
    assert (counted["nodes"], counted["relationships"]) == (nodes, rels)
    got = _run(store, "MATCH (c:CountCache) RETURN c.table_json AS t")[0]["t"]
    assert '"drugbank_dhimmel", 1]' not in got  # counted, not taken from the wrong figures


def test_describe_reads_the_datasets_once(loaded, monkeypatch):
    """``describe`` read the Dataset nodes twice: for the kept counts' stamp and for its list.

    The same counts and list as the two reads gave, from one (a spy on the catalog's names).
    """
    from medtwin.platform import datasets
    from medtwin.store import runner

    store, _ = loaded
    before = {**store.counts(), "datasets": store.datasets()}
    ran: list[str] = []
    named = runner.query

    def spy(name: str) -> str:
        ran.append(name)
        return named(name)

    monkeypatch.setattr(runner, "query", spy)
    got = datasets.describe(store)
    assert ran.count("query/list_datasets") == 1
    assert got["nodes"] == before["nodes"]
    assert got["relationships"] == before["relationships"]
    assert got["layers"] == before["layers"]
    keep = set(got["datasets"][0])
    assert got["datasets"] == [{k: d.get(k) for k in keep} for d in before["datasets"]]
    assert any(d["loaded_at"] for d in got["datasets"])  # ISO text, as `datasets()` gives it


def test_counts_read_the_layer_figures_at_most_once(loaded, monkeypatch):
    """``store.counts()`` read ``count_layer_nodes`` again after the kept or full counts had
    them: 1 statement where the kept figures hold (now 0), 2 where everything is counted (now 1),
    with the same layer figures as the query run here."""
    from collections import Counter

    store, _ = loaded
    expected = _run(store, _layers_query())[0]
    ran: Counter[str] = Counter()
    read = store.read

    def spy(name: str, **params: Any) -> list[dict[str, Any]]:
        ran[name] += 1
        return read(name, **params)

    monkeypatch.setattr(store, "read", spy)
    assert store.counts()["layers"] == expected
    assert (ran[FULL_SCAN], ran["query/count_layer_nodes"]) == (0, 0)  # kept by the load
    ran.clear()
    _run(store, "MATCH (c:CountCache) DETACH DELETE c")  # nothing kept: a full count
    assert store.counts()["layers"] == expected
    assert (ran[FULL_SCAN], ran["query/count_layer_nodes"]) == (1, 1)
