"""Lookups on the real server: twin lookup errors as on the memory store, patient pages."""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.store.neo4j import Neo4jStore
from tests.unit.twin.test_twin_lookup_errors import _lookups

pytestmark = pytest.mark.neo4j


def test_neo4j_store(clean_db: Any, test_settings: Any) -> None:
    store = Neo4jStore(clean_db, test_settings)
    store.twins.merge_patient("P1", {})
    _lookups(store)


def test_a_page_of_patients_from_an_offset_without_a_limit(
    clean_db: Any, test_settings: Any
) -> None:
    """`patient list --offset 1` failed for any offset: SKIP + the default LIMIT overflowed."""
    store = Neo4jStore(clean_db, test_settings)
    for pid in ("P3", "P1", "P2"):
        store.twins.merge_patient(pid, {})
    assert [r["id"] for r in store.twins.patients(offset=1)] == ["P2", "P3"]
    assert [r["id"] for r in store.twins.patients(offset=2, limit=5)] == ["P3"]
    assert store.twins.patients(offset=10) == []
    # an offset near 2**63 with a limit: Neo4j added them up ("long overflow")
    from medtwin.platform import patients

    assert patients.list_patients(store, offset=2**63 - 1, limit=1) == []
    assert [p.id for p in patients.list_patients(store, offset=1, limit=2**63 - 1)] == ["P2", "P3"]


def test_input_checksums_in_one_query_as_on_the_memory_store(
    clean_db: Any, test_settings: Any
) -> None:
    """add-cohort's clash check reads every sample's inputs at once (it was one query each)."""
    from medtwin.platform import cohort_loads, patients
    from medtwin.store.memory import MemoryStore
    from tests.unit.services.conftest import profile

    neo, memory = Neo4jStore(clean_db, test_settings), MemoryStore()
    cohort = [profile(f"S{i}", input_checksums={"cohort.tsv": "c" * 64}) for i in range(3)]
    for store in (neo, memory):
        patients.add_patient(store, profile("S1"))  # another file: S1 clashes
        patients.add_patient(store, profile("S1", input_checksums={"b.tsv": "b" * 64}, changes=()))
        store.twins.merge_patient("S2", {})  # no inputs: no clash
        assert cohort_loads.clashing_ids(store, cohort) == ["S1"]
    ids = ["S0", "S1", "S2", "S9", "S1"]
    got = neo.twins.input_checksums(ids)
    assert got.keys() == {"S1"}
    assert sorted(got["S1"]) == sorted(memory.twins.input_checksums(ids)["S1"])
    assert len(got["S1"]) == 2


def test_connect_opens_the_store(neo4j_driver: Any, test_settings: Any) -> None:
    import medtwin

    with medtwin.connect(test_settings) as store:
        assert isinstance(store, Neo4jStore)
        assert store.readiness()[0].startswith("5.")


def test_a_notebooks_calls_are_audited(clean_db: Any, test_settings: Any) -> None:
    """The Python API was not audited (the CLI and the API were)."""
    import getpass

    import medtwin
    from medtwin.platform import patients

    with medtwin.connect(test_settings) as store:
        assert store.audit_actor == f"python:{getpass.getuser()}"
        store.twins.merge_patient("NB1", {})
        patients.get_patient(store, "NB1")
        events = store.audit_events("NB1")
    assert [(e.actor, e.action, e.route, e.status) for e in events] == [
        (f"python:{getpass.getuser()}", "read", "python: get_patient", 0)
    ]
    assert Neo4jStore(clean_db, test_settings).audit_actor is None  # the CLI's and API's stores


def test_the_audit_trail_pages_back_newest_first(clean_db: Any, test_settings: Any) -> None:
    """Before, only the newest ``limit`` (≤ 1000) events could be read: no ``offset``."""
    from medtwin.store.memory import MemoryStore

    events = [
        {
            "id": f"00000000-0000-4000-8000-00000000000{i}",
            "at": f"2026-12-0{i + 1}T10:00:00Z",
            "actor": "writer",
            "action": "read",
            "patient_id": "PG",
            "route": f"GET /v1/patients/PG?n={i}",
            "status": 200,
        }
        for i in range(5)
    ]
    for store in (Neo4jStore(clean_db, test_settings), MemoryStore()):
        store.write_audit_events(events)
        pages = [
            [e.route[-1] for e in store.audit_events("PG", limit=2, offset=o)] for o in (0, 2, 4, 6)
        ]
        assert pages == [["4", "3"], ["2", "1"], ["0"], []], type(store).__name__


def test_an_audit_event_marked_if_patient_exists_is_kept_only_for_a_patient(
    clean_db: Any, test_settings: Any
) -> None:
    """The CLI's audit checks the patient inside its one write (it read ``patient_exists``
    first): both stores keep the marked event of an existing patient only, and never the mark."""
    from medtwin.store.memory import MemoryStore

    def event(i: int, pid: str, marked: bool | None) -> dict[str, Any]:
        got = {
            "id": f"00000000-0000-4000-8000-0000000000a{i}",
            "at": "2026-12-07T10:00:00Z",
            "actor": "os:me",
            "action": "read",
            "patient_id": pid,
            "route": "cli: medtwin patient show",
            "status": 0,
        }
        return got if marked is None else {**got, "if_patient_exists": marked}

    events = [event(0, "PA", True), event(1, "NOPE", True), event(2, "GONE", False),
              event(3, "NOPE", None)]  # fmt: skip
    memory = MemoryStore()
    memory.twins.merge_patient("PA", {})
    neo = Neo4jStore(clean_db, test_settings)
    neo.twins.merge_patient("PA", {})
    for store in (neo, memory):
        store.write_audit_events(events)
        got = store.audit_events(None, limit=10)
        assert sorted(e.id[-2:] for e in got) == ["a0", "a2", "a3"], type(store).__name__
    assert all("if_patient_exists" not in e for e in memory.audit)
