r"""Centrality coverage: how much of a twin's centrality mass a drug's targets hold.

.. math:: c_T = \frac{\sum_{t \in T} x_t}{\sum_v x_v}, \qquad
          c_{N(T)} = \frac{\sum_{v \in T \cup N(T)} x_v}{\sum_v x_v}

:math:`x` are non-negative node scores (e.g. PageRank over the patient twin) and :math:`N(T)`
the first neighbours of the targets in the network. Nodes without a score count as 0. This is the
"centrality of drug targets" idea of scDrugPrio (Genome Med 2024, doi:10.1186/s13073-024-01314-7),
reduced to a share of the score mass so that drugs with different numbers of targets compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network

__all__ = ["CoverageResult", "centrality_coverage"]


@dataclass(frozen=True)
class CoverageResult:
    r"""Share of the score mass on a drug's targets and on their neighbourhood.

    Attributes
    ----------
    target_share
        :math:`c_T`.
    neighbourhood_share
        :math:`c_{N(T)}` (targets and their first neighbours).
    n_targets
        Distinct targets given.
    n_targets_scored
        Targets with a score.
    n_neighbourhood_scored
        Nodes of :math:`T \cup N(T)` with a score.
    """

    target_share: float
    neighbourhood_share: float
    n_targets: int
    n_targets_scored: int
    n_neighbourhood_scored: int


def centrality_coverage(
    network: Network, scores: Mapping[str, float], targets: Iterable[str]
) -> CoverageResult:
    """Fraction of total score mass on the targets, and on targets plus first neighbours.

    Parameters
    ----------
    network
        Network that defines the neighbours (e.g. the interactome or the twin).
    scores
        Node id -> non-negative score; nodes outside the network may be scored too.
    targets
        Drug target ids.

    Returns
    -------
    CoverageResult

    Raises
    ------
    InputError
        If a score is negative or not finite, or all scores are 0.

    References
    ----------
    scDrugPrio: a framework for the analysis of single-cell transcriptomics to address multiple
    problems in precision medicine in immune-mediated inflammatory diseases. Genome Med (2024).
    doi:10.1186/s13073-024-01314-7

    Examples
    --------
    >>> star = Network.from_edges([("hub", leaf) for leaf in "abcd"])
    >>> x = {"hub": 0.6, "a": 0.1, "b": 0.1, "c": 0.1, "d": 0.1}
    >>> c = centrality_coverage(star, x, ["a"])
    >>> round(c.target_share, 6), round(c.neighbourhood_share, 6), c.n_neighbourhood_scored
    (0.1, 0.7, 2)
    """
    values = np.fromiter((float(v) for v in scores.values()), dtype=np.float64, count=len(scores))
    if values.size and (~np.isfinite(values) | (values < 0)).any():
        raise InputError("scores must be finite and >= 0")
    total = float(values.sum())
    if total <= 0:
        raise InputError("scores sum to 0; nothing to cover")
    given = list(dict.fromkeys(str(t) for t in targets))
    hood: set[str] = set(given)
    for t in given:
        i = network.index.get(t)
        if i is not None:
            hood.update(network.nodes[j] for j in network.neighbours(i).tolist())
    on_targets = sum(float(scores[t]) for t in given if t in scores)
    on_hood = sum(float(scores[v]) for v in hood if v in scores)
    return CoverageResult(
        target_share=on_targets / total,
        neighbourhood_share=on_hood / total,
        n_targets=len(given),
        n_targets_scored=sum(1 for t in given if t in scores),
        n_neighbourhood_scored=sum(1 for v in hood if v in scores),
    )
