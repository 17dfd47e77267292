r"""The result of a drug–module proximity, and the steps its two computations share.

One drug's :func:`~medtwin.platform.algorithms.proximity.proximity` and the vectorised
:func:`~medtwin.platform.algorithms.proximity_screen.screen` both check their inputs, resolve ids
to network nodes (warning about missing ones) and draw the degree-matched null samples of the
module and of a target signature from streams that depend only on the seed and the signature
(:mod:`~medtwin.platform.algorithms.nulls`), so both give identical results per drug.

The formulas are in :mod:`~medtwin.platform.algorithms.proximity` (Guney E. et al. Nat Commun 7,
10331 (2016), doi:10.1038/ncomms10331). The helpers are steps, not statistics, so ``__all__``
(which the algorithm audit lists) names only the result, as :mod:`.nulls` leaves out
``signature``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network, warn_missing
from medtwin.platform.algorithms.nulls import (
    ROLE_GENES,
    ROLE_TARGETS,
    DegreeBins,
    sample_matched,
    signature,
    signature_rng,
)

__all__ = ["ProximityResult"]


@dataclass(frozen=True)
class ProximityResult:
    r"""Proximity of one drug to one disease module.

    Attributes
    ----------
    d
        Closest distance :math:`d_c(S, T)`.
    z
        :math:`(d - \mu) / \sigma`; NaN when ``z_valid`` is False.
    p
        One-sided empirical p-value :math:`(1 + \#\{d_{null} \le d\}) / (n + 1)`.
    mu, sigma
        Mean and population standard deviation of the null distances.
    n_iter
        Number of random samples.
    seed
        Seed of the random streams.
    n_targets, n_targets_in_network
        Distinct targets given, and those that are network nodes.
    n_genes_in_network, n_genes
        Distinct module genes that are network nodes, and given.
    z_valid
        False when :math:`\sigma = 0` (z undefined).
    p_normal
        Normal-approximation p-value :math:`\Phi(z)`; NaN when ``z_valid`` is False.
    drug
        Drug id when produced by :func:`~.proximity_screen.screen`.
    """

    d: float
    z: float
    p: float
    mu: float
    sigma: float
    n_iter: int
    seed: int
    n_targets: int
    n_targets_in_network: int
    n_genes_in_network: int
    n_genes: int
    z_valid: bool
    p_normal: float
    drug: str | None = None


def check_inputs(dist: npt.NDArray[np.uint8], network: Network, n_samples: int) -> None:
    n = network.n_nodes
    if dist.shape != (n, n):
        raise InputError(f"distance matrix has shape {dist.shape}, network has {n} nodes")
    if not network.is_connected:
        raise InputError(
            "proximity needs a connected network; pass network.largest_component() "
            "and its distance matrix"
        )
    if n_samples < 2:
        raise InputError(f"n_samples must be >= 2, got {n_samples}")


def resolve_ids(
    network: Network, ids: Iterable[str], what: str, *, warn: bool
) -> tuple[npt.NDArray[np.intp], int]:
    given = list(dict.fromkeys(str(x) for x in ids))
    idx, missing = network.indices_of(given)
    if warn:
        warn_missing(what, missing, len(given), stacklevel=4)
    return idx, len(given)


def gene_samples(
    bins: DegreeBins, genes: npt.NDArray[np.intp], n_samples: int, seed: int
) -> npt.NDArray[np.intp]:
    sig = signature(bins, genes)
    return sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_GENES, sig))


def target_samples(
    bins: DegreeBins, sig: tuple[int, ...], n_samples: int, seed: int
) -> npt.NDArray[np.intp]:
    return sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_TARGETS, sig))
