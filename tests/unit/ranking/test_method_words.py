"""``explain`` words each regulator-era method that scored a drug, with the ranking's value.

Before stop 46 ``medtwin explain P DB01041`` printed thalidomide's ``placed by`` and paths but not
that its ``regulator +19.08`` comes from inhibiting NFKB1, the 6th upstream regulator, nor
vemurafenib's ``driver 0.5`` from the patient's BRAF mutation.
"""

from __future__ import annotations

import pytest

from medtwin.platform import method_words
from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.method_words import method_lines
from medtwin.platform.models import DrugScore, RankParams
from medtwin.platform.ranking.base import DrugTargets
from medtwin.platform.ranking.driver_rank import _ACTION, DriverRank
from medtwin.platform.ranking.regulator_rank import _SIGN, RegulatorParams, RegulatorRank
from medtwin.platform.regulators import PatientActivity
from medtwin.platform.twin_models import UpstreamRegulator


def _ur(entrez, symbol, rank, activity=None, q=None, driver=None, call=None):
    return UpstreamRegulator(
        entrez=entrez, symbol=symbol, activity=activity, p=None, q=q, n_targets=None,
        driver=driver, driver_call=call, pagerank=1.0 / rank, rank=rank, words="",
    )  # fmt: skip


URS = [
    _ur("3659", "IRF1", 3, activity=16.1, q=1e-50),
    _ur("4790", "NFKB1", 6, activity=9.3, q=1e-18),
    _ur("673", "BRAF", 39, driver=0.5, call="MutKnownFunctional"),
]
REGULONS = {"4790": {"3659": 1.0, "999": -1.0}}  # NFKB1 activates IRF1 (and a non-UR)
TARGETS = [
    {"entrez": "4790", "symbol": "NFKB1", "direction": "inhibit", "used_for_ranking": True},
    {"entrez": "673", "symbol": "BRAF", "direction": "inhibit", "used_for_ranking": True},
    {"entrez": "1576", "symbol": "CYP3A4", "direction": "activate", "used_for_ranking": False},
]


def _ranked() -> tuple[float, float]:
    """The regulator and driver scores the ranking methods give the same inputs."""
    act = PatientActivity(
        {u.entrez: Activity(u.activity, 1e-20, u.q, 10, "ulm") for u in URS if u.activity}, {}
    )
    drug = DrugTargets("D", ("4790", "673"), ("inhibit", "inhibit"))
    regulator = RegulatorRank().score({"D": drug}, act, REGULONS)["D"].value
    driver = DriverRank().score({"D": drug}, {"673": 0.5})["D"].value
    assert regulator is not None
    assert driver is not None
    return regulator, driver


def test_each_scored_method_gets_a_line_whose_parts_sum_to_its_value():
    regulator, driver = _ranked()
    assert regulator == pytest.approx(9.3 + 0.5 * 16.1)
    score = DrugScore(rank=1, drug_id="D", drug_name="d", n_targets=2, n_targets_in_network=2,
                      combined=0.5, regulator=regulator, driver=driver, pathway=-1.3,
                      reversal=0.01, reversal_q=0.99)  # fmt: skip
    params = RankParams(methods=("proximity", "regulator", "driver", "pathway", "reversal"))
    pathways = {"MAPK": {"score": -1.27, "q": 0.52}, "NFkB": {"score": 1.1, "q": 0.5}}
    cores = {"MAPK": frozenset({"BRAF", "MAP2K1"}), "NFkB": frozenset({"RELA"})}
    lines = method_lines(score, params, TARGETS, URS, pathways, REGULONS, cores)
    assert lines == (
        "regulator +17.35: inhibits NFKB1, the 6th upstream regulator (active, t 9.3): +9.30; "
        "inhibits NFKB1, which activates IRF1 (the 3rd upstream regulator, active, t 16.1), at "
        "half weight: +8.05",
        "driver +0.50: inhibits BRAF, a driver of this patient (MutKnownFunctional: known "
        "functional mutation, direction not given, weight 0.5): +0.50",
        "pathway -1.30: mean PROGENy activity of the pathways whose signalling core it targets, "
        "whatever its action (a dependence rule): MAPK t -1.3, q 0.52 (via BRAF)",
        "reversal +0.01 (q 0.99, not significant): minus the Spearman correlation of its LINCS "
        "L1000 signature with the patient's landmark genes (+ = it pushes them back)",
    )
    # a method the ranking did not run, or that did not score the drug, gets no line
    none = score.model_copy(update={"driver": None})
    assert not any(
        x.startswith("driver") for x in method_lines(none, params, TARGETS, URS, {}, {}, {})
    )
    assert method_lines(score, RankParams(methods=("proximity",)), TARGETS, URS, {}, {}, {}) == ()


def test_parts_that_do_not_add_up_say_so():
    score = DrugScore(rank=1, drug_id="D", drug_name="d", n_targets=2, n_targets_in_network=2,
                      combined=0.5, regulator=5.0)  # fmt: skip
    (line,) = method_lines(score, RankParams(methods=("regulator",)), TARGETS, URS, {}, {}, {})
    assert line.endswith("(the parts shown sum to +9.30: the twin's regulators differ from the "
                         "ranking's; rank again)")  # fmt: skip


def test_the_rules_are_the_ranking_methods():
    assert method_words.REGULATOR_SIGN == _SIGN
    assert method_words.DRIVER_ACTION == _ACTION
    assert RegulatorParams().upstream_weight == method_words.UPSTREAM_WEIGHT
    assert RegulatorParams().ur_q == method_words.UR_Q
