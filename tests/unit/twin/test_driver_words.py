"""Driver words claim no more than the call: a gain or a loss only where the call says so.

Before stop 45, ``medtwin twin regulators`` printed ``PTPN22 driver (gain 0.5)`` for a MODERATE
missense: the +1/2 is a prior of the weighting (gene_evidence step 2), not an observed gain.
Until stop 46 every such call, a BRAF ``MutKnownFunctional`` included, read "variant of unknown
effect": its weight is halved because the call gives no direction, not because its effect is
unknown; the words now name the call and say so.
"""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_mutations import CATEGORY_EVIDENCE
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.gene_evidence import (
    GAIN,
    LOSS,
    driver_calls,
    driver_evidence,
    driver_words,
)
from medtwin.platform.regulator_centrality import rank_rows
from medtwin.platform.regulator_views import regulator_models
from medtwin.store.regulator_network import RegulatorCentrality

UNKNOWN = "direction not given"
# every Gao 2015 category, every gain/loss term, and coding consequences without a direction
CASES = {
    **{c: "gain" if c.lower() in GAIN else "loss" if c.lower() in LOSS else UNKNOWN
       for c in CATEGORY_EVIDENCE},
    **dict.fromkeys(GAIN, "gain"),
    **dict.fromkeys(LOSS, "loss"),
    **dict.fromkeys(("missense_variant", "inframe_deletion", "protein_altering_variant"), UNKNOWN),
}  # fmt: skip


@pytest.mark.parametrize("consequence", sorted(CASES))
def test_the_weight_of_each_call_reads_back_as_its_kind(consequence):
    change = GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence=consequence)
    weight = driver_evidence([change])["1"]
    kind = driver_words(weight).split(", weight ")[0]
    assert kind.split(", ")[-1] == CASES[consequence]
    assert driver_words(weight, driver_calls([change])["1"]).startswith(f"{consequence}: ")


def test_gao_categories_are_worded_as_the_calls_say():
    assert {c: CASES[c] for c in CATEGORY_EVIDENCE} == {
        "MutKnownFunctional": UNKNOWN,  # functional, but gain or loss is not in the call
        "MutLikelyFunctional": UNKNOWN,
        "MutNovel": UNKNOWN,
        "Amp8": "gain",
        "Amp5": "gain",
        "Del0.8": "loss",
    }


def test_a_missense_driver_is_not_called_a_gain():
    rows = [{"id": "26191", "rank": 1, "centrality": 0.2, "community": None, "activity": None,
             "q": None, "driver": 0.5}]  # fmt: skip
    (ur,) = regulator_models(rows, {"26191": "PTPN22"})
    assert (
        ur.words
        == "PTPN22 driver (coding mutation, direction not given, weight 0.5), 1st most central"
    )
    assert "gain" not in ur.words


def test_a_known_functional_mutation_is_not_called_of_unknown_effect():
    # the reviewer's BRAF MutKnownFunctional read "driver (variant of unknown effect, weight 0.5)"
    changes = [
        GeneChange(entrez="673", log2fc=0.0, layer="variant", consequence="MutKnownFunctional"),
        GeneChange(entrez="7157", log2fc=0.0, layer="variant", consequence="MutNovel"),
        GeneChange(entrez="2064", log2fc=0.0, layer="variant", consequence="Amp8"),
    ]
    drivers, calls = driver_evidence(changes), driver_calls(changes)
    assert drivers == {"673": 0.5, "7157": 1 / 6, "2064": 1.0}  # the weights are kept
    cent = RegulatorCentrality(
        scores={"673": 0.3, "2064": 0.2, "7157": 0.1}, communities={}, engine="in_process", graph=""
    )
    rows = rank_rows({}, drivers, cent, q_max=0.05, calls=calls)
    braf, erbb2, tp53 = regulator_models(rows, {"673": "BRAF", "2064": "ERBB2", "7157": "TP53"})
    assert braf.words == (
        "BRAF driver (MutKnownFunctional: known functional mutation, direction not given, "
        "weight 0.5), 1st most central"
    )
    assert "unknown" not in braf.words
    assert braf.driver_call == "MutKnownFunctional"
    assert erbb2.words.startswith("ERBB2 driver (Amp8: gain, weight 1)")
    assert tp53.words.startswith(
        "TP53 driver (MutNovel: mutation of unknown function, direction not given, weight 0.17)"
    )
