"""Does the patient pipeline put the right drugs first? ``make validate-twins``.

Runs the product's own pure pipeline — patient changes →
:func:`medtwin.platform.twin.build_twin_spec` → :class:`~medtwin.platform.ranking.RankContext` →
:func:`~medtwin.platform.ranking.rank_all` with the default
:class:`~medtwin.platform.models.TwinParams` / :class:`~medtwin.platform.models.RankParams`
(no database: Neo4j only stores what these functions return) — on the development data in
``../shared/data`` and prints, and writes to ``--out``:

(a) ``indications_dev``: each Guney 2016 disease gene set as a patient (log2fc +1 per gene) → twin →
    DrugBank ranking; AUROC of the disease's known drugs for the default, proximity alone on the
    twin, proximity on the raw disease genes (no twin construction), and the degree-only and
    approval baselines. A gene set measures no other gene, so it has no vector of every measured
    gene: the methods that read statistics (``target_expression``, the regulator methods) get
    none and score no drug, as the product's rule
    (:func:`medtwin.platform.activity_inputs.full_statistics`) has it for thresholded changes.
(b) ``stargeo_2017_dev``: each disease-vs-control meta-analysis signature file, read as it is by
    the DE reader of ``medtwin patient add --de`` (z, raw p → BH per signature), as a patient →
    twin → DrugBank ranking; AUROC/AUPRC of disease-modifying (DM) drugs
    against all drugs, and DM against NOT (non-indications).
(c) ``pdxe_gao2015_dev``: each tumour a patient as ``medtwin patient add-cohort --control-label
    none`` makes it from its type's matrix (:func:`medtwin.platform.cohort_profiles.read_cohort`:
    Crawford–Howell t against the other tumours of its type, changes with a nominal p <= 0.05
    carrying their BH padj, so the twin picks seeds by padj and fills up from the nominal ones
    when few pass; the vector of every measured gene as stored), with its ``patient add
    --mutations`` calls → twin → ranking of the treatments tested on it; per-patient AUROC of
    responders (CR/PR) against the rest, per-treatment AUROC across patients, beside a popularity
    baseline (each treatment's response rate in the other patients) and a shuffled-patients
    control.
Negative controls: degree-matched random gene sets of the sizes of the (b) seed sets, and
control-vs-control "patients" (GSE15573 healthy donors, each against the other donors).
Ablation (``--ablation``, ``make validate-twins-ablation``): each part switched off or changed in
turn, on (b) and every 4th disease of (a).

The harness uses fewer null samples than the product (``--samples``, default 300; the order by z
barely moves, q-values are not used) and no adaptive resampling except for the negative
controls' significance count. Nothing is tuned per disease or per patient: one parameter set for
all. Positives are never seen by the pipeline.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import logging
import math
import re
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from benchmarks.bench_screen import data_root, read_disease_genes, read_interactome
from benchmarks.neighbours import KNN_ICB, add_neighbours, own_differences
from benchmarks.per_treatment_frame import (
    FRAME_INPUTS,
    FRAME_PERMUTATIONS,
    MIN_TUMOURS,
    FrameCase,
    frame_fields,
    holm_rows,
    save_frame_inputs,
)
from benchmarks.personal import (
    EVIDENCE_PARTS,
    CaseScores,
    add_reassignment,
    add_sign_flip,
    correct_family,
    harness_methods,
    load_cross,
    method_scores,
    reassignment_settings,
    sign_flip_settings,
)
from benchmarks.regulator_eval import combination_scores, regulator_reference
from benchmarks.validate_icb import validate_icb
from medtwin.loaders import drug_targets_drugcentral, drugs_drugbank, indications_dev
from medtwin.loaders.actions import with_fallback
from medtwin.loaders.fetch import locate
from medtwin.loaders.genes_ncbi import GeneIndex, read_genes
from medtwin.loaders.patient_mutations import read_mutations
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.loaders.patient_tables import read_de_table
from medtwin.platform.activity_inputs import full_statistics, stored_activity_stats
from medtwin.platform.algorithms.controls import bootstrap_mean_ci, spearman
from medtwin.platform.algorithms.distances import load_or_compute
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.nulls import degree_bins, sample_matched, signature
from medtwin.platform.algorithms.stats import auroc, average_precision, bh_qvalues
from medtwin.platform.cohort_profiles import read_cohort
from medtwin.platform.effector import keep_targets
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.models import DrugScore, RankParams, TwinParams
from medtwin.platform.ranking import DrugTargets, MethodScore, RankContext, get_method, rank_all
from medtwin.platform.ranking.combine import combine
from medtwin.platform.regulators import RegulatorReference
from medtwin.platform.twin import build_twin_spec

warnings.simplefilter("ignore", MissingNodesWarning)


# ------------------------------------------------------------------ reference


@dataclass
class Reference:
    net: Network
    dist: npt.NDArray[np.uint8]
    drugs: dict[str, DrugTargets]  # DrugBank, category target, >= 1 target in the network
    genes: GeneIndex
    mean_degree: dict[str, float]
    # what the product ranks: `drugs` with RankParams().effector_filter applied (Fc receptors and
    # complement not used unless the known action); `drugs` (all targets) stays the item list
    candidates: dict[str, DrugTargets]
    filtered: dict[str, DrugTargets]  # `drugs` with the effector filter, whatever the default
    regulators: RegulatorReference | None = None  # DoRothEA, PROGENy, LINCS (issue 18)


def load_reference(root: Path, cache: Path) -> Reference:
    net = read_interactome(root).largest_component()
    dist = load_or_compute(net, cache)
    src = drugs_drugbank.SOURCE.name
    approved = {
        r.id
        for r in drugs_drugbank.read_drugs(locate(root, src, "drugbank_drugs.tsv"))
        if "approved" in (r.groups or ())
    }
    names = {
        r.id: r.name for r in drugs_drugbank.read_drugs(locate(root, src, "drugbank_drugs.tsv"))
    }
    gene_rows = list(read_genes(locate(root, "ncbi_gene_info", "Homo_sapiens.gene_info.gz")))
    genes = GeneIndex.from_rows(gene_rows)
    fallback: dict[tuple[str, str], str] = {}
    if DIRECTION_FALLBACK:  # the product's DIRECTION_FALLBACK: DrugCentral's direction of the pair
        dc = drug_targets_drugcentral.SOURCE.name
        fallback = {
            (r.drug_id, r.entrez): r.direction
            for r in drug_targets_drugcentral.read_drug_targets(
                locate(root, dc, "drug_target.tsv"),
                locate(root, dc, "identifiers.tsv"),
                genes,
                names,  # the product's join: several DrugBank ids → the one of the same name
            )
        }
    targets: dict[str, dict[str, str]] = defaultdict(dict)
    known: dict[tuple[str, str], str | None] = {}
    for row in drugs_drugbank.read_drug_targets(locate(root, src, "proteins.tsv")):
        if row.category == "target":
            extra = [fallback[k]] if (k := (row.drug_id, row.entrez)) in fallback else []
            direction = with_fallback(row.direction, extra) or row.direction
            targets[row.drug_id].setdefault(row.entrez, direction)
            known[row.drug_id, row.entrez] = row.known_action
    drugs = {
        d: DrugTargets(names.get(d), tuple(t), tuple(t.values()), approved=d in approved)
        for d, t in targets.items()
        if any(g in net.index for g in t)
    }
    symbol = {g.entrez: g.symbol for g in gene_rows}
    filtered: dict[str, DrugTargets] = {}
    for d, dt in drugs.items():
        keep = keep_targets(
            [symbol.get(t) for t in dt.targets], [known.get((d, t)) for t in dt.targets]
        )
        tt = [(t, r) for t, r, k in zip(dt.targets, dt.directions, keep, strict=True) if k]
        if any(t in net.index for t, _ in tt):
            filtered[d] = DrugTargets(
                dt.name, tuple(t for t, _ in tt), tuple(r for _, r in tt), approved=dt.approved
            )
    deg = net.degrees
    mean_degree = {
        d: float(np.mean([deg[net.index[g]] for g in dt.targets if g in net.index]))
        for d, dt in drugs.items()
    }
    candidates = filtered if RankParams().effector_filter else drugs
    return Reference(
        net, dist, drugs, genes, mean_degree, candidates, filtered, regulator_reference(root, genes)
    )


# ------------------------------------------------------------------ the pipeline


@dataclass(frozen=True)
class Variant:
    name: str
    twin: TwinParams
    rank: RankParams
    what: str
    fold_change_only: bool = False  # drop z and padj: seeds by |log2fc| as v0.1 did


ACTIVITY_GENES = "all"
"""``all``: the methods that read statistics get every measured gene's statistic where the case
has one ((b), (c), (d)) and nothing where it has none ((a)), as the product (``--activity-genes``);
``significant``: the twin's selected changes (padj <= 0.05) for every case, as before issue 18's
item 5."""

DEFAULT = Variant("default", TwinParams(module_samples=200), RankParams(), "the product's defaults")


def run_twin(
    ref: Reference,
    changes: Sequence[GeneChange],
    variant: Variant,
    drugs: Mapping[str, DrugTargets],
    *,
    n_samples: int,
    module: Sequence[str] | None = None,
    activity_stats: Mapping[str, float] | None = None,
) -> tuple[list[DrugScore], float, int]:
    """Rank ``drugs`` for one patient; returns scores, module z and module size.

    ``module`` given = rank against these genes directly (the "raw genes" comparison).
    ``activity_stats`` = the statistics of every measured gene, which the methods that read
    statistics (:data:`~medtwin.platform.activity_inputs.STATISTIC_METHODS`) get as the
    product gives them (:func:`~medtwin.platform.activity_inputs.full_statistics`): a footprint
    or a degree-matched null is a comparison with the unchanged genes (Badia-i-Mompel 2022); the
    module still comes from the significant changes. Without it (a gene set, which measures no
    other gene) those methods get **no** statistics and score no drug, as in the product; the
    twin's thresholded changes never stand in (all-positive marker genes are an invalid null).
    :data:`ACTIVITY_GENES` = ``"significant"`` gives them the twin's selected changes instead,
    as before issue 18's item 5.
    """
    z = math.nan
    stats: dict[str, float] = {}
    drivers: dict[str, float] = {}
    if variant.fold_change_only:
        changes = [c.model_copy(update={"zscore": None, "padj": None}) for c in changes]
    if module is None:
        spec = build_twin_spec("p", changes, (), {}, ref.net, (), variant.twin)
        module = [g.entrez for g in spec.genes if g.in_module]
        seeds = {g.entrez: g.log2fc for g in spec.genes if g.log2fc is not None}
        z = spec.module.z
        drivers = spec.drivers
        if ACTIVITY_GENES == "significant":
            stats = spec.gene_stats
        elif activity_stats is not None:
            stats = dict(activity_stats)
    else:
        seeds = {c.entrez: c.log2fc for c in changes}
    if variant is DEFAULT:  # every registered method, so new methods are judged too
        methods = tuple(dict.fromkeys((*variant.rank.order, *harness_methods())))
    else:
        methods = tuple(m for m in variant.rank.methods if m != "centrality")  # GDS PageRank
    ctx = RankContext(
        ref.net, ref.dist, tuple(module), seeds, {}, drugs, n_samples=n_samples,
        gene_stats=stats, drivers=drivers, regulators=ref.regulators,
    )  # fmt: skip
    order = tuple(m for m in variant.rank.order if m in methods)
    results = {
        name: (get_method(name), method_results(ctx, name, variant.rank.seed))
        for name in dict.fromkeys(methods)
    }
    degree = (
        results["degree"][1]
        if "degree" in results
        else method_results(ctx, "degree", variant.rank.seed)
    )
    scores = combine(ctx, results, degree, order=order, tier=variant.rank.tier)
    return scores, z, len(module)


_RESULTS: dict[tuple[object, ...], dict[str, tuple[DrugTargets, MethodScore | None]]] = {}


def method_results(ctx: RankContext, name: str, seed: int) -> dict[str, MethodScore]:
    """One method's scores, reused across variants of the same twin (same module, changes,
    samples, seed): only drugs not scored yet for that twin, or whose targets differ (the
    Fc/complement filter), are scored, on a context of just those drugs. Variants that differ
    only in the tier or the candidate drugs then cost one ranking, not several. A drug's score
    does not depend on the other drugs (its q, BH across drugs, may; no harness figure uses q);
    a method that normalised across the candidate drugs would see only the re-scored ones here.
    """
    key = (
        name,
        ctx.module,
        tuple(sorted(ctx.seeds.items())),
        tuple(sorted(ctx.gene_stats.items())),
        tuple(sorted(ctx.drivers.items())),
        ctx.n_samples,
        seed,
    )
    if key not in _RESULTS and len(_RESULTS) > 32:
        _RESULTS.clear()
    known = _RESULTS.setdefault(key, {})
    todo = {d: t for d, t in ctx.drugs.items() if d not in known or known[d][0] != t}
    if todo:
        sub = replace(ctx, drugs=todo)
        got = get_method(name).rank(sub, seed=seed)
        for d, t in todo.items():
            known[d] = (t, got.get(d))
    return {d: ms for d in ctx.drugs if (ms := known[d][1]) is not None}


def rank_score(scores: Sequence[DrugScore]) -> dict[str, float]:
    """Higher = predicted better: minus the rank."""
    return {s.drug_id: -float(s.rank) for s in scores}


def z_score(scores: Sequence[DrugScore]) -> dict[str, float]:
    """Proximity alone: -z, unscored drugs last."""
    return {s.drug_id: (-s.z if s.z is not None else -1e9) for s in scores}


# ------------------------------------------------------------------ metrics


@dataclass
class Collector:
    """Per-case score vectors of several rankers, pooled and per case."""

    per_case: dict[str, list[float]]
    per_case_ap: dict[str, list[float]]
    pooled: dict[str, tuple[list[np.ndarray], list[np.ndarray]]]

    @classmethod
    def new(cls) -> Collector:
        return cls(defaultdict(list), defaultdict(list), defaultdict(lambda: ([], [])))

    def add(self, name: str, score: Mapping[str, float], ids: Sequence[str], y: np.ndarray) -> None:
        v = np.array([score.get(d, -1e12) for d in ids], dtype=np.float64)
        # pooled across cases: ranks within a case are made comparable as percentiles
        pct = sps.rankdata(v) / len(v)
        self.per_case[name].append(auroc(v, y))
        self.per_case_ap[name].append(average_precision(v, y))
        self.pooled[name][0].append(pct)
        self.pooled[name][1].append(y)

    def table(self) -> list[dict[str, object]]:
        rows = []
        for name in self.per_case:
            s = np.concatenate(self.pooled[name][0])
            y = np.concatenate(self.pooled[name][1])
            rows.append(
                {
                    "ranker": name,
                    "cases": len(self.per_case[name]),
                    "pooled_auroc": round(auroc(s, y), 3),
                    "median_auroc": round(float(np.median(self.per_case[name])), 3),
                    "mean_auroc": round(float(np.mean(self.per_case[name])), 3),
                    "mean_auprc": round(float(np.mean(self.per_case_ap[name])), 4),
                    "positive_rate": round(float(y.mean()), 4),
                }
            )
        return rows


def baselines(ref: Reference, ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """Patient-independent rankers: target degree, approval status, and both."""
    return {
        "degree-only baseline": {d: ref.mean_degree[d] for d in ids},
        "approval baseline": {d: float(bool(ref.drugs[d].approved)) for d in ids},
        "approval + degree baseline": {
            d: float(bool(ref.drugs[d].approved)) * 1e6 + ref.mean_degree[d] for d in ids
        },
    }


def add_personal(
    cs: CaseScores, ref: Reference, scores: Sequence[DrugScore], ids: Sequence[str]
) -> None:
    """The default order, each registered method alone, and the patient-independent priors."""
    cs.add("default", rank_score(scores), kind="default")
    # the product's `degree` method on what it ranks (the Fc/complement-filtered targets)
    degree = {d: _mean_degree(ref, ref.candidates[d]) for d in ids if d in ref.candidates}
    for name, vals in method_scores(scores, degree).items():
        cs.add(f"method: {name}", vals)
    for name, vals in combination_scores(scores, degree).items():
        cs.add(name, vals, kind="combination")
    for name, b in baselines(ref, ids).items():
        if name != "degree-only baseline":  # = method: degree
            cs.add(
                "prior: " + name.removesuffix(" baseline").replace("approval", "approval tier"),
                b,
                kind="prior",
            )


def effector_variant(
    ref: Reference,
    changes: Sequence[GeneChange],
    v: Variant,
    n_samples: int,
    col: Collector,
    personal: CaseScores,
    ids: Sequence[str],
    y: np.ndarray,
    activity_stats: Mapping[str, float] | None = None,
) -> None:
    """The default with the Fc/complement filter switched the other way (its measured effect).

    ``activity_stats``: the case's vector of every measured gene, as its default ranking got
    it, so the two rankings differ by the filter only.
    """
    on = RankParams().effector_filter
    other = ref.drugs if on else ref.filtered
    name = "default, Fc/complement kept" if on else "default + Fc/complement filter"
    scores, _, _ = run_twin(
        ref, changes, v, other, n_samples=n_samples, activity_stats=activity_stats
    )
    col.add(name, rank_score(scores), ids, y)
    personal.add(name, rank_score(scores), kind="default")
    vals = method_scores(scores).get("proximity")
    if vals:
        personal.add(name.replace("default", "method: proximity"), vals)


# ------------------------------------------------------------------ (a) indications


def disease_patients(ref: Reference, root: Path) -> list[tuple[str, list[str], set[str]]]:
    genes = read_disease_genes(root)
    known: dict[str, set[str]] = defaultdict(set)
    path = locate(root, indications_dev.SOURCE.name, "disease_to_drugs_dev.tsv")
    for row in indications_dev.read_indications(path):
        known[row.disease_id].add(row.drug_id)
    names = {r.id: r.name for r in indications_dev.read_diseases(path)}
    by_name: dict[str, set[str]] = defaultdict(set)
    for did, drugs in known.items():
        by_name[names.get(did, did)] |= drugs
    out = []
    for disease, gs in sorted(genes.items()):
        in_net = [g for g in dict.fromkeys(gs) if g in ref.net.index]
        pos = {d for d in by_name.get(disease, ()) if d in ref.drugs}
        if len(in_net) >= 20 and pos:
            out.append((disease, in_net, pos))
    return out


def validate_indications(
    ref: Reference,
    cases: list[tuple[str, list[str], set[str]]],
    variants: Sequence[Variant],
    n_samples: int,
    log: Callable[[str], None],
    personal: CaseScores | None = None,
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    col = Collector.new()
    ids = sorted(ref.drugs)
    for i, (disease, gs, pos) in enumerate(cases, start=1):
        y = np.array([d in pos for d in ids])
        changes = [GeneChange(entrez=g, log2fc=1.0) for g in gs]
        for v in variants:
            scores, _, _ = run_twin(ref, changes, v, ref.candidates, n_samples=n_samples)
            col.add(v.name, rank_score(scores), ids, y)
            if v is variants[0]:
                col.add("proximity alone (twin)", z_score(scores), ids, y)
                if personal is not None:
                    personal.add_case(disease, pos)
                    add_personal(personal, ref, scores, ids)
                    effector_variant(ref, changes, v, n_samples, col, personal, ids, y)
        raw, _, _ = run_twin(
            ref, changes, variants[0], ref.candidates, n_samples=n_samples, module=gs
        )
        col.add("default on raw disease genes", rank_score(raw), ids, y)
        col.add("proximity alone (raw genes)", z_score(raw), ids, y)
        for name, score in baselines(ref, ids).items():
            col.add(name, score, ids, y)
        if i % 20 == 0:
            log(f"  (a) {i}/{len(cases)} diseases")
    return col.table(), []


# ------------------------------------------------------------------ (b) STARGEO


def stargeo_patients(
    ref: Reference, root: Path
) -> list[tuple[str, list[GeneChange], dict[str, str]]]:
    folder = root / "stargeo_2017_dev"
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    with open(folder / "indications_dev.tsv") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            labels[row["doid_id"].replace(":", "_")][row["drugbank_id"]] = row["category"]
    out = []
    for path in sorted((folder / "signatures").glob("DOID_*.tsv.gz")):
        doid = path.name.split(".")[0]
        with gzip.open(path, "rt") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["p"] and r["z"]]
        strong = sum(1 for r in rows if float(r["p"]) < 0.001)
        dm = [d for d, c in labels[doid].items() if c == "DM" and d in ref.drugs]
        if strong < 50 or not dm:
            continue
        # the user's path: `medtwin patient add --de signature.tsv.gz` reads the file as is
        # (Entrez column, z as the change, raw p adjusted by BH over the signature, padj <= 0.05)
        changes = list(read_de_table(path, doid, ref.genes).changes)
        out.append((doid, changes, labels[doid]))
    return out


def stargeo_activity_stats(
    root: Path, genes: GeneIndex, doids: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Every tested gene's statistic of each signature (the same reader, no padj filter)."""
    folder = root / "stargeo_2017_dev" / "signatures"
    logging.getLogger("medtwin.loaders").setLevel(logging.ERROR)  # warned once above already
    return {
        d: gene_statistics(read_de_table(folder / f"{d}.tsv.gz", d, genes, padj_max=None).changes)
        for d in doids
    }


