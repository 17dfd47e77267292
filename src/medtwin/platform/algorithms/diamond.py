r"""DIAMOnD: grow a disease module by connectivity significance (Ghiassian et al. 2015).

At each step every gene outside the module with at least one link into it is tested for having
more links to the module than chance. With :math:`N` network nodes, a module of :math:`s`
genes, and a candidate of degree :math:`k` with :math:`k_s` links into the module, the
connectivity p-value is the hypergeometric tail

.. math:: p(k, k_s) = \sum_{k' = k_s}^{k} \frac{\binom{s}{k'}\binom{N - s}{k - k'}}{\binom{N}{k}}

and the gene with the smallest :math:`p` joins the module (ties: the lower degree, then the
lower node index, so the result is deterministic). Seeds weigh 1 (the paper's
:math:`\alpha = 1`). Unlike the degree-normalised random walk, a gene with a single link to the
module cannot outrank a gene with many links: :math:`p` falls with :math:`k_s` at fixed
:math:`k`.

References
----------
Ghiassian S.D., Menche J., Barabási A.-L. A DIseAse MOdule Detection (DIAMOnD) algorithm derived
from a systematic analysis of connectivity patterns of disease proteins in the human interactome.
PLoS Comput Biol 11, e1004120 (2015). doi:10.1371/journal.pcbi.1004120
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.stats import hypergeom

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network

__all__ = ["DiamondStep", "diamond"]


@dataclass(frozen=True)
class DiamondStep:
    """One gene added by DIAMOnD: its id, links into the module, degree and p-value."""

    gene: str
    k_s: int
    k: int
    p: float


def diamond(network: Network, seeds: Iterable[str], n_add: int) -> tuple[DiamondStep, ...]:
    """Add ``n_add`` genes to the seeds, each the most significantly connected one.

    Parameters
    ----------
    network
        The interactome (node ids = gene ids).
    seeds
        Seed genes; those not in the network are ignored.
    n_add
        Genes to add (fewer when no candidate with a link into the module is left).

    Returns
    -------
    tuple of DiamondStep
        In the order they were added.

    Raises
    ------
    InputError
        If ``n_add < 0`` or no seed is a network node.

    Examples
    --------
    A gene with one link to the seeds loses to one with three (hand computation: N = 7,
    s = 3; "hub" has k = 3, k_s = 3: p = 1/35; "pendant" has k = 1, k_s = 1: p = 3/7):

    >>> net = Network.from_edges([("a", "hub"), ("b", "hub"), ("c", "hub"), ("a", "pendant"),
    ...                           ("c", "x"), ("x", "y")])
    >>> step = diamond(net, ["a", "b", "c"], 1)[0]
    >>> step.gene, step.k_s, step.k, round(step.p, 4)
    ('hub', 3, 3, 0.0286)
    """
    if n_add < 0:
        raise InputError(f"n_add must be >= 0, got {n_add}")
    idx, _ = network.indices_of(seeds)
    if idx.size == 0:
        raise InputError("none of the seeds is in the network")
    n = network.n_nodes
    adjacency = network.adjacency.tocsr()
    degree = network.degrees.astype(np.int64)
    in_module = np.zeros(n, dtype=bool)
    in_module[idx] = True
    links = np.asarray(adjacency[idx].sum(axis=0)).ravel().astype(np.int64)
    size = int(idx.size)
    added: list[DiamondStep] = []
    for _ in range(n_add):
        candidates = np.flatnonzero(~in_module & (links > 0))
        if candidates.size == 0:
            break
        p = hypergeom.sf(links[candidates] - 1, n, size, degree[candidates])
        order = np.lexsort((candidates, degree[candidates], p))
        best = int(candidates[order[0]])
        added.append(
            DiamondStep(
                network.nodes[best], int(links[best]), int(degree[best]), float(p[order[0]])
            )
        )
        in_module[best] = True
        size += 1
        row = adjacency.indices[adjacency.indptr[best] : adjacency.indptr[best + 1]]
        links[row] += 1
    return tuple(added)
