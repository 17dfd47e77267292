"""Every layer and edge kind a twin drawing can hold has its own colour in the viewer and exports.

The kinds are read from the code that makes the drawing's edges (the twin's edge query, the
tissue, phenotype and pathway parts, the memory store), not from a list kept here: a new kind
without a colour fails. The viewer's edge table is compared with
:mod:`medtwin.platform.layer_colours` (its layer table: ``test_report.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from medtwin.api.app_static import STATIC_DIR
from medtwin.platform.layer_colours import EDGE_COLOURS

SRC = Path(__file__).resolve().parents[3] / "src" / "medtwin"
EDGE_MAKERS = (
    "cypher/twin/get_twin_edges.cypher",
    "platform/twin_drawing.py",
    "platform/twin_drawing_layers.py",
    "platform/twin_drawing_activity.py",
    "platform/tissues.py",
    "store/memory/twins.py",
)
# on a line that sets an edge's kind: kind="X" (or "X" if ... else "Y"), 'X' AS kind,
# "kind": "X" and "kind": RelType.X.value
_KIND = re.compile(r"[\"']([A-Z][A-Z_]+)[\"']|RelType\.(\w+)\.value")


def _drawn_edge_kinds() -> set[str]:
    kinds: set[str] = set()
    for path in EDGE_MAKERS:
        for line in (SRC / path).read_text(encoding="utf-8").splitlines():
            if "kind" in line and not line.lstrip().startswith(("#", "//")):
                kinds.update(a or b for a, b in _KIND.findall(line))
    return kinds


def _js_table(name: str) -> dict[str, str]:
    js = (STATIC_DIR / "viewer.js").read_text(encoding="utf-8")
    table = re.search(rf"var {name} = \{{(.*?)\}};", js, re.S)
    assert table is not None, name
    return dict(re.findall(r'(\w+): "(#[0-9A-F]{6})"', table.group(1)))


def test_every_drawn_edge_kind_has_its_own_colour():
    """Before, every edge was one grey in the viewer and the exports, and named in no legend."""
    kinds = _drawn_edge_kinds()
    assert {"INTERACTS_WITH", "EXPRESSES_CHANGE", "ACTIVITY", "HAS_CELL_TYPE"} <= kinds
    assert kinds - set(EDGE_COLOURS) == set()
    # a drawing's kinds are told apart (the schema's others take Bloom's colours, which share)
    assert len({EDGE_COLOURS[k] for k in kinds}) == len(kinds)


def test_the_viewer_has_the_same_edge_colours():
    assert _js_table("EDGE_COLOURS") == EDGE_COLOURS
