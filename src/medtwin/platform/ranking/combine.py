r"""Combined rank of the ranking methods, and :func:`rank_all`, the one entry point.

Definition (applied by :func:`combine`):

1. Every requested method is computed and reported; only the ``order`` methods (default since
   stop 25: degree, proximity and target_expression,
   :data:`~medtwin.platform.ranking_models.DEFAULT_ORDER`, the choice ``make validate-twins``
   supports) decide the rank.
2. For each ``order`` method :math:`m`, orient its value so that higher is better
   (:math:`s_m = v_m`, or :math:`-v_m` when lower is better, e.g. the proximity z) and take,
   among the :math:`n_m` drugs with a value, the mid-rank percentile

   .. math:: \pi_m(d) = \frac{R_m(d) - 1/2}{n_m} \in (0, 1)

   (ties get their average rank).
3. The combined score is the mean over the ``order`` methods that scored the drug,
   :math:`C(d) = \frac{1}{|M_d|}\sum_{m \in M_d} \pi_m(d)`, whether or not the drug has a
   target in the network: a method that scores drugs without the network (``reversal`` and
   ``activity_reversal``: the drug's LINCS signature; ``regulator``, ``pathway``, ``driver``:
   the patient's regulators, pathways and drivers at its targets; ``centrality``: 0 for a drug
   reaching none of the twin) places a drug without network targets by its score, and only
   the network columns (proximity, degree...) stay empty for it. A drug
   that no ``order`` method could score (:math:`\sigma = 0`, no LINCS signature…) has no
   :math:`C` (reported as 0) and is placed after every scored drug of its tier, or after every
   tier when it has no target in the network either: drugs without information are tied at
   the end, never spread over the list by an imputed value. (Until ranking rules 4 a drug
   without network targets was placed last even when an ``order`` method scored it. The
   default order's methods all read the network, so its order did not change.)
4. **Tier** (a documented filter, ``tier="approved"``): approved drugs, and drugs whose status
   the source does not give (a user's own table), come before drugs that are not approved.
   On the development data this filter alone ranks disease-modifying drugs first with AUROC
   ≈ 0.86, so the approval baseline is always reported beside the default.
5. Within a tier: higher :math:`C` first; ties by proximity z (lower first; missing last), then
   drug id, so the order is deterministic.

The degree-only baseline (mean target degree, :mod:`.degree_baseline`) is always computed and
reported as ``degree_baseline_rank`` (1 = highest mean degree; ties by drug id).

References
----------
Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
doi:10.1038/ncomms10331
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence

import numpy as np

from medtwin.errors import InputError
from medtwin.platform.algorithms.stats import average_ranks
from medtwin.platform.models import DrugScore
from medtwin.platform.ranking.base import MethodScore, RankContext, RankingMethod
from medtwin.platform.ranking.registry import get_method
from medtwin.platform.ranking_models import DEFAULT_ORDER
from medtwin.platform.step_times import lap

__all__ = ["combine", "percentiles", "rank_all"]

logger = logging.getLogger(__name__)


def percentiles(scores: Mapping[str, MethodScore], *, higher_is_better: bool) -> dict[str, float]:
    r"""Mid-rank percentile :math:`(R - 1/2) / n` of each drug with a value (1 = best).

    Parameters
    ----------
    scores
        Drug id -> score of one method.
    higher_is_better
        Orientation of the values.

    Returns
    -------
    dict
        Drug id -> percentile in (0, 1), only for drugs whose value is not ``None``.

    Examples
    --------
    >>> s = {"a": MethodScore(-3.0), "b": MethodScore(1.0), "c": MethodScore(1.0),
    ...      "d": MethodScore(None)}
    >>> percentiles(s, higher_is_better=False)
    {'a': 0.8333333333333334, 'b': 0.3333333333333333, 'c': 0.3333333333333333}
    """
    ids = [d for d, s in scores.items() if s.value is not None]
    if not ids:
        return {}
    values = np.array([scores[d].value for d in ids], dtype=np.float64)
    ranks = average_ranks(values if higher_is_better else -values)
    return {d: float((r - 0.5) / len(ids)) for d, r in zip(ids, ranks.tolist(), strict=True)}


def combine(
    ctx: RankContext,
    results: Mapping[str, tuple[RankingMethod, Mapping[str, MethodScore]]],
    degree: Mapping[str, MethodScore],
    *,
    order: Sequence[str] = ("proximity",),
    tier: str = "none",
) -> list[DrugScore]:
    """Merge per-method scores into sorted :class:`~medtwin.platform.models.DrugScore` rows.

    See the module docstring for the exact definition.

    Parameters
    ----------
    ctx
        The ranking context (drugs, network, module).
    results
        Method name -> (method, its scores).
    degree
        Scores of the degree baseline (mean target degree).
    order
        Methods whose percentiles make the combined score (each must be in ``results``).
    tier
        ``"approved"`` (approved or unknown status first) or ``"none"``.

    Returns
    -------
    list of DrugScore
        One per drug of ``ctx.drugs``, sorted, ``rank`` 1 = best.

    Raises
    ------
    InputError
        If an ``order`` method was not computed or ``tier`` is unknown.
    """
    missing = [m for m in order if m not in results]
    if missing:
        raise InputError(f"order methods {missing} were not computed; add them to the methods")
    if tier not in ("approved", "none"):
        raise InputError(f"unknown tier {tier!r}; use 'approved' or 'none'")
    pct: dict[str, dict[str, float]] = {}
    for name in dict.fromkeys(order):
        method, scores = results[name]
        pct[name] = percentiles(scores, higher_is_better=method.higher_is_better)
        if not pct[name]:
            logger.info("combined rank: method %s scored no drug", name)
    module = set(ctx.module)

    degree_order = sorted(
        (d for d, s in degree.items() if s.value is not None),
        key=lambda d: (-float(degree[d].value or 0.0), d),
    )
    degree_rank = {d: i for i, d in enumerate(degree_order, start=1)}

    def value(name: str, drug_id: str) -> MethodScore | None:
        entry = results.get(name)
        return None if entry is None else entry[1].get(drug_id)

    rows: list[tuple[tuple[bool, int, bool, float, float, str], dict[str, object]]] = []
    for drug_id, drug in ctx.drugs.items():
        n_in = sum(1 for t in drug.targets if t in ctx.network.index)
        parts = [p[drug_id] for p in pct.values() if drug_id in p]
        combined = sum(parts) / len(parts) if parts else None
        prox = value("proximity", drug_id)
        z = prox.value if prox is not None else None
        fields: dict[str, object] = {
            "drug_id": drug_id,
            "drug_name": drug.name,
            "n_targets": len(drug.targets),
            "n_targets_in_network": n_in,
            "approved": drug.approved,
            "degree_baseline_rank": degree_rank.get(drug_id),
            "combined": combined if combined is not None else 0.0,
            "targets_in_module": tuple(t for t in drug.targets if t in module),
        }
        for method, scores in results.values():  # each method's own columns
            score = scores.get(drug_id)
            for column, attribute in method.columns.items():
                fields[column] = None if score is None else getattr(score, attribute)
        tier_rank = 1 if tier == "approved" and drug.approved is False else 0
        key = (
            n_in == 0 and combined is None,  # no information at all: after every tier
            tier_rank,
            combined is None,
            -(combined or 0.0),
            z if z is not None else math.inf,
            drug_id,
        )
        rows.append((key, fields))
    rows.sort(key=lambda r: r[0])
    return [
        DrugScore.model_validate({"rank": i, **fields})
        for i, (_, fields) in enumerate(rows, start=1)
    ]


def rank_all(
    ctx: RankContext,
    methods: Sequence[str],
    *,
    seed: int,
    params: Mapping[str, Mapping[str, object]] | None = None,
    order: Sequence[str] | None = None,
    tier: str = "none",
) -> list[DrugScore]:
    """Score every drug of ``ctx`` with the named methods and return the combined ranking.

    Parameters
    ----------
    ctx
        The twin and the candidate drugs.
    methods
        Canonical method names (:data:`~medtwin.platform.ranking.REGISTRY`), duplicates ignored.
    seed
        Seed of every null model (recorded by the caller with the ranking).
    params
        Optional parameter overrides per method name, e.g. ``{"disruption": {"null_cap":
        200}}``.
    order
        Methods that decide the rank (default: proximity if requested, else the first method).
    tier
        ``"approved"`` or ``"none"`` (module docstring, step 4).

    Returns
    -------
    list of DrugScore
        Every drug of ``ctx.drugs``, sorted by the combined rank (module docstring), rank 1 =
        best, with ``degree_baseline_rank`` and ``targets_in_module`` filled.

    Raises
    ------
    UnknownMethodError
        If a name is not in the registry (the message lists the valid names).
    InputError
        If ``methods`` is empty, a parameter is invalid, or a method rejects the input.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> from medtwin.platform.ranking.base import DrugTargets
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> drugs = {"far": DrugTargets("far", ("8", "9")), "near": DrugTargets("near", ("0",)),
    ...          "none": DrugTargets("none", ("99",))}
    >>> ctx = RankContext(net, all_pairs_distances(net), ("1", "2"), {}, {}, drugs, n_samples=50)
    >>> ranked = rank_all(ctx, ["proximity"], seed=3)
    >>> [(s.rank, s.drug_id, s.degree_baseline_rank) for s in ranked]
    [(1, 'near', 2), (2, 'far', 1), (3, 'none', None)]
    """
    if not methods:
        raise InputError("no ranking method given; pass at least one (e.g. proximity)")
    t0 = time.perf_counter()
    overrides = params or {}
    unknown = sorted(set(overrides) - set(methods))
    if unknown:
        raise InputError(f"parameters given for methods not requested: {unknown}")
    results: dict[str, tuple[RankingMethod, Mapping[str, MethodScore]]] = {}
    for name in dict.fromkeys(methods):
        method = get_method(name, overrides.get(name))
        t = time.perf_counter()
        results[name] = (method, method.rank(ctx, seed=seed))
        lap(f"rank.{name}")
        logger.info(
            "rank: %s scored %d of %d drugs in %.2f s",
            name, len(results[name][1]), len(ctx.drugs), time.perf_counter() - t,
        )  # fmt: skip
    degree = (
        results["degree"][1] if "degree" in results else get_method("degree").rank(ctx, seed=seed)
    )
    if order is None:
        order = tuple(m for m in DEFAULT_ORDER if m in results) or (next(iter(results)),)
    out = combine(ctx, results, degree, order=order, tier=tier)
    lap("rank.combine")
    logger.info(
        "rank: %d drugs, methods %s, in %.2f s", len(out), list(results), time.perf_counter() - t0
    )
    return out
