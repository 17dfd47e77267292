r"""Phenotype modules: a patient's symptoms with those co-occurring, linked to the twin's module.

Symptoms that co-occur across diseases form modules (wheezing and coughing in asthma); Björnsson
et al. 2020 (doi:10.1186/s13073-019-0701-3) ask that such a phenotypic module be linked to the
patient's molecular module. Zhou et al. 2014 (doi:10.1038/ncomms5212) showed that symptom
similarity of diseases goes with shared genes and protein interactions, which is what the link
below tests for one patient.

Method
------
1. **Phenotypic module.** With :math:`S` the patient's symptoms (HSDN MeSH symptoms and HPO
   terms found in the graph) and :math:`w(s, v)` the stored co-occurrence weight
   (``CO_OCCURS_WITH``: cosine of HSDN disease TF-IDF vectors ≥ 0.2, Jaccard of HPO disease sets
   ≥ 0.1),

   .. math:: M_P = S \cup \{v \notin S : \textstyle\sum_{s \in S} w(s, v) \ge \theta_v\},

   with :math:`\theta_v` from :data:`MIN_WEIGHT` by the kind of :math:`v`, as the two weights
   have different scales: 0.5 for an HSDN symptom (cosine; Arthralgia has 25 neighbours above
   0.35, the strong ones above 0.5 are pains, purpuras, oedema) and 0.1 for an HPO term
   (Jaccard; any stored edge, e.g. rheumatoid arthritis – systemic lupus erythematosus 0.15). A
   neighbour joins when it co-occurs strongly with one symptom or moderately with several.
2. **Phenotype genes** :math:`G`: genes annotated to a term of :math:`M_P` (HPO gene–phenotype
   annotations; for an HSDN symptom, the genes of the diseases showing it), restricted to the
   interactome.
3. **Link to the molecular module** :math:`M` (the twin's module genes): the overlap
   :math:`O = |G \cap M|` against :math:`n` random gene sets of size :math:`|G|` drawn with the
   same degrees (Guney et al. 2016 degree bins, doi:10.1038/ncomms10331;
   :mod:`medtwin.platform.algorithms.nulls`):
   :math:`z = (O - \mu)/\sigma`, empirical :math:`p = (1 + \#\{O_r \ge O\}) / (n + 1)`.

The null draws use the twin's seed, recorded with :data:`N_SAMPLES` on the result.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from medtwin.errors import InputError
from medtwin.platform.twin_models import PhenotypeModule, PhenotypeTerm
from medtwin.store.base import GraphStore

if TYPE_CHECKING:  # numpy: the module reads without it (LAZY_IMPORTS)
    from medtwin.platform.algorithms.network import Network
    from medtwin.platform.twin import TwinSpec

__all__ = [
    "MIN_WEIGHT",
    "N_SAMPLES",
    "PhenotypeModuleResult",
    "analyse_phenotypes",
    "co_occurring",
    "phenotype_module",
    "stored_module",
]

log = logging.getLogger(__name__)

MIN_WEIGHT: dict[str, float] = {"Symptom": 0.5, "Phenotype": 0.1}
"""θ by kind of term: summed co-occurrence weight to the patient's symptoms needed to join."""

N_SAMPLES = 1000
"""Degree-matched random gene sets of the overlap null."""

_ROLE_PHENOTYPE = 5  # stream tag of the null (nulls.signature_rng), distinct from other nulls


@dataclass(frozen=True)
class PhenotypeModuleResult:
    """A patient's phenotypic module and its link to the molecular module (module docstring)."""

    symptoms: tuple[str, ...]  # the patient's terms found in the co-occurrence/annotation layer
    co_occurring: tuple[tuple[str, float], ...]  # (term, summed weight), strongest first
    genes: tuple[str, ...]  # phenotype genes in the interactome
    overlap_genes: tuple[str, ...]  # phenotype genes in the twin's module
    module_size: int
    overlap: int
    mu: float
    sigma: float
    z: float | None
    p: float | None
    n_samples: int
    seed: int
    min_weight: dict[str, float]

    @property
    def significant(self) -> bool:
        """Whether the overlap exceeds the null at p ≤ 0.05 (z > 0)."""
        return self.p is not None and self.p <= 0.05 and (self.z or 0.0) > 0


