r"""The digital-twin builder: a patient's changes → the patient-specific subgraph to store.

Pure: no I/O. :func:`build_twin_spec` turns the patient's gene changes, symptoms and the reference
interactome into a :class:`TwinSpec` that :mod:`medtwin.store.twins` materialises.

Method
------
1. **Evidence.** Each change gets an evidence score on the scale of a standard-normal
   statistic (:func:`medtwin.platform.gene_evidence.change_evidence`: its ``|z|``, else the
   normal quantile of its adjusted p, else a coding variant's weight, else ``|log2fc|``). It
   is multiplied by the layer's weight (``params.layer_weights``). Per gene the change with
   the most evidence gives the sign and value (on equal evidence the earlier one: the older
   input's); the others are not averaged in, and all layers that support the gene are kept.
   Inputs that disagree on a gene's direction are reported by the build
   (:mod:`medtwin.platform.input_conflicts`), not reconciled.
2. **Seeds.** Genes in the interactome whose adjusted p is at most ``seed_fdr`` (or that carry
   no p), ranked by evidence, at most ``max_seeds``; when fewer than ``min_seeds`` pass, the
   strongest remaining genes fill up to ``min_seeds`` (recorded as ``n_seeds_below_fdr``).
3. **Expansion** (off by default: it did not help on the development data, see
   docs/validation.md). Either DIAMOnD (Ghiassian et al. 2015, doi:10.1371/journal.pcbi.1004120;
   a gene needs significantly many links to the module, so pendants do not win) or a random walk
   with restart from the seeds weighted by evidence (Köhler et al. 2008,
   doi:10.1016/j.ajhg.2008.02.013) ranked by p(v)/k(v).
4. **Disease module** = the largest connected component (LCC) of seeds ∪ expansion, with its
   z-score against degree-matched random gene sets of the same size (Menche et al. 2015,
   doi:10.1126/science.1257601): z = (|LCC| − μ) / σ over ``module_samples`` draws. The module
   whose z is reported is exactly the module the drugs are ranked against.
5. **Multicellular layer.** Changes that carry a cell type give cell types; a ligand–receptor
   pair (reference ``BINDS`` layer) links cell type A → B when the ligand is up in A and the
   receptor is changed in B (Browaeys et al. 2020 style sender/receiver logic,
   doi:10.1038/s41592-019-0667-5).
6. **Tissues.** Changes that carry a tissue (multi-tissue twins) form the tissue layer instead:
   cell types per tissue (a tissue change without a cell type counts as the tissue's ``bulk``
   cell type), with the same sender/receiver rule applied across all tissues' cell types, each
   link flagged ``cross_tissue`` when sender and receiver lie in different tissues. Changes
   without a tissue build the cell-type layer of step 5 exactly as before tissues existed. The
   tissue layer's centrality is :mod:`medtwin.platform.tissues`.
7. **Symptoms** are kept as given and linked by the store to Phenotype/Symptom nodes.
8. **Gene statistics and drivers** (read by the regulator methods,
   :mod:`medtwin.platform.regulators`): per gene, the signed evidence of its strongest
   non-variant change, and a signed driver weight per gene with a variant-layer change
   (:mod:`medtwin.platform.gene_evidence`, step 2) — every selected change, not only the
   seeds, and genes outside the interactome too.

Every stochastic step uses ``params.seed``, which the spec records.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from medtwin.command_lines import patient_command
from medtwin.domain import (
    CellSignal,
    ModuleResult,
    TissueSignal,
    TwinGene,
    TwinParams,
    TwinSpec,
)
from medtwin.errors import InputError
from medtwin.loaders.gene_names import listed_names
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.diamond import diamond
from medtwin.platform.algorithms.modules import module_significance
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.propagation import random_walk_with_restart
from medtwin.platform.gene_evidence import change_evidence, driver_evidence, gene_statistics

__all__ = [
    "BULK_CELL_TYPE",
    "CellSignal",
    "TissueSignal",
    "TwinGene",
    "TwinSpec",
    "build_twin_spec",
    "params_hash",
    "select_seeds",
]


BULK_CELL_TYPE = "bulk"
"""Cell type of a tissue's changes that name no cell type (a bulk sample of the tissue)."""


