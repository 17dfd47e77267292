"""The Bloom perspective draws every node of a loaded database: each label and relationship type
the database holds is one of its categories or types (or a coordination label, which Bloom is not
shown), and every node has a caption. ``tests/unit/report/test_bloom.py`` checks the file
against ``medtwin.schema``; this checks it against what a load writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medtwin.platform import reference
from tests.unit.test_schema import COORDINATION

pytestmark = pytest.mark.neo4j

PERSPECTIVE = json.loads(
    (Path(__file__).resolve().parents[2] / "bloom" / "medtwin-perspective.json").read_text()
)


def _rows(store: Any, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return [
        r.data() for r in store.driver.execute_query(cypher, params, database_=store.database)[0]
    ]


def test_every_label_type_and_node_of_a_load_is_drawn(samples: Any) -> None:
    store, data = samples
    reference.load_reference(store, data)
    labels = {r["label"] for r in _rows(store, "CALL db.labels() YIELD label RETURN label")}
    types = {
        r["t"]
        for r in _rows(store, "CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t")
    }
    categories = {c["name"]: c for c in PERSPECTIVE["categories"]}
    assert labels - set(categories) - COORDINATION == set()
    assert types - {r["name"] for r in PERSPECTIVE["relationshipTypes"]} == set()
    blank = {}
    for label in sorted(labels & set(categories)):
        keys = categories[label]["captionKeys"]
        # labels come from the database's own list and the perspective, never from input
        rows = _rows(
            store,
            f"MATCH (n:`{label}`) WHERE all(k IN $keys WHERE n[k] IS NULL) "
            "RETURN count(n) AS n, collect(n.id)[..3] AS ids",
            keys=keys,
        )
        if rows[0]["n"]:
            blank[label] = (keys, rows[0]["n"], rows[0]["ids"])
    # before: Protein captioned by symbol only; 1,284 of the demo's 57,636 proteins have none
    # (1,177 drug targets of Guney 2016, 93 interactome proteins): drawn without a caption
    assert blank == {}
