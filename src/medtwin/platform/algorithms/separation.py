r"""Network separation of two gene sets (Menche et al. 2015).

.. math::

    s_{AB} = \langle d_{AB} \rangle
             - \frac{\langle d_{AA} \rangle + \langle d_{BB} \rangle}{2}

:math:`\langle d_{AA} \rangle` is the mean, over genes of :math:`A`, of the distance to the
closest *other* gene of :math:`A`; :math:`\langle d_{AB} \rangle` is the mean, over all genes of
:math:`A` and of :math:`B`, of the distance to the closest gene of the other set (0 for a
shared gene). :math:`s_{AB} < 0`: the modules overlap in the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.distances import UNREACHABLE
from medtwin.platform.algorithms.network import Network, warn_missing

__all__ = ["SeparationResult", "separation"]


@dataclass(frozen=True)
class SeparationResult:
    """Separation :math:`s_{AB}` and its parts.

    Attributes
    ----------
    s_ab
        Separation.
    d_ab, d_aa, d_bb
        Mean closest distances between and within the sets.
    n_a, n_b
        Genes of each set that are network nodes.
    """

    s_ab: float
    d_ab: float
    d_aa: float
    d_bb: float
    n_a: int
    n_b: int


def _within(dist: npt.NDArray[np.uint8], idx: npt.NDArray[np.intp], name: str) -> float:
    if idx.size < 2:
        raise InputError(f"gene set {name} needs >= 2 genes in the network, got {idx.size}")
    sub = dist[np.ix_(idx, idx)].copy()
    np.fill_diagonal(sub, UNREACHABLE)
    closest = sub.min(axis=1)
    if (closest == UNREACHABLE).any():
        raise InputError(f"gene set {name} has genes with no path to the others; use the LCC")
    return float(closest.astype(np.int64).mean())


def separation(
    dist: npt.NDArray[np.uint8], network: Network, genes_a: Iterable[str], genes_b: Iterable[str]
) -> SeparationResult:
    """Network separation :math:`s_{AB}` of two gene sets.

    Parameters
    ----------
    dist
        Distance matrix of ``network``.
    network
        The network.
    genes_a, genes_b
        Gene ids of the two sets.

    Returns
    -------
    SeparationResult

    Raises
    ------
    InputError
        If a set has fewer than two genes in the network, or genes that cannot reach each other.

    Warns
    -----
    MissingNodesWarning
        When some genes are not network nodes.

    References
    ----------
    Menche J. et al. Uncovering disease-disease relationships through the incomplete
    interactome. Science 347, 1257601 (2015). doi:10.1126/science.1257601

    Examples
    --------
    Path 0-1-...-9, A = {0, 1}, B = {4, 5}: d_AA = d_BB = 1, d_AB = (4 + 3 + 3 + 4) / 4.

    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> separation(all_pairs_distances(net), net, ["0", "1"], ["4", "5"])
    SeparationResult(s_ab=2.5, d_ab=3.5, d_aa=1.0, d_bb=1.0, n_a=2, n_b=2)
    """
    given_a = list(dict.fromkeys(str(g) for g in genes_a))
    given_b = list(dict.fromkeys(str(g) for g in genes_b))
    a, miss_a = network.indices_of(given_a)
    b, miss_b = network.indices_of(given_b)
    warn_missing("genes of set A", miss_a, len(given_a))
    warn_missing("genes of set B", miss_b, len(given_b))
    d_aa = _within(dist, a, "A")
    d_bb = _within(dist, b, "B")
    cross = dist[np.ix_(a, b)]
    if cross.min(axis=1).max() == UNREACHABLE or cross.min(axis=0).max() == UNREACHABLE:
        raise InputError("gene sets A and B are in different components; use the LCC")
    total = cross.min(axis=1).astype(np.int64).sum() + cross.min(axis=0).astype(np.int64).sum()
    d_ab = float(total / (a.size + b.size))
    return SeparationResult(
        s_ab=d_ab - (d_aa + d_bb) / 2, d_ab=d_ab, d_aa=d_aa, d_bb=d_bb, n_a=int(a.size),
        n_b=int(b.size),
    )  # fmt: skip
