"""Oracles of ``platform/gene_evidence.py``: the evidence of a p-value against
``scipy.stats.norm.isf``, the per-gene statistics against a pandas group-by, the driver weights,
calls and words against a table computed by hand from the module docstring (σ · e / 3)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.gene_evidence import (
    change_evidence,
    driver_calls,
    driver_evidence,
    driver_words,
    gene_statistics,
)


@pytest.mark.parametrize("seed", range(6))
def test_change_evidence_of_a_padj_equals_scipy_two_sided_normal_quantile(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for padj in 10.0 ** rng.uniform(-300, 0, size=50):
        got = change_evidence(GeneChange(entrez="1", log2fc=1.0, padj=float(padj)))
        assert got == pytest.approx(min(norm.isf(padj / 2), 40.0), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("padj", [1e-323, 5e-324, 0.0])
def test_change_evidence_of_the_smallest_p_values_is_the_cap_or_below(padj: float) -> None:
    # 5e-324 is the smallest positive double (R writes it as 4.94065645841247e-324): its half
    # underflows to 0, so it takes p = 0's evidence, the cap 40. Before, NormalDist().inv_cdf(0)
    # raised StatisticsError, a traceback from `twin build` for a DE table that R wrote.
    got = change_evidence(GeneChange(entrez="1", log2fc=1.0, padj=padj))
    expected = 40.0 if padj / 2 == 0 else min(norm.isf(padj / 2), 40.0)
    assert got == pytest.approx(expected, rel=1e-9)
    assert got >= change_evidence(GeneChange(entrez="1", log2fc=1.0, padj=1e-300))


@pytest.mark.parametrize(
    ("change", "evidence"),
    [
        (GeneChange(entrez="1", log2fc=1.0, zscore=-2.5, padj=0.5), 2.5),  # z first
        (GeneChange(entrez="1", log2fc=1.0, zscore=99.0), 40.0),  # capped
        (GeneChange(entrez="1", log2fc=-0.7), 0.7),  # |log2fc| without a statistic
        (GeneChange(entrez="1", log2fc=0.0, layer="variant"), 3.0),  # a coding variant
        (
            GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence="MutLikelyFunctional"),
            2.0,
        ),
        (GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence="amp5"), 2.0),
        (GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence="Del0.8"), 3.0),
    ],
)
def test_change_evidence_hand_computed_table(change: GeneChange, evidence: float) -> None:
    assert change_evidence(change) == evidence


def _random_changes(seed: int) -> list[GeneChange]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(int(rng.integers(5, 40))):
        layer = str(rng.choice(["expression", "protein", "variant"], p=[0.5, 0.3, 0.2]))
        kind = int(rng.integers(3))
        out.append(
            GeneChange(
                entrez=str(int(rng.integers(1, 8))),
                log2fc=float(np.round(rng.normal(), 1)) if layer != "variant" else 0.0,
                zscore=float(np.round(rng.normal(scale=3), 1)) if kind == 0 else None,
                padj=float(rng.random()) if kind == 1 else None,
                layer=layer,
            )
        )
    return out


@pytest.mark.parametrize("seed", range(8))
def test_gene_statistics_equals_a_pandas_groupby_of_the_strongest_change(seed: int) -> None:
    changes = _random_changes(seed)
    weights = {"protein": 0.5}
    frame = pd.DataFrame(
        {
            "gene": c.entrez,
            "layer": c.layer,
            "z": c.zscore,
            "p": c.padj,
            "lfc": c.log2fc,
        }
        for c in changes
    )
    frame = frame[frame.layer != "variant"].reset_index(drop=True)
    # evidence: |z|, else the two-sided normal quantile of p (scipy), else |log2fc|
    evidence = frame.z.abs().fillna(pd.Series(norm.isf(frame.p / 2), index=frame.index))
    evidence = evidence.fillna(frame.lfc.abs()).clip(upper=40.0)
    frame["e"] = evidence * frame.layer.map(weights).fillna(1.0)
    frame["sign"] = np.where(frame.z.notna(), np.sign(frame.z), np.sign(frame.lfc))
    frame.loc[frame.sign == 0, "sign"] = 1.0  # a zero statistic counts as +
    best = frame.loc[frame.groupby("gene", sort=False).e.idxmax()]  # the first of equal maxima
    expected = dict(zip(best.gene, best.sign * best.e, strict=True))
    got = gene_statistics(changes, weights)
    assert got.keys() == expected.keys()
    for gene, value in expected.items():
        assert got[gene] == pytest.approx(value, rel=1e-9, abs=1e-12)


def _variant(entrez: str, consequence: str | None) -> GeneChange:
    return GeneChange(entrez=entrez, log2fc=0.0, layer="variant", consequence=consequence)


# σ · e / 3 by hand: gains +1, losses -1, another coding change +1/2; e from the Gao category
DRIVER_TABLE = [
    ("Amp8", 3.0 / 3),
    ("Amp5", 2.0 / 3),
    ("Del0.8", -3.0 / 3),
    ("MutKnownFunctional", 0.5 * 3.0 / 3),
    ("MutLikelyFunctional", 0.5 * 2.0 / 3),
    ("MutNovel", 0.5 * 1.0 / 3),
    ("stop_gained", -1.0),
    ("frameshift_variant", -1.0),
    ("splice_donor_variant", -1.0),
    ("start_lost", -1.0),
    ("exon_loss_variant", -1.0),
    ("transcript_ablation", -1.0),
    ("stop_lost", 0.5),  # elongates the protein: not a loss
    ("missense_variant", 0.5),
    ("splice_region_variant&stop_gained", -1.0),  # joined: its most severe term
    (None, 0.5),
]


@pytest.mark.parametrize(("consequence", "weight"), DRIVER_TABLE)
def test_driver_evidence_hand_computed_table(consequence: str | None, weight: float) -> None:
    assert driver_evidence([_variant("7", consequence)]) == {"7": pytest.approx(weight)}


def test_driver_evidence_and_calls_keep_the_strongest_call_of_a_gene_by_hand() -> None:
    changes = [  # by hand: the strongest call of each gene and its weight
        _variant("1", "MutNovel"),  # e 1/3
        _variant("1", "Del0.8"),  # e 1: the strongest, a loss
        _variant("1", "MutKnownFunctional"),  # e 1 too, but later: the first of equals stays
        _variant("2", "Amp5"),
        GeneChange(entrez="2", log2fc=5.0, zscore=9.0),  # expression: not a driver call
        GeneChange(entrez="3", log2fc=-2.0),  # no variant: no driver weight
    ]
    assert driver_evidence(changes) == {"1": -1.0, "2": pytest.approx(2 / 3)}
    assert driver_calls(changes) == {"1": "Del0.8", "2": "Amp5"}


@pytest.mark.parametrize(
    ("weight", "call", "words"),
    [
        (1.0, "Amp8", "Amp8: gain, weight 1"),
        (2 / 3, "Amp5", "Amp5: gain, weight 0.67"),
        (-1.0, "stop_gained", "stop_gained: loss, weight 1"),
        (-1.0, None, "loss, weight 1"),
        (
            0.5,
            "MutKnownFunctional",
            "MutKnownFunctional: known functional mutation, direction not given, weight 0.5",
        ),
        (
            1 / 3,
            "MutLikelyFunctional",
            "MutLikelyFunctional: likely functional mutation, direction not given, weight 0.33",
        ),
        (0.5, "stop_lost", "stop_lost: coding variant, direction not given, weight 0.5"),
        (0.5, None, "coding mutation, direction not given, weight 0.5"),
    ],
)
def test_driver_words_hand_computed_table(weight: float, call: str | None, words: str) -> None:
    assert driver_words(weight, call) == words
    assert not math.isnan(weight)
