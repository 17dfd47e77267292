r"""Twins over time: how a patient's module, its centrality and the drug ranking change.

Given one twin per time point :math:`t_1 < \dots < t_T` (module :math:`M_k`, PageRank of its genes
on the twin), the trajectory reports

- per step :math:`k-1 \to k`: genes entering (:math:`M_k \setminus M_{k-1}`) and leaving
  (:math:`M_{k-1} \setminus M_k`), the Jaccard index
  :math:`|M_{k-1} \cap M_k| / |M_{k-1} \cup M_k|`, and the genes in both whose
  PageRank rank improved most;
- per drug in the top :math:`K` of any time point: its rank at every time point and the change
  from first to last;
- **early genes**, after Gustafsson et al. (2015), who found that regulators changed early in a
  disease process are connected to the genes that change later, and proposed them as early
  diagnostic markers. The rule (a flag, no null model is claimed):

  .. math:: E = \{\, g \in M_1 : r_1(g) \le \lceil f\,|M_1| \rceil \ \wedge\
            |N(g) \cap L| \ge 1 \,\}, \qquad L = \Big(\bigcup_{k>1} M_k\Big) \setminus M_1

  where :math:`r_1(g)` is the PageRank rank of :math:`g` in the first module, :math:`f` the
  central fraction (default 1/4), :math:`N(g)` its interactome neighbours and :math:`L` the genes
  that enter the module after the first time point. Early genes are ordered by
  :math:`|N(g) \cap L|` (more later entrants first), then by :math:`r_1(g)`.

References
----------
Gustafsson M. et al. A validated gene regulatory network and GWAS identifies early regulators of
T cell-associated diseases. Sci Transl Med 7, 313ra178 (2015). doi:10.1126/scitranslmed.aad2722;
Björnsson B. et al. Digital twins to personalize medicine. Genome Med 12, 4 (2020).
doi:10.1186/s13073-019-0701-3
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network
from medtwin.platform.insight_models import (
    DrugTrajectory,
    EarlyGene,
    TrajectoryPoint,
    TrajectoryStep,
)
from medtwin.platform.time_points import order_time_points

__all__ = [
    "EARLY_RULE",
    "TimePointTwin",
    "drug_trajectories",
    "early_genes",
    "module_steps",
    "order_time_points",
    "trajectory_points",
]

EARLY_RULE = (
    "early gene: in the first time point's module, PageRank rank within the top quarter of it, "
    "and a PPI neighbour of at least one gene that enters the module at a later time point "
    "(after Gustafsson et al. 2015, doi:10.1126/scitranslmed.aad2722); ordered by later "
    "neighbours, then PageRank. A flag for review: no null model."
)


@dataclass(frozen=True)
class TimePointTwin:
    """The twin of one time point, as the trajectory needs it."""

    time_point: str
    twin_id: str
    version: int
    module: tuple[str, ...]
    pagerank: Mapping[str, float]
    module_z: float | None = None
    module_p: float | None = None
    built: bool = False
    ranking_id: str | None = None
    drug_ranks: Mapping[str, int] = field(default_factory=dict)


def _pr_order(t: TimePointTwin) -> list[str]:
    return sorted(t.module, key=lambda g: (-t.pagerank.get(g, 0.0), g))


def trajectory_points(
    twins: Sequence[TimePointTwin], symbols: Mapping[str, str], *, top: int = 5
) -> list[TrajectoryPoint]:
    """One summary per time point (module size, z, most central genes)."""
    return [
        TrajectoryPoint(
            time_point=t.time_point,
            twin_id=t.twin_id,
            version=t.version,
            built=t.built,
            module_size=len(t.module),
            module_z=t.module_z,
            module_p=t.module_p,
            top_genes=tuple(symbols.get(g, g) for g in _pr_order(t)[:top]),
            ranking_id=t.ranking_id,
        )
        for t in twins
    ]


def module_steps(
    twins: Sequence[TimePointTwin], symbols: Mapping[str, str], *, risers: int = 3
) -> list[TrajectoryStep]:
    """Genes entering and leaving the module between consecutive time points.

    Examples
    --------
    >>> a = TimePointTwin("t1", "P@v1", 1, ("1", "2"), {"1": 0.6, "2": 0.4})
    >>> b = TimePointTwin("t2", "P@v2", 2, ("1", "2", "3"), {"1": 0.2, "2": 0.5, "3": 0.3})
    >>> s = module_steps([a, b], {"1": "A", "2": "B", "3": "C"})[0]
    >>> s.entered, s.left, s.stayed, round(s.jaccard, 3), s.risers
    (('C',), (), 2, 0.667, ('B +1',))
    """
    out = []
    for prev, cur in zip(twins, twins[1:], strict=False):
        a, b = set(prev.module), set(cur.module)
        ra = {g: i for i, g in enumerate(_pr_order(prev), start=1)}
        rb = {g: i for i, g in enumerate(_pr_order(cur), start=1)}
        moves = sorted(((ra[g] - rb[g], g) for g in a & b if ra[g] > rb[g]), key=lambda m: -m[0])
        union = a | b
        out.append(
            TrajectoryStep(
                from_time_point=prev.time_point,
                to_time_point=cur.time_point,
                entered=tuple(symbols.get(g, g) for g in _pr_order(cur) if g not in a),
                left=tuple(symbols.get(g, g) for g in _pr_order(prev) if g not in b),
                stayed=len(a & b),
                jaccard=len(a & b) / len(union) if union else 1.0,
                risers=tuple(f"{symbols.get(g, g)} +{d}" for d, g in moves[:risers]),
            )
        )
    return out


def drug_trajectories(
    twins: Sequence[TimePointTwin], names: Mapping[str, str | None], *, top: int = 10
) -> list[DrugTrajectory]:
    """Rank of every drug in the top ``top`` at any time point, at each time point.

    Ordered by the rank at the last time point (unranked last), then the drug id.

    Examples
    --------
    >>> a = TimePointTwin("t1", "P@v1", 1, ("1",), {}, drug_ranks={"D1": 1, "D2": 2, "D3": 3})
    >>> b = TimePointTwin("t2", "P@v2", 2, ("1",), {}, drug_ranks={"D1": 3, "D2": 1, "D3": 2})
    >>> [(d.drug_id, d.ranks, d.change) for d in drug_trajectories([a, b], {}, top=1)]
    [('D2', (2, 1), -1), ('D1', (1, 3), 2)]
    """
    chosen = sorted({d for t in twins for d, r in t.drug_ranks.items() if r <= top})
    rows = []
    for d in chosen:
        ranks = tuple(t.drug_ranks.get(d) for t in twins)
        first, last = ranks[0], ranks[-1]
        change = last - first if first is not None and last is not None else None
        rows.append(DrugTrajectory(drug_id=d, drug_name=names.get(d), ranks=ranks, change=change))
    rows.sort(key=lambda r: (r.ranks[-1] if r.ranks[-1] is not None else math.inf, r.drug_id))
    return rows


def early_genes(
    twins: Sequence[TimePointTwin],
    network: Network,
    symbols: Mapping[str, str],
    *,
    central_fraction: float = 0.25,
) -> list[EarlyGene]:
    """Genes central at the first time point and connected to later entrants (module rule).

    Parameters
    ----------
    twins
        One twin per time point, in time order (at least two).
    network
        The interactome.
    symbols
        Entrez id -> symbol, for display.
    central_fraction
        :math:`f` of the rule.

    Returns
    -------
    list of EarlyGene

    Raises
    ------
    InputError
        With fewer than two time points or ``central_fraction`` outside (0, 1].

    Examples
    --------
    A star around gene 1 whose module grows outward: 1 is central first and touches 3 and 4,
    which enter later; 2 is central too (top half of two genes) but touches no entrant.

    >>> net = Network.from_edges([("1", "2"), ("1", "3"), ("1", "4"), ("4", "5")])
    >>> t = [TimePointTwin("t1", "P@v1", 1, ("1", "2"), {"1": 0.6, "2": 0.4}),
    ...      TimePointTwin("t2", "P@v2", 2, ("1", "2", "3", "4"), {}),
    ...      TimePointTwin("t3", "P@v3", 3, ("1", "2", "3", "4", "5"), {})]
    >>> [(e.entrez, e.later_neighbours) for e in early_genes(t, net, {}, central_fraction=1.0)]
    [('1', ('3', '4'))]
    """
    if len(twins) < 2:
        raise InputError(f"early genes need two or more time points, got {len(twins)}")
    if not 0 < central_fraction <= 1:
        raise InputError(f"central_fraction must be in (0, 1], got {central_fraction}")
    first = twins[0]
    m1 = set(first.module)
    later = {g for t in twins[1:] for g in t.module} - m1
    order = _pr_order(first)
    n_central = max(1, math.ceil(central_fraction * len(order)))
    found = []
    for rank, g in enumerate(order[:n_central], start=1):
        i = network.index.get(g)
        if i is None:
            continue
        touched = sorted({network.nodes[j] for j in network.neighbours(i)} & later)
        if touched:
            found.append((-len(touched), rank, g, touched))
    found.sort()
    return [
        EarlyGene(
            entrez=g,
            symbol=symbols.get(g),
            pagerank_rank=rank,
            later_neighbours=tuple(symbols.get(x, x) for x in touched),
        )
        for _, rank, g, touched in found
    ]