def validate_stargeo(
    ref: Reference,
    cases: list[tuple[str, list[GeneChange], dict[str, str]]],
    variants: Sequence[Variant],
    n_samples: int,
    log: Callable[[str], None],
    personal: CaseScores | None = None,
    activity: Mapping[str, Mapping[str, float]] | None = None,
) -> tuple[list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]:
    all_col, not_col = Collector.new(), Collector.new()
    per_case = []
    ids = sorted(ref.drugs)
    for doid, changes, lab in cases:
        y = np.array([lab.get(d) == "DM" for d in ids])
        dn = [d for d in ids if lab.get(d) in ("DM", "NOT")]
        y_dn = np.array([lab[d] == "DM" for d in dn])
        row: dict[str, object] = {"disease": doid, "dm": int(y.sum()), "not": int((~y_dn).sum())}
        for v in variants:
            scores, z, size = run_twin(
                ref, changes, v, ref.candidates, n_samples=n_samples,
                activity_stats=(activity or {}).get(doid),
            )  # fmt: skip
            score = rank_score(scores)
            all_col.add(v.name, score, ids, y)
            if v is variants[0]:
                all_col.add("proximity alone (twin)", z_score(scores), ids, y)
                if personal is not None:
                    personal.add_case(doid, {d for d, c in lab.items() if c == "DM"})
                    add_personal(personal, ref, scores, ids)
                    effector_variant(
                        ref, changes, v, n_samples, all_col, personal, ids, y,
                        (activity or {}).get(doid),
                    )  # fmt: skip
                row.update(
                    module_z=round(z, 2),
                    module_size=size,
                    auroc_default=round(auroc([score.get(d, -1e12) for d in ids], y), 3),
                )
                if y_dn.all() or not y_dn.any():
                    continue
                not_col.add(v.name, score, dn, y_dn)
                not_col.add("proximity alone (twin)", z_score(scores), dn, y_dn)
                for name, b in baselines(ref, dn).items():
                    not_col.add(name, b, dn, y_dn)
        for name, b in baselines(ref, ids).items():
            all_col.add(name, b, ids, y)
        per_case.append(row)
        log(
            f"  (b) {doid}: module {row.get('module_size')} genes, z {row.get('module_z')}, "
            f"AUROC {row.get('auroc_default')}"
        )
    return all_col.table(), not_col.table(), per_case


