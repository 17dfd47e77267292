"""The registry of drug-ranking methods: one canonical name per method (:data:`REGISTRY`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from medtwin.errors import InputError, UnknownMethodError
from medtwin.platform.arguments import validation_words
from medtwin.platform.ranking.activity_reversal_rank import ActivityReversalRank
from medtwin.platform.ranking.base import RankingMethod
from medtwin.platform.ranking.centrality_rank import CentralityRank
from medtwin.platform.ranking.degree_baseline import DegreeBaseline
from medtwin.platform.ranking.direction_rank import DirectionRank
from medtwin.platform.ranking.disruption_rank import DisruptionRank
from medtwin.platform.ranking.driver_rank import DriverRank
from medtwin.platform.ranking.pathway_proximity_rank import PathwayProximityRank
from medtwin.platform.ranking.pathway_rank import PathwayRank
from medtwin.platform.ranking.proximity_rank import ProximityRank
from medtwin.platform.ranking.regulator_network_rank import RegulatorNetworkRank
from medtwin.platform.ranking.regulator_rank import RegulatorRank
from medtwin.platform.ranking.reversal_rank import ReversalRank
from medtwin.platform.ranking.target_expression_rank import TargetExpressionRank

__all__ = ["REGISTRY", "get_method"]

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
    "pathway_proximity": PathwayProximityRank,
    "target_expression": TargetExpressionRank,
    "activity_reversal": ActivityReversalRank,
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
    >>> get_method("disruption", {"null_cap": 200}).params.null_cap
    200
    >>> get_method("pagerank")
    Traceback (most recent call last):
    ...
    medtwin.errors.UnknownMethodError: unknown ranking method 'pagerank'; valid: activity_reversal, centrality, degree, direction, disruption, driver, pathway, pathway_proximity, proximity, regulator, regulator_network, reversal, target_expression
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
        raise InputError(
            f"invalid parameters for ranking method {name!r}: {validation_words(e)}"
        ) from e
    return _FACTORIES[name](merged)
