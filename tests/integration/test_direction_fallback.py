"""The Cypher of ``drug_targets`` fills DrugBank's missing directions from DrugCentral like the
in-memory store does (the case of tests/unit/store/test_direction_fallback.py, on the real server).
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.loaders.rows import DrugRow, DrugTargetRow
from medtwin.platform.target_sets import drug_target_sets
from medtwin.store.tiny import gene_row
from tests.unit.store.test_direction_fallback import (
    EXPECTED,
    EXTRA,
    PAIRS,
    SOURCES,
    WITHOUT,
    as_pairs,
    direction_sources,
    memory_store,
)

pytestmark = pytest.mark.neo4j


def _target(drug: str, entrez: str, direction: str, source: str) -> DrugTargetRow:
    return DrugTargetRow(
        drug_id=drug,
        entrez=entrez,
        actions={"inhibit": ("inhibitor",), "activate": ("agonist",)}.get(direction, ()),
        direction=direction,  # type: ignore[arg-type]
        category="target",
        known_action=None,
        source=source,
        source_version="test",
    )


@pytest.fixture
def store(clean_db: Any, test_settings: Any) -> Any:
    from medtwin.store.neo4j import Neo4jStore

    s = Neo4jStore(clean_db, test_settings)
    s.ensure_schema()
    s.merge_rows(gene_row(i) for i in range(1, 61))
    s.merge_rows(
        DrugRow(
            id=d,
            name=d.lower(),
            drug_type=None,
            groups=("approved",),
            atc_codes=(),
            inchikey=None,
            source="drugbank_dhimmel",
            source_version="test",
        )
        for d in sorted({d for d, _ in PAIRS})
    )
    s.merge_rows(_target(d, e, db, "drugbank_dhimmel") for (d, e), (db, _) in PAIRS.items())
    dc = [(d, e, c) for (d, e), (_, c) in PAIRS.items() if c is not None] + [EXTRA]
    s.merge_rows(_target(d, e, c, "drugcentral_2016") for d, e, c in dc)
    return s


def test_cypher_fallback_equals_memory(store: Any) -> None:
    assert as_pairs(store) == EXPECTED == as_pairs(memory_store())


def test_cypher_direction_sources_equal_memory(store: Any) -> None:
    assert direction_sources(store) == SOURCES == direction_sources(memory_store())


def test_cypher_without_fallback(store: Any) -> None:
    rows = store.reference.drug_targets("drugbank_dhimmel", categories=None, approved_only=False)
    assert {r["drug_id"]: (tuple(r["targets"]), tuple(r["directions"])) for r in rows} == WITHOUT


def test_cypher_drug_ids_equal_memory(store: Any) -> None:
    ids = ["DB00003", "DB00001", "DB09999"]
    for s in (store, memory_store()):
        got = drug_target_sets(s, "drugbank_dhimmel", drug_ids=ids)
        assert {d: (t.targets, t.directions) for d, t in got.items()} == {
            d: EXPECTED[d] for d in ("DB00001", "DB00003")
        }
