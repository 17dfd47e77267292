r"""Biomarker suggestions: proteins whose measurement would support or refute a top-ranked drug.

Björnsson et al. (2020) describe the step this implements: a variant that alters a protein's
expression in the twin leads to in-silico treatment with a drug acting on that protein, which
"motivates diagnostic measurement of the protein". Here the layers of the twin are joined into
that chain for every candidate.

**Candidates** (a filter): a gene :math:`g` is suggested when

1. :math:`g` is a target (in the ranking's drug–target source) of one of the top :math:`N` drugs
   of the patient's latest ranking,
2. :math:`g` is in the twin's module, and
3. :math:`g` is changed in the patient: an expression or protein change, or a coding variant.

**Order** (transparent, lexicographic; an ordering for review, *not* a statistic — no null model
is claimed):

1. more patient layers on the gene first (variant + expression beats expression alone),
2. central before not central (PageRank rank within the module's genes
   :math:`\le \lceil |M|/4 \rceil`),
3. the best rank of a top drug targeting it,
4. larger evidence :math:`|z|` of the change, then the symbol.

**Flag**: a gene that is a ligand in LIANA's consensus resource is flagged as such, and only as
such. Being a ligand there does not make a protein measurable in blood: the resource pairs
intracellular proteins too (LCK → CD8A_CD8B, a T-cell kinase), and no localisation or secretion
annotation is bundled to tell them apart (before stop 45 the flag said "measurable in blood").
The flag does not order.

**Direction** per (gene, drug), the same rule as the ranking's direction score
(:mod:`medtwin.platform.algorithms.direction`): with action :math:`a \in \{-1, +1\}` (inhibit,
activate) and change :math:`\ell`, :math:`s = -a\,\mathrm{sign}(\ell)`; :math:`s = +1`
*counteracts* (e.g. inhibits an up-regulated gene), :math:`s = -1` *aggravates*; unknown without
an action or a measured direction. The chain's last step says which measurement would support
the drug and which would argue against it.

References
----------
Björnsson B. et al. Digital twins to personalize medicine. Genome Med 12, 4 (2020).
doi:10.1186/s13073-019-0701-3;
Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
doi:10.1038/ncomms10331
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from medtwin.errors import InputError
from medtwin.loaders.consequences import term_impact
from medtwin.platform.insight_models import BiomarkerDrug, BiomarkerSuggestion

__all__ = [
    "BIOMARKER_RULE",
    "LIGAND_WORDS",
    "CandidateDrug",
    "GeneEvidence",
    "impact_of",
    "suggest_biomarkers",
]

BIOMARKER_RULE = (
    "filter: targets of the top drugs that are in the twin's module and changed in the patient; "
    "order: more patient layers, then central (PageRank in the module's top quarter), then best "
    "drug rank, then |z|; ligands in LIANA's consensus resource flagged (not a claim that the "
    "protein is measurable in blood). An ordering for review, not a statistic: no null model."
)

LIGAND_WORDS = "a ligand in LIANA's consensus; not known whether measurable in blood"
"""What the ligand flag claims in the chain: only what the resource says (CLI and report alike)."""


def impact_of(consequence: str | None) -> str:
    """SnpEff/VEP impact class of a consequence (of its most severe ``&``-joined term).

    The impact is that term's in Ensembl's consequence table
    (:func:`~medtwin.loaders.consequences.term_impact`; SnpEff's
    ``5_prime_UTR_truncation&exon_loss_variant`` is the UTR deletion SnpEff rates MODERATE). The
    readers keep HIGH and MODERATE variants only (a file's own impact may rate a term otherwise
    than the table), so a term the table does not rate HIGH or MODERATE is reported as
    ``HIGH/MODERATE``.

    Examples
    --------
    >>> impact_of("stop_gained"), impact_of("gene_fusion")
    ('HIGH', 'HIGH')
    >>> impact_of("missense_variant&splice_region_variant")
    'MODERATE'
    >>> impact_of("5_prime_UTR_truncation&exon_loss_variant"), impact_of(None)
    ('MODERATE', 'HIGH/MODERATE')
    """
    impact = term_impact((consequence or "").replace(",", "&"))
    return impact if impact in {"HIGH", "MODERATE"} else "HIGH/MODERATE"


@dataclass(frozen=True)
class GeneEvidence:
    """What the patient's twin says about one gene.

    Attributes
    ----------
    entrez, symbol
        The gene.
    in_module
        In the twin's module (largest connected component of the seeds).
    pagerank
        GDS PageRank on the twin (``None`` when not computed).
    log2fc, z
        Expression or protein change and its evidence on the |z| scale (``None`` when the gene
        has no such change).
    layers
        Patient layers that changed the gene (``expression``, ``protein``, ``variant``).
    variants
        (variant id, consequence) of its coding variants.
    """

    entrez: str
    symbol: str | None
    in_module: bool
    pagerank: float | None
    log2fc: float | None = None
    z: float | None = None
    layers: tuple[str, ...] = ()
    variants: tuple[tuple[str, str | None], ...] = field(default=())


@dataclass(frozen=True)
class CandidateDrug:
    """A top-ranked drug: its rank and its action on each target (Entrez id -> action).

    ``action_sources``: Entrez id -> the source that filled in an action the ranking's source does
    not name (``DrugCentral`` for DrugBank); a target not in it has its source's own action.
    """

    drug_id: str
    drug_name: str | None
    rank: int
    actions: Mapping[str, str]
    action_sources: Mapping[str, str] = field(default_factory=dict)


def _action(word: str | None) -> str:
    return word if word in ("inhibit", "activate") else "unknown"


def _effect(action: str, log2fc: float | None) -> str:
    if action == "unknown" or log2fc is None or log2fc == 0:
        return "unknown"
    a = -1 if action == "inhibit" else 1
    return "counteracts" if -a * math.copysign(1.0, log2fc) > 0 else "aggravates"


def _conclusion(name: str, drug: str, action: str, log2fc: float | None, ligand: bool) -> str:
    measure = f"measure {name} protein" + (f" ({LIGAND_WORDS})" if ligand else "")
    if action == "unknown":
        return (
            f"{measure}; {drug}'s action on {name} is not known, so its level alone neither "
            f"supports nor refutes {drug}"
        )
    if log2fc is None or log2fc == 0:  # variant only: the level is what the measurement tells
        high, low = ("elevated", "low") if action == "inhibit" else ("low", "elevated")
        return (
            f"{measure} (its level is not measured in the patient); if {high}, {drug} is "
            f"supported; if {low}, {drug} would push it further and is argued against"
        )
    level = "elevated" if log2fc > 0 else "low"
    if _effect(action, log2fc) == "counteracts":
        return f"{measure}; if {level}, {drug} is supported; if normal, it is not"
    return (
        f"{measure}; if {level}, {drug} would push it further ({drug} aggravates): "
        f"the measurement argues against {drug}"
    )


def _chain(g: GeneEvidence, name: str, pr_rank: int | None, size: int, central: bool,
           best: CandidateDrug, action: str, ligand: bool) -> str:  # fmt: skip
    steps = [
        f"{f'variant {vid}' if vid else 'a coding variant'} in {name} ({impact_of(cons)})"
        for vid, cons in g.variants
    ]
    if g.log2fc is not None and g.log2fc != 0:
        where = [x for x in g.layers if x != "variant"]
        layer = f", {'/'.join(where)}" if where and where != ["expression"] else ""
        z = (
            f"z {math.copysign(g.z, g.log2fc):.1f}"
            if g.z is not None
            else f"log2fc {g.log2fc:+.2f}"
        )
        steps.append(f"{name} {'up' if g.log2fc > 0 else 'down'} ({z}{layer})")
    rank_text = f"PageRank {pr_rank}/{size}" if pr_rank is not None else "no PageRank"
    steps.append(f"{'central in' if central else 'in'} the module ({rank_text})")
    drug = best.drug_name or best.drug_id
    verb = {"inhibit": "inhibits", "activate": "activates"}.get(action, "targets")
    filled = best.action_sources.get(g.entrez) if action != "unknown" else None
    steps.append(
        f"{drug} (rank {best.rank}) {verb} {name}" + (f" (action from {filled})" if filled else "")
    )
    steps.append(_conclusion(name, drug, action, g.log2fc, ligand))
    return " → ".join(steps)


def suggest_biomarkers(
    genes: Sequence[GeneEvidence],
    drugs: Sequence[CandidateDrug],
    ligands: set[str],
    *,
    top: int = 10,
    central_fraction: float = 0.25,
) -> list[BiomarkerSuggestion]:
    """Suggest proteins to measure, each with its evidence chain (module docstring rule).

    Parameters
    ----------
    genes
        The twin's genes with the patient's evidence.
    drugs
        The top drugs of the ranking with their actions on their targets.
    ligands
        Entrez ids of ligands in LIANA's consensus resource (flagged; not ordered by).
    top
        Suggestions returned (0 = all).
    central_fraction
        A module gene is *central* when its PageRank rank is within this fraction of the
        module's genes (rounded up, at least 1).

    Returns
    -------
    list of BiomarkerSuggestion
        Best first, ``rank`` from 1.

    Raises
    ------
    InputError
        If ``top`` is negative or ``central_fraction`` not in (0, 1].

    Examples
    --------
    Gene 1 (variant + expression, up) and gene 2 (expression only) are both targets of an
    inhibitor; gene 1 ranks first, and the chain says what the measurement decides.

    >>> genes = [GeneEvidence("1", "A", True, 0.5, 2.0, 3.1, ("expression", "variant"),
    ...                       (("rs1", "stop_gained"),)),
    ...          GeneEvidence("2", "B", True, 0.3, 1.0, 4.0, ("expression",))]
    >>> drug = CandidateDrug("DB1", "drugx", 1, {"1": "inhibit", "2": "inhibit"})
    >>> got = suggest_biomarkers(genes, [drug], {"2"})
    >>> [(s.symbol, s.ligand) for s in got]
    [('A', False), ('B', True)]
    >>> print(got[0].chain)  # doctest: +NORMALIZE_WHITESPACE
    variant rs1 in A (HIGH) → A up (z 3.1) → central in the module (PageRank 1/2) →
    drugx (rank 1) inhibits A → measure A protein; if elevated, drugx is supported; if normal,
    it is not
    """
    if top < 0:
        raise InputError(f"top must be 0 (all) or positive, got {top}")
    if not 0 < central_fraction <= 1:
        raise InputError(f"central_fraction must be in (0, 1], got {central_fraction}")
    module = sorted(
        (g for g in genes if g.in_module),
        key=lambda g: (-(g.pagerank if g.pagerank is not None else -1.0), g.entrez),
    )
    pr_rank = {g.entrez: i for i, g in enumerate(module, start=1) if g.pagerank is not None}
    size = len(module)
    n_central = max(1, math.ceil(central_fraction * size))
    by_gene = {g.entrez: g for g in module}
    hits: dict[str, list[tuple[CandidateDrug, str]]] = {}
    for d in sorted(drugs, key=lambda d: (d.rank, d.drug_id)):
        for target, word in sorted(d.actions.items()):
            g = by_gene.get(target)
            if g is None or not (g.layers or g.variants):
                continue
            hits.setdefault(target, []).append((d, _action(word)))
    rows = []
    for entrez, links in hits.items():
        g = by_gene[entrez]
        layers = tuple(sorted(set(g.layers) | ({"variant"} if g.variants else set())))
        rank = pr_rank.get(entrez)
        central = rank is not None and rank <= n_central
        name = g.symbol or entrez
        best, best_action = links[0]
        rows.append(
            (
                (-len(layers), not central, best.rank, -(g.z or 0.0), name),
                BiomarkerSuggestion(
                    rank=0,
                    entrez=entrez,
                    symbol=g.symbol,
                    layers=layers,
                    variants=tuple(v for v, _ in g.variants),
                    log2fc=g.log2fc,
                    z=g.z,
                    pagerank_rank=rank,
                    module_size=size,
                    central=central,
                    ligand=entrez in ligands,
                    drugs=tuple(
                        BiomarkerDrug(
                            drug_id=d.drug_id,
                            drug_name=d.drug_name,
                            drug_rank=d.rank,
                            action=action,
                            action_source=d.action_sources.get(entrez),
                            effect=_effect(action, g.log2fc),
                        )
                        for d, action in links
                    ),
                    chain=_chain(
                        g, name, rank, size, central, best, best_action, entrez in ligands
                    ),
                ),
            )
        )
    rows.sort(key=lambda r: r[0])
    chosen = [s for _, s in rows] if top == 0 else [s for _, s in rows[:top]]
    return [s.model_copy(update={"rank": i}) for i, s in enumerate(chosen, start=1)]