def phenotype_module(
    symptoms: Sequence[str],
    cooccurrence: Iterable[tuple[str, str, float, str]],
    annotations: Mapping[str, Iterable[str]],
    module: Iterable[str],
    network: Network,
    *,
    min_weight: Mapping[str, float] | None = None,
    n_samples: int = N_SAMPLES,
    seed: int = 0,
    bin_size: int = 100,
) -> PhenotypeModuleResult:
    """The phenotypic module of ``symptoms`` and its overlap with ``module`` against a null.

    Parameters
    ----------
    symptoms
        The patient's symptom / phenotype ids.
    cooccurrence
        ``(a, b, weight, kind)`` co-occurrence edges (undirected) touching the symptoms; ``kind``
        is the label of both ends (``"Symptom"`` or ``"Phenotype"``).
    annotations
        Term id → annotated genes (Entrez ids), for the symptoms and their neighbours.
    module
        The twin's module genes.
    network
        The interactome (genes outside it are dropped from both sets).
    min_weight
        θ of the module rule by kind (each > 0; default :data:`MIN_WEIGHT`).
    n_samples
        Random gene sets of the null (≥ 10).
    seed
        Seed of the null.
    bin_size
        Minimum nodes per degree bin.

    Returns
    -------
    PhenotypeModuleResult
        ``z`` is ``None`` when the null has no spread, ``p`` when there is no phenotype gene.

    Raises
    ------
    InputError
        A θ ``<= 0``, an edge of a kind without θ, or ``n_samples < 10``.

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(1, 40)])
    >>> got = phenotype_module(
    ...     ["S1"], [("S1", "S2", 0.6, "Symptom"), ("S1", "S3", 0.1, "Symptom")],
    ...     {"S1": ["1"], "S2": ["2", "3"], "S3": ["30"]}, ["1", "2", "3", "4"], net,
    ...     n_samples=200, bin_size=100)
    >>> got.co_occurring, got.overlap, got.p < 0.05
    ((('S2', 0.6),), 3, True)

    References
    ----------
    Zhou X et al. (2014) Human symptoms-disease network. Nat Commun 5:4212,
    doi:10.1038/ncomms5212. Guney E et al. (2016) Nat Commun 7:10331, doi:10.1038/ncomms10331.
    """
    theta = dict(MIN_WEIGHT if min_weight is None else min_weight)
    if any(v <= 0 for v in theta.values()):
        raise InputError(f"every min_weight must be > 0, got {theta}")
    if n_samples < 10:
        raise InputError(f"n_samples must be >= 10, got {n_samples}")
    given = tuple(dict.fromkeys(symptoms))
    joined = co_occurring(given, cooccurrence, theta)
    terms = list(given) + [v for v, _ in joined]
    genes = sorted(
        {g for t in terms for g in annotations.get(t, ()) if g in network.index}, key=_key
    )
    mod = {g for g in module if g in network.index}
    overlap_genes = tuple(g for g in genes if g in mod)
    observed = len(overlap_genes)
    mu = sigma = 0.0
    z = p = None
    drawn = 0  # no phenotype gene or no module gene: nothing to test
    if genes and mod:
        # numpy and the null model: only computing a module needs them, reading one does not
        import numpy as np

        from medtwin.platform.algorithms.nulls import degree_bins, sample_matched, signature_rng

        bins = degree_bins(network, bin_size=min(bin_size, len(network.nodes)))
        idx = np.asarray([network.index[g] for g in genes], dtype=np.intp)
        sig = tuple(sorted(bins.bin_of[idx].tolist()))
        draws = sample_matched(bins, sig, n_samples, signature_rng(seed, _ROLE_PHENOTYPE, sig))
        in_module = np.zeros(len(network.nodes), dtype=bool)
        in_module[[network.index[g] for g in mod]] = True
        null = in_module[draws].sum(axis=1)
        mu, sigma = float(null.mean()), float(null.std())
        z = (observed - mu) / sigma if sigma > 0 else None
        p = (1.0 + float((null >= observed).sum())) / (n_samples + 1.0)
        drawn = n_samples
    return PhenotypeModuleResult(
        symptoms=given,
        co_occurring=tuple(joined),
        genes=tuple(genes),
        overlap_genes=overlap_genes,
        module_size=len(mod),
        overlap=observed,
        mu=mu,
        sigma=sigma,
        z=z,
        p=p,
        n_samples=drawn,
        seed=seed,
        min_weight=theta,
    )


