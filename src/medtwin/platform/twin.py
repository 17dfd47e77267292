"""The digital-twin builder: a patient's changes → the patient-specific subgraph to store.

Pure: no I/O. :func:`build_twin_spec` turns the patient's gene changes, symptoms and the reference
interactome into a :class:`TwinSpec` that :mod:`medtwin.store.twins` materialises.

Method
------
1. **Seeds.** Changes of the selected layers (and time point) are aggregated per gene: the change
   with the largest ``|log2fc|`` wins; variants, which carry no fold change, weigh 1. The
   ``max_seeds`` heaviest genes that lie in the interactome's largest connected component seed
   the twin.
2. **Disease module.** The largest connected component (LCC) of the seeds in the interactome,
   with its z-score against degree-matched random gene sets of the same size (Menche et al. 2015,
   doi:10.1126/science.1257601): z = (|LCC| − μ) / σ over ``module_samples`` draws.
3. **Expansion.** A random walk with restart from the seeds, weighted by ``|change|``
   (p ← (1 − r) W p + r p₀; Köhler et al. 2008, doi:10.1016/j.ajhg.2008.02.013), adds the
   ``expand`` non-seed genes with the highest degree-normalised visiting probability p(v)/k(v):
   far from the seeds p(v) tends to the stationary k(v)/2m, so raw p would mostly add hubs
   (GRB2, TP53…) whatever the patient; p/k ranks genes by how much more the walk visits them
   than a walk with no seeds would. The twin's module is the LCC of seeds ∪ expansion.
4. **Multicellular layer.** Changes that carry a cell type give cell types; a ligand–receptor
   pair (reference ``BINDS`` layer) links cell type A → B when the ligand is up in A and the
   receptor is changed in B (Browaeys et al. 2020 style sender/receiver logic,
   doi:10.1038/s41592-019-0667-5).
5. **Symptoms** are kept as given and linked by the store to Phenotype/Symptom nodes.

Every stochastic step uses ``params.seed``, which the spec records.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from medtwin.errors import InputError
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.modules import ModuleResult, induced_lcc, module_significance
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.propagation import random_walk_with_restart
from medtwin.platform.models import TwinParams

__all__ = ["CellSignal", "TwinGene", "TwinSpec", "build_twin_spec", "params_hash"]


@dataclass(frozen=True)
class TwinGene:
    """A gene of the twin with the patient's aggregated change."""

    entrez: str
    role: str  # "seed" | "expanded"
    log2fc: float | None
    padj: float | None
    layers: tuple[str, ...]
    cell_types: tuple[str, ...]
    time_points: tuple[str, ...]
    in_module: bool
    rwr: float


@dataclass(frozen=True)
class CellSignal:
    """Cell type ``source`` signals to ``target`` through ligand–receptor pairs."""

    source: str
    target: str
    pairs: tuple[str, ...]  # "ligand>receptor" Entrez ids


@dataclass(frozen=True)
class TwinSpec:
    """Everything the store needs to materialise one twin version."""

    patient_id: str
    params: TwinParams
    params_hash: str
    input_checksums: dict[str, str]
    genes: tuple[TwinGene, ...]
    module: ModuleResult
    symptoms: tuple[str, ...]
    cell_types: dict[str, tuple[str, ...]]
    signals: tuple[CellSignal, ...]
    n_changes: int
    n_outside_network: int


