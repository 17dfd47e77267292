"""Oracles of ``platform/biomarkers.py``: the suggestions of seeded random twins against an
independent implementation of the module docstring's rule (a pandas filter and sort), each
(gene, drug) effect against the ranking's direction rule
(:func:`medtwin.platform.algorithms.direction.action_direction`), and the impact classes
against a hand table of Ensembl's consequence impacts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from medtwin.platform.algorithms.direction import action_direction, direction_word
from medtwin.platform.biomarkers import CandidateDrug, GeneEvidence, impact_of, suggest_biomarkers


def _random_twin(seed: int) -> tuple[list[GeneEvidence], list[CandidateDrug], set[str]]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 30))
    genes = []
    for i in range(n):
        layers = tuple(
            sorted(
                str(x)
                for x in rng.choice(
                    ["expression", "protein"], size=rng.integers(0, 3), replace=False
                )
            )
        )
        variants = ((f"rs{i}", "stop_gained"),) if rng.random() < 0.25 else ()
        measured = bool(layers) and rng.random() < 0.9
        genes.append(
            GeneEvidence(
                entrez=str(i + 1),
                symbol=f"G{i + 1}" if rng.random() < 0.9 else None,
                in_module=bool(rng.random() < 0.7),
                pagerank=float(np.round(rng.random(), 2)) if rng.random() < 0.85 else None,
                log2fc=float(np.round(rng.normal(), 1)) if measured else None,
                z=float(np.round(abs(rng.normal(scale=3)), 1))
                if measured and rng.random() < 0.8
                else None,
                layers=layers + (("variant",) if variants and rng.random() < 0.5 else ()),
                variants=variants,
            )
        )
    drugs = []
    for d in range(int(rng.integers(1, 6))):
        targets = rng.choice(n, size=int(rng.integers(1, 5)), replace=False)
        words = ["inhibit", "activate", "unknown", "binder"]
        actions = {str(t + 1): words[int(rng.integers(4))] for t in targets}
        drugs.append(CandidateDrug(f"DB{d}", f"drug{d}", int(rng.integers(1, 4)), actions))
    ligands = {str(i + 1) for i in range(n) if rng.random() < 0.2}
    return genes, drugs, ligands


def _expected(genes, drugs, ligands, top: int) -> pd.DataFrame:
    """The module docstring's filter and order, written from it with pandas."""
    g = pd.DataFrame(
        {
            "entrez": x.entrez,
            "name": x.symbol or x.entrez,
            "in_module": x.in_module,
            "pagerank": x.pagerank,
            "z": x.z,
            "n_layers": len(set(x.layers) | ({"variant"} if x.variants else set())),
            "changed": bool(x.layers or x.variants),
        }
        for x in genes
    )
    module = g[g.in_module].copy()
    # PageRank rank within the module (ties by Entrez id); genes without PageRank have none
    ranked = module[module.pagerank.notna()].sort_values(
        ["pagerank", "entrez"], ascending=[False, True]
    )
    module["pr_rank"] = pd.Series(range(1, len(ranked) + 1), index=ranked.index)
    n_central = max(1, math.ceil(0.25 * len(module)))
    module["central"] = module.pr_rank.notna() & (module.pr_rank <= n_central)
    links = pd.DataFrame(
        [(t, d.rank, d.drug_id) for d in drugs for t in d.actions],
        columns=["entrez", "rank", "drug"],
    )
    best = links.groupby("entrez")["rank"].min()
    hits = module[module.changed & module.entrez.isin(best.index)].copy()
    hits["best_rank"] = hits.entrez.map(best)
    hits["ligand"] = hits.entrez.isin(ligands)
    hits["neg_layers"] = -hits.n_layers
    hits["not_central"] = ~hits.central
    hits["neg_z"] = -hits.z.fillna(0.0)
    order = hits.sort_values(["neg_layers", "not_central", "best_rank", "neg_z", "name"])
    return order if top == 0 else order.head(top)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("top", [0, 3])
def test_suggestions_equal_an_independent_filter_and_sort(seed: int, top: int) -> None:
    genes, drugs, ligands = _random_twin(seed)
    got = suggest_biomarkers(genes, drugs, ligands, top=top)
    expected = _expected(genes, drugs, ligands, top)  # the independent implementation
    assert [s.entrez for s in got] == expected.entrez.tolist()
    assert [s.rank for s in got] == list(range(1, len(got) + 1))
    for s, (_, row) in zip(got, expected.iterrows(), strict=True):
        assert s.central == bool(row.central)
        assert s.ligand == bool(row.ligand)
        assert s.pagerank_rank == (None if pd.isna(row.pr_rank) else int(row.pr_rank))
        assert len(s.layers) == row.n_layers
        assert min(d.drug_rank for d in s.drugs) == row.best_rank


@pytest.mark.parametrize("seed", range(12))
def test_each_effect_follows_the_rankings_direction_rule(seed: int) -> None:
    genes, drugs, ligands = _random_twin(seed)
    change = {g.entrez: g.log2fc for g in genes}
    by_id = {d.drug_id: d for d in drugs}
    for s in suggest_biomarkers(genes, drugs, ligands, top=0):
        for d in s.drugs:
            word = by_id[d.drug_id].actions[s.entrez]
            lfc = change[s.entrez]
            # the stored direction word as a sign, as the direction ranking passes it
            # (direction_rank.py); a word with no direction ("binder") is 0 here, where
            # action_direction refuses a word it does not know
            sign = {"inhibit": -1, "activate": 1}.get(word, 0)
            score = action_direction(
                {s.entrez: sign},
                {} if lfc is None else {s.entrez: lfc},
            ).score
            assert d.effect == direction_word(score)


@pytest.mark.parametrize(
    ("consequence", "impact"),
    [  # Ensembl's calculated variant consequences table (IMPACT column), by hand
        ("transcript_ablation", "HIGH"),
        ("splice_acceptor_variant", "HIGH"),
        ("stop_gained", "HIGH"),
        ("start_lost", "HIGH"),
        ("stop_lost", "HIGH"),
        ("inframe_insertion", "MODERATE"),
        ("missense_variant", "MODERATE"),
        ("protein_altering_variant", "MODERATE"),
        ("splice_region_variant", "HIGH/MODERATE"),  # LOW: the readers kept it as HIGH/MODERATE
        ("synonymous_variant", "HIGH/MODERATE"),  # LOW
        ("missense_variant,stop_gained", "HIGH"),  # comma-joined: the most severe term
        ("synonymous_variant&missense_variant", "MODERATE"),
        ("", "HIGH/MODERATE"),
    ],
)
def test_impact_of_hand_computed_table_from_ensembl(consequence: str, impact: str) -> None:
    assert impact_of(consequence) == impact