def co_occurring(
    given: Sequence[str],
    cooccurrence: Iterable[tuple[str, str, float, str]],
    min_weight: Mapping[str, float],
) -> list[tuple[str, float]]:
    """Terms joining the module: ``(term, summed weight)``, heaviest first.

    A term outside ``given`` joins when the weights of its co-occurrence edges to ``given`` sum
    to at least ``min_weight`` of the edges' kind (the rule in the module docstring).

    Raises
    ------
    InputError
        An edge of a kind without a threshold.
    """
    chosen = set(given)
    summed: dict[str, float] = defaultdict(float)
    kind_of: dict[str, str] = {}
    for a, b, w, kind in cooccurrence:
        if kind not in min_weight:
            raise InputError(
                f"no min_weight for co-occurrence edges of kind {kind!r}: {dict(min_weight)}"
            )
        if a in chosen and b not in chosen:
            summed[b] += float(w)
            kind_of[b] = kind
        elif b in chosen and a not in chosen:
            summed[a] += float(w)
            kind_of[a] = kind
    return sorted(
        ((v, round(w, 6)) for v, w in summed.items() if w >= min_weight[kind_of[v]]),
        key=lambda kv: (-kv[1], kv[0]),
    )


def _key(gene: str) -> tuple[int, str]:
    return (int(gene), gene) if gene.isdigit() else (0, gene)


def analyse_phenotypes(
    store: GraphStore, twin_id: str, spec: TwinSpec, network: Network
) -> dict[str, Any]:
    """Compute and store the phenotype module of a twin (status ``'building'``).

    Returns Twin properties (empty when the patient has no symptom, which leaves the twin as it
    was before phenotype modules existed).
    """
    if not spec.symptoms:
        return {}

    phenotypes = store.phenotype_modules
    edges = phenotypes.cooccurrence(list(spec.symptoms))
    known = phenotypes.known_terms(list(spec.symptoms))
    given = [s for s in spec.symptoms if s in known]
    joining = [v for v, _ in co_occurring(given, edges, MIN_WEIGHT)]
    annotations = phenotypes.genes(given + joining)
    module = [g.entrez for g in spec.genes if g.in_module]
    found = phenotype_module(given, edges, annotations, module, network, seed=spec.params.seed)
    phenotypes.save_module(
        twin_id,
        spec.patient_id,
        props={
            "n_symptoms": len(found.symptoms),
            "n_symptoms_unknown": len(spec.symptoms) - len(given),
            "n_co_occurring": len(found.co_occurring),
            "n_genes": len(found.genes),
            "module_size": found.module_size,
            "overlap": found.overlap,
            "mu": found.mu,
            "sigma": found.sigma,
            "z": found.z,
            "p": found.p,
            "significant": found.significant,
            "n_samples": found.n_samples,
            "seed": found.seed,
            "min_weight_json": json.dumps(found.min_weight, sort_keys=True),
            "method": "symptoms + co-occurring (summed weight >= min_weight of the kind); "
            "overlap of phenotype genes with the twin module vs degree-matched random gene sets",
        },
        terms=[{"id": s, "role": "presented", "weight": None} for s in found.symptoms]
        + [{"id": v, "role": "co-occurring", "weight": w} for v, w in found.co_occurring],
        genes=[
            {"entrez": g, "via": sorted(t for t, gs in annotations.items() if g in gs)}
            for g in found.overlap_genes
        ],
    )
    log.info(
        "twin %s: phenotype module %d + %d term(s), %d gene(s), overlap %d with the module "
        "(mu %.2f, p %s)",
        twin_id,
        len(found.symptoms),
        len(found.co_occurring),
        len(found.genes),
        found.overlap,
        found.mu,
        "n/a" if found.p is None else f"{found.p:.3g}",
    )
    return {"phenotype_module_p": found.p, "phenotype_module_overlap": found.overlap}


def stored_module(store: GraphStore, twin: Mapping[str, Any]) -> PhenotypeModule | None:
    """The stored phenotype module of ``twin`` (a Twin's properties), or ``None``."""
    got = store.phenotype_modules.module(twin["id"])
    if got is None:
        return None
    m = got["module"]
    return PhenotypeModule(
        twin_id=twin["id"],
        terms=tuple(PhenotypeTerm(**t) for t in got["terms"]),
        n_genes=int(m["n_genes"]),
        module_size=int(m["module_size"]),
        overlap=int(m["overlap"]),
        overlap_genes=tuple(got["genes"]),
        mu=float(m["mu"]),
        sigma=float(m["sigma"]),
        z=m.get("z"),
        p=m.get("p"),
        significant=bool(m["significant"]),
        n_samples=int(m["n_samples"]),
        seed=int(m["seed"]),
        min_weight=json.loads(m["min_weight_json"]),
        n_symptoms_unknown=int(m.get("n_symptoms_unknown") or 0),
        method=str(m["method"]),
    )