# ------------------------------------------------------------------ (c) PDXE


def crawford_howell(x: np.ndarray, ref_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Crawford–Howell t of one case against n controls per gene, and two-sided p (n-1 df)."""
    n = ref_.shape[1]
    mu = ref_.mean(axis=1)
    sd = ref_.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (x - mu) / (sd * math.sqrt((n + 1) / n))
    p = 2 * sps.t.sf(np.abs(t), n - 1)
    return t, p


PDXE_ACTIONS = "none"
DIRECTION_FALLBACK = True  # `--direction-fallback none` reproduces the runs before stop 25
"""``note``: the PDXE compounds outside DrugBank get the action their ``note`` names
(:func:`note_action`), and combined treatments keep their parts' actions (``--pdxe-actions``);
``none``: unknown, as before stop 24."""


def note_action(note: str) -> str:
    """Action of every target of a compound from its ``treatment_targets.tsv`` note.

    ``inhibitor``, ``antagonist``, ``anti-… antibody`` and ``mimetic (… antagonist)`` →
    ``inhibit``; ``agonist`` (not antagonist) → ``activate``; anything else ``unknown``.

    >>> [note_action(n) for n in ("MEK1/2 inhibitor", "anti-HER3 antibody", "DR5 agonist",
    ...                           "Smoothened antagonist", "DrugBank targets")]
    ['inhibit', 'inhibit', 'activate', 'inhibit', 'unknown']
    """
    n = note.lower()
    if "inhibitor" in n or "antagonist" in n or (n.startswith("anti-") and "antibody" in n):
        return "inhibit"
    if "agonist" in n:
        return "activate"
    return "unknown"


def pdxe_patients(
    ref: Reference, root: Path, cache: Path, *, folder: Path | None = None
) -> dict[str, object]:
    folder = folder if folder is not None else root / "pdxe_gao2015_dev"
    drugs: dict[str, DrugTargets] = {}
    actions = PDXE_ACTIONS == "note"
    with open(folder / "treatment_targets.tsv") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["drugbank_id"] and row["drugbank_id"] in ref.candidates:
                # keyed by compound: the DrugBank id finds its LINCS signature (reversal)
                drugs[row["compound"]] = replace(
                    ref.candidates[row["drugbank_id"]], drugbank_id=row["drugbank_id"]
                )
            elif row["targets"]:
                ts = [ref.genes.resolve(s) for s in row["targets"].split(",")]
                tt = tuple(dict.fromkeys(t for t in ts if t))
                if tt:
                    dirs = (note_action(row["note"]),) * len(tt) if actions else ()
                    drugs[row["compound"]] = DrugTargets(row["compound"], tt, dirs, approved=None)
    responses: dict[str, dict[str, bool]] = defaultdict(dict)
    shrinkage: dict[str, dict[str, float]] = defaultdict(dict)
    types: dict[str, str] = {}
    with open(folder / "responses.csv") as fh:
        for row in csv.DictReader(fh):
            if row["drug"] == "untreated" or not row["mRECIST_published"]:
                continue
            parts = [p.strip() for p in row["drug"].split("+")]
            if not all(p in drugs for p in parts):
                continue
            if len(parts) > 1 and row["drug"] not in drugs:
                tt = tuple(dict.fromkeys(t for p in parts for t in drugs[p].targets))
                both: tuple[str, ...] = ()
                if actions:  # first part's action per target
                    first: dict[str, str] = {}
                    for part in parts:
                        for gene, act in drugs[part].direction_of().items():
                            first.setdefault(gene, act)
                    both = tuple(first[g] for g in tt)
                drugs[row["drug"]] = DrugTargets(row["drug"], tt, both, approved=None)
            responses[row["patient.id"]][row["drug"]] = row["mRECIST_published"] in ("CR", "PR")
            avg = row["best.avg.response_published"]
            if avg not in ("", "NA"):
                shrinkage[row["patient.id"]][row["drug"]] = -float(avg)  # higher = shrank more
            types[row["patient.id"]] = row["tumor.type"]
    patients: dict[str, list[GeneChange]] = {}
    inputs: dict[str, dict[str, object]] = {}  # the input node `add-cohort` stores per tumour
    activity: dict[str, dict[str, float]] = {}
    # every tumour type the folder has (the development BRCA, CRC, CM; a held-out copy of the
    # study's layout brings its own types), so the harness runs unchanged on other tumour types
    expression = sorted(folder.glob("*_rnaseq_genes_x_models.csv.gz"))
    if not expression:
        raise SystemExit(f"{folder}: no *_rnaseq_genes_x_models.csv.gz (see its SOURCE.md)")
    # the readers' warnings (log2(x + 1), zero reference SDs, unmapped names) are not (c)'s output
    with quiet("medtwin.platform.cohort_profiles", "medtwin.loaders"):
        for path in expression:
            # the user's path: each type's matrix with a sheet of its tumours, read by
            # `patient add-cohort --control-label none` (each tumour against the other tumours
            # of its type; FPKM read as log2(x + 1); nominal p <= 0.05 kept with its BH padj, so
            # the twin picks seeds by padj and fills up from the nominal changes, as the
            # product's twin does)
            for prof in read_cohort(path, pdxe_sheet(path, cache), ref.genes, control_label=None):
                pid = prof.patient_id
                if pid not in responses:
                    continue
                patients[pid] = list(prof.changes)
                inputs[pid] = stored_input(prof, "cohort")
                # the vector of every measured gene the product's twin reads (the profile's,
                # capped and rounded as stored); also the growth control's proliferation t
                activity[pid] = full_statistics([inputs[pid]], DEFAULT.twin)[0] or {}
        mutations = (
            pdxe_mutations(ref, folder / "mutations_cn.tsv.gz", cache, set(patients))
            if (folder / "mutations_cn.tsv.gz").exists()
            else {}
        )
    return {
        "drugs": drugs,
        "responses": responses,
        "shrinkage": shrinkage,
        "types": types,
        "patients": patients,
        "activity": activity,
        "growth": tumour_growth(ref, activity),
        "inputs": inputs,
        "mutations": {m: list(prof.changes) for m, prof in mutations.items()},
        "mutation_inputs": {m: stored_input(prof, "mutations") for m, prof in mutations.items()},
    }


@contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Only errors from these loggers while the block runs; their levels restored after (set
    for good, they silenced the readers' warnings for the rest of a test session)."""
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def pdxe_sheet(expression: Path, cache: Path) -> Path:
    """The sample sheet ``add-cohort`` is given with a type's matrix: every tumour column of it,
    one group (so ``--control-label none`` reads each tumour against all the others)."""
    with gzip.open(expression, "rt") as fh:
        columns = next(csv.reader(fh))[1:]
    sheet = cache / "pdxe_samples" / f"{expression.name.split('_')[0]}_samples.tsv"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text("sample\tgroup\n" + "".join(f"{c}\ttumour\n" for c in columns))
    return sheet


def stored_input(profile: PatientProfile, kind: str) -> dict[str, object]:
    """What ``patient add`` stores of ``profile`` that the twin's vector is read from.

    :func:`~medtwin.platform.activity_inputs.full_statistics` reads these properties of the
    patient's input nodes (the changes and the kept vector of every measured gene,
    :func:`~medtwin.platform.activity_inputs.stored_activity_stats`), so the harness gives the
    methods the vector the product's twin would have: the cohort profile's t, capped at 40 and
    rounded to 3 decimals, at most ``MAX_STAT_GENES`` genes; a mutations input (variant layer)
    needs none.
    """
    changes = [
        c.model_dump(mode="json", exclude=None if c.tissue else {"tissue"}) for c in profile.changes
    ]
    return {
        "name": ", ".join(sorted(profile.input_checksums)) or kind,
        "kind": kind,
        "changes_json": json.dumps({"changes": changes}),
        **stored_activity_stats(profile),
    }


# Oncotype DX proliferation group (Paik 2004, doi:10.1056/NEJMoa041588): a drug-agnostic score
PROLIFERATION_GENES = ("MKI67", "AURKA", "BIRC5", "CCNB1", "MYBL2")


def tumour_growth(ref: Reference, activity: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Control with no drug information: −mean t of the proliferation genes vs the other tumours.

    A PDX tumour that grows fast shrinks less under any treatment in the study's window
    (best.avg.response is a volume ratio), so a per-treatment Spearman can be won without knowing
    the drug. This row shows how much; the growth-adjusted Spearman (shrinkage minus the tumour's
    median over its treatments) removes that part.
    """
    genes = [e for e in (ref.genes.resolve(s) for s in PROLIFERATION_GENES) if e]
    out: dict[str, float] = {}
    for pid, stats in activity.items():
        vals = [stats[e] for e in genes if e in stats]
        if vals:
            out[pid] = -float(np.mean(vals))
    return out


def pdxe_mutations(
    ref: Reference, path: Path, cache: Path, wanted: set[str]
) -> dict[str, PatientProfile]:
    """Each tumour's rows as one file, read by the reader of ``patient add P --mutations FILE``."""
    lines: dict[str, list[str]] = defaultdict(list)
    with gzip.open(path, "rt") as fh:
        header = next(fh)
        for line in fh:
            model = line.split("\t", 1)[0]
            if model in wanted:
                lines[model].append(line)
    folder = cache / "pdxe_mutations"
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, PatientProfile] = {}
    with quiet("medtwin.loaders.patient_rows"):  # unmapped names
        for model, rows in lines.items():
            f = folder / f"{model}.tsv"
            f.write_text(header + "".join(rows))
            out[model] = read_mutations(f, model, ref.genes)
    return out


def pdxe_rank(
    ref: Reference,
    data: dict[str, object],
    n_samples: int,
    log: Callable[[str], None],
    *,
    with_mutations: bool,
) -> dict[str, list[DrugScore]]:
    """Each tumour's twin ranks every treatment of the study (so rankings can be swapped).

    A tumour is the patient ``patient add-cohort`` makes of it, plus (``with_mutations``) its
    ``patient add P --mutations`` input: the twin is built from both inputs' changes and the
    methods that read statistics get the vector the product's twin reads from those inputs
    (:func:`~medtwin.platform.activity_inputs.full_statistics`).
    """
    drugs: dict[str, DrugTargets] = data["drugs"]  # type: ignore[assignment]
    patients: dict[str, list[GeneChange]] = data["patients"]  # type: ignore[assignment]
    mutations: dict[str, list[GeneChange]] = data["mutations"]  # type: ignore[assignment]
    inputs: dict[str, Mapping[str, object]] = data["inputs"]  # type: ignore[assignment]
    mutation_inputs: dict[str, Mapping[str, object]] = data["mutation_inputs"]  # type: ignore[assignment]
    out: dict[str, list[DrugScore]] = {}
    for pid, changes in sorted(patients.items()):
        layers = [*changes, *(mutations.get(pid, []) if with_mutations else [])]
        if not layers:
            continue
        stored = [
            inputs[pid],
            *([mutation_inputs[pid]] if with_mutations and pid in mutation_inputs else []),
        ]
        vector, _ = full_statistics(stored, DEFAULT.twin)
        try:
            scores, _, _ = run_twin(
                ref, layers, DEFAULT, drugs, n_samples=n_samples, activity_stats=vector
            )
        except Exception as e:  # noqa: BLE001 -- reported, the harness goes on
            log(f"  (c) {pid}: no twin ({e})")
            continue
        out[pid] = scores
    return out


PER_TREATMENT_PERMUTATIONS = 200


def growth_adjusted(
    shrinkage: Mapping[str, Mapping[str, float]],
) -> dict[str, dict[str, float]]:
    """Each tumour's shrinkage minus its own median over its treatments: the drug-specific part.

    >>> growth_adjusted({"A": {"x": 10.0, "y": 20.0, "z": 60.0}, "B": {"x": -5.0, "y": 5.0}})
    {'A': {'x': -10.0, 'y': 0.0, 'z': 40.0}, 'B': {'x': -5.0, 'y': 5.0}}
    """
    return {
        p: {t: v - float(np.median(list(row.values()))) for t, v in row.items()}
        for p, row in shrinkage.items()
        if row
    }


def _type_permutations(
    pids: Sequence[str], types: Mapping[str, str], n: int, seed: int
) -> list[npt.NDArray[np.int64]]:
    """``n`` permutations of case indices, each within tumour type (``perm[i]`` replaces ``i``)."""
    rng = np.random.default_rng(seed)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pids):
        groups[types[p]].append(i)
    out = []
    for _ in range(n):
        perm = np.arange(len(pids))
        for members in groups.values():
            perm[members] = rng.permutation(members)
        out.append(perm)
    return out


