"""Seed calling of the twin builder: evidence, FDR, fill-up, layer weights, ranked module."""

from __future__ import annotations

import math

import pytest

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.network import Network
from medtwin.platform.gene_evidence import VARIANT_EVIDENCE, change_evidence
from medtwin.platform.models import TwinParams
from medtwin.platform.twin import build_twin_spec


@pytest.fixture
def path20() -> Network:
    return Network.from_edges([(str(i), str(i + 1)) for i in range(19)])


def _spec(net: Network, changes: list[GeneChange], **params: object):
    return build_twin_spec("P", changes, (), {}, net, (), TwinParams(module_samples=20, **params))


def test_evidence_scale_by_hand() -> None:
    # padj 0.01 -> Phi^-1(1 - 0.005) = 2.5758
    assert change_evidence(GeneChange(entrez="1", log2fc=0.1, padj=0.01)) == pytest.approx(
        2.5758, abs=1e-4
    )
    assert change_evidence(GeneChange(entrez="1", log2fc=9.0, zscore=1.0, padj=0.5)) == 1.0
    assert change_evidence(GeneChange(entrez="1", log2fc=0.0, layer="variant")) == VARIANT_EVIDENCE
    assert change_evidence(GeneChange(entrez="1", log2fc=0.0, padj=0.0)) == 40.0


def test_seeds_ranked_by_evidence_not_fold_change(path20: Network) -> None:
    changes = [
        GeneChange(entrez="3", log2fc=5.0, padj=0.04),  # big fold change, weak evidence
        GeneChange(entrez="4", log2fc=0.5, padj=1e-6),  # small fold change, strong evidence
        GeneChange(entrez="5", log2fc=1.0, padj=1e-3),
    ]
    spec = _spec(path20, changes, max_seeds=2, min_seeds=1)
    assert [g.entrez for g in spec.genes if g.role == "seed"] == ["4", "5"]


def test_fdr_filter_and_fill_up(path20: Network) -> None:
    changes = [GeneChange(entrez=str(i), log2fc=1.0, padj=0.01 * i) for i in range(1, 9)]
    # padj 0.01..0.08: five pass seed_fdr 0.05
    spec = _spec(path20, changes, min_seeds=2)
    assert sorted(int(g.entrez) for g in spec.genes if g.role == "seed") == [1, 2, 3, 4, 5]
    assert spec.n_seeds_below_fdr == 0
    # min_seeds 7: the two strongest failing genes fill up
    spec = _spec(path20, changes, min_seeds=7)
    assert sorted(int(g.entrez) for g in spec.genes if g.role == "seed") == [1, 2, 3, 4, 5, 6, 7]
    assert spec.n_seeds_below_fdr == 2


def test_layer_weight_decides_between_layers(path20: Network) -> None:
    changes = [
        GeneChange(entrez="2", log2fc=0.0, layer="variant"),  # evidence 3
        GeneChange(entrez="9", log2fc=1.0, zscore=2.5),  # evidence 2.5
    ]
    top = _spec(path20, changes, max_seeds=1, min_seeds=1)
    assert [g.entrez for g in top.genes] == ["2"]
    down = _spec(
        path20,
        changes,
        max_seeds=1,
        min_seeds=1,
        layer_weights={"expression": 1.0, "protein": 1.0, "variant": 0.5},
    )
    assert [g.entrez for g in down.genes] == ["9"]


def test_the_ranked_module_is_the_reported_module(path20: Network) -> None:
    changes = [GeneChange(entrez=g, log2fc=1.0, zscore=3.0) for g in ("3", "4", "5", "12")]
    spec = _spec(path20, changes, expansion="diamond", expand=2)
    members = {g.entrez for g in spec.genes}
    # DIAMOnD by hand (N = 20): every candidate has k = 2, k_s = 1, so p ties (s = 4:
    # 1 - C(16,2)/C(20,2) = 0.368) and the lowest index wins: "11" (ids sort as text), then
    # with s = 5 (p = 0.447) "10"
    assert members == {"3", "4", "5", "12", "11", "10"}
    in_module = {g.entrez for g in spec.genes if g.in_module}
    assert in_module == set(spec.module.lcc_genes)
    assert set(spec.module.genes) == members  # z computed on seeds + expansion
    assert not math.isnan(spec.module.z)
