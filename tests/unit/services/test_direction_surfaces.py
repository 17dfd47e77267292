"""explain and the biomarker chains give a target the action the ranking scored it with.

The ranking fills a DrugBank pair without an action from DrugCentral
(:data:`~medtwin.platform.target_sets.DIRECTION_FALLBACK`); before, ``explain`` and the biomarker
chains read DrugBank alone, so Dasatinib → LCK was ``+0.50 counteracts`` in the ranking and "action
unknown" in both (stop 45's surface sweep).
"""

from __future__ import annotations

import pytest

from medtwin.platform import insights, patients, rankings, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.target_sets import TargetAction, drug_target_sets, target_actions
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING, profile
from tests.unit.services.test_rankings_memory import FAST, FAST_TWIN


@pytest.fixture
def ranked(tmp_path) -> MemoryStore:
    store = MemoryStore()
    store.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=RING,
        drugs={"DB1": ("drug one", [("1", "unknown"), ("2", "activate")])},
    )
    # DrugCentral names the action DrugBank leaves out (1), and one DrugBank already has (2)
    store.drugs["DB1"]["targets"] += [
        {"entrez": "1", "source": "drugcentral_2016", "direction": "inhibit"},
        {"entrez": "2", "source": "drugcentral_2016", "direction": "inhibit"},
    ]
    patients.add_patient(store, profile())
    ctx = ReferenceContext()
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ctx)
    rankings.rank_drugs(store, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    return store


def test_actions_follow_the_rankings_rule_and_name_the_filling_source(ranked):
    ranking = drug_target_sets(ranked, "drugbank_dhimmel")["DB1"]
    assert dict(zip(ranking.targets, ranking.directions, strict=True)) == {
        "1": "inhibit",
        "2": "activate",  # the sources disagree: DrugBank's kept
    }
    assert target_actions(ranked, "drugbank_dhimmel", ["DB1"]) == {
        "DB1": {"1": TargetAction("inhibit", "drugcentral_2016"), "2": TargetAction("activate")}
    }
    assert target_actions(ranked, "drugbank_dhimmel", []) == {}
    assert TargetAction("inhibit", "drugcentral_2016").words == "inhibit (DrugCentral)"


def test_explain_shows_the_filled_direction_and_its_source(ranked):
    e = rankings.explain_drug(ranked, "P1", "DB1", ctx=ReferenceContext())
    got = {t["entrez"]: (t["direction"], t["direction_source"]) for t in e.targets}
    assert got == {"1": ("inhibit", "drugcentral_2016"), "2": ("activate", None)}
    # the words the viewer shows on the drug's edges (as explain prints them)
    assert {t["entrez"]: t["action_words"] for t in e.targets} == {
        "1": "inhibit (DrugCentral)",
        "2": "activate",
    }


def test_biomarker_chain_uses_the_filled_action(ranked):
    got = insights.twin_biomarkers(ranked, "P1", ctx=ReferenceContext())
    g1 = next(s for s in got.suggestions if s.entrez == "1")
    (drug,) = g1.drugs
    # G1 is up (log2fc +2): an inhibitor counteracts it
    assert (drug.action, drug.action_source) == ("inhibit", "DrugCentral")
    assert drug.effect == "counteracts"
    assert "(rank 1) inhibits G1 (action from DrugCentral) → measure G1 protein" in g1.chain
    g2 = next(s for s in got.suggestions if s.entrez == "2")
    assert (g2.drugs[0].action, g2.drugs[0].action_source) == ("activate", None)
    assert "activates G2 →" in g2.chain
