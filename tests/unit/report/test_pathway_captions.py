"""A pathway's caption in the twin drawing fits the viewer's and the report's 32 characters.

Before, a pathway scored only per cell type or tissue (every single-cell twin's) was labelled
"JAK-STAT (activity +1.55, strongest cell type/tissue)", cut on the canvas to
"JAK-STAT (activity +1.55, stron…"; what the value is stays in ``value_label``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from medtwin.platform.models import GraphNode
from medtwin.platform.twin_drawing_layers import CONTEXT_PATHWAY_VALUE, PATHWAY_VALUE, pathway_graph

MAX_CAPTION = 32  # viewer.js MAX_CAPTION, report_charts._MAX_LABEL
PROGENY = ("Androgen", "EGFR", "Estrogen", "Hypoxia", "JAK-STAT", "MAPK", "NFkB", "p53", "PI3K",
           "TGFb", "TNFa", "Trail", "VEGF", "WNT")  # fmt: skip


def _store(level: list[dict[str, Any]], context: list[dict[str, Any]]) -> Any:
    twins = SimpleNamespace(activity=lambda _t: level, context_activity=lambda _t, _w: context)
    return SimpleNamespace(twins=twins)


def test_pathway_captions_fit_and_value_label_says_what_the_value_is():
    cell = GraphNode(id="T/B cell", label="B cell", layer="cell_type", kind="CellType")
    context = [
        {"kind": "pathway", "id": p, "name": p, "score": -10.25 + i, "cell_type": "B cell",
         "tissue": None}
        for i, p in enumerate(PROGENY)
    ]  # fmt: skip
    level = [{"kind": "pathway", "id": "MAPK", "name": "MAPK", "score": 0.5}]
    nodes, edges, total = pathway_graph(_store(level, context), "T", [cell])
    assert total == len(PROGENY)
    by_id = {n.id.rsplit(":", 1)[1]: n for n in nodes}
    assert by_id["JAK-STAT"].label == f"JAK-STAT (activity {by_id['JAK-STAT'].value:+.2f})"
    assert by_id["JAK-STAT"].value_label == CONTEXT_PATHWAY_VALUE
    assert (by_id["MAPK"].label, by_id["MAPK"].value_label) == (
        "MAPK (activity +0.50)",
        PATHWAY_VALUE,
    )
    assert all(len(n.label) <= MAX_CAPTION for n in nodes), [n.label for n in nodes]
    assert {e.kind for e in edges} == {"ACTIVITY"}
