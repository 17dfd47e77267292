r"""Module disruption: how much a drug's targets break a disease module's LCC.

.. math:: \ell(T) = |LCC(S)| - |LCC(S \setminus T)|, \qquad z = \frac{\ell(T) - \mu}{\sigma}

:math:`LCC(\cdot)` is the largest connected component of the subgraph induced by a gene set
(Menche et al. 2015). The null draws ``n_samples`` random target sets :math:`T'` with each target
replaced by a node of its own degree bin (Guney et al. 2016 binning); ``sigma`` is the population
std and ``p = (1 + #{null >= loss}) / (n + 1)``. Targets outside the module cannot disrupt it;
when no random set hits the module either, ``sigma = 0`` and ``z_valid`` is False.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.modules import induced_lcc
from medtwin.platform.algorithms.network import Network, warn_missing
from medtwin.platform.algorithms.nulls import (
    ROLE_DISRUPTION,
    degree_bins,
    resolve_seed,
    sample_matched,
    signature,
    signature_rng,
)

__all__ = ["DisruptionResult", "module_disruption"]


@dataclass(frozen=True)
class DisruptionResult:
    """LCC loss of a module when a drug's targets are removed, and its z-score.

    Attributes
    ----------
    lcc_before, lcc_after
        Module LCC size before and after removing the targets.
    loss
        ``lcc_before - lcc_after``.
    z, p, mu, sigma
        z-score (NaN when ``z_valid`` is False), one-sided empirical p, mean and population std
        of the losses of random degree-matched target sets.
    n_iter, seed
        Random sets and seed.
    n_targets, n_targets_in_network, n_targets_in_module
        Distinct targets given, in the network, and in the module.
    z_valid
        False when ``sigma == 0``.
    """

    lcc_before: int
    lcc_after: int
    loss: int
    z: float
    p: float
    mu: float
    sigma: float
    n_iter: int
    seed: int
    n_targets: int
    n_targets_in_network: int
    n_targets_in_module: int
    z_valid: bool


def module_disruption(
    network: Network,
    module: Iterable[str],
    targets: Iterable[str],
    *,
    n_samples: int = 1000,
    bin_size: int = 100,
    seed: int | None = None,
) -> DisruptionResult:
    """LCC-size loss of a module when the targets are removed, against random target sets.

    Parameters
    ----------
    network
        The network.
    module
        Module gene ids.
    targets
        Drug target ids.
    n_samples, bin_size, seed
        Null size, degree-bin size, seed (``None`` draws one; recorded).

    Returns
    -------
    DisruptionResult

    Raises
    ------
    InputError
        If no module gene or no target is in the network, or ``n_samples < 2``.

    Warns
    -----
    MissingNodesWarning
        When some genes or targets are not network nodes.

    References
    ----------
    Menche J. et al. Science 347, 1257601 (2015). doi:10.1126/science.1257601;
    Guney E. et al. Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331

    Examples
    --------
    Path 0-1-...-9, module {2..6}: removing 4 splits it into {2, 3} and {5, 6}.

    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> r = module_disruption(net, ["2", "3", "4", "5", "6"], ["4"], n_samples=100,
    ...                       bin_size=2, seed=0)
    >>> r.lcc_before, r.lcc_after, r.loss
    (5, 2, 3)
    """
    if n_samples < 2:
        raise InputError(f"n_samples must be >= 2, got {n_samples}")
    seed = resolve_seed(seed)
    given_s = list(dict.fromkeys(str(g) for g in module))
    given_t = list(dict.fromkeys(str(t) for t in targets))
    s_idx, miss_s = network.indices_of(given_s)
    t_idx, miss_t = network.indices_of(given_t)
    warn_missing("module genes", miss_s, len(given_s))
    warn_missing("drug targets", miss_t, len(given_t))
    if s_idx.size == 0:
        raise InputError("none of the module genes is in the network; check the gene ids")
    if t_idx.size == 0:
        raise InputError("none of the drug targets is in the network; check the target ids")
    in_module = np.zeros(network.n_nodes, dtype=bool)
    in_module[s_idx] = True
    before = int(induced_lcc(network, s_idx).size)

    def loss_of(removed: npt.NDArray[np.intp]) -> int:
        hit = removed[in_module[removed]]
        if hit.size == 0:
            return 0
        return before - int(induced_lcc(network, np.setdiff1d(s_idx, hit)).size)

    loss = loss_of(t_idx)
    bins = degree_bins(network, bin_size)
    sig = signature(bins, t_idx)
    samples = sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_DISRUPTION, sig))
    null = np.array([loss_of(row) for row in samples], dtype=np.float64)
    mu = float(null.mean())
    sigma = float(null.std())
    valid = sigma > 0
    return DisruptionResult(
        lcc_before=before,
        lcc_after=before - loss,
        loss=loss,
        z=(loss - mu) / sigma if valid else math.nan,
        p=float((1 + np.count_nonzero(null >= loss)) / (n_samples + 1)),
        mu=mu,
        sigma=sigma,
        n_iter=n_samples,
        seed=seed,
        n_targets=len(given_t),
        n_targets_in_network=int(t_idx.size),
        n_targets_in_module=int(in_module[t_idx].sum()),
        z_valid=valid,
    )
