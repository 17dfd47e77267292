"""The registry of drug-ranking methods: one canonical name per method (:data:`REGISTRY`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from medtwin.errors import InputError, UnknownMethodError
from medtwin.platform.ranking.base import RankingMethod
from medtwin.platform.ranking.centrality_rank import CentralityRank
from medtwin.platform.ranking.degree_baseline import DegreeBaseline
from medtwin.platform.ranking.direction_rank import DirectionRank
from medtwin.platform.ranking.disruption_rank import DisruptionRank
from medtwin.platform.ranking.proximity_rank import ProximityRank

__all__ = ["REGISTRY", "get_method"]

_FACTORIES: Mapping[str, Callable[[Any], RankingMethod]] = {
    "proximity": ProximityRank,
    "centrality": CentralityRank,
    "disruption": DisruptionRank,
    "direction": DirectionRank,
    "degree": DegreeBaseline,
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
    medtwin.errors.UnknownMethodError: unknown ranking method 'pagerank'; valid: centrality, degree, direction, disruption, proximity
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
