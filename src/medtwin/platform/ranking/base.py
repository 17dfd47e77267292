"""Shared types of the drug-ranking methods: the context, the per-drug score and the protocol.

A :class:`RankContext` bundles everything a method may read about one twin (the interactome LCC,
its distance matrix, the module, the patient's changes, the twin's centrality) and the candidate
drugs. A method returns one :class:`MethodScore` per drug it can score; drugs it cannot score
(no target in the network, no known action...) are absent or have ``value = None``, and
:mod:`medtwin.platform.ranking.combine` treats them as neutral.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network
from medtwin.platform.regulators import PatientActivity, RegulatorReference, patient_activity

__all__ = [
    "DIRECTIONS",
    "DrugTargets",
    "MethodScore",
    "RankContext",
    "RankingMethod",
    "network_targets",
]

DIRECTIONS: tuple[str, ...] = ("inhibit", "activate", "unknown")
"""Allowed values of :attr:`DrugTargets.directions` (as ``DrugTargetRow.direction``)."""


@dataclass(frozen=True)
class DrugTargets:
    """A candidate drug: its name, its targets (Entrez ids) and the action on each target.

    Attributes
    ----------
    name
        Drug name (``None`` when the target source has no names, e.g. Guney 2016).
    targets
        Distinct Entrez ids, in source order.
    directions
        ``"inhibit"``, ``"activate"`` or ``"unknown"`` per target, aligned with ``targets``;
        empty means all unknown.
    approved
        Whether the drug is in DrugBank group ``approved`` (``None``: the source does not say,
        e.g. a user's own drug–target table).
    drugbank_id
        The DrugBank id when the drug is keyed by another id (e.g. a compound code); the
        reversal method finds the drug's LINCS signature by it, else by the drug's key.
    """

    name: str | None
    targets: tuple[str, ...]
    directions: tuple[str, ...] = ()
    approved: bool | None = None
    drugbank_id: str | None = None

    def __post_init__(self) -> None:
        if self.directions and len(self.directions) != len(self.targets):
            raise InputError(
                f"drug {self.name!r}: {len(self.directions)} directions for "
                f"{len(self.targets)} targets; pass one per target or none"
            )
        bad = sorted(set(self.directions) - set(DIRECTIONS))
        if bad:
            raise InputError(
                f"drug {self.name!r}: unknown direction(s) {bad}; use one of {list(DIRECTIONS)}"
            )
        if len(set(self.targets)) != len(self.targets):
            raise InputError(f"drug {self.name!r}: repeated targets in {list(self.targets)}")

    def direction_of(self) -> dict[str, str]:
        """Target -> direction (``"unknown"`` when no directions were given)."""
        if not self.directions:
            return dict.fromkeys(self.targets, "unknown")
        return dict(zip(self.targets, self.directions, strict=True))


@dataclass(frozen=True, eq=False)
class RankContext:
    """Everything a ranking method may read about one twin and the candidate drugs.

    Attributes
    ----------
    network
        The interactome's largest connected component (node ids = Entrez ids).
    dist
        ``uint8`` all-pairs distances of ``network``
        (:func:`~medtwin.platform.algorithms.distances.load_or_compute`).
    module
        The twin's module genes (Entrez ids).
    seeds
        Entrez id -> log2 fold change of the patient (may be empty).
    centrality
        Entrez id -> PageRank score over the twin (may be empty: the centrality method then
        scores no drug).
    drugs
        Drug id -> :class:`DrugTargets`.
    n_samples
        Random samples of every null model.
    gene_stats
        Entrez id -> the patient's signed gene statistic, every measured gene (may be empty).
        Never the thresholded changes alone: a twin without a vector of every measured gene
        (:func:`~medtwin.platform.activity_inputs.full_statistics`, e.g. an h5ad twin) gets
        none, and the methods reading it score no drug.
    gene_stats_note
        Why ``gene_stats`` is empty (``None``: not asked, or not empty); the ranking stores it
        as the reason those methods scored no drug.
    drivers
        Entrez id -> signed driver weight (:attr:`~medtwin.domain.TwinSpec.drivers`).
    regulators
        The regulator reference layers (DoRothEA, PROGENy, LINCS); ``None``: the regulator,
        pathway and reversal methods score no drug.
    """

    network: Network
    dist: npt.NDArray[np.uint8] = field(repr=False)
    module: tuple[str, ...]
    seeds: Mapping[str, float]
    centrality: Mapping[str, float]
    drugs: Mapping[str, DrugTargets]
    n_samples: int = 1000
    gene_stats: Mapping[str, float] = field(default_factory=dict)
    gene_stats_note: str | None = None
    drivers: Mapping[str, float] = field(default_factory=dict)
    regulators: RegulatorReference | None = None

    @cached_property
    def activity(self) -> PatientActivity | None:
        """TF and pathway activity of the patient (computed once; ``None`` without reference)."""
        if self.regulators is None or not self.gene_stats:
            return None
        return patient_activity(self.gene_stats, self.regulators)

    def __post_init__(self) -> None:
        n = self.network.n_nodes
        if self.dist.shape != (n, n):
            raise InputError(
                f"distance matrix has shape {self.dist.shape}, network has {n} nodes; "
                "compute it for this network"
            )
        if self.n_samples < 2:
            raise InputError(f"n_samples must be >= 2, got {self.n_samples}")


@dataclass(frozen=True)
class MethodScore:
    """One method's score for one drug.

    Attributes
    ----------
    value
        The method's score (its own orientation, see :attr:`RankingMethod.higher_is_better`);
        ``None`` when the drug cannot be scored (e.g. sigma = 0, no known action).
    p, q
        Empirical p-value and Benjamini–Hochberg q-value across drugs, for methods with a null.
    d_c
        Closest distance (proximity only).
    n_samples
        Null samples behind ``p`` (proximity: more for drugs resampled at the p floor).
    """

    value: float | None
    p: float | None = None
    q: float | None = None
    d_c: float | None = None
    n_samples: int | None = None


class RankingMethod(Protocol):
    """A drug-ranking method: a canonical name, a params model and ``rank``."""

    @property
    def name(self) -> str:
        """Canonical name (the key in :data:`~medtwin.platform.ranking.REGISTRY`)."""
        ...

    @property
    def params(self) -> BaseModel:
        """The method's parameters (a frozen pydantic model, stored with the ranking)."""
        ...

    @property
    def higher_is_better(self) -> bool:
        """Orientation of :attr:`MethodScore.value`."""
        ...

    @property
    def columns(self) -> Mapping[str, str]:
        """Its output columns: ``DrugScore`` field -> attribute of :class:`MethodScore`.

        E.g. ``{"z": "value", "p": "p"}``: the one place a method says what it contributes to a
        ranking row.
        """
        ...

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score the drugs of ``ctx``; drugs absent from the result are not scorable."""
        ...


def network_targets(network: Network, drug: DrugTargets) -> npt.NDArray[np.intp]:
    """Sorted node indices of the drug's targets that are network nodes."""
    idx, _ = network.indices_of(drug.targets)
    return idx