def _permutation_test(observed: float, null_rows: Sequence[Sequence[float]]) -> tuple[float, float]:
    """95th percentile of the mean over treatments under the permutations, and the one-sided p.

    Every treatment is permuted with the same permutation, so the null keeps the dependence
    between treatments that share tumours (a bootstrap over treatments does not: one shuffled
    ranking can reach a "CI above 0"). p = (1 + #{null mean ≥ observed}) / (1 + permutations).

    >>> [round(v, 3) for v in _permutation_test(0.3, [[0.0, 0.1, 0.4], [0.2, 0.1, 0.4]])]
    [0.37, 0.5]
    """
    if not null_rows or not math.isfinite(observed):
        return math.nan, math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a treatment constant under every perm
        means = np.nanmean(np.array(null_rows, dtype=float), axis=0)
    means = means[np.isfinite(means)]
    if means.size == 0:
        return math.nan, math.nan
    p = (1 + int((means >= observed).sum())) / (1 + means.size)
    return float(np.percentile(means, 95)), p


def _permuted_spearman(
    score_of: Callable[[int, str], float | None],
    perm: npt.NDArray[np.int64],
    cases: Sequence[int],
    t: str,
    target: npt.NDArray[np.float64],
) -> float:
    """Spearman of ``target`` with the scores of the tumours ``perm`` puts in place of ``cases``."""
    got = [score_of(int(perm[i]), t) for i in cases]
    x = np.array([math.nan if v is None else v for v in got], dtype=float)
    ok = np.isfinite(x)
    return spearman(x[ok], target[ok]) if ok.sum() >= 3 else math.nan


def _case_score(
    per_case: Mapping[int, npt.NDArray[np.float64]], col: Mapping[str, int]
) -> Callable[[int, str], float | None]:
    """A ranker's score of treatment ``t`` in case ``i``, None where the case was not ranked."""

    def score(i: int, t: str) -> float | None:
        row = per_case.get(i)
        return None if row is None else float(row[col[t]])

    return score


def _tumour_matrix(
    pids: Sequence[str], ids: Sequence[str], values: Mapping[str, Mapping[str, float]]
) -> npt.NDArray[np.float64]:
    """``values[p][t]`` as a tumour × treatment matrix, NaN where absent."""
    return np.array(
        [[values.get(p, {}).get(t, math.nan) for t in ids] for p in pids], dtype=np.float64
    )


def _mean_degree(ref: Reference, drug: DrugTargets) -> float:
    deg = [ref.net.degrees[ref.net.index[g]] for g in drug.targets if g in ref.net.index]
    return float(np.mean(deg)) if deg else 0.0


