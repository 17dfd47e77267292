"""The viewer's upstream-regulator marks: every driver drawn, the legend's count, value labels.

Before stop 46 a twin with 39 URs read "upstream regulator (20; …)": only the top 20 were ringed
(its drivers, ranked 30-39, were not drawn), and a node's ``value`` was a log2 fold change for a
twin gene but a TF activity t for a regulator added from outside the twin, unlabelled.
"""

from __future__ import annotations

from medtwin.platform.models import GraphNode
from medtwin.platform.twin_drawing import _mark_regulators, regulator_legend
from medtwin.platform.twin_models import UpstreamRegulator


def _ur(rank: int, *, activity: float | None = 5.0, driver: float | None = None):
    return UpstreamRegulator(
        entrez=str(rank), symbol=f"G{rank}", activity=activity, p=None, q=None, n_targets=None,
        driver=driver, pagerank=1.0 / rank, rank=rank, words=f"G{rank} words",
    )  # fmt: skip


def test_drivers_ranked_below_the_top_20_are_drawn_and_counted():
    urs = [_ur(r) for r in range(1, 36)]
    urs += [_ur(r, activity=None, driver=1.0) for r in range(36, 40)]  # 39 URs, 4 drivers last
    gene = GraphNode(id="1", label="G1", layer="module", kind="Protein", value=2.5,
                     value_label="log2 fold change")  # fmt: skip
    nodes = _mark_regulators([gene], urs)
    ringed = {n.id: n for n in nodes if n.regulator_rank is not None}
    assert set(ringed) == {str(r) for r in [*range(1, 21), *range(36, 40)]}
    assert regulator_legend(urs) == (
        "upstream regulator (top 20 of 39 by centrality + 4 drivers ranked lower; ring, rank in "
        "label)"
    )
    # a twin gene keeps its log2 fold change; a UR added from outside the twin says its value is
    # the activity t; a driver without activity has no value to label
    assert (ringed["1"].value, ringed["1"].value_label) == (2.5, "log2 fold change")
    assert (ringed["2"].value, ringed["2"].value_label) == (5.0, "TF activity t (ULM)")
    assert (ringed["37"].value, ringed["37"].value_label) == (None, None)


def test_a_twin_with_few_regulators_rings_them_all():
    urs = [_ur(1), _ur(2, activity=None, driver=-1.0)]
    assert len([n for n in _mark_regulators([], urs) if n.regulator_rank]) == 2
    assert regulator_legend(urs) == "upstream regulator (all 2; ring, rank in label)"
    assert regulator_legend([]) is None
