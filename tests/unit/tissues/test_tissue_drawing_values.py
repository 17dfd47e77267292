"""Every valued node of a twin drawing says what its value is (the viewer's "Selected" panel)."""

from __future__ import annotations

from medtwin.platform.tissues import tissue_graph
from medtwin.platform.twin_models import TissueCellType, TissueLayer, TissueScore


def test_tissue_and_its_cell_types_name_their_values():
    cell = TissueCellType(
        tissue="blood", name="CD19+ B", n_genes=50, score=0.2, rank=1,
        out_within=1, out_cross=0, in_within=0, in_cross=1,
    )  # fmt: skip
    layer = TissueLayer(
        twin_id="MT@v1", method="reverse_pagerank", damping=0.85, seed=0,
        tissues=(TissueScore(name="blood", score=0.15, rank=1, cell_types=(cell,)),),
        signals=(), top_genes=(), n_cross_tissue_signals=0, n_within_tissue_signals=0,
    )  # fmt: skip
    nodes, edges = tissue_graph(layer)
    # before: a tapped tissue showed value 0.15 and a tissue's cell type 50, neither named
    assert {n.kind: (n.value, n.value_label) for n in nodes} == {
        "Tissue": (0.15, "reverse PageRank in the tissue meta-network"),
        "CellType": (50.0, "changed genes"),
    }
    assert [e.kind for e in edges] == ["HAS_CELL_TYPE"]