def validate_pdxe(
    ref: Reference,
    data: dict[str, object],
    ranked: Mapping[str, Sequence[DrugScore]],
    seed: int,
    n_boot: int,
    cross_out: Path | None = None,
    frame_out: Path | None = None,
) -> dict[str, object]:
    """(c): per patient AUROC with swapped/shuffled controls and priors; per treatment Spearman.

    ``cross_out``: write the per-patient cross-AUROC matrices there (:meth:`CaseScores.save_cross`);
    ``frame_out``: the per-treatment table's inputs (:func:`save_frame_inputs`), which
    ``benchmarks.per_treatment_loo`` reads.
    """
    drugs: dict[str, DrugTargets] = data["drugs"]  # type: ignore[assignment]
    responses: dict[str, dict[str, bool]] = data["responses"]  # type: ignore[assignment]
    shrinkage: dict[str, dict[str, float]] = data["shrinkage"]  # type: ignore[assignment]
    types: dict[str, str] = data["types"]  # type: ignore[assignment]
    ids = sorted(drugs)
    approved = {t: bool(drugs[t].approved) for t in ids}
    degree = {t: _mean_degree(ref, drugs[t]) for t in ids}
    rng = np.random.default_rng(seed)
    shuffled: dict[str, str] = {}
    for kind in sorted(set(types.values())):
        pids = [p for p in ranked if types[p] == kind]
        shuffled.update(zip(pids, (str(q) for q in rng.permutation(pids)), strict=True))
    cs = CaseScores(ids, np.array([approved[t] for t in ids]))
    for pid, scores in ranked.items():
        cs.add_case(pid, {t: r for t, r in responses[pid].items() if t in drugs})
        cs.add("default", rank_score(scores), kind="default")
        for name, vals in method_scores(scores, degree).items():
            cs.add(f"method: {name}", vals)
        for name, vals in combination_scores(scores, degree).items():
            cs.add(name, vals, kind="combination")
        cs.add("prior: approval tier", {t: float(approved[t]) for t in ids}, kind="prior")
        cs.add(
            "prior: approval + degree",
            {t: float(approved[t]) * 1e6 + degree[t] for t in ids},
            kind="prior",
        )
        cs.add(
            "control: shuffled patients (default)",
            rank_score(ranked[shuffled[pid]]),
            kind="control",
        )
    # stop 60 (§21): the popularity prior among each tumour's most similar tumours of its type
    activity: dict[str, dict[str, float]] = data.get("activity", {})  # type: ignore[assignment]
    add_neighbours(cs, [activity.get(p, {}) for p in ranked], [types[p] for p in ranked])
    table = cs.table(seed=seed, n_boot=n_boot)
    minus = own_differences(cs.cross, seed=seed, n_boot=n_boot)
    if cross_out is not None:
        cs.save_cross(cross_out)
    # per treatment across tumours: does the score follow the shrinkage?
    pids = list(ranked)
    growth: dict[str, float] = data.get("growth", {})  # type: ignore[assignment]
    adjusted = growth_adjusted(shrinkage)
    per_t: list[dict[str, object]] = []
    summary: list[dict[str, object]] = []
    col = {t: i for i, t in enumerate(ids)}
    rankers: list[tuple[str, str, Callable[[int, str], float | None]]] = [
        (name, cs.kinds[name], _case_score(per_case, col))
        for name, per_case in cs.scores.items()
        # priors are the same for every tumour: no across-tumour order
        if cs.kinds[name] != "prior"
    ]
    rankers.append(
        (
            "control: tumour growth (no drug information)",
            "control",
            lambda i, _t: growth.get(pids[i]),
        )
    )
    # The per-tumour control above swaps in one other tumour: too noisy across ~20 tumours per
    # treatment. Here each ranker's own scores are permuted among tumours of the same type
    # PER_TREATMENT_PERMUTATIONS times; its gain is its growth-adjusted Spearman minus the mean
    # over the permutations, per treatment (tumour-type effects survive the permutation).
    perms = _type_permutations(pids, types, PER_TREATMENT_PERMUTATIONS, seed)
    # the evidence rule's frame (stop 52, benchmarks.per_treatment_frame): the same permutations
    # (the first 200 are `perms`), FRAME_PERMUTATIONS of them, all at once
    fine = np.array(_type_permutations(pids, types, FRAME_PERMUTATIONS, seed))
    growth_of = np.array([growth.get(p, math.nan) for p in pids], dtype=float)
    keys: list[str] = []
    saved: list[tuple[str, str, npt.NDArray[np.float64]]] = []
    for name, kind, score_of in rankers:
        rhos, adj_rhos, gains, aucs = [], [], [], []
        null_rows: list[list[float]] = []  # per treatment: the statistic under each permutation
        frame_cases: list[FrameCase] = []
        for t in ids:
            ps = [
                i
                for i, p in enumerate(pids)
                if t in shrinkage[p] and t in responses[p] and score_of(i, t) is not None
            ]
            if len(ps) < MIN_TUMOURS:
                continue
            x = np.array([score_of(i, t) for i in ps], dtype=float)
            shrink = np.array([shrinkage[pids[i]][t] for i in ps])
            adj = np.array([adjusted[pids[i]][t] for i in ps])
            y = np.array([responses[pids[i]][t] for i in ps])
            rho = spearman(x, shrink)
            adj_rho = spearman(x, adj)
            adj_rhos.append(adj_rho)
            frame_cases.append((col[t], np.array(ps, dtype=np.int64), adj, shrink))
            swapped = [_permuted_spearman(score_of, pm, ps, t, adj) for pm in perms]
            null_rows.append(swapped)
            gains.append(
                adj_rho - float(np.nanmean(swapped)) if any(np.isfinite(swapped)) else math.nan
            )
            a = auroc(x, y) if y.sum() >= 3 and not y.all() else math.nan
            rhos.append(rho)
            aucs.append(a)
            if name in ("default", "method: proximity"):
                per_t.append(
                    {
                        "ranker": name,
                        "treatment": t,
                        "tumours": len(ps),
                        "responders": int(y.sum()),
                        "spearman": round(rho, 3),
                        "auroc": round(a, 3),
                    }
                )
        rv, av = np.array(rhos, dtype=float), np.array(aucs, dtype=float)
        spearman_ci = bootstrap_mean_ci(rv, n_boot=n_boot, seed=seed)
        mr, lo, hi = spearman_ci.value, spearman_ci.low, spearman_ci.high
        adjusted_ci = bootstrap_mean_ci(np.array(adj_rhos, dtype=float), n_boot=n_boot, seed=seed)
        ma, alo, ahi = adjusted_ci.value, adjusted_ci.low, adjusted_ci.high
        mg = float(np.nanmean(gains)) if np.isfinite(gains).any() else math.nan
        null_95, perm_p = _permutation_test(ma, null_rows)
        summary.append(
            {
                "ranker": name,
                "kind": kind,
                "treatments": int(np.isfinite(rv).sum()),
                "mean_spearman": round(mr, 3),
                "spearman_ci": f"[{round(lo, 3)}, {round(hi, 3)}]",
                "growth_adjusted_spearman": round(ma, 3),
                "growth_adjusted_ci": f"[{round(alo, 3)}, {round(ahi, 3)}]",
                "gain_vs_shuffled": round(mg, 3),
                "shuffled_95th": round(null_95, 3),
                "permutation_p": round(perm_p, 3),
                "treatments_auroc": int(np.isfinite(av).sum()),
                "mean_auroc": round(float(np.nanmean(av)), 3) if np.isfinite(av).any() else None,
            }
        )
        scores = np.array(
            [
                [math.nan if (v := score_of(i, t)) is None else v for t in ids]
                for i in range(len(pids))
            ],
            dtype=float,
        )
        saved.append((name, kind, scores))
        summary[-1].update(
            frame_fields(
                scores, growth_of, frame_cases, fine, observed=ma, n_boot=n_boot, seed=seed
            )
        )
        keys.append(repr(adj_rhos))  # identical orders: identical statistics, one test
    sizes = holm_rows(summary, "growth_adjusted_p_two_sided", keys)
    for field in (
        "growth_adjusted_p_greater",
        "growth_partial_p_two_sided",
        "growth_partial_p_greater",
    ):
        holm_rows(summary, field, keys)
    for row, size in zip(summary, sizes, strict=True):
        row["frame_family"] = size  # a later method's row: the declared family's m + 1
    if frame_out is not None:
        save_frame_inputs(
            frame_out,
            tumours=pids,
            types=[types[p] for p in pids],
            treatments=ids,
            rankers=saved,
            shrinkage=_tumour_matrix(pids, ids, shrinkage),
            adjusted=_tumour_matrix(pids, ids, adjusted),
            tested=np.array([[t in shrinkage[p] and t in responses[p] for t in ids] for p in pids]),
        )
    return {
        "per_patient": table,
        "per_treatment": summary,
        "per_treatment_frame": {
            "permutations": FRAME_PERMUTATIONS,
            "seed": seed,
            "moves": "a tumour's whole ranking, among the ranked tumours of its type, "
            "one permutation for every treatment",
        },
        "per_treatment_detail": per_t,
        "n_patients_ranked": len(ranked),
        "neighbours_minus": minus,
    }


# ------------------------------------------------------------------ negative controls


