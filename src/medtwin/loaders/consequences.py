"""One rule for a variant's consequence terms: split on ``&``, take the most severe.

SnpEff (``ANN``) and Ensembl VEP (``CSQ``) write every consequence of one annotation, joined with
``&`` (``stop_gained&splice_region_variant``), and a VCF record has one annotation per transcript.
The variant readers keep the consequence as the annotator wrote it (what the user sees, named in
the driver words); whatever reads a consequence for its meaning — the driver sign
(:mod:`medtwin.platform.gene_evidence`), the impact in the biomarker chains
(:func:`medtwin.platform.biomarkers.impact_of`), the VCF reader choosing between a variant's
transcripts — takes its most severe term by :func:`most_severe_term`, so a MAF, a VCF, a
``--variants`` table and a FHIR bundle give the same call the same meaning. Before stop 48 the
driver sign compared the joined string whole: ``stop_gained&splice_region_variant`` (VEP's
usual term for a nonsense variant at an exon edge) was no loss but a +1/2 change of unknown
direction.

**Severity.** :data:`SEVERITY` is Ensembl VEP's order of consequence terms, most severe first
(the "Calculated variant consequences" table,
https://www.ensembl.org/info/genome/variation/prediction/predicted_data.html), with SnpEff's
own terms placed beside their VEP equivalent of the same impact (SnpEff manual, "Effect
prediction details"): ``chromosome_number_variation`` (a deletion of most of a chromosome)
first; ``exon_loss_variant`` and ``feature_ablation`` (whole exons or the gene deleted, HIGH) by
``transcript_ablation``; ``rare_amino_acid_variant`` after ``start_lost``; ``gene_fusion`` by
``transcript_amplification``; the
``disruptive_``/``conservative_`` in-frame terms by theirs; ``5_prime_UTR_truncation`` and
``3_prime_UTR_truncation`` by ``feature_truncation``; and ``splice_site_variant`` (the MAF
reader's term for ``Splice_Site``, donor or acceptor not said) before ``splice_region_variant``.
A term not in the list ranks after every listed one; equally ranked terms keep the order
written.

**Impact.** :data:`CONSEQUENCES` gives each term its putative impact (HIGH, MODERATE, LOW,
MODIFIER) beside its rank, so the order and the impact are one table: VEP's ``IMPACT`` column of
the same Ensembl table (as of release 110, which raised ``feature_elongation`` and
``feature_truncation`` from MODIFIER to HIGH: Ensembl/ensembl-variation#928), SnpEff's
"Putative impact" for its own terms, and HIGH for the MAF reader's ``splice_site_variant``.
:func:`term_impact` is the impact of a consequence's most severe term, as VEP's ``IMPACT`` is
that of the annotation's most severe consequence. The VCF reader uses it only where the file
gives no impact (:mod:`medtwin.loaders.patient_vcf`, "Impact"); the biomarker chains name it
(:func:`medtwin.platform.biomarkers.impact_of`). The order is VEP's own, so it falls by impact
with one exception that VEP's table has too: ``regulatory_region_ablation`` (MODERATE) ranks
below MODIFIER terms (``tests/unit/patient/test_consequence_impact.py`` checks both).

**One SnpEff effect in two terms.** SnpEff writes a deleted exon of the 5' or 3' UTR
(``UTR_5_DELETED``, ``UTR_3_DELETED``, MODERATE) as ``5_prime_UTR_truncation&exon_loss_variant``:
the ``exon_loss_variant`` there names the UTR exon, not a coding one, so the truncation is the
term that counts (the protein may be intact; ``tests/unit/twin/test_structural_loss.py``).
"""

from __future__ import annotations

__all__ = [
    "CONSEQUENCES",
    "IMPACTS",
    "SEVERITY",
    "consequence_rank",
    "consequence_terms",
    "most_severe_term",
    "term_impact",
]

