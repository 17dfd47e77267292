"""pathway_proximity: footprint closeness (Guney proximity) × the patient's pathway activity."""

from __future__ import annotations

import math

import numpy as np

from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.proximity_screen import screen
from medtwin.platform.ranking import DrugTargets, RankContext, rank_all
from medtwin.platform.ranking.pathway_proximity_rank import (
    PathwayProximityParams,
    PathwayProximityRank,
    closeness,
)
from medtwin.platform.regulators import RegulatorReference

GENES = [str(i) for i in range(1, 61)]
MAPK = {str(i): 1.0 + i / 10 for i in range(1, 11)}  # genes 1..10 at one end of the path
P53 = {str(i): 1.0 + i / 100 for i in range(45, 56)}  # genes 45..55 near the other end
DRUGS = {
    "near_mapk": DrugTargets("near_mapk", ("12",), ("inhibit",)),
    "near_p53": DrugTargets("near_p53", ("57",), ("inhibit",)),
    "off_net": DrugTargets("off_net", ("999",)),
}


def _net() -> Network:
    return Network.from_edges([(GENES[i], GENES[i + 1]) for i in range(len(GENES) - 1)])


def _ctx(sign: float) -> RankContext:
    net = _net()
    rng = np.random.default_rng(0)
    stats = {g: float(v) for g, v in zip(GENES, rng.normal(0, 0.3, len(GENES)), strict=True)}
    for g in MAPK:
        stats[g] += 3.0 * sign * MAPK[g]
    for g in P53:
        stats[g] -= 3.0 * sign * P53[g]
    ref = RegulatorReference(regulons={}, footprints={"MAPK": MAPK, "p53": P53})
    return RankContext(
        net, all_pairs_distances(net), ("1", "2"), {}, {}, DRUGS, n_samples=20,
        gene_stats=stats, regulators=ref,
    )  # fmt: skip


def test_closeness_is_minus_the_proximity_z_floored_at_zero() -> None:
    net = _net()
    dist = all_pairs_distances(net)
    fp = tuple(sorted(MAPK))
    got = closeness(net, dist, fp, DRUGS, n_samples=50, bin_size=100, seed=7)
    ref = {
        r.drug: r.z
        for r in screen(
            dist,
            net,
            fp,
            {d: t.targets for d, t in DRUGS.items() if d != "off_net"},
            n_samples=50,
            bin_size=100,
            seed=7,
        )  # fmt: skip
    }
    assert ref["near_mapk"] < 0 < ref["near_p53"]  # the toy is what it claims
    assert math.isclose(got["near_mapk"], -ref["near_mapk"])
    assert got["near_p53"] == 0.0
    assert "off_net" not in got  # no target in the network: no closeness


def test_score_follows_the_patients_pathway_activity() -> None:
    method = PathwayProximityRank(PathwayProximityParams(null_samples=50))
    up, down = method.rank(_ctx(+1.0), seed=3), method.rank(_ctx(-1.0), seed=3)
    assert "off_net" not in up  # drugs without a network target are not scored
    act_up = _ctx(+1.0).activity
    assert act_up is not None
    assert act_up.pathway["MAPK"].score > 0 > act_up.pathway["p53"].score
    # MAPK on, p53 off: the drug near the MAPK footprint first; the other patient: reversed
    u = {d: s.value for d, s in up.items()}
    w = {d: s.value for d, s in down.items()}
    assert u["near_mapk"] is not None
    assert u["near_p53"] is not None
    assert u["near_mapk"] > 0 > u["near_p53"]
    assert w["near_mapk"] is not None
    assert w["near_p53"] is not None
    assert w["near_mapk"] < 0 < w["near_p53"]


def test_column_reaches_the_ranking() -> None:
    scores = rank_all(_ctx(+1.0), ["proximity", "pathway_proximity"], seed=0)
    by_id = {s.drug_id: s for s in scores}
    value = by_id["near_mapk"].pathway_proximity
    assert value is not None
    assert value > 0
