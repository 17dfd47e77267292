"""Driver words claim no more than the call: a gain or a loss only where the call says so.

Before stop 45, ``medtwin twin regulators`` printed ``PTPN22 driver (gain 0.5)`` for a MODERATE
missense: the +1/2 is a prior of the weighting (gene_evidence step 2), not an observed gain.
"""

from __future__ import annotations

import pytest

from medtwin.loaders.patient_mutations import CATEGORY_EVIDENCE
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.gene_evidence import GAIN, LOSS, driver_evidence, driver_words
from medtwin.platform.regulator_views import regulator_models

UNKNOWN = "variant of unknown effect"
# every Gao 2015 category, every gain/loss term, and coding consequences of unknown effect
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
    assert driver_words(weight).split(", weight ")[0] == CASES[consequence]


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
    assert ur.words == "PTPN22 driver (variant of unknown effect, weight 0.5), 1st most central"
    assert "gain" not in ur.words
