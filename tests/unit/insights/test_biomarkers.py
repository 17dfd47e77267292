"""Biomarker suggestions on a planted toy twin (hand-written expectations)."""

from __future__ import annotations

import pytest

from medtwin.errors import InputError
from medtwin.platform.biomarkers import CandidateDrug, GeneEvidence, impact_of, suggest_biomarkers


def _toy() -> tuple[list[GeneEvidence], list[CandidateDrug]]:
    genes = [
        # B: the most central module gene, expression only, strongest change, a ligand
        GeneEvidence("2", "B", True, 0.40, 1.5, 6.0, ("expression",)),
        # A: variant + expression on the same protein, not central (PageRank 4th of 7)
        GeneEvidence(
            "1", "A", True, 0.06, 2.0, 3.1, ("expression", "variant"), (("rs123", "stop_gained"),)
        ),  # fmt: skip
        GeneEvidence("3", "C", True, 0.15),  # in the module, not changed: never suggested
        GeneEvidence("4", "D", False, None, 3.0, 8.0, ("expression",)),  # changed, outside
        GeneEvidence("5", "E", True, 0.10, -1.0, 2.5, ("expression",)),  # no top drug targets it
        GeneEvidence("6", "F", True, 0.05, -2.0, 2.2, ("protein",)),  # down, activated
        GeneEvidence("7", "G", True, 0.05, 1.0, 2.0, ("expression",)),  # up, activated
        GeneEvidence(
            "8", "H", True, 0.05, None, None, ("variant",), (("rs8", "missense_variant"),)
        ),
    ]
    drugs = [
        CandidateDrug("DB1", "drugone", 1, {"2": "inhibit", "3": "inhibit", "4": "inhibit"}),
        CandidateDrug("DB2", "drugtwo", 2, {"1": "inhibit", "2": "inhibit"}),
        CandidateDrug("DB3", None, 3, {"6": "activate", "7": "activate", "8": "inhibit"}),
    ]
    return genes, drugs


def test_variant_plus_expression_target_ranks_first_and_ligand_is_flagged():
    genes, drugs = _toy()
    got = suggest_biomarkers(genes, drugs, ligands={"2"}, top=0)
    # A: 2 layers first, before B although B is central and targeted by the rank-1 drug
    assert [s.symbol for s in got][:2] == ["A", "B"]
    assert {s.symbol for s in got} == {"A", "B", "F", "G", "H"}  # C, D, E filtered out
    a, b = got[0], got[1]
    assert (a.rank, a.layers, a.variants, a.central, a.ligand) == (
        1, ("expression", "variant"), ("rs123",), False, False,
    )  # fmt: skip
    assert (b.ligand, b.central, b.pagerank_rank, b.module_size) == (True, True, 1, 7)
    assert [d.drug_id for d in b.drugs] == ["DB1", "DB2"]
    assert a.chain == (
        "variant rs123 in A (HIGH) → A up (z 3.1) → in the module (PageRank 4/7) → "
        "drugtwo (rank 2) inhibits A → measure A protein; if elevated, drugtwo is supported; "
        "if normal, it is not"
    )
    assert (
        "measure B protein (a ligand in LIANA's consensus; not known whether measurable in blood)"
        in b.chain
    )
    assert b.chain.startswith("B up (z 6.0) → central in the module (PageRank 1/7)")


def test_direction_words_follow_the_ranking_rule():
    genes, drugs = _toy()
    got = {s.symbol: s for s in suggest_biomarkers(genes, drugs, ligands=set(), top=0)}
    assert got["A"].drugs[0].effect == "counteracts"  # inhibits an up-regulated gene
    assert got["F"].drugs[0].effect == "counteracts"  # activates a down-regulated gene
    assert "if low, DB3 is supported" in got["F"].chain
    assert "F down (z -2.2, protein)" in got["F"].chain
    assert got["G"].drugs[0].effect == "aggravates"  # activates an up-regulated gene
    assert got["G"].chain.endswith(
        "measure G protein; if elevated, DB3 would push it further (DB3 aggravates): "
        "the measurement argues against DB3"
    )
    assert got["H"].drugs[0].effect == "unknown"  # variant only: no measured direction
    assert got["H"].chain.startswith("variant rs8 in H (MODERATE) → in the module")
    assert "its level is not measured in the patient" in got["H"].chain


def test_top_limits_and_ranks_from_one():
    genes, drugs = _toy()
    got = suggest_biomarkers(genes, drugs, ligands=set(), top=2)
    assert [s.rank for s in got] == [1, 2]


def test_unknown_action_neither_supports_nor_refutes():
    g = [GeneEvidence("1", "A", True, 0.5, 1.0, 2.0, ("expression",))]
    got = suggest_biomarkers(g, [CandidateDrug("X", "x", 1, {"1": "unknown"})], set())
    assert got[0].drugs[0].effect == "unknown"
    assert "x (rank 1) targets A" in got[0].chain
    assert "neither supports nor refutes x" in got[0].chain


@pytest.mark.parametrize(
    ("kw", "match"), [({"top": -1}, "top"), ({"central_fraction": 0}, "central")]
)
def test_bad_parameters_are_input_errors(kw, match):
    with pytest.raises(InputError, match=match):
        suggest_biomarkers([], [], set(), **kw)


@pytest.mark.parametrize(
    ("term", "impact"),
    [("frameshift_variant", "HIGH"), ("inframe_deletion", "MODERATE"),
     ("splice_region_variant&stop_gained", "HIGH"), ("weird", "HIGH/MODERATE")],
)  # fmt: skip
def test_impact_of(term, impact):
    assert impact_of(term) == impact
