"""Trajectories on a planted progression: a module growing outward from one gene."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network
from medtwin.platform.trajectory import (
    TimePointTwin,
    drug_trajectories,
    early_genes,
    module_steps,
    order_time_points,
)

# Hub 1 with spokes 2..7; each spoke k has two leaves 10k+1, 10k+2; a separate path 90-91-92-93
# stands for the rest of the interactome.
EDGES = [("1", str(k)) for k in range(2, 8)]
EDGES += [(str(k), str(10 * k + i)) for k in range(2, 8) for i in (1, 2)]
EDGES += [("90", "91"), ("91", "92"), ("92", "93"), ("93", "1")]


def _twin(tp: str, version: int, module: list[str], **kw) -> TimePointTwin:
    g = nx.Graph([e for e in EDGES if e[0] in module and e[1] in module])
    g.add_nodes_from(module)
    pr = nx.pagerank(g)
    return TimePointTwin(tp, f"P@v{version}", version, tuple(module), pr, **kw)


def _progression() -> list[TimePointTwin]:
    t1 = ["1", "2", "3", "4"]  # the seed of the disease process and three spokes
    t2 = [*t1, "5", "6", "7"]  # the remaining spokes join
    t3 = [*t2, "21", "22", "31", "32"]  # leaves of spokes 2 and 3
    return [_twin("week0", 1, t1), _twin("week4", 2, t2), _twin("week12", 3, t3)]


def test_planted_progression_flags_the_gene_it_grows_from():
    net = Network.from_edges(EDGES)
    got = early_genes(_progression(), net, {"1": "HUB"})
    # |M1| = 4, central = top ceil(4/4) = 1 by PageRank: the hub; it touches 5, 6 and 7.
    assert [(e.entrez, e.symbol, e.pagerank_rank) for e in got] == [("1", "HUB", 1)]
    assert got[0].later_neighbours == ("5", "6", "7")


def test_wider_central_set_orders_by_later_entrants():
    net = Network.from_edges(EDGES)
    got = early_genes(_progression(), net, {}, central_fraction=1.0)
    # spokes 2 and 3 touch two later entrants each (their leaves), spoke 4 none
    assert [(e.entrez, len(e.later_neighbours)) for e in got] == [("1", 3), ("2", 2), ("3", 2)]


def test_a_module_that_does_not_grow_has_no_early_gene():
    net = Network.from_edges(EDGES)
    same = [_twin("a", 1, ["1", "2", "3"]), _twin("b", 2, ["1", "2", "3"])]
    assert early_genes(same, net, {}) == []


def test_one_time_point_is_refused():
    with pytest.raises(InputError, match="two or more time points"):
        early_genes(_progression()[:1], Network.from_edges(EDGES), {})


def test_steps_list_entering_and_leaving_genes():
    a = _twin("t1", 1, ["1", "2", "3", "90"])
    b = _twin("t2", 2, ["1", "2", "5"])
    (s,) = module_steps([a, b], {"5": "FIVE"})
    assert (s.entered, set(s.left), s.stayed) == (("FIVE",), {"3", "90"}, 2)
    assert s.jaccard == pytest.approx(2 / 5)


def test_drug_ranks_over_time():
    a = TimePointTwin("t1", "P@v1", 1, ("1",), {}, drug_ranks={"D1": 1, "D2": 5, "D3": 2})
    b = TimePointTwin("t2", "P@v2", 2, ("1",), {}, drug_ranks={"D1": 4, "D2": 2})
    got = drug_trajectories([a, b], {"D1": "one"}, top=2)
    assert [(d.drug_id, d.drug_name, d.ranks, d.change) for d in got] == [
        ("D2", None, (5, 2), -3),
        ("D1", "one", (1, 4), 3),
        ("D3", None, (2, None), None),
    ]


def test_time_points_in_natural_order():
    assert order_time_points(["day10", "day2", "day1", "baseline"]) == [
        "baseline", "day1", "day2", "day10",
    ]  # fmt: skip


def test_time_points_named_before_and_after_treatment_are_in_clinical_order():
    """Before, "post-treatment" sorted before "pre-treatment" (alphabet): the trajectory ran
    backwards and the pre-treatment twin became the patient's latest."""
    from medtwin.platform.time_points import order_note

    got = order_time_points(["post-treatment", "pre-treatment", "on-treatment"])
    assert got == ["pre-treatment", "on-treatment", "post-treatment"]
    assert order_time_points(["FU1", "Screening", "C2D1", "C1D1", "EOT"]) == [
        "Screening", "C1D1", "C2D1", "EOT", "FU1",
    ]  # fmt: skip
    assert order_note(got) is None
    note = order_note(order_time_points(["resection", "biopsy"]))
    assert note is not None
    assert note.startswith("time points biopsy, resection are ordered alphabetically")