def random_controls(
    ref: Reference, sizes: Sequence[int], cases_pos: Sequence[set[str]], n_samples: int, seed: int
) -> dict[str, object]:
    """Degree-matched random seed sets: AUROC ≈ 0.5 and (with adaptive sampling) no q < 0.05."""
    bins = degree_bins(ref.net, 100)
    rng = np.random.default_rng(seed)
    col = Collector.new()
    ids = sorted(ref.drugs)
    significant = []
    for k, (size, pos) in enumerate(zip(sizes, cases_pos, strict=True)):
        real = rng.choice(ref.net.n_nodes, size, replace=False)
        row = sample_matched(bins, signature(bins, np.sort(real)), 1, rng)[0]
        genes = [ref.net.nodes[i] for i in row]
        changes = [GeneChange(entrez=g, log2fc=1.0) for g in genes]
        v = Variant("random", TwinParams(module_samples=200), RankParams(tier="none"), "")
        scores, _, _ = run_twin(ref, changes, v, ref.candidates, n_samples=n_samples)
        y = np.array([d in pos for d in ids])
        col.add("random gene sets, proximity", z_score(scores), ids, y)
        if k < 3:  # significance needs the product's adaptive sampling: a few sets only
            sig = rank_all(
                RankContext(
                    ref.net, ref.dist, tuple(genes), {}, {}, ref.candidates, n_samples=1000
                ),
                ["proximity"],
                seed=seed,
                params={"proximity": {"max_samples": 10_000}},
            )
            significant.append(sum(1 for s in sig if s.q is not None and s.q < 0.05))
    return {"table": col.table(), "drugs_q_below_0.05_per_random_set": significant}


def control_patients(ref: Reference, root: Path, n_samples: int, seed: int) -> dict[str, object]:
    """GSE15573 healthy donors, each against the other donors: no RA signal expected."""
    folder = root / "omics_ra_pbmc_gse15573"
    files = sorted(p.name for p in folder.iterdir())
    expr = next((folder / f for f in files if "expression" in f.lower()), None)
    samples = next((folder / f for f in files if "sample" in f.lower()), None)
    if expr is None or samples is None:
        return {"skipped": f"no expression/sample files in {folder.name}: {files}"}
    opener = gzip.open if expr.suffix == ".gz" else open
    with opener(expr, "rt") as fh:
        rows = list(csv.reader(fh, delimiter="\t" if ".tsv" in expr.name else ","))
    header, body = rows[0][1:], rows[1:]
    with open(samples) as fh:
        sheet = list(csv.DictReader(fh, delimiter="\t" if samples.suffix == ".tsv" else ","))
    key = next(k for k in sheet[0] if "sample" in k.lower())
    group = next(k for k in sheet[0] if k.lower() in ("group", "status", "disease", "condition"))
    healthy = {
        r[key] for r in sheet if "healthy" in r[group].lower() or "control" in r[group].lower()
    }
    cols = [i for i, h in enumerate(header) if h in healthy]
    values = np.array([[float(x) for x in r[1:]] for r in body])[:, cols]
    entrez = [ref.genes.resolve(r[0]) for r in body]
    ra = {d for d in ref.drugs if d in _ra_drugs(root)}
    ids = sorted(ref.drugs)
    y = np.array([d in ra for d in ids])
    col = Collector.new()
    n_twins = 0
    for c in range(len(cols)):
        others = np.delete(values, c, axis=1)
        t, p = crawford_howell(values[:, c], others)
        ok = np.isfinite(t) & np.array([e is not None for e in entrez])
        q = np.ones_like(p)
        q[ok] = bh_qvalues(p[ok])
        best: dict[str, int] = {}
        for g in np.flatnonzero(ok):
            e = entrez[g]
            assert e is not None
            if e not in best or others[g].mean() > others[best[e]].mean():
                best[e] = int(g)
        changes = [
            GeneChange(
                entrez=e,
                log2fc=float(values[g, c] - others[g].mean()),
                zscore=float(t[g]),
                padj=float(q[g]),
            )
            for e, g in best.items()
        ]
        v = Variant("ctrl", TwinParams(module_samples=200), RankParams(tier="none"), "")
        try:
            scores, _, _ = run_twin(ref, changes, v, ref.candidates, n_samples=n_samples)
        except Exception:  # noqa: BLE001
            continue
        n_twins += 1
        col.add("control-vs-control, proximity", z_score(scores), ids, y)
    return {
        "table": col.table(),
        "n_controls": len(cols),
        "n_twins": n_twins,
        "labels": "disease-modifying RA drugs (PharmacotherapyDB, DOID:7148)",
    }


def _ra_drugs(root: Path) -> set[str]:
    """Disease-modifying RA drugs (PharmacotherapyDB, DOID:7148, in ``stargeo_2017_dev``).

    RA's MEDI/NDF-RT indications are in the held-out half of ``indications_dev``.
    """
    with open(root / "stargeo_2017_dev" / "indications_dev.tsv") as fh:
        return {
            r["drugbank_id"]
            for r in csv.DictReader(fh, delimiter="\t")
            if r["doid_id"] == "DOID:7148" and r["category"] == "DM"
        }


# ------------------------------------------------------------------ main


