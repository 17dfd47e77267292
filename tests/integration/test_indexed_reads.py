"""Reads of one patient, one patient's audit trail, a page of the trail and a page of drugs go
through an index.

Their statements take a null for "every row" (``$id IS NULL OR p.id = $id``), and Neo4j plans no
index for such a predicate: one patient was found by reading every Patient node, one patient's audit
events by reading every event of every patient, a page of 10 drugs by reading all ~8,000 Drug nodes,
and each page of ``db backup``'s trail scanned and sorted every event. The figure is ``PROFILE``'s
database hits (as ``benchmarks/bench_cohort.py``'s), which the machine's load does not move: the
same read before and after many other rows are stored grows by less than one hit per ten of them
(2-3 hits per row before).
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.cypher.catalog import query
from medtwin.store import audit
from medtwin.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

OTHERS = 300


def _db_hits(store: Neo4jStore, name: str, **params: Any) -> tuple[int, list[dict[str, Any]]]:
    """Database hits of one ``PROFILE`` of catalog statement ``name``, and its rows."""
    # planned afresh from the counts of now: a plan cached while a label was empty (each test
    # starts from a wiped database) scans it, whatever the statement, until Neo4j replans it
    records, summary, _ = store.driver.execute_query(
        "CYPHER replan=force PROFILE " + query(name), params, database_=store.database
    )

    def total(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(total(c) for c in plan.get("children", []))

    return total(summary.profile or {}), [r.data() for r in records]


def _create(store: Neo4jStore, statement: str) -> None:
    store.driver.execute_query(statement, {"n": OTHERS}, database_=store.database)


def test_one_patient_is_read_without_the_others(clean_db: Any, test_settings: Any) -> None:
    store = Neo4jStore(clean_db, test_settings)
    _create(store, "CREATE (:Patient {id: 'P1', metadata_json: '{}'})")
    alone, rows = _db_hits(store, "patient/list_patients", id="P1", skip=0, limit=None)
    assert [r["id"] for r in rows] == ["P1"]
    _create(store, "UNWIND range(1, $n) AS i CREATE (:Patient {id: 'Q' + i})")
    among, rows = _db_hits(store, "patient/list_patients", id="P1", skip=0, limit=None)
    assert [r["id"] for r in rows] == ["P1"]
    assert among - alone < OTHERS // 10  # before: + 2 per other patient (scanned and filtered)
    _, every = _db_hits(store, "patient/list_patients", id=None, skip=0, limit=None)
    assert len(every) == OTHERS + 1  # no id: every patient, as before


def test_one_patients_audit_trail_is_read_without_the_others(
    clean_db: Any, test_settings: Any
) -> None:
    store = Neo4jStore(clean_db, test_settings)
    for route in ("a", "b"):
        audit.record_event(
            store, actor="os:a", action="read", patient_id="P1", route=route, status=0
        )
    alone, rows = _db_hits(store, "audit/list_events", patient_id="P1", offset=0, limit=50)
    assert sorted(r["route"] for r in rows) == ["a", "b"]
    _create(
        store,
        "UNWIND range(1, $n) AS i CREATE (:AuditEvent {id: 'e' + i, patient_id: 'Q' + i, "
        "at: datetime(), actor: 'k', action: 'read', route: 'x', status: 200})",
    )
    among, rows = _db_hits(store, "audit/list_events", patient_id="P1", offset=0, limit=50)
    assert sorted(r["route"] for r in rows) == ["a", "b"]
    assert among - alone < OTHERS // 10  # before: + 2 per other event
    assert len(audit.list_events(store, limit=1000)) == OTHERS + 2  # no patient: all events


def test_a_page_of_the_audit_trail_reads_that_page_only(clean_db: Any, test_settings: Any) -> None:
    store = Neo4jStore(clean_db, test_settings)
    for route in ("a", "b", "c"):
        audit.record_event(
            store, actor="os:a", action="read", patient_id="P1", route=route, status=0
        )
    first, rows = _db_hits(store, "audit/events_after", after_id=None, limit=2)
    after, more = _db_hits(store, "audit/events_after", after_id=rows[-1]["id"], limit=2)
    assert len(rows) == 2
    assert len(more) == 1
    assert sorted(r["route"] for r in rows + more) == ["a", "b", "c"]
    _create(
        store,
        "UNWIND range(1, $n) AS i CREATE (:AuditEvent {id: 'e' + i, patient_id: 'Q' + i, "
        "at: datetime(), actor: 'k', action: 'read', route: 'x', status: 200})",
    )
    among, page = _db_hits(store, "audit/events_after", after_id=None, limit=2)
    assert among - first < OTHERS // 10  # before: + 3 per other event (scanned, sorted)
    ids = sorted([r["id"] for r in rows + more] + [f"e{i}" for i in range(1, OTHERS + 1)])
    assert [r["id"] for r in page] == ids[:2]
    _, rest = _db_hits(store, "audit/events_after", after_id=ids[1], limit=len(ids))
    assert [r["id"] for r in rest] == ids[2:]  # the page's last id left out, as before


def test_a_page_of_drugs_is_read_without_the_others(tiny_reference: Any) -> None:
    store, _ = tiny_reference
    params = {
        "source": "drugbank_dhimmel",
        "categories": None,
        "approved_only": False,
        "direction_fallback": None,
    }
    _, every = _db_hits(store, "query/drug_targets", drug_ids=None, **params)
    page = [every[0]["drug_id"]]
    alone, rows = _db_hits(store, "query/drug_targets", drug_ids=page, **params)
    assert rows == every[:1]
    _create(  # other drugs of the source, each with a target
        store,
        "MATCH (p:Protein {id: '1'}) UNWIND range(1, $n) AS i "
        "CREATE (:Drug {id: 'DBX' + i, name: 'x' + i})"
        "-[:TARGETS {source: 'drugbank_dhimmel', direction: 'inhibit'}]->(p)",
    )
    among, rows = _db_hits(store, "query/drug_targets", drug_ids=page * 2, **params)
    assert rows == every[:1]  # an id given twice: its drug once, as before
    assert among - alone < OTHERS // 10  # before: + 2 per other drug
    _, again = _db_hits(store, "query/drug_targets", drug_ids=None, **params)
    assert [r for r in again if not r["drug_id"].startswith("DBX")] == every
    assert len(again) == len(every) + OTHERS  # no ids: every drug of the source, as before