CONSEQUENCES = (
    # SnpEff's CHROMOSOME_LARGE_DELETION
    ("chromosome_number_variation", "HIGH"),
    ("transcript_ablation", "HIGH"),
    ("exon_loss_variant", "HIGH"),  # SnpEff's EXON_DELETED (MODERATE within a UTR: see above)
    ("feature_ablation", "HIGH"),  # SnpEff's GENE_DELETED
    ("splice_acceptor_variant", "HIGH"),
    ("splice_donor_variant", "HIGH"),
    ("stop_gained", "HIGH"),
    ("frameshift_variant", "HIGH"),
    ("stop_lost", "HIGH"),
    ("start_lost", "HIGH"),
    ("rare_amino_acid_variant", "HIGH"),  # SnpEff
    ("transcript_amplification", "HIGH"),
    ("gene_fusion", "HIGH"),  # SnpEff
    ("bidirectional_gene_fusion", "HIGH"),  # SnpEff
    ("feature_elongation", "HIGH"),  # MODIFIER before VEP 110
    ("feature_truncation", "HIGH"),  # MODIFIER before VEP 110
    ("5_prime_UTR_truncation", "MODERATE"),  # SnpEff's UTR_5_DELETED
    ("3_prime_UTR_truncation", "MODERATE"),  # SnpEff's UTR_3_DELETED
    ("inframe_insertion", "MODERATE"),
    ("disruptive_inframe_insertion", "MODERATE"),  # SnpEff
    ("conservative_inframe_insertion", "MODERATE"),  # SnpEff
    ("inframe_deletion", "MODERATE"),
    ("disruptive_inframe_deletion", "MODERATE"),  # SnpEff
    ("conservative_inframe_deletion", "MODERATE"),  # SnpEff
    ("missense_variant", "MODERATE"),
    ("protein_altering_variant", "MODERATE"),
    # the MAF reader's Splice_Site: vcf2maf writes it for splice_acceptor/donor_variant (HIGH);
    # ranked here since before the table (its place decides nothing in a MAF: one term a row)
    ("splice_site_variant", "HIGH"),
    ("splice_donor_5th_base_variant", "LOW"),
    ("splice_region_variant", "LOW"),
    ("splice_donor_region_variant", "LOW"),
    ("splice_polypyrimidine_tract_variant", "LOW"),
    ("incomplete_terminal_codon_variant", "LOW"),
    ("start_retained_variant", "LOW"),
    ("stop_retained_variant", "LOW"),
    ("synonymous_variant", "LOW"),
    ("coding_sequence_variant", "MODIFIER"),
    ("mature_miRNA_variant", "MODIFIER"),
    ("5_prime_UTR_variant", "MODIFIER"),
    ("3_prime_UTR_variant", "MODIFIER"),
    ("non_coding_transcript_exon_variant", "MODIFIER"),
    ("intron_variant", "MODIFIER"),
    ("NMD_transcript_variant", "MODIFIER"),
    ("non_coding_transcript_variant", "MODIFIER"),
    ("coding_transcript_variant", "MODIFIER"),
    ("upstream_gene_variant", "MODIFIER"),
    ("downstream_gene_variant", "MODIFIER"),
    ("TFBS_ablation", "MODIFIER"),
    ("TFBS_amplification", "MODIFIER"),
    ("TF_binding_site_variant", "MODIFIER"),
    ("regulatory_region_ablation", "MODERATE"),  # so in VEP's table, below MODIFIER terms
    ("regulatory_region_amplification", "MODIFIER"),
    ("regulatory_region_variant", "MODIFIER"),
    ("intergenic_variant", "MODIFIER"),
    ("sequence_variant", "MODIFIER"),
)
"""(term, impact) of each consequence term, most severe first: the one table (module docstring)."""

IMPACTS = ("HIGH", "MODERATE", "LOW", "MODIFIER")
"""The putative impacts of VEP and SnpEff, most severe first."""

SEVERITY = tuple(term for term, _ in CONSEQUENCES)
"""Consequence terms, most severe first (module docstring)."""

_RANK = {term.lower(): i for i, term in enumerate(SEVERITY)}
_IMPACT = {term.lower(): impact for term, impact in CONSEQUENCES}
_UTR_TRUNCATIONS = frozenset({"5_prime_utr_truncation", "3_prime_utr_truncation"})


def consequence_terms(consequence: str | None) -> tuple[str, ...]:
    """The terms that count of a consequence, as written (module docstring).

    Examples
    --------
    >>> consequence_terms("stop_gained&splice_region_variant")
    ('stop_gained', 'splice_region_variant')
    >>> consequence_terms("5_prime_UTR_truncation&exon_loss_variant")
    ('5_prime_UTR_truncation',)
    >>> consequence_terms(None), consequence_terms("Amp8")
    ((), ('Amp8',))
    """
    terms = tuple(t.strip() for t in (consequence or "").split("&") if t.strip())
    if any(t.lower() in _UTR_TRUNCATIONS for t in terms):
        terms = tuple(t for t in terms if t.lower() != "exon_loss_variant")
    return terms


def _rank(term: str) -> int:
    return _RANK.get(term.lower(), len(SEVERITY))


def most_severe_term(consequence: str | None) -> str:
    """The most severe term of a consequence (``""`` for none; module docstring).

    A ``--mutations`` category (``Amp8``, ``MutNovel``) is one term and comes back as given.

    Examples
    --------
    >>> most_severe_term("splice_region_variant&stop_gained")
    'stop_gained'
    >>> most_severe_term("frameshift_variant&stop_lost"), most_severe_term("stop_lost")
    ('frameshift_variant', 'stop_lost')
    >>> most_severe_term("5_prime_UTR_truncation&exon_loss_variant")
    '5_prime_UTR_truncation'
    >>> most_severe_term("MutKnownFunctional"), most_severe_term(None)
    ('MutKnownFunctional', '')
    """
    terms = consequence_terms(consequence)
    return min(terms, key=_rank) if terms else ""


def consequence_rank(consequence: str | None) -> int:
    """The rank in :data:`SEVERITY` of the most severe term (0 = most severe; unknown: last).

    Examples
    --------
    >>> consequence_rank("stop_gained&splice_region_variant") < consequence_rank("missense_variant")
    True
    >>> consequence_rank("something_else") == consequence_rank(None) == len(SEVERITY)
    True
    """
    return _rank(most_severe_term(consequence))


def term_impact(consequence: str | None) -> str | None:
    """The impact of a consequence's most severe term in :data:`CONSEQUENCES` (None: unlisted).

    Examples
    --------
    >>> term_impact("missense_variant&splice_region_variant"), term_impact("intron_variant")
    ('MODERATE', 'MODIFIER')
    >>> term_impact("5_prime_UTR_truncation&exon_loss_variant"), term_impact("Amp8")
    ('MODERATE', None)
    """
    return _IMPACT.get(most_severe_term(consequence).lower())
