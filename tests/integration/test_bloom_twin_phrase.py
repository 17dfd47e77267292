"""Bloom's `twin of patient $id` draws what a built twin holds and what the viewer draws of it.

The twin is built here on the server (single-cell-like, a presented HPO term, its phenotype module,
pathway activities per cell type), and the phrase's Cypher runs on it: its paths hold every
relationship type that leaves the twin (but HAS_RANKING: rankings have their own phrase) and every
relationship type and node label of the twin's drawing (`twins.twin_graph`), read from the
database and the drawing, not from a list kept here. ``tests/unit/report/test_bloom.py`` checks
the file's vocabulary against ``medtwin.schema``.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.schema import RelType
from tests.integration.test_perspective_covers_db import PERSPECTIVE, _rows
from tests.integration.test_twin_graph_layers import built_single_cell_twin

pytestmark = pytest.mark.neo4j

PHRASE = next(t for t in PERSPECTIVE["templates"] if t["text"] == "twin of patient $id")


def test_the_twin_phrase_draws_every_part_of_a_built_twin(tiny_reference: Any) -> None:
    """Before, the phrase drew no phenotype module, no cell type's changed genes and no
    signalling between cell types, which the viewer draws (and the database holds)."""
    store, _ = tiny_reference
    twin, graph = built_single_cell_twin(store, "BL1")
    leaving = {
        r["t"]
        for r in _rows(
            store, "MATCH (:Twin {id: $t})-[r]->() RETURN DISTINCT type(r) AS t", t=twin.id
        )
    }
    assert {"INCLUDES", "HAS_CELL_TYPE", "PRESENTS", "HAS_PHENOTYPE_MODULE", "ACTIVITY"} <= leaving
    records = store.driver.execute_query(
        PHRASE["cypher"], {"id": "BL1"}, database_=store.database
    ).records
    types, labels = set(), set()
    for record in records:
        types |= {r.type for r in record["path"].relationships}
        labels |= {label for n in record["path"].nodes for label in n.labels}
    drawn_types = {e.kind for e in graph.edges} & {str(t) for t in RelType}
    assert {"EXPRESSES_CHANGE", "IN_PHENOTYPE_MODULE", "LINKS_GENE"} <= drawn_types
    assert ((leaving - {"HAS_RANKING"}) | drawn_types) - types == set()
    assert {n.kind for n in graph.nodes} - labels == set()
