"""Drug-ranking methods: one module per method, a registry, and the combined rank.

===============  ==========================================  ===================  =============
name             module                                      value                better
===============  ==========================================  ===================  =============
``proximity``    :mod:`.proximity_rank`                      proximity z          lower
``centrality``   :mod:`.centrality_rank`                     PageRank mass share  higher
``disruption``   :mod:`.disruption_rank`                     module LCC-loss z    higher
``direction``    :mod:`.direction_rank`                      action vs change     higher
``degree``       :mod:`.degree_baseline`                     mean target degree   higher
``regulator``    :mod:`.regulator_rank`                      UR activity opposed  higher
``regulator_network`` :mod:`.regulator_network_rank`         RWR p/k from URs     higher
``pathway``      :mod:`.pathway_rank`                        pathway activity     higher
``driver``       :mod:`.driver_rank`                         driver evidence hit  higher
``reversal``     :mod:`.reversal_rank`                       −Spearman (LINCS)    higher
===============  ==========================================  ===================  =============

:func:`rank_all` runs the requested methods on a :class:`RankContext` and combines them
(:mod:`.combine` defines the combined rank exactly); the degree-only baseline is always
reported beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from medtwin.errors import InputError, UnknownMethodError
from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext, RankingMethod
from medtwin.platform.ranking.centrality_rank import CentralityRank
from medtwin.platform.ranking.combine import combine, rank_all
from medtwin.platform.ranking.degree_baseline import DegreeBaseline
from medtwin.platform.ranking.direction_rank import DirectionRank
from medtwin.platform.ranking.disruption_rank import DisruptionRank
from medtwin.platform.ranking.driver_rank import DriverRank
from medtwin.platform.ranking.pathway_rank import PathwayRank
from medtwin.platform.ranking.proximity_rank import ProximityRank
from medtwin.platform.ranking.regulator_network_rank import RegulatorNetworkRank
from medtwin.platform.ranking.regulator_rank import RegulatorRank
from medtwin.platform.ranking.reversal_rank import ReversalRank

__all__ = [
    "REGISTRY",
    "DrugTargets",
    "MethodScore",
    "RankContext",
    "RankingMethod",
    "combine",
    "get_method",
    "rank_all",
]

_FACTORIES: Mapping[str, Callable[[Any], RankingMethod]] = {
    "proximity": ProximityRank,
    "centrality": CentralityRank,
    "disruption": DisruptionRank,
    "direction": DirectionRank,
    "degree": DegreeBaseline,
    "regulator": RegulatorRank,
    "regulator_network": RegulatorNetworkRank,
    "pathway": PathwayRank,
    "driver": DriverRank,
    "reversal": ReversalRank,
}

REGISTRY: Mapping[str, RankingMethod] = MappingProxyType(
    {name: factory(None) for name, factory in _FACTORIES.items()}
)
"""Canonical method name -> the method with default parameters."""


def get_method(name: str, params: Mapping[str, object] | None = None) -> RankingMethod:
    """Return the ranking method registered as ``name``, optionally with parameter overrides.

    Parameters
    ----------
    name
        Canonical name (a key of :data:`REGISTRY`).
    params
        Field overrides of the method's params model.

    Returns
    -------
    RankingMethod

    Raises
    ------
    UnknownMethodError
        If ``name`` is not registered; the message lists the valid names.
    InputError
        If a parameter is unknown or invalid.

    Examples
    --------
    >>> get_method("disruption", {"max_samples": 200}).params.max_samples
    200
    >>> get_method("pagerank")
    Traceback (most recent call last):
    ...
    medtwin.errors.UnknownMethodError: unknown ranking method 'pagerank'; valid: centrality, degree, direction, disruption, driver, pathway, proximity, regulator, regulator_network, reversal
    """  # noqa: E501
    method = REGISTRY.get(name)
    if method is None:
        raise UnknownMethodError(
            f"unknown ranking method {name!r}; valid: {', '.join(sorted(REGISTRY))}"
        )
    if not params:
        return method
    model = type(method.params)
    try:
        merged = model.model_validate({**method.params.model_dump(), **params})
    except ValidationError as e:
        raise InputError(f"invalid parameters for ranking method {name!r}: {e}") from e
    return _FACTORIES[name](merged)
