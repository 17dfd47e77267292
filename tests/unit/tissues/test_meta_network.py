"""Multi-tissue twins: tissue layer of the spec and meta-network centrality (planted axes)."""

from __future__ import annotations

import pytest

from medtwin.errors import InputError
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.network import Network
from medtwin.platform.models import TwinParams
from medtwin.platform.tissues import meta_network_centrality
from medtwin.platform.twin import TissueSignal, build_twin_spec

# Tissue A ("lymph_node") has one cell type; tissue B ("synovium") has three, each with more genes,
# so by size alone B is the most central tissue. The planted axis: ligands 101 and 102 are up in
# A's only cell type; their receptors 201, 202, 203 are changed in each of B's cell types.
LR = [("101", "201"), ("102", "202"), ("101", "203"), ("900", "901")]


def _changes(axis: bool) -> list[GeneChange]:
    out = [
        GeneChange(entrez="101", log2fc=2.0, tissue="lymph_node", cell_type="T"),
        GeneChange(entrez="102", log2fc=1.5, tissue="lymph_node", cell_type="T"),
        GeneChange(entrez="103", log2fc=1.0, tissue="lymph_node", cell_type="T"),
    ]
    receptors = {"Fibro": "201", "Macro": "202", "Endo": "203"}
    for i, (cell, receptor) in enumerate(receptors.items()):
        genes = [receptor] + [str(300 + 10 * i + k) for k in range(4)]
        for g in genes:
            out.append(GeneChange(entrez=g, log2fc=1.0, tissue="synovium", cell_type=cell))
    if not axis:
        # Shuffle the axis away: the ligands are down (not sent), so no signal is planted.
        out = [
            c.model_copy(update={"log2fc": -abs(c.log2fc)}) if c.entrez in {"101", "102"} else c
            for c in out
        ]
    return out


def _spec(changes: list[GeneChange]):
    ids = sorted({c.entrez for c in changes}, key=int)
    net = Network.from_edges(zip(ids, ids[1:], strict=False))
    return build_twin_spec(
        "MT", changes, (), {}, net, LR, TwinParams(module_samples=10, min_seeds=1)
    )


def test_spec_builds_tissue_layer_with_cross_tissue_signals() -> None:
    spec = _spec(_changes(axis=True))
    assert set(spec.tissues) == {"lymph_node", "synovium"}
    assert spec.tissues["lymph_node"] == {"T": ("101", "102", "103")}
    assert set(spec.tissues["synovium"]) == {"Fibro", "Macro", "Endo"}
    got = {(s.source, s.target): s.pairs for s in spec.tissue_signals}
    assert got == {
        ("T", "Fibro"): ("101>201",),
        ("T", "Macro"): ("102>202",),
        ("T", "Endo"): ("101>203",),
    }
    assert all(s.cross_tissue for s in spec.tissue_signals)
    # Tissue changes stay out of the single-tissue cell-type layer ...
    assert spec.cell_types == {}
    assert spec.signals == ()
    # ... and the twin's genes name tissue and cell type (what drug explanations show).
    genes = {g.entrez: g for g in spec.genes}
    assert genes["101"].cell_types == ("lymph_node/T",)


def test_planted_cross_tissue_axis_makes_sender_tissue_most_central() -> None:
    spec = _spec(_changes(axis=True))
    found = meta_network_centrality(spec.tissues, spec.tissue_signals)
    assert [t.name for t in found.tissues] == ["lymph_node", "synovium"]
    assert found.cell_types[0].name == "T"
    assert found.cell_types[0].tissue == "lymph_node"
    # The ligands of the axis are the most central genes.
    assert {g.name for g in found.genes[:2]} == {"101", "102"}
    assert found.n_cross_tissue_signals == 3
    assert sum(t.score for t in found.tissues + found.cell_types + found.genes) == pytest.approx(1)


def test_without_the_axis_the_larger_tissue_is_most_central() -> None:
    spec = _spec(_changes(axis=False))
    assert spec.tissue_signals == ()
    found = meta_network_centrality(spec.tissues, spec.tissue_signals)
    assert [t.name for t in found.tissues] == ["synovium", "lymph_node"]
    assert found.n_cross_tissue_signals == 0


def test_within_tissue_signal_is_not_cross_tissue() -> None:
    layer = {"blood": {"Mono": ["1"], "T": ["2"]}}
    sig = [TissueSignal("blood", "Mono", "blood", "T", ("1>2",))]
    found = meta_network_centrality(layer, sig)
    assert (found.n_within_tissue_signals, found.n_cross_tissue_signals) == (1, 0)
    assert found.cell_types[0].name == "Mono"


def test_hand_computed_two_node_chain() -> None:
    # One tissue t with one cell type c with one gene g: the chain t - c - g. Each of t and g
    # moves to c; c splits 1/2, 1/2 to t and g. Stationary PageRank with d = 0.5, N = 3:
    # pi_c = 1/6 + 0.5 (pi_t + pi_g), pi_t = pi_g = 1/6 + 0.25 pi_c, sum = 1
    # => pi_c = 1/6 + pi_t, 3 pi_t + 1/6 = 1 => pi_t = pi_g = 5/18, pi_c = 4/9.
    found = meta_network_centrality({"t": {"c": ["g"]}}, [], damping=0.5)
    assert found.tissues[0].score == pytest.approx(5 / 18)
    assert found.cell_types[0].score == pytest.approx(4 / 9)
    assert found.genes[0].score == pytest.approx(5 / 18)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InputError, match="no tissue layer"):
        meta_network_centrality({}, [])
    with pytest.raises(InputError, match="damping"):
        meta_network_centrality({"t": {"c": ["g"]}}, [], damping=1.0)
    with pytest.raises(InputError, match="not in the tissue layer"):
        meta_network_centrality({"t": {"c": ["g"]}}, [TissueSignal("t", "c", "u", "x", ("a>b",))])


def test_single_tissue_free_input_is_unchanged() -> None:
    # Cell types without a tissue build the old layer; no tissue layer appears.
    changes = [
        GeneChange(entrez="101", log2fc=2.0, cell_type="Mono"),
        GeneChange(entrez="201", log2fc=1.0, cell_type="T"),
    ]
    spec = _spec(changes)
    assert spec.tissues == {}
    assert spec.tissue_signals == ()
    assert spec.cell_types == {"Mono": ("101",), "T": ("201",)}
    assert [(s.source, s.target, s.pairs) for s in spec.signals] == [("Mono", "T", ("101>201",))]
    assert {g.entrez: g.cell_types for g in spec.genes}["101"] == ("Mono",)
