"""Every node of every layer of the report's twin picture gets a caption that renders (stop 59).

Not empty, no 'None'/'nan', not the node's id where it has a name, not cut inside a word: until
stop 59 a label longer than 32 characters was cut where the 32nd fell ('CD4+/CD45RA+/CD25- Naive
T (bl…'). A hub with no room for its caption has a number, and the note names it.
"""

from __future__ import annotations

import html
import re

import pytest

from medtwin.platform import report_module_chart as mc
from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.twin_layout import laid_out
from tests.captions import caption_fault

# one node of each kind and layer a twin drawing has (platform/twin_drawing*.py, tissues.py),
# with the long names the demo twins have; the drug overlay and time points are the viewer's
LAYERS = [
    ("7124", "TNF", "Protein", "module"),
    ("3569", "3569", "Protein", "seed"),  # a gene without a symbol: its id is its name
    ("6772", "STAT1", "Protein", "upstream_regulator"),
    ("T@v1/CD4+ naive", "CD4+/CD45RA+/CD25- Naive T (blood)", "CellType", "cell_type"),
    ("T@v1/tissue/blood", "peripheral blood mononuclear cells (PBMC)", "Tissue", "tissue"),
    ("T@v1/pathway/JAK", "JAK-STAT (activity +1.27, strongest cell type)", "Pathway", "pathway"),
    ("HP:0002960", "HP:0002960 Autoimmunity of the peripheral nervous system", "Phenotype",
     "phenotype"),
    ("HP:0001369", "HP:0001369", "Phenotype", "phenotype"),  # a term without a name
    ("T@v1/phenotype_module", "phenotype module (Arthritis, Joint swelling and 4 more terms)",
     "PhenotypeModule", "phenotype_module"),
]  # fmt: skip


def _graph() -> TwinGraph:
    nodes = [
        GraphNode(id=i, label=label, kind=kind, layer=layer, size=1.0 + k / 10)
        for k, (i, label, kind, layer) in enumerate(LAYERS)
    ]
    nodes += [
        GraphNode(id=f"g{k}", label=f"GENE{k}", kind="Protein", layer="module") for k in range(12)
    ]
    edges = [GraphEdge(source=LAYERS[0][0], target=n.id, kind="INTERACTS_WITH") for n in nodes[1:]]
    return laid_out(TwinGraph(twin_id="T@v1", nodes=tuple(nodes), edges=tuple(edges)), 0)


def _drawn(monkeypatch: pytest.MonkeyPatch, graph: TwinGraph) -> tuple[list[object], str]:
    got: dict[str, object] = {}
    real = mc._free_labels

    def spy(*args: object) -> object:
        got["out"] = real(*args)  # type: ignore[arg-type]
        return got["out"]

    monkeypatch.setattr(mc, "_free_labels", spy)
    svg = mc.module_figure(graph, 0)
    assert svg is not None
    return got["out"][0], svg  # type: ignore[index]


def test_every_layers_node_has_a_caption_that_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph()
    labels, svg = _drawn(monkeypatch, graph)
    texts = [html.unescape(t) for t in re.findall(r">([^<]*)</text>", svg)]
    by_place = {(n.x, -(n.y or 0.0)): n for n in graph.nodes}
    captioned = set()
    for la in labels:
        node = by_place[la.xy]
        callout = getattr(la, "callout", "")  # none before stop 59
        caption = callout or la.text
        assert caption_fault(caption, node.label, node.id) is None, (node.id, caption)
        assert la.text in texts
        if callout:  # the number's name is in the note
            assert f"{la.text} = {callout}" in " ".join(texts)
        captioned.add(node.id)
    # every node not a protein is captioned, whatever its layer
    assert {i for i, _, kind, _ in LAYERS if kind != "Protein"} <= captioned
    assert {"7124", "3569", "6772"} <= captioned  # the largest proteins too
    # the long names are cut at a word's end, not where the 32nd character falls
    assert "CD4+/CD45RA+/CD25- Naive T\u2026" in texts


def test_caption_fault_finds_what_it_names() -> None:
    """The check itself fails the captions it is for (a check that cannot fail proves nothing)."""
    assert caption_fault("", "TNF", "7124") == "empty"
    assert caption_fault("None", "TNF", "7124") == "a placeholder"
    assert caption_fault("7124", "TNF", "7124") == "the id, not the name"
    assert caption_fault("7124", "7124", "7124") is None
    name = "CD4+/CD45RA+/CD25- Naive T (blood)"
    assert caption_fault(name[:31] + "\u2026", name, "c") == "cut mid-word"
    assert caption_fault("CD4+/CD45RA+/CD25- Naive T\u2026", name, "c") is None
    assert caption_fault("CD8\u2026", name, "c") == "not the name's start"
