r"""Agreement of two partitions: the adjusted Rand index and its permutation p-value.

The adjusted Rand index (Hubert & Arabie 1985) of labelings *a* and *b* of the same *n* items,
with :math:`n_{ij}` the items in cluster *i* of *a* and *j* of *b*, :math:`a_i`, :math:`b_j` the
cluster sizes:

.. math::

    \mathrm{ARI} = \frac{\sum_{ij} \binom{n_{ij}}{2} - E}{\tfrac12\left[\sum_i \binom{a_i}{2}
    + \sum_j \binom{b_j}{2}\right] - E}, \qquad
    E = \frac{\sum_i \binom{a_i}{2} \sum_j \binom{b_j}{2}}{\binom{n}{2}}

References
----------
Hubert L., Arabie P. Comparing partitions. J Classif 2, 193-218 (1985). doi:10.1007/BF01908075
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from medtwin.errors import InputError
from medtwin.platform.algorithms.nulls import resolve_seed

__all__ = ["AgreementTest", "adjusted_rand_index", "permutation_p"]


@dataclass(frozen=True)
class AgreementTest:
    """:func:`permutation_p`: the ARI, its permutation p, and how the permutations were drawn."""

    ari: float
    p: float
    permutations: int
    seed: int
    """Seed of the shuffles (``numpy.random.default_rng``): the same seed gives the same p."""


def adjusted_rand_index(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985).

    1 for identical partitions (up to renaming), ~0 for independent ones, can be negative.
    Two single-cluster (or all-singleton) labelings give 1.

    >>> adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> round(adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 4)
    0.2424
    """
    if len(a) != len(b):
        raise InputError("labelings differ in length")
    n = len(a)

    def c2(x: int) -> float:
        return x * (x - 1) / 2

    pairs = Counter(zip(a, b, strict=True))
    index = sum(c2(v) for v in pairs.values())
    sa = sum(c2(v) for v in Counter(a).values())
    sb = sum(c2(v) for v in Counter(b).values())
    total = c2(n)
    expected = sa * sb / total if total else 0.0
    maximum = (sa + sb) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def permutation_p(
    a: Sequence[Hashable], b: Sequence[Hashable], *, n: int = 1000, seed: int = 0
) -> AgreementTest:
    """ARI of ``a`` vs ``b`` and its permutation p-value (``b`` shuffled ``n`` times, seeded).

    p = (1 + #{ARI of a shuffle >= observed}) / (1 + n), so ``n`` must be at least 1: with
    ``n = -5`` the formula gave p = -0.25 and the CLI called that "better than chance". The
    add-one counts the observed labelling among the permutations, so p is never 0 (Phipson B.,
    Smyth G.K., Permutation p-values should never be zero. Stat Appl Genet Mol Biol 9, 39
    (2010), doi:10.2202/1544-6115.1585).

    Examples
    --------
    Two identical two-cluster labelings of 4 items: of the 3 distinct partitions of the
    shuffled one, only the observed reaches ARI 1, so about a third of the shuffles do.

    >>> r = permutation_p([0, 0, 1, 1], [0, 0, 1, 1], n=300, seed=2)
    >>> r.ari, r.permutations, r.seed, 0.2 < r.p < 0.5
    (1.0, 300, 2, True)
    """
    if n < 1:
        raise InputError(f"permutations must be >= 1, got {n}")
    observed = adjusted_rand_index(a, b)
    # numpy's generators take no negative seed: InputError, not a ValueError and a traceback
    seed = resolve_seed(seed)
    rng = np.random.default_rng(seed)
    labels = list(b)
    hits = 0
    for _ in range(n):
        perm = [labels[i] for i in rng.permutation(len(labels))]
        hits += adjusted_rand_index(a, perm) >= observed - 1e-12
    return AgreementTest(observed, (1 + hits) / (1 + n), n, seed)
