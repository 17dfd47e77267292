r"""Network proximity ranking (Guney et al. 2016): closest distance z-score, lower = better.

For each drug with targets :math:`T` and the twin module :math:`S`,

.. math:: d_c(S, T) = \frac{1}{|T|} \sum_{t \in T} \min_{s \in S} d(s, t), \qquad
          z = \frac{d_c - \mu}{\sigma}

against ``n_samples`` degree-binned random pairs :math:`(S', T')`, computed for all drugs at
once by :func:`~medtwin.platform.algorithms.proximity_screen.screen`. ``p`` is the one-sided
empirical p-value and ``q`` its Benjamini–Hochberg adjustment across the scored drugs. Drugs
without a target in the network are not scored; drugs whose null has :math:`\sigma = 0` get
``value = None`` (their ``d_c`` and ``p`` are kept).

**Adaptive sampling.** With :math:`n` samples the smallest possible p is :math:`1/(n+1)`, so
across ~5,000 drugs BH could never give a q below ~0.05 even for a drug far closer than any
random target set. Drugs whose count of null distances :math:`\le d_c` is zero (p at the floor)
are therefore screened again with 9n more samples, then again (×10 each round) up to
``max_samples``; each round's streams are derived from ``(seed, round, chunk)`` by
:class:`numpy.random.SeedSequence`. The rounds' counts, means and variances are pooled, so
``p = (1 + #{null ≤ d_c}) / (N + 1)`` and ``z = (d_c − μ_N)/σ_N`` over all :math:`N` samples
of the drug, and ``n_samples`` = N is reported per drug (a drug that is not at the floor
keeps the first ``n``).

References
----------
Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy screening.
Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.algorithms.network import MissingNodesWarning
from medtwin.platform.algorithms.proximity_result import ProximityResult
from medtwin.platform.algorithms.proximity_screen import screen
from medtwin.platform.algorithms.stats import bh_qvalues
from medtwin.platform.ranking.base import MethodScore, RankContext

__all__ = ["ProximityParams", "ProximityRank"]

logger = logging.getLogger(__name__)


class ProximityParams(BaseModel):
    """Parameters of :class:`ProximityRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bin_size: int = Field(default=100, ge=1, description="Minimum nodes per degree bin.")
    max_samples: int | None = Field(
        default=None,
        ge=2,
        description="Resample drugs at the p floor up to this many samples (None: no resampling).",
    )
    chunk: int = Field(default=10_000, ge=10, description="Samples per resampling screen call.")


class ProximityRank:
    """Rank drugs by proximity z-score to the twin module (lower z = closer = better).

    Parameters
    ----------
    params
        :class:`ProximityParams`.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets, RankContext
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> ctx = RankContext(net, all_pairs_distances(net), ("1", "2"), {}, {},
    ...                   {"x": DrugTargets("x", ("0",)), "y": DrugTargets("y", ("8", "9"))},
    ...                   n_samples=50)
    >>> res = ProximityRank(ProximityParams(bin_size=1)).rank(ctx, seed=3)
    >>> res["x"].d_c, res["y"].d_c
    (1.0, 6.5)
    """

    name = "proximity"
    columns: Mapping[str, str] = MappingProxyType(
        {"z": "value", "d_c": "d_c", "p": "p", "q": "q", "n_samples": "n_samples"}
    )
    higher_is_better = False

    def __init__(self, params: ProximityParams | None = None) -> None:
        self.params = params or ProximityParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Return ``z`` (value), ``d_c``, ``p``, BH ``q`` and ``n_samples`` per drug."""
        drugs = {d: dt.targets for d, dt in ctx.drugs.items()}
        first = self._screen(ctx, drugs, ctx.n_samples, seed)
        pooled = {r.drug: _Pool.of(r) for r in first if r.drug is not None}
        d_of = {r.drug: r.d for r in first}
        total = ctx.n_samples
        limit = self.params.max_samples or 0
        round_no = 0
        while total < limit:
            floor = [d for d, pool in pooled.items() if pool.count == 0 and pool.n == total]
            if not floor:
                break
            round_no += 1
            extra = min(total * 9, limit - total)
            subset = {d: drugs[d] for d in floor}
            done = 0
            chunk_no = 0
            while done < extra:
                n = min(self.params.chunk, extra - done)
                if n < 2:
                    break
                chunk_seed = int(
                    np.random.SeedSequence([seed, round_no, chunk_no]).generate_state(1)[0]
                )
                for r in self._screen(ctx, subset, n, chunk_seed):
                    assert r.drug is not None  # noqa: S101 -- screen always sets it
                    pooled[r.drug] = pooled[r.drug].add(_Pool.of(r))
                done += n
                chunk_no += 1
            total += done
            logger.info(
                "proximity: %d drugs at the p floor resampled to %d samples", len(floor), total
            )
        q = bh_qvalues([pool.p for pool in pooled.values()])
        out: dict[str, MethodScore] = {}
        for (drug, pool), qv in zip(pooled.items(), q.tolist(), strict=True):
            z = pool.z(d_of[drug])
            out[drug] = MethodScore(value=z, p=pool.p, q=qv, d_c=d_of[drug], n_samples=pool.n)
        return out

    def _screen(
        self, ctx: RankContext, drugs: dict[str, tuple[str, ...]], n_samples: int, seed: int
    ) -> list[ProximityResult]:
        # missing targets are reported per drug (n_targets vs n_targets_in_network) by rank_all
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingNodesWarning)
            return screen(
                ctx.dist, ctx.network, ctx.module, drugs,
                n_samples=n_samples, bin_size=self.params.bin_size, seed=seed,
            )  # fmt: skip


@dataclass(frozen=True)
class _Pool:
    """Pooled null summary of one drug over several screens: n, count(null <= d), sums."""

    n: int
    count: int
    total: float
    total_sq: float

    @classmethod
    def of(cls, r: ProximityResult) -> _Pool:
        count = int(round(r.p * (r.n_iter + 1))) - 1
        return cls(r.n_iter, count, r.mu * r.n_iter, (r.sigma**2 + r.mu**2) * r.n_iter)

    def add(self, other: _Pool) -> _Pool:
        return _Pool(
            self.n + other.n,
            self.count + other.count,
            self.total + other.total,
            self.total_sq + other.total_sq,
        )

    @property
    def p(self) -> float:
        return (1 + self.count) / (self.n + 1)

    def z(self, d: float) -> float | None:
        mu = self.total / self.n
        var = self.total_sq / self.n - mu * mu
        if var <= 1e-12:
            return None
        return (d - mu) / math.sqrt(var)