def params_hash(params: TwinParams) -> str:
    """Short sha256 of the parameters (stable JSON)."""
    text = json.dumps(params.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass
class _Agg:
    log2fc: float | None = None
    padj: float | None = None
    evidence: float = -1.0
    layers: set[str] = field(default_factory=set)
    cell_types: set[str] = field(default_factory=set)
    time_points: set[str] = field(default_factory=set)


def _aggregate(
    changes: Iterable[GeneChange], layer_weights: Mapping[str, float]
) -> dict[str, _Agg]:
    """One value per gene: its change with the most evidence × layer weight (module step 1).

    Strictly more evidence replaces the kept change, so on a tie the earlier change (the older
    input's; inputs are read oldest first) stays. A variant change never gives the value (it
    has no direction of expression). Nothing is averaged: a gene up in one input and down in
    another keeps one of them, which the build reports (:mod:`medtwin.platform.input_conflicts`).
    """
    out: dict[str, _Agg] = {}
    for c in changes:
        a = out.setdefault(c.entrez, _Agg())
        evidence = change_evidence(c) * layer_weights.get(c.layer, 1.0)
        if evidence > a.evidence:
            a.evidence = evidence
            a.padj = c.padj
            if c.layer != "variant":
                a.log2fc = c.log2fc
        elif a.log2fc is None and c.layer != "variant":
            a.log2fc = c.log2fc
        a.layers.add(c.layer)
        if c.tissue:
            a.cell_types.add(f"{c.tissue}/{c.cell_type or BULK_CELL_TYPE}")
        elif c.cell_type:
            a.cell_types.add(c.cell_type)
        if c.time_point:
            a.time_points.add(c.time_point)
    return out


def select_seeds(
    candidates: Mapping[str, _Agg], *, fdr: float, min_seeds: int, max_seeds: int
) -> tuple[list[str], int]:
    """Seeds by evidence among genes passing ``fdr``; fill up to ``min_seeds`` if needed.

    Returns the seeds (most evidence first, ties by id) and how many of them did not pass.
    """
    order = sorted(candidates, key=lambda g: (-candidates[g].evidence, g))
    passing = [g for g in order if (candidates[g].padj or 0.0) <= fdr]
    seeds = passing[:max_seeds]
    below = 0
    if len(seeds) < min_seeds:
        chosen = set(seeds)
        for g in order:
            if len(seeds) >= min(min_seeds, max_seeds):
                break
            if g not in chosen:
                seeds.append(g)
                below += 1
    return seeds, below


def _expand(
    network: Network, seeds: Mapping[str, float], params: TwinParams
) -> tuple[list[str], dict[str, float]]:
    """Expanded genes (in order) and RWR visiting probabilities of every gene."""
    rwr = random_walk_with_restart(network, seeds, restart=params.restart).as_dict()
    if params.expand == 0 or params.expansion == "none":
        return [], rwr
    if params.expansion == "diamond":
        return [step.gene for step in diamond(network, list(seeds), params.expand)], rwr
    degree = network.degrees
    enrichment = {g: p / float(degree[network.index[g]]) for g, p in rwr.items() if g not in seeds}
    ranked = sorted(enrichment.items(), key=lambda kv: (-kv[1], kv[0]))
    return [g for g, _ in ranked[: params.expand]], rwr


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


def _tissue_layer(
    changes: Sequence[GeneChange], lr_pairs: Iterable[tuple[str, str]]
) -> tuple[dict[str, dict[str, tuple[str, ...]]], tuple[TissueSignal, ...]]:
    """Cell types per tissue and the ligand–receptor links among them (module docstring, 6)."""
    Key = tuple[str, str]
    up: dict[str, set[Key]] = defaultdict(set)
    changed: dict[str, set[Key]] = defaultdict(set)
    per_type: dict[Key, set[str]] = defaultdict(set)
    for c in changes:
        if not c.tissue:
            continue
        key = (c.tissue, c.cell_type or BULK_CELL_TYPE)
        per_type[key].add(c.entrez)
        changed[c.entrez].add(key)
        if c.log2fc > 0:
            up[c.entrez].add(key)
    links: dict[tuple[Key, Key], set[str]] = defaultdict(set)
    for ligand, receptor in lr_pairs:
        for sender in up.get(ligand, ()):
            for receiver in changed.get(receptor, ()):
                if sender != receiver:
                    links[(sender, receiver)].add(f"{ligand}>{receptor}")
    tissues: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for (tissue, cell_type), genes in sorted(per_type.items()):
        tissues[tissue][cell_type] = tuple(sorted(genes))
    signals = tuple(
        TissueSignal(a[0], a[1], b[0], b[1], tuple(sorted(p)))
        for (a, b), p in sorted(links.items())
    )
    return dict(tissues), signals


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
    agg = _aggregate(selected, params.layer_weights)
    in_net = {g: a for g, a in agg.items() if g in network.index}
    # '' is a time point no input has, not "any" (quoted: `twin build --time-point ''` said
    # "time point any): no input is at time point ;")
    point = "any" if params.time_point is None else listed_names([params.time_point])
    where = f"layers {', '.join(params.layers)}, time point {point}"
    if not agg:  # "none of 0 genes is in the interactome" would send the user to the gene ids
        points = sorted({c.time_point for c in changes if c.time_point})
        if params.time_point is not None and params.time_point not in points:
            held = (
                f"no input is at time point {point}; its time points: "
                f"{', '.join(points) or 'none (no input carries one)'}"
            )
        elif changes:
            n = len(changes)
            held = f"its inputs hold {n} change{'s' * (n != 1)}, all of other layers or time points"
        else:
            held = "its inputs kept none (no gene passed their thresholds)"
        raise InputError(
            f"patient {patient_id} has no changed gene to build a twin from ({where}): {held}",
            hint=f"add inputs with `{patient_command('patient add', patient_id, '...')}` (or add "
            "these again with looser thresholds, e.g. `patient add-cohort --p-max`), or build at "
            "another --time-point",
        )
    if not in_net:
        raise InputError(
            f"patient {patient_id}: none of {len(agg)} changed genes (layers "
            f"{', '.join(params.layers)}, time point {point}) is in the "
            "interactome; check the gene ids or add inputs with "
            f"`{patient_command('patient add', patient_id, '...')}`"
        )
    seed_list, n_below = select_seeds(
        in_net, fdr=params.seed_fdr, min_seeds=params.min_seeds, max_seeds=params.max_seeds
    )
    seeds = {g: max(in_net[g].evidence, 1e-6) for g in seed_list}
    expanded, rwr = _expand(network, seeds, params)
    members = seed_list + expanded
    if len(members) >= 2:
        module = module_significance(
            network, members, n_samples=params.module_samples, seed=params.seed, weights=seeds
        )
    else:
        module = ModuleResult(
            genes=tuple(members),
            lcc_genes=tuple(members),
            lcc_size=len(members),
            z=float("nan"),
            p=float("nan"),
            mu=float("nan"),
            sigma=0.0,
            n_iter=0,
            seed=params.seed,
            n_genes=len(members),
            z_valid=False,
        )
    lcc = set(module.lcc_genes)
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
                evidence=a.evidence if a else 0.0,
            )
        )
    lr = list(lr_pairs)
    cell_types, signals = _signals([c for c in selected if not c.tissue], lr)
    tissues, tissue_signals = _tissue_layer(selected, lr)
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
        n_seeds_below_fdr=n_below,
        tissues=tissues,
        tissue_signals=tissue_signals,
        gene_stats=gene_statistics(selected, params.layer_weights),
        drivers=driver_evidence(selected),
    )
