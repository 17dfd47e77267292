r"""Which known diseases does a twin resemble? Proximity and separation of its module to each.

For the twin's module :math:`S` and a reference disease module :math:`D` (Menche et al. 2015
disease genes):

- **proximity** (Guney et al. 2016) of the disease genes to the twin module,
  :math:`d_c = \frac{1}{|D|}\sum_{g \in D} \min_{s \in S} d(s, g)`, with its z-score and
  empirical p against degree-matched random pairs :math:`(S', D')` — the same vectorised sampler
  as the drug screen (:func:`~medtwin.platform.algorithms.proximity_screen.screen`), so every
  disease has a null; BH q across diseases;
- **separation** (Menche et al. 2015) :math:`s_{SD} = \langle d_{SD}\rangle -
  (\langle d_{SS}\rangle + \langle d_{DD}\rangle)/2` (negative = the modules overlap in the
  network), a descriptive column without a null;
- the number of genes the two share.

Diseases are ordered by z (lower = closer than chance), then by s_AB, then by name.

References
----------
Menche J. et al. Uncovering disease-disease relationships through the incomplete interactome.
Science 347, 1257601 (2015). doi:10.1126/science.1257601;
Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
doi:10.1038/ncomms10331
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.proximity_screen import screen
from medtwin.platform.algorithms.separation import separation
from medtwin.platform.algorithms.stats import bh_qvalues

__all__ = ["DiseaseResemblance", "twin_resemblance"]


@dataclass(frozen=True)
class DiseaseResemblance:
    """How close one reference disease module lies to a twin's module."""

    rank: int
    disease_id: str
    name: str
    n_genes: int
    shared: int
    d_c: float
    z: float | None
    p: float
    q: float
    s_ab: float | None
    n_samples: int
    seed: int


def twin_resemblance(
    network: Network,
    dist: npt.NDArray[np.uint8],
    module: Sequence[str],
    diseases: Mapping[str, tuple[str, Sequence[str]]],
    *,
    n_samples: int = 1000,
    seed: int = 0,
    min_genes: int = 2,
    progress: Callable[[int, int], object] | None = None,
) -> list[DiseaseResemblance]:
    """Rank reference diseases by the proximity of their genes to the twin's module.

    Parameters
    ----------
    network, dist
        The interactome's largest connected component and its distance matrix.
    module
        The twin's module genes.
    diseases
        Disease id -> (name, genes).
    n_samples, seed
        Null samples and seed (recorded in each result).
    min_genes
        Diseases with fewer genes in the network are left out.
    progress
        ``progress(done, total)``: the diseases scored so far (:func:`screen`'s ``progress``).

    Returns
    -------
    list of DiseaseResemblance
        Closest first (module docstring).

    Raises
    ------
    InputError
        If the module has no gene in the network or no disease has ``min_genes`` network genes.

    Examples
    --------
    On a path 0-1-…-19, a twin module {3, 4, 5} is closest to a disease sharing its genes and
    far from one at the other end. By hand: d_SS = d_DD = 1; for {4, 5} the closest-gene
    distances across are 1, 0, 0 and 0, 0, so <d_SD> = 1/5 and s = 0.2 - 1 = -0.8; for {18, 19}
    they are 15, 14, 13 and 13, 14, so <d_SD> = 69/5 and s = 12.8.

    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(19)])
    >>> res = twin_resemblance(net, all_pairs_distances(net), ["3", "4", "5"],
    ...                        {"near": ("Near", ["4", "5"]), "far": ("Far", ["18", "19"])},
    ...                        n_samples=200, seed=1)
    >>> [(r.disease_id, r.shared, r.d_c, r.s_ab) for r in res]
    [('near', 2, 0.0, -0.8), ('far', 0, 13.5, 12.8)]
    """
    if not any(g in network.index for g in module):
        raise InputError("none of the twin's module genes is in the network")
    usable = {
        d: [g for g in dict.fromkeys(genes) if g in network.index]
        for d, (_, genes) in diseases.items()
    }
    usable = {d: g for d, g in usable.items() if len(g) >= min_genes}
    if not usable:
        raise InputError(f"no reference disease has {min_genes} or more genes in the network")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingNodesWarning)
        results = screen(
            dist, network, module, usable, n_samples=n_samples, seed=seed, progress=progress
        )
    q = bh_qvalues([r.p for r in results]).tolist()
    in_module = set(module)
    rows = []
    for r, qv in zip(results, q, strict=True):
        assert r.drug is not None  # noqa: S101 -- screen sets it
        genes = usable[r.drug]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MissingNodesWarning)
                s_ab: float | None = separation(dist, network, module, genes).s_ab
        except InputError:  # a one-gene module has no within-module distance
            s_ab = None
        rows.append(
            DiseaseResemblance(
                rank=0,
                disease_id=r.drug,
                name=diseases[r.drug][0],
                n_genes=len(genes),
                shared=len(in_module.intersection(genes)),
                d_c=r.d,
                z=r.z if r.z_valid else None,
                p=r.p,
                q=qv,
                s_ab=s_ab,
                n_samples=n_samples,
                seed=r.seed,
            )
        )
    rows.sort(
        key=lambda x: (
            x.z if x.z is not None else math.inf,
            x.s_ab if x.s_ab is not None else math.inf,
            x.name,
        )
    )
    return [DiseaseResemblance(**{**x.__dict__, "rank": i}) for i, x in enumerate(rows, start=1)]