def ablation_variants() -> list[Variant]:
    t = TwinParams(module_samples=200)
    r = RankParams()
    return [
        DEFAULT,
        Variant(
            "v0.1 defaults (approx.)",
            t.model_copy(update={"expansion": "rwr", "expand": 50, "seed_fdr": 1.0}),
            r.model_copy(
                update={"tier": "none", "order": ("proximity", "disruption", "direction")}
            ),
            "seeds by |log2fc|, RWR p/k expansion, proximity+disruption+direction, no tier",
            fold_change_only=True,
        ),
        Variant("no approval tier", t, r.model_copy(update={"tier": "none"}), "one list"),
        Variant(
            "+ direction in order",
            t,
            r.model_copy(update={"order": ("proximity", "direction")}),
            "proximity+direction",
        ),
        Variant(
            "+ disruption in order",
            t,
            r.model_copy(update={"order": ("proximity", "disruption")}),
            "proximity+disruption",
        ),
        Variant(
            "DIAMOnD expansion 50",
            t.model_copy(update={"expansion": "diamond", "expand": 50}),
            r,
            "expansion on",
        ),
        Variant(
            "RWR p/k expansion 50",
            t.model_copy(update={"expansion": "rwr", "expand": 50}),
            r,
            "the old expansion",
        ),
        Variant(
            "+ degree in order",
            t,
            r.model_copy(
                update={"methods": (*r.methods, "degree"), "order": ("proximity", "degree")}
            ),
            "proximity + the degree prior (the same for every patient)",
        ),
        Variant("max 100 seeds", t.model_copy(update={"max_seeds": 100}), r, "fewer seeds"),
        Variant("no seed FDR", t.model_copy(update={"seed_fdr": 1.0}), r, "seeds by evidence only"),
    ]


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("out/validation"))
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--quick", action="store_true", help="every 4th disease of (a), no ablation on (a)"
    )
    ap.add_argument(
        "--parts", default="abcd0", help="which parts: a, b, c, d, 0 (negative controls)"
    )
    ap.add_argument("--boot", type=int, default=2000, help="bootstrap resamples of the gain CI")
    ap.add_argument(
        "--evidence-out",
        type=Path,
        help="write each method's personal gain + provenance here (the product reads "
        "src/medtwin/platform/personal_evidence.json; needs parts a, b and c)",
    )
    ap.add_argument(
        "--evidence-from",
        type=Path,
        nargs="+",
        metavar="RESULT",
        help="with --evidence-out: write it from RESULT (a validate_twins_abc.json of an earlier "
        "run, or several results of the same params that hold parts a, b and c between them, "
        "e.g. validate_twins_b.json validate_twins_ac.json) instead of running the parts, "
        "keeping the provenance of the file at --evidence-out (that run's date, command, commit) "
        "when its params equal RESULT's",
    )
    ap.add_argument(
        "--icb-targets",
        type=Path,
        help="(d): score these drugs (a `rank --targets` file) instead of ipilimumab",
    )
    ap.add_argument(
        "--ablation",
        action="store_true",
        help="also switch each part off in turn ((b) all diseases, (a) every 4th)",
    )
    ap.add_argument(
        "--variants", help="comma-separated ablation variants to run beside the default (all)"
    )
    ap.add_argument(
        "--activity-genes",
        choices=("all", "significant"),
        default="all",
        help="genes the methods that read statistics get: every measured gene (default; none "
        "for (a)'s gene sets, which measure no other gene) or the twin's significant changes "
        "(before issue 18 item 5)",
    )
    ap.add_argument(
        "--icb-folder",
        type=Path,
        default=None,
        help="(d): a folder of checkpoint cohorts in the layout of icb_ctla4_dev "
        "(ICB_<name>_clinical.tsv with patientid and response R/NR, "
        "ICB_<name>_expr_log2tpm.tsv.gz), e.g. other cohorts; name the received drugs with "
        "--icb-targets; default: icb_ctla4_dev",
    )
    ap.add_argument(
        "--pdxe-folder",
        type=Path,
        default=None,
        help="(c): a folder in the layout of pdxe_gao2015_dev (responses.csv, "
        "treatment_targets.tsv, <type>_rnaseq_genes_x_models.csv.gz per tumour type, optional "
        "mutations_cn.tsv.gz), e.g. other tumour types of the study; default: "
        "pdxe_gao2015_dev of the data root",
    )
    ap.add_argument(
        "--pdxe-actions",
        choices=("none", "note"),
        default="none",
        help="(c): actions of the PDXE compounds outside DrugBank: unknown (default, as before "
        "stop 24) or the one their note in treatment_targets.tsv names (inhibitor, agonist...)",
    )
    ap.add_argument(
        "--direction-fallback",
        choices=("drugcentral", "none"),
        default="drugcentral",
        help="DrugBank target pairs without an action take DrugCentral's direction of the same "
        "pair, as the product does (default; platform/target_sets.DIRECTION_FALLBACK), or "
        "keep no direction (before stop 25)",
    )
    args = ap.parse_args(argv)
    if args.evidence_from is not None:
        return rewrite_evidence(args.evidence_from, args.evidence_out)
    global DIRECTION_FALLBACK  # noqa: PLW0603 -- one switch for the whole run
    DIRECTION_FALLBACK = args.direction_fallback == "drugcentral"
    global ACTIVITY_GENES  # noqa: PLW0603 -- one switch for the whole run
    ACTIVITY_GENES = args.activity_genes
    global PDXE_ACTIONS  # noqa: PLW0603 -- one switch for the whole run
    PDXE_ACTIONS = args.pdxe_actions
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:6.0f} s] {msg}", flush=True)

    root = data_root()
    ref = load_reference(root, args.out / "cache")
    log(
        f"reference: {ref.net.n_nodes} proteins, {len(ref.drugs)} DrugBank drugs "
        f"with a network target ({len(ref.filtered)} after the Fc/complement filter; the "
        f"default ranks {'the filtered' if RankParams().effector_filter else 'all'})"
    )
    variants = ablation_variants()
    if not args.ablation:
        variants = variants[:3]  # default, v0.1 defaults (before/after), no approval tier
    if args.variants:
        wanted = {v.strip() for v in args.variants.split(",")}
        variants = [DEFAULT, *(v for v in variants[1:] if v.name in wanted)]
    result: dict[str, object] = {
        "params": {
            "twin": json.loads(DEFAULT.twin.model_dump_json()),
            "rank": json.loads(DEFAULT.rank.model_dump_json()),
            "samples": args.samples,
            "seed": args.seed,
            "bootstrap": {"resamples": args.boot, "seed": args.seed, "level": 0.95},
            "methods": list(harness_methods()),
            "activity_genes": args.activity_genes,
            "pdxe_actions": args.pdxe_actions,
            "direction_fallback": args.direction_fallback,
        },
        # outside params: a result of before stop 50 still rewrites the evidence file
        "sign_flip": sign_flip_settings(args.seed),
        "reassignment": reassignment_settings(args.seed),
    }
    log(f"bootstrap: {args.boot} resamples, seed {args.seed}; methods {list(harness_methods())}")
    ids_all = sorted(ref.drugs)
    approved_all = np.array([bool(ref.drugs[d].approved) for d in ids_all])

    out_json = args.out / f"validate_twins_{args.parts}.json"

    def save(part: str) -> None:
        out_json.write_text(json.dumps(result, indent=2))
        print_summary(result, only=part)

    st_cases = stargeo_patients(ref, root)
    if "b" in args.parts:
        log(f"(b) {len(st_cases)} STARGEO signatures")
        b_personal = CaseScores(ids_all, approved_all)
        st_stats = stargeo_activity_stats(root, ref.genes, [d for d, _, _ in st_cases])
        b_all, b_not, b_cases = validate_stargeo(
            ref, st_cases, variants, args.samples, log, b_personal, st_stats
        )
        result["b_dm_vs_all"], result["b_dm_vs_not"] = b_all, b_not
        result["b_per_disease"] = b_cases
        result["b_personal"] = b_personal.table(seed=args.seed, n_boot=args.boot)
        b_personal.save_cross(args.out / CROSS_DIR / "b_personal.npz")
        save("b")

    if "a" in args.parts:
        a_cases = disease_patients(ref, root)
        if args.quick:
            a_cases = a_cases[::4]
        log(f"(a) {len(a_cases)} diseases")
        a_personal = CaseScores(ids_all, approved_all)
        result["a_indications"], _ = validate_indications(
            ref, a_cases, variants[:3], args.samples, log, a_personal
        )
        result["a_personal"] = a_personal.table(seed=args.seed, n_boot=args.boot)
        a_personal.save_cross(args.out / CROSS_DIR / "a_personal.npz")
        save("a")
        if args.ablation and not args.quick:
            # the ablation on every 4th disease keeps its run near 20 minutes
            rest = [v for v in variants if v.name != "no seed FDR"]
            log(f"(a) ablation on {len(a_cases[::4])} diseases")
            result["a_ablation"], _ = validate_indications(
                ref, a_cases[::4], rest, args.samples, log
            )
            save("A")
    if "c" in args.parts:
        log("(c) PDXE")
        pdxe = pdxe_patients(ref, root, args.out / "cache", folder=args.pdxe_folder)
        for key, with_mut in (("c_pdxe", True), ("c_pdxe_expression_only", False)):
            ranked = pdxe_rank(ref, pdxe, args.samples, log, with_mutations=with_mut)
            cross = args.out / CROSS_DIR / f"{key}.npz"
            frame = args.out / FRAME_INPUTS / f"{key}.npz"
            result[key] = validate_pdxe(ref, pdxe, ranked, args.seed, args.boot, cross, frame)
            log(f"  (c) {key}: {len(ranked)} twins")
        save("c")
    if "d" in args.parts:
        log("(d) checkpoint-blockade cohorts")
        result["d_icb"] = validate_icb(
            ref,
            root,
            args.out / "cache",
            run_twin,
            args.samples,
            args.seed,
            args.boot,
            log,
            targets=args.icb_targets,
            variant=DEFAULT,
            folder=args.icb_folder,
        )
        save("d")
    if "0" in args.parts:
        log("negative controls")
        sizes = [len(c) for _, c, _ in st_cases]
        pos = [{d for d, c in lab.items() if c == "DM"} for _, _, lab in st_cases]
        result["control_random_sets"] = random_controls(
            ref, [min(s, 400) for s in sizes], pos, args.samples, args.seed
        )
        result["control_healthy_donors"] = control_patients(ref, root, args.samples, args.seed)
        save("0")
    result["seconds"] = round(time.perf_counter() - t0, 1)
    out_json.write_text(json.dumps(result, indent=2))
    if "a_indications" in result and "b_dm_vs_all" in result:
        plot(result, args.out / "validate_twins.png")
    if args.evidence_out is not None:
        write_evidence(result, args.evidence_out, argv)
    log(f"wrote {out_json} (and validate_twins.png when (a) and (b) ran)")
    return result


CROSS_DIR = "cross"
"""Beside the result JSON: ``<part key>.npz``, each ranker's cross-AUROC matrices (stop 51)."""

EVIDENCE_RULE = (
    "a method shows a personal gain on a part when the lower end of the bootstrap 95 % CI of "
    "(own - swapped patient AUROC) is above 0 over at least 15 cases and its bootstrap p, "
    "Holm-adjusted over the part's distinct rankers (gain_p_adj, gain_family), is below 0.05"
)


def rewrite_evidence(result_paths: Sequence[Path], evidence_path: Path | None) -> dict[str, object]:
    """``--evidence-from``: the evidence file again from saved results, its run's provenance kept.

    For a change of what the file holds (stop 48: ``cases_approved``; stop 50: the sign-flip p
    and the per-case gains) without a new 50-minute run; refused when a saved result is not the
    run the file names (other params). Several results (e.g. ``--parts b`` and ``--parts ac`` of
    the same params) are read as one; a part two of them hold is refused, not guessed.
    """
    if evidence_path is None:
        raise SystemExit("--evidence-from needs --evidence-out (the file to rewrite)")
    old = json.loads(evidence_path.read_text())["provenance"]
    result: dict[str, object] = {}
    cross_of: dict[str, Path] = {}  # part key -> its matrices beside the result holding it
    for path in result_paths:
        one = json.loads(path.read_text())
        for key, _ in EVIDENCE_PARTS:
            if key in one and (path.parent / CROSS_DIR / f"{key}.npz").exists():
                cross_of[key] = path.parent / CROSS_DIR / f"{key}.npz"
        if old.get("params") != one.get("params"):
            raise SystemExit(
                f"{path} was not run with the params {evidence_path} records; "
                "run the parts again with --evidence-out"
            )
        settings = ("params", "seconds", "sign_flip", "reassignment")
        twice = [k for k in one if k in result and k not in settings]
        if twice:
            raise SystemExit(f"{path}: {', '.join(twice)} also in an earlier RESULT; give it once")
        result.update(one)
    seed = int(old["params"].get("seed", 0))
    for key, _ in EVIDENCE_PARTS:
        rows = result.get(key)
        if isinstance(rows, dict):
            rows = rows["per_patient"]
        if isinstance(rows, list) and any("per_case_gain" in r for r in rows):
            # the tests and the family rule of this code, from the run's per-case gains (and
            # its matrices, when kept: the reassignment p; else the result's, if any)
            add_sign_flip(rows, seed=seed)
            if key in cross_of:
                add_reassignment(rows, load_cross(cross_of[key])[1], seed=seed)
            correct_family(rows)
    names = " + ".join(p.name for p in result_paths)
    note = f"rewritten {time.strftime('%Y-%m-%d')} from {names}, run with that run's params"
    provenance = {
        **old,
        "rule": EVIDENCE_RULE,
        "rewritten": note,
        "sign_flip": sign_flip_settings(seed),
        "reassignment": reassignment_settings(seed),
    }
    write_evidence(result, evidence_path, None, provenance=provenance)
    return result


