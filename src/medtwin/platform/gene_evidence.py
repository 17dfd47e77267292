r"""Evidence of a patient's gene changes on one scale, and the per-gene statistics built on it.

Pure: no I/O. The twin builder (:mod:`medtwin.platform.twin`) picks seeds by this evidence and
stores the statistics on the twin; the regulator methods (:mod:`medtwin.platform.regulators`,
:mod:`medtwin.platform.twin_regulators`) read them.

Method
------
1. **Evidence.** Each change gets an evidence score on the scale of a standard-normal
   statistic: its ``|z|`` (a DE table's z/stat column, or the Crawford–Howell t of a cohort
   reader), else the two-sided normal quantile of its adjusted p,
   :math:`\Phi^{-1}(1 - p_{adj}/2)`, else :data:`VARIANT_EVIDENCE` for a coding variant (a
   ``--mutations`` category: its weight in
   :data:`~medtwin.loaders.mutation_categories.CATEGORY_EVIDENCE`), else
   ``|log2fc|`` (an input with no statistic at all).
2. **Gene statistics and drivers.** Gene statistics: per gene, the signed evidence of its
   strongest non-variant change (step 1's evidence × layer weight, signed by its z, else its
   log2 fold change) — every selected change, not only the seeds, and genes outside the
   interactome too. Driver evidence: per gene with a variant-layer change,
   :math:`g = \sigma \cdot e/3` with :math:`e` the change's evidence (3 = a coding variant,
   a known-functional mutation, Amp8 or Del0.8) and :math:`\sigma = +1` for a gain (``Amp5``,
   ``Amp8``), :math:`-1` for a loss (``Del0.8``; truncating consequences ``stop_gained``,
   ``frameshift_variant``, ``splice_acceptor_variant``, ``splice_donor_variant``,
   ``start_lost``; structural losses, :data:`STRUCTURAL_LOSS`; a consequence of several
   ``&``-joined terms counts by its most severe,
   :func:`~medtwin.loaders.consequences.most_severe_term`), :math:`+\tfrac12` for another
   coding mutation (gain or loss of function is not known from the call; a mutated drug target
   is more often an activated oncogene than a tumour suppressor, so the sign leans to gain at
   half weight; ``stop_lost`` is one of these, :data:`LOSS`). Categories: Gao et al. 2015,
   doi:10.1038/nm.3954.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import NormalDist

from medtwin.loaders.consequences import most_severe_term
from medtwin.loaders.mutation_categories import mutation_evidence
from medtwin.loaders.patient_rows import GeneChange

__all__ = [
    "MUTATION_WORDS",
    "STRUCTURAL_LOSS",
    "VARIANT_EVIDENCE",
    "change_evidence",
    "driver_calls",
    "driver_evidence",
    "driver_words",
    "gene_statistics",
]


VARIANT_EVIDENCE = 3.0
"""Evidence of a coding variant (HIGH/MODERATE impact kept by the readers): as strong as a
change at z = 3, because a damaging variant is direct evidence for its gene."""

_MAX_EVIDENCE = 40.0  # |z| of p ~ 1e-300; keeps p = 0 finite


def change_evidence(change: GeneChange) -> float:
    """Evidence of one change on the |z| scale (module docstring, step 1).

    Examples
    --------
    >>> change_evidence(GeneChange(entrez="1", log2fc=1.5, zscore=-2.5))
    2.5
    >>> round(change_evidence(GeneChange(entrez="1", log2fc=0.2, padj=0.05)), 3)
    1.96
    >>> round(change_evidence(GeneChange(entrez="1", log2fc=1.0, padj=1e-300)), 2)
    37.07
    >>> change_evidence(GeneChange(entrez="1", log2fc=0.0, layer="variant"))
    3.0
    >>> change_evidence(GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence="MutNovel"))
    1.0
    >>> change_evidence(GeneChange(entrez="1", log2fc=-0.7))
    0.7
    """
    if change.zscore is not None:
        return min(abs(change.zscore), _MAX_EVIDENCE)
    if change.padj is not None:
        half = change.padj / 2.0
        # half underflows to 0 for the smallest double, 5e-324 (R writes it): p = 0's evidence,
        # where inv_cdf(0) raised StatisticsError
        if half <= 0:
            return _MAX_EVIDENCE
        # The lower tail: 1 - padj/2 rounds to 1.0 for padj < ~1e-16 (inv_cdf then refuses it).
        return min(-float(NormalDist().inv_cdf(half)), _MAX_EVIDENCE)
    if change.layer == "variant":
        weight = mutation_evidence(change.consequence)  # `--mutations` categories
        return VARIANT_EVIDENCE if weight is None else weight
    return abs(change.log2fc)


STRUCTURAL_LOSS = frozenset({"exon_loss_variant", "transcript_ablation", "feature_ablation"})
"""Consequences that delete part or all of a gene: a loss of function, not a change of unknown
direction. Sequence Ontology (http://www.sequenceontology.org):

- ``exon_loss_variant`` (SO:0001572), "a sequence variant whereby an exon is lost from the
  transcript" (SnpEff's ``EXON_DELETED``, HIGH: the ``<DEL>`` of ``CDKN2A&CDKN2B``);
- ``transcript_ablation`` (SO:0001893), "a feature ablation whereby the deleted region includes
  a transcript feature" (VEP, HIGH; SnpEff also writes it for a breakend inside one gene, which
  breaks that gene's transcript);
- ``feature_ablation`` (SO:0001879), a deletion larger than the feature: the whole gene gone
  (SnpEff's ``GENE_DELETED``, HIGH).

Until twin and ranking rules 2 these counted as another coding change (+1/2): a homozygous
CDKN2A deletion read as a half-weight *gain*, so the ``driver`` method scored an inhibitor of
the lost gene +1/2 (now -1) and the upstream-regulator walk started from it at half weight.

Not counted: ``feature_truncation`` (SO:0001906, a shortened feature, maybe only its UTR or,
for a breakend, a feature cut somewhere; VEP rated it MODIFIER, which the VCF reader leaves
out, and HIGH since release 110, kept as a change of unknown direction);
``transcript_truncation``, which neither VEP nor SnpEff writes; SnpEff's
``5_prime_UTR_truncation&exon_loss_variant`` and
``3_prime_UTR_truncation&exon_loss_variant`` (an exon of the UTR deleted, MODERATE), whose
``exon_loss_variant`` names the UTR exon (:mod:`medtwin.loaders.consequences`), so they stay
changes of unknown direction: the protein may be intact. Any other joined term counts by its
most severe term (``stop_gained&splice_region_variant`` is a loss; compared whole until rules
3, it was +1/2)."""

GAIN = frozenset({"amp5", "amp8", "amplification", "copy_number_gain"})
LOSS = frozenset(
    {
        "del0.8",
        "deletion",
        "copy_number_loss",
        "stop_gained",
        "frameshift_variant",
        "splice_acceptor_variant",
        "splice_donor_variant",
        "start_lost",
        *STRUCTURAL_LOSS,
    }
)
"""Calls read as a loss of function (module docstring, step 2). ``stop_lost`` is not one: a
stop-lost *extends* the protein (Sequence Ontology SO:0001578, "resulting in an elongated
transcript"); OncoKB's consequence table marks it not generally truncating, gnomAD's pLoF classes
(Karczewski et al. 2020, doi:10.1038/s41586-020-2308-7) leave it out, and VEP and SnpEff rate it
HIGH, so it keeps full evidence as a coding change whose direction the call does not give (+1/2),
from a MAF's ``Nonstop_Mutation`` as from ``--vcf`` or ``--variants`` (docs/patients.md)."""


def gene_statistics(
    changes: Sequence[GeneChange], layer_weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Signed evidence per gene of the non-variant changes (module docstring, step 2).

    Examples
    --------
    >>> gene_statistics([GeneChange(entrez="1", log2fc=-1.0, zscore=-2.5),
    ...                  GeneChange(entrez="1", log2fc=0.5, zscore=1.0),
    ...                  GeneChange(entrez="2", log2fc=0.8),
    ...                  GeneChange(entrez="3", log2fc=0.0, layer="variant")])
    {'1': -2.5, '2': 0.8}
    """
    weights = layer_weights or {}
    best: dict[str, tuple[float, float]] = {}
    for c in changes:
        if c.layer == "variant":
            continue
        e = change_evidence(c) * weights.get(c.layer, 1.0)
        sign = math.copysign(1.0, c.zscore if c.zscore is not None else c.log2fc)
        if c.entrez not in best or e > best[c.entrez][0]:
            best[c.entrez] = (e, sign * e)
    return {g: v for g, (_, v) in best.items()}


UNKNOWN_EFFECT_SIGN = 0.5
"""The sign of a coding change that is neither a gain nor a loss (module docstring, step 2)."""


def _strongest_calls(changes: Sequence[GeneChange]) -> dict[str, tuple[float, float, str]]:
    """Per gene with a variant change: (evidence / 3, signed weight, call) of its strongest."""
    best: dict[str, tuple[float, float, str]] = {}
    for c in changes:
        if c.layer != "variant":
            continue
        kind = most_severe_term(c.consequence).lower()  # a joined VEP/SnpEff term: its worst
        sigma = 1.0 if kind in GAIN else -1.0 if kind in LOSS else UNKNOWN_EFFECT_SIGN
        e = change_evidence(c) / VARIANT_EVIDENCE
        if c.entrez not in best or e > best[c.entrez][0]:
            best[c.entrez] = (e, sigma * e, c.consequence or "")
    return best


def driver_evidence(changes: Sequence[GeneChange]) -> dict[str, float]:
    """Signed driver weight per gene with a variant-layer change (module docstring, step 2).

    Examples
    --------
    >>> driver_evidence([GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence="Amp8"),
    ...                  GeneChange(entrez="2", log2fc=0.0, layer="variant",
    ...                             consequence="stop_gained"),
    ...                  GeneChange(entrez="3", log2fc=0.0, layer="variant",
    ...                             consequence="missense_variant")])
    {'1': 1.0, '2': -1.0, '3': 0.5}
    """
    return {g: w for g, (_, w, _) in _strongest_calls(changes).items()}


def driver_calls(changes: Sequence[GeneChange]) -> dict[str, str]:
    """The call behind each weight of :func:`driver_evidence` (its category or consequence).

    What :func:`driver_words` names, so that a reader sees the call itself, not only its weight.

    >>> driver_calls([GeneChange(entrez="1", log2fc=0.0, layer="variant", consequence="MutNovel"),
    ...               GeneChange(entrez="1", log2fc=0.0, layer="variant",
    ...                          consequence="MutKnownFunctional")])
    {'1': 'MutKnownFunctional'}
    """
    return {g: call for g, (_, _, call) in _strongest_calls(changes).items() if call}


MUTATION_WORDS = {
    "mutknownfunctional": "known functional mutation",
    "mutlikelyfunctional": "likely functional mutation",
    "mutnovel": "mutation of unknown function",
}
"""Gao 2015's coding-mutation categories in words (``--mutations``; docs/patients.md)."""


def driver_words(weight: float, call: str | None = None) -> str:
    """What a driver weight of :func:`driver_evidence` says, in words: no more than the call does.

    A loss weighs -e/3 < 0, a gain +e/3 >= 2/3 (``Amp5`` 2/3, ``Amp8`` and other gains 1) and
    another coding change +1/2 * e/3 <= 1/2, so the weight tells the three apart
    (``tests/unit/twin/test_driver_words.py`` checks every category). ``call`` (the category or
    consequence, :func:`driver_calls`) is named when known. The +1/2 is there because a
    mutation's *direction* (gain or loss of function) is not in the call, not because its
    effect is unknown: a ``MutKnownFunctional`` BRAF mutation is a known functional mutation
    whose direction the call does not give. Before stop 45 a MODERATE missense of PTPN22 read
    "driver (gain 0.5)", then until stop 46 every such call read "variant of unknown effect".

    Examples
    --------
    >>> driver_words(1.0, "Amp8"), driver_words(-1.0)
    ('Amp8: gain, weight 1', 'loss, weight 1')
    >>> driver_words(0.5, "MutKnownFunctional")
    'MutKnownFunctional: known functional mutation, direction not given, weight 0.5'
    >>> driver_words(1 / 6, "MutNovel")
    'MutNovel: mutation of unknown function, direction not given, weight 0.17'
    >>> driver_words(0.5, "missense_variant"), driver_words(0.5)
    ... # doctest: +NORMALIZE_WHITESPACE
    ('missense_variant: coding variant, direction not given, weight 0.5',
     'coding mutation, direction not given, weight 0.5')
    """
    named = f"{call}: " if call else ""
    if weight < 0:
        kind = "loss"
    elif weight > UNKNOWN_EFFECT_SIGN:
        kind = "gain"
    else:
        words = MUTATION_WORDS.get((call or "").lower())
        kind = words or ("coding variant" if call else "coding mutation")
        kind += ", direction not given"
    return f"{named}{kind}, weight {abs(weight):.2g}"
