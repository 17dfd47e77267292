"""build_twin_spec on a hand-drawn toy: seeds, fill-up, module, cell types, signals, counts."""

from __future__ import annotations

import pytest

from medtwin.domain import CellSignal
from medtwin.errors import InputError
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.network import Network
from medtwin.platform.models import TwinParams
from medtwin.platform.twin import build_twin_spec

# A ring of eight genes 1-2-3-4-5-6-7-8-1.
RING = Network.from_edges([(str(i), str(i % 8 + 1)) for i in range(1, 9)])

CHANGES = [
    # gene 1 is up in T cells, gene 2 down in B cells: both carry a cell type
    GeneChange(entrez="1", log2fc=2.0, zscore=5.0, padj=1e-4, cell_type="T"),
    GeneChange(entrez="2", log2fc=-1.0, zscore=4.0, padj=1e-3, cell_type="B"),
    GeneChange(entrez="5", log2fc=1.5, zscore=3.0, padj=1e-2),
    GeneChange(entrez="3", log2fc=0.5, zscore=1.0, padj=0.3),  # fails seed_fdr = 0.05
    GeneChange(entrez="99", log2fc=3.0, zscore=6.0, padj=1e-6),  # not in the interactome
]
# ligand 1 -> receptor 2 (1 is up in T, 2 changed in B: T signals to B);
# ligand 2 -> receptor 1 (2 is down in B: no B -> T signal)
LR = [("1", "2"), ("2", "1")]


def _spec(**params: object):
    return build_twin_spec(
        "P",
        CHANGES,
        ["HP:1", "HP:1", "HP:2"],
        {"in1": "abc"},
        RING,
        LR,
        TwinParams(module_samples=20, **params),  # type: ignore[arg-type]
    )


def test_seeds_module_and_counts_by_hand():
    spec = _spec(min_seeds=2)
    genes = {g.entrez: g for g in spec.genes}
    # Three genes pass the FDR, most evidence first; 3 fails it and 99 is outside the network.
    assert [g.entrez for g in spec.genes] == ["1", "2", "5"]
    assert {g.role for g in spec.genes} == {"seed"}
    assert spec.n_changes == 5
    assert spec.n_outside_network == 1
    assert spec.n_seeds_below_fdr == 0
    # 1-2 are neighbours on the ring, 5 is alone: the module (LCC) is {1, 2}.
    assert spec.module.lcc_genes == ("1", "2")
    assert spec.module.lcc_size == 2
    assert [genes[g].in_module for g in ("1", "2", "5")] == [True, True, False]
    assert genes["2"].log2fc == -1.0
    assert genes["2"].padj == 1e-3
    assert genes["2"].evidence == 4.0
    assert genes["1"].cell_types == ("T",)
    assert genes["5"].cell_types == ()
    assert spec.symptoms == ("HP:1", "HP:2")  # duplicates dropped, order kept
    assert spec.input_checksums == {"in1": "abc"}
    assert spec.params.seed == 0
    assert spec.module.seed == 0
    assert spec.module.n_iter == 20


def test_fill_up_takes_the_strongest_gene_below_the_fdr():
    spec = _spec(min_seeds=4)
    assert [g.entrez for g in spec.genes] == ["1", "2", "5", "3"]
    assert spec.n_seeds_below_fdr == 1
    assert spec.module.lcc_genes == ("1", "2", "3")  # 3 joins 2 on the ring


def test_cell_types_and_signals_by_hand():
    spec = _spec(min_seeds=2)
    assert spec.cell_types == {"B": ("2",), "T": ("1",)}
    assert spec.signals == (CellSignal("T", "B", ("1>2",)),)


def test_same_inputs_same_spec_and_hash():
    a, b = _spec(min_seeds=2), _spec(min_seeds=2)
    assert a == b
    assert a.params_hash != _spec(min_seeds=3).params_hash


def test_time_point_without_changes_is_an_input_error():
    # Not "none of 0 changed genes is in the interactome; check the gene ids" (before).
    with pytest.raises(
        InputError,
        match=r"has no changed gene to build a twin from \(layers .*, time point week12\): "
        r"no input is at time point week12; its time points: none \(no input carries one\)",
    ) as got:
        _spec(time_point="week12")
    assert "--time-point" in (got.value.hint or "")


def test_an_empty_time_point_is_quoted_not_read_as_any():
    """Stop 60's CLI probe: ``twin build P --time-point ''`` said "(…, time point any): no input
    is at time point ; …", the empty value shown as nothing and as "any"."""
    with pytest.raises(
        InputError, match=r"time point ''\): no input is at time point ''; its time points: none"
    ):
        _spec(time_point="")


def test_inputs_without_a_kept_change_say_so():
    """A cohort patient whose genes all missed --p-max (the demo's SYN049)."""
    with pytest.raises(
        InputError, match=r"its inputs kept none \(no gene passed their thresholds\)"
    ) as got:
        build_twin_spec("P0", [], [], {}, RING, LR, TwinParams(module_samples=20))
    assert "--p-max" in (got.value.hint or "")


def test_changes_of_other_layers_or_time_points_are_named() -> None:
    at_w0 = [GeneChange(entrez="1", log2fc=2.0, padj=1e-4, time_point="w0", layer="protein")]
    # the message ends there; pytest matches the hint (the error's note) after a newline
    ends = r"no input is at time point w4; its time points: w0(\n|$)"
    with pytest.raises(InputError, match=ends):
        build_twin_spec("P", at_w0, [], {}, RING, LR, TwinParams(time_point="w4"))
    params = TwinParams(time_point="w0", layers=("expression",))
    with pytest.raises(InputError, match=r"its inputs hold 1 change, all of other layers or time"):
        build_twin_spec("P", at_w0, [], {}, RING, LR, params)