def params_hash(params: TwinParams) -> str:
    """Short sha256 of the parameters (stable JSON)."""
    text = json.dumps(params.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass
class _Agg:
    log2fc: float | None = None
    padj: float | None = None
    weight: float = 0.0
    layers: set[str] = field(default_factory=set)
    cell_types: set[str] = field(default_factory=set)
    time_points: set[str] = field(default_factory=set)


def _aggregate(changes: Iterable[GeneChange]) -> dict[str, _Agg]:
    out: dict[str, _Agg] = {}
    for c in changes:
        a = out.setdefault(c.entrez, _Agg())
        weight = abs(c.log2fc) if c.log2fc != 0 else 1.0
        if weight > a.weight:
            a.weight = weight
            a.log2fc = c.log2fc if c.layer != "variant" else a.log2fc
            a.padj = c.padj
        a.layers.add(c.layer)
        if c.cell_type:
            a.cell_types.add(c.cell_type)
        if c.time_point:
            a.time_points.add(c.time_point)
    return out


def _signals(
    changes: Sequence[GeneChange], lr_pairs: Iterable[tuple[str, str]]
) -> tuple[dict[str, tuple[str, ...]], tuple[CellSignal, ...]]:
    up: dict[str, set[str]] = defaultdict(set)  # gene -> cell types where it is up
    changed: dict[str, set[str]] = defaultdict(set)
    per_type: dict[str, set[str]] = defaultdict(set)
    for c in changes:
        if not c.cell_type:
            continue
        per_type[c.cell_type].add(c.entrez)
        changed[c.entrez].add(c.cell_type)
        if c.log2fc > 0:
            up[c.entrez].add(c.cell_type)
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ligand, receptor in lr_pairs:
        for sender in up.get(ligand, ()):
            for receiver in changed.get(receptor, ()):
                if sender != receiver:
                    links[(sender, receiver)].append(f"{ligand}>{receptor}")
    signals = tuple(CellSignal(s, t, tuple(sorted(set(p)))) for (s, t), p in sorted(links.items()))
    return {k: tuple(sorted(v)) for k, v in sorted(per_type.items())}, signals


def build_twin_spec(
    patient_id: str,
    changes: Sequence[GeneChange],
    symptoms: Sequence[str],
    input_checksums: Mapping[str, str],
    network: Network,
    lr_pairs: Iterable[tuple[str, str]],
    params: TwinParams,
) -> TwinSpec:
    """Build the twin of one patient (see the module docstring for the method).

    Parameters
    ----------
    patient_id
        The patient.
    changes
        All stored gene changes of the patient (filtered here by ``params``).
    symptoms
        HPO ids or MeSH symptom ids.
    input_checksums
        Input name → sha256, recorded on the twin.
    network
        The interactome's largest connected component.
    lr_pairs
        (ligand, receptor) Entrez pairs of the reference ligand–receptor layer.
    params
        Twin parameters.

    Returns
    -------
    TwinSpec

    Raises
    ------
    InputError
        When no change of the selected layers/time point maps to the interactome.
    """
    selected = [
        c
        for c in changes
        if c.layer in params.layers
        and (params.time_point is None or c.time_point == params.time_point)
    ]
    agg = _aggregate(selected)
    in_net = {g: a for g, a in agg.items() if g in network.index}
    if not in_net:
        raise InputError(
            f"patient {patient_id}: none of {len(agg)} changed genes (layers "
            f"{', '.join(params.layers)}, time point {params.time_point or 'any'}) is in the "
            "interactome; check the gene ids or add inputs with `medtwin patient add`"
        )
    ranked = sorted(in_net.items(), key=lambda kv: (-kv[1].weight, kv[0]))[: params.max_seeds]
    seeds = {g: a.weight for g, a in ranked}
    if len(seeds) >= 2:
        module = module_significance(
            network, list(seeds), n_samples=params.module_samples, seed=params.seed
        )
    else:
        module = ModuleResult(
            genes=tuple(seeds),
            lcc_genes=tuple(seeds),
            lcc_size=len(seeds),
            z=float("nan"),
            p=float("nan"),
            mu=float("nan"),
            sigma=0.0,
            n_iter=0,
            seed=params.seed,
            n_genes=len(seeds),
            z_valid=False,
        )
    rwr = random_walk_with_restart(network, seeds, restart=params.restart).as_dict()
    degree = network.degrees
    enrichment = {g: p / float(degree[network.index[g]]) for g, p in rwr.items() if g not in seeds}
    expanded = [g for g, _ in sorted(enrichment.items(), key=lambda kv: (-kv[1], kv[0]))][
        : params.expand
    ]
    members = list(seeds) + expanded
    idx, _ = network.indices_of(members)
    lcc = {network.nodes[i] for i in induced_lcc(network, idx)}
    genes = []
    for g in members:
        a = agg.get(g)
        genes.append(
            TwinGene(
                entrez=g,
                role="seed" if g in seeds else "expanded",
                log2fc=a.log2fc if a else None,
                padj=a.padj if a else None,
                layers=tuple(sorted(a.layers)) if a else (),
                cell_types=tuple(sorted(a.cell_types)) if a else (),
                time_points=tuple(sorted(a.time_points)) if a else (),
                in_module=g in lcc,
                rwr=rwr.get(g, 0.0),
            )
        )
    cell_types, signals = _signals(selected, lr_pairs)
    return TwinSpec(
        patient_id=patient_id,
        params=params,
        params_hash=params_hash(params),
        input_checksums=dict(input_checksums),
        genes=tuple(genes),
        module=module,
        symptoms=tuple(dict.fromkeys(symptoms)),
        cell_types=cell_types,
        signals=signals,
        n_changes=len(agg),
        n_outside_network=len(agg) - len(in_net),
    )