def write_evidence(
    result: Mapping[str, object],
    path: Path,
    argv: list[str] | None,
    *,
    provenance: Mapping[str, object] | None = None,
) -> None:
    """The gains the product quotes as ``personal_evidence``, with their provenance.

    ``provenance`` (``--evidence-from``): the run that measured ``result``, kept as it was.
    """
    import datetime
    import subprocess

    def git(*a: str) -> str:
        try:
            return subprocess.run(
                ["git", *a], capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    parts: dict[str, object] = {}
    for key, label in EVIDENCE_PARTS:
        rows = result.get(key)
        if isinstance(rows, dict):
            rows = rows["per_patient"]
        if not isinstance(rows, list):
            continue
        parts[label] = {
            str(x["ranker"]): {
                k: x[k]
                for k in (
                    "cases",
                    "auroc",
                    "gain",
                    "gain_ci",
                    "gain_p",
                    "gain_p_adj",
                    "gain_family",
                    "cases_approved",
                    "auroc_approved",
                    "gain_approved",
                    "gain_approved_ci",
                    "gain_approved_p",
                    "gain_approved_p_adj",
                    "gain_approved_family",
                    "gain_p_signflip",
                    "gain_p_signflip_adj",
                    "gain_approved_p_signflip",
                    "gain_approved_p_signflip_adj",
                    "gain_p_perm",
                    "gain_p_perm_adj",
                    "gain_p_perm_greater",
                    "gain_p_perm_greater_adj",
                    "gain_approved_p_perm",
                    "gain_approved_p_perm_adj",
                    "gain_approved_p_perm_greater",
                    "gain_approved_p_perm_greater_adj",
                    "kind",
                    # what benchmarks.evidence_sensitivity re-derives the tests from (stop 50)
                    "per_case_gain",
                    "per_case_gain_approved",
                )
                if k in x
            }
            for x in rows
            # the priors: the reference lines of the sensitivity plot; the product reads no
            # "prior: " row (evidence.evidence_key)
            if x["kind"] in ("default", "method", "combination", "prior")
        }
        for row in parts[label].values():  # type: ignore[union-attr]
            if row.get("kind") == "prior":  # gain 0 by construction, tested by nothing
                row.pop("per_case_gain", None)
                row.pop("per_case_gain_approved", None)
    commit = git("rev-parse", "HEAD")
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    if provenance is not None:
        doc = {"provenance": dict(provenance), "parts": parts}
        path.write_text(_evidence_text(doc))
        return
    doc = {
        "provenance": {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "python -m benchmarks.validate_twins " + " ".join(argv or sys.argv[1:]),
            "commit": commit,
            "params": result["params"],
            "rule": EVIDENCE_RULE,
            "sign_flip": result.get("sign_flip"),
            "reassignment": result.get("reassignment"),
        },
        "parts": parts,
    }
    path.write_text(_evidence_text(doc))


def _evidence_text(doc: Mapping[str, object]) -> str:
    """The evidence file's JSON, indented, with each row's per-case gains on one line.

    The per-case gains are most of the file (stop 50: ~9,000 numbers); one line per row keeps
    a row readable and its diff short. Case names and numbers hold no brace.
    """
    text = json.dumps(doc, indent=1)
    return (
        re.sub(
            r'("per_case_gain(?:_approved)?": )\{\n([^{}]*?)\n *\}',
            lambda m: m.group(1) + "{" + " ".join(m.group(2).split()) + "}",
            text,
        )
        + "\n"
    )


def _print_table(title: str, rows: Sequence[Mapping[str, object]]) -> None:
    print(f"\n## {title}")
    if not rows:
        print("(none)")
        return
    keys = [k for k in rows[0] if not k.startswith("per_case_")]  # kept in the JSON only
    print("\t".join(keys))
    for r in rows:
        print("\t".join(str(r.get(k, "")) for k in keys))


PERSONAL_NOTE = (
    "auroc = mean per case; swapped = the case's labels on the other cases' rankings (mean); "
    "gain = auroc - swapped [bootstrap 95 % CI over cases]; gain_p = its bootstrap p, "
    "gain_p_adj = Holm-adjusted over gain_family distinct rankers of the part; "
    "_approved = within approved drugs"
)


def print_summary(r: Mapping[str, object], only: str = "abAcd0") -> None:
    if "a" in only and "a_indications" in r:
        _print_table("(a) indications_dev: known drugs vs all DrugBank drugs", r["a_indications"])  # type: ignore[arg-type]
        _print_table("(a) personalisation: " + PERSONAL_NOTE, r["a_personal"])  # type: ignore[arg-type]
    if "A" in only and "a_ablation" in r:
        _print_table("(a) ablation (every 4th disease)", r["a_ablation"])  # type: ignore[arg-type]
    if "b" in only and "b_dm_vs_all" in r:
        _print_table("(b) STARGEO: DM vs all drugs", r["b_dm_vs_all"])  # type: ignore[arg-type]
        _print_table("(b) STARGEO: DM vs NOT", r["b_dm_vs_not"])  # type: ignore[arg-type]
        _print_table("(b) per disease (default)", r["b_per_disease"])  # type: ignore[arg-type]
        _print_table("(b) personalisation (DM vs all): " + PERSONAL_NOTE, r["b_personal"])  # type: ignore[arg-type]
    for key, what in (
        ("c_pdxe", "expression + mutations"),
        ("c_pdxe_expression_only", "expression only"),
    ):
        c = r.get(key)
        if "c" not in only or not isinstance(c, dict):
            continue
        _print_table(
            f"(c) PDXE per patient, {what} ({c['n_patients_ranked']} twins): responders (CR/PR) "
            "among the treatments tested on the tumour; " + PERSONAL_NOTE,
            c["per_patient"],
        )
        if "neighbours_minus" in c:
            _print_table(
                f"(c) {what}: similar tumours' responses, own per-tumour AUROC minus popularity's "
                "or the type's response share [bootstrap 95 % CI over tumours], sign-flip p "
                "(benchmarks.neighbours)",
                c["neighbours_minus"],
            )
        _print_table(
            f"(c) PDXE per treatment across tumours, {what}: Spearman of the score with shrinkage "
            "(-best.avg.response) [bootstrap CI over treatments], treatments with >= 15 "
            "tumours; growth_adjusted = the same with the tumour's median shrinkage over its "
            "treatments subtracted (what is drug-specific); gain_vs_shuffled = growth_adjusted "
            f"minus its mean over {PER_TREATMENT_PERMUTATIONS} permutations of the ranker's scores "
            "among tumours of the same type; shuffled_95th, permutation_p = 95th percentile of "
            "the permuted means and the one-sided p of growth_adjusted against them (the "
            "bootstrap CIs treat treatments as independent, but they share tumours: read the "
            "permutation p); AUROC where >= 3 responders; growth_adjusted_p_* = the same test "
            f"over {FRAME_PERMUTATIONS} permutations, one- and two-sided, _adj = Holm over the "
            "frame_family distinct rankers; growth_partial = partial Spearman with shrinkage "
            "given the growth control's score, its gain over the permuted mean and p "
            "(benchmarks.per_treatment_frame)",
            c["per_treatment"],
        )
    if "d" in only and "d_icb" in r:
        d = r["d_icb"]
        assert isinstance(d, dict)
        _print_table(
            f"(d) checkpoint cohorts ({d.get('n_twins_labelled', d['n_twins'])} twins with R/NR): "
            f"position of {d['drugs_scored']} in each patient's ranking, AUROC responders vs "
            "non-responders [pooled bootstrap CI]",
            d["table"],
        )
        if "neighbours_null" in d:
            print(
                f"\n{KNN_ICB}: pooled AUROC with each cohort's gene statistics reassigned among "
                f"its patients (benchmarks.neighbours.knn_null): {d['neighbours_null']}"
            )
        if "continuous" in d:
            _print_table(
                f"(d) on continuous responses ({d['n_twins']} twins): Harrell's C of the position "
                "against overall (os) and progression-free (pfs) survival, Kendall's tau-b against "
                "RECIST (PD < SD < PR < CR); per cohort, then pooled stratified (pairs within a "
                "cohort) [bootstrap 95 % CI, resampling patients within cohorts]; swapped = each "
                "patient's outcome on the other patients' positions (mean); gain = own - swapped "
                "[CI], gain_p its bootstrap p; minus_ifng / minus_tmb = C - the anchor's C on the "
                "patients both score [paired CI] (n)",
                d["continuous"],
            )
    if "0" in only and "control_random_sets" in r:
        rs = r["control_random_sets"]
        assert isinstance(rs, dict)
        _print_table(
            "negative control: degree-matched random gene sets (DM labels of (b))", rs["table"]
        )
        print(
            "drugs with q < 0.05 per random set (adaptive sampling): "
            f"{rs['drugs_q_below_0.05_per_random_set']}"
        )
        hc = r["control_healthy_donors"]
        assert isinstance(hc, dict)
        if "table" in hc:
            _print_table(
                f"negative control: healthy donor vs other donors ({hc['n_twins']} twins),"
                " RA drugs",
                hc["table"],
            )
        else:
            print(hc)
    sys.stdout.flush()


def plot(r: Mapping[str, object], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(18, 5))
    for ax, key, title in (
        (axes[0], "a_indications", "(a) indications_dev"),
        (axes[1], "b_dm_vs_all", "(b) STARGEO DM vs all"),
    ):
        rows = r[key]
        assert isinstance(rows, list)
        names = [str(x["ranker"]) for x in rows]
        vals = [float(x["pooled_auroc"]) for x in rows]
        colours = ["#888" if "baseline" in n else "#1f77b4" for n in names]
        ax.barh(names, vals, color=colours)
        ax.axvline(0.5, color="k", lw=0.8, ls=":")
        ax.set_xlim(0.3, 1.0)
        ax.set_title(title)
        ax.set_xlabel("pooled AUROC")
        ax.invert_yaxis()
    # personal gain (own - swapped patient) with its bootstrap CI, per part and ranker
    ax = axes[2]
    labels: list[str] = []
    gains: list[float] = []
    los: list[float] = []
    his: list[float] = []
    for key, part in (("a_personal", "a"), ("b_personal", "b"), ("c_pdxe", "c")):
        found = r.get(key)
        if isinstance(found, dict):
            found = found["per_patient"]
        part_rows: list[dict[str, object]] = found if isinstance(found, list) else []
        for x in part_rows:
            if x["kind"] in ("default", "method") and x["gain"] is not None:
                lo, hi = (float(v) for v in str(x["gain_ci"]).strip("[]").split(","))
                labels.append(f"({part}) {x['ranker']}")
                g = float(str(x["gain"]))
                gains.append(g)
                los.append(g - lo)
                his.append(hi - g)
    ax.errorbar(gains, range(len(gains)), xerr=[los, his], fmt="o", color="#1f77b4")
    ax.set_yticks(range(len(labels)), labels)
    ax.axvline(0.0, color="k", lw=0.8, ls=":")
    ax.set_title("gain: own - swapped patient (95 % CI)")
    ax.set_xlabel("AUROC gain")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
