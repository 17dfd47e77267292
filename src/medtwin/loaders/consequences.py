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

**One SnpEff effect in two terms.** SnpEff writes a deleted exon of the 5' or 3' UTR
(``UTR_5_DELETED``, ``UTR_3_DELETED``, MODERATE) as ``5_prime_UTR_truncation&exon_loss_variant``:
the ``exon_loss_variant`` there names the UTR exon, not a coding one, so the truncation is the
term that counts (the protein may be intact; ``tests/unit/twin/test_structural_loss.py``).
"""

from __future__ import annotations

__all__ = ["SEVERITY", "consequence_rank", "consequence_terms", "most_severe_term"]

SEVERITY = (
    "chromosome_number_variation",
    "transcript_ablation",
    "exon_loss_variant",
    "feature_ablation",
    "splice_acceptor_variant",
    "splice_donor_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "rare_amino_acid_variant",
    "transcript_amplification",
    "gene_fusion",
    "bidirectional_gene_fusion",
    "feature_elongation",
    "feature_truncation",
    "5_prime_UTR_truncation",
    "3_prime_UTR_truncation",
    "inframe_insertion",
    "disruptive_inframe_insertion",
    "conservative_inframe_insertion",
    "inframe_deletion",
    "disruptive_inframe_deletion",
    "conservative_inframe_deletion",
    "missense_variant",
    "protein_altering_variant",
    "splice_site_variant",
    "splice_donor_5th_base_variant",
    "splice_region_variant",
    "splice_donor_region_variant",
    "splice_polypyrimidine_tract_variant",
    "incomplete_terminal_codon_variant",
    "start_retained_variant",
    "stop_retained_variant",
    "synonymous_variant",
    "coding_sequence_variant",
    "mature_miRNA_variant",
    "5_prime_UTR_variant",
    "3_prime_UTR_variant",
    "non_coding_transcript_exon_variant",
    "intron_variant",
    "NMD_transcript_variant",
    "non_coding_transcript_variant",
    "coding_transcript_variant",
    "upstream_gene_variant",
    "downstream_gene_variant",
    "TFBS_ablation",
    "TFBS_amplification",
    "TF_binding_site_variant",
    "regulatory_region_ablation",
    "regulatory_region_amplification",
    "regulatory_region_variant",
    "intergenic_variant",
    "sequence_variant",
)
"""Consequence terms, most severe first (module docstring)."""

_RANK = {term.lower(): i for i, term in enumerate(SEVERITY)}
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
