r"""Pathway proximity: pathway activity weighted by the targets' closeness to each footprint.

The ``pathway`` method (:mod:`.pathway_rank`) needs a target in a curated pathway core, so it
scores few drugs (none of the immunotherapies). Here the drug → pathway link is continuous and
comes from the network: for each PROGENy pathway :math:`P` with footprint genes :math:`F_P` (the
genes of its consensus response signature that are interactome nodes), the drug's targets
:math:`T` get Guney et al.'s closest-distance proximity z-score

.. math:: z_{dP} = \frac{d_c(F_P, T) - \mu}{\sigma}

against degree-matched random target and footprint sets
(:func:`~medtwin.platform.algorithms.proximity_screen.screen`), and the drug's closeness to the
pathway is :math:`c_{dP} = \max(0, -z_{dP})` (only pathways it sits closer to than random
targets count). With the patient's pathway activity :math:`a_P` (MLM t-value on the PROGENy
footprints, :func:`~medtwin.platform.regulators.patient_activity`),

.. math:: S(d) = \sum_P c_{dP}\, a_P ,

higher first, whatever the drug's action: the dependence rule of :mod:`.pathway_rank` (a drug
acting on a pathway is expected to work where the pathway is on; Schubert et al. 2018), with
target-set proximity to the footprint as the link, as the issue proposes. A drug near no
footprint (every :math:`z_{dP} \ge 0`, or :math:`\sigma = 0`) scores 0; drugs without a network
target, or patients without pathway activity, are not scored. The :math:`c_{dP}` do not depend
on the patient: they are computed once per network, footprint, sample count and seed and kept
for the process (:data:`_CLOSENESS`). **Null**: the degree-matched proximity null of each
drug–pathway pair; no further parameter.

References
----------
Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
doi:10.1038/ncomms10331
Schubert M. et al. Perturbation-response genes reveal signaling footprints in cancer gene
expression. Nat Commun 9, 20 (2018). doi:10.1038/s41467-017-02391-6
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.proximity_screen import screen
from medtwin.platform.ranking.base import DrugTargets, MethodScore, RankContext

__all__ = ["PathwayProximityParams", "PathwayProximityRank", "closeness"]

_CLOSENESS: dict[tuple[object, ...], dict[str, float]] = {}
"""(network, distance matrix, footprint genes, samples, bin size, seed) -> drug -> c_dP."""


class PathwayProximityParams(BaseModel):
    """Parameters of :class:`PathwayProximityRank`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    null_samples: int = Field(
        default=200, ge=2, description="Degree-matched random samples per drug–pathway null."
    )
    bin_size: int = Field(default=100, ge=1, description="Minimum nodes per degree bin.")


def closeness(
    network: Network,
    dist: npt.NDArray[np.uint8],
    footprint: tuple[str, ...],
    drugs: Mapping[str, DrugTargets],
    *,
    n_samples: int,
    bin_size: int,
    seed: int,
) -> dict[str, float]:
    """Drug -> max(0, -z) of its proximity to ``footprint`` (cached, see module)."""
    key = (id(network), id(dist), footprint, n_samples, bin_size, seed)
    if key not in _CLOSENESS and len(_CLOSENESS) >= 64:  # bounded: 14 pathways x a few setups
        _CLOSENESS.clear()
    known = _CLOSENESS.setdefault(key, {})
    todo = {d: dt.targets for d, dt in drugs.items() if d not in known}
    if todo:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingNodesWarning)
            results = screen(
                dist, network, footprint, todo, n_samples=n_samples, bin_size=bin_size, seed=seed
            )
        for r in results:
            assert r.drug is not None  # noqa: S101 -- screen always sets it
            known[r.drug] = max(0.0, -r.z) if r.z_valid and np.isfinite(r.z) else 0.0
    return {d: known[d] for d in drugs if d in known}


class PathwayProximityRank:
    """Pathway activity weighted by the drug's closeness to each footprint (module docstring).

    Examples
    --------
    Hand-computed from the closeness values: MAPK active (t = 3), p53 inactive (t = −2). Drug x
    sits near MAPK (c = 1.5) and p53 (c = 0.5): S = 1.5·3 + 0.5·(−2) = 3.5. Drug y sits near p53
    only (c = 2): S = −4. Drug z is near neither: S = 0.

    >>> act = {"MAPK": Activity(3.0, 0.01, 0.02, 100, "mlm"),
    ...        "p53": Activity(-2.0, 0.05, 0.05, 100, "mlm")}
    >>> close = {"MAPK": {"x": 1.5, "y": 0.0, "z": 0.0}, "p53": {"x": 0.5, "y": 2.0, "z": 0.0}}
    >>> {d: s.value for d, s in PathwayProximityRank.score(close, act).items()}
    {'x': 3.5, 'y': -4.0, 'z': 0.0}
    """

    name = "pathway_proximity"
    columns: Mapping[str, str] = MappingProxyType({"pathway_proximity": "value"})
    higher_is_better = True

    def __init__(self, params: PathwayProximityParams | None = None) -> None:
        self.params = params or PathwayProximityParams()

    def rank(self, ctx: RankContext, *, seed: int) -> dict[str, MethodScore]:
        """Score every drug with a network target (the proximity nulls use ``seed``)."""
        act = ctx.activity
        if act is None or ctx.regulators is None or not act.pathway:
            return {}
        drugs = {
            d: dt for d, dt in ctx.drugs.items() if any(t in ctx.network.index for t in dt.targets)
        }
        close: dict[str, dict[str, float]] = {}
        for pathway in sorted(act.pathway):
            genes = ctx.regulators.footprints.get(pathway, {})
            footprint = tuple(sorted(g for g in genes if g in ctx.network.index))
            if not footprint:
                continue
            close[pathway] = closeness(
                ctx.network, ctx.dist, footprint, drugs,
                n_samples=self.params.null_samples, bin_size=self.params.bin_size, seed=seed,
            )  # fmt: skip
        return self.score(close, act.pathway)

    @staticmethod
    def score(
        close: Mapping[str, Mapping[str, float]], activity: Mapping[str, Activity]
    ) -> dict[str, MethodScore]:
        """S(d) = sum over pathways of c_dP a_P, from the closeness table and the activities."""
        totals: dict[str, float] = {}
        for pathway, per_drug in close.items():
            a = activity.get(pathway)
            if a is None:
                continue
            for d, c in per_drug.items():
                totals[d] = totals.get(d, 0.0) + c * a.score
        return {d: MethodScore(value=v) for d, v in totals.items()}
