"""Consequence impacts: the one table vs Ensembl's, and the VCF reader's impact rule on VCF lines.

The oracle is Ensembl's "Calculated variant consequences" table
(https://www.ensembl.org/info/genome/variation/prediction/predicted_data.html, release 110 on:
``feature_elongation`` and ``feature_truncation`` HIGH, Ensembl/ensembl-variation#928), written
out below by hand, apart from the code's table, in the page's order.
"""

from __future__ import annotations

import logging

import pytest

from medtwin.loaders.consequences import CONSEQUENCES, IMPACTS, SEVERITY, term_impact
from medtwin.loaders.patient_mutations import MAF_CONSEQUENCES
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.biomarkers import impact_of
from tests.unit.patient.conftest import FakeGenes

ENSEMBL_TABLE = """
transcript_ablation HIGH
splice_acceptor_variant HIGH
splice_donor_variant HIGH
stop_gained HIGH
frameshift_variant HIGH
stop_lost HIGH
start_lost HIGH
transcript_amplification HIGH
feature_elongation HIGH
feature_truncation HIGH
inframe_insertion MODERATE
inframe_deletion MODERATE
missense_variant MODERATE
protein_altering_variant MODERATE
splice_donor_5th_base_variant LOW
splice_region_variant LOW
splice_donor_region_variant LOW
splice_polypyrimidine_tract_variant LOW
incomplete_terminal_codon_variant LOW
start_retained_variant LOW
stop_retained_variant LOW
synonymous_variant LOW
coding_sequence_variant MODIFIER
mature_miRNA_variant MODIFIER
5_prime_UTR_variant MODIFIER
3_prime_UTR_variant MODIFIER
non_coding_transcript_exon_variant MODIFIER
intron_variant MODIFIER
NMD_transcript_variant MODIFIER
non_coding_transcript_variant MODIFIER
coding_transcript_variant MODIFIER
upstream_gene_variant MODIFIER
downstream_gene_variant MODIFIER
TFBS_ablation MODIFIER
TFBS_amplification MODIFIER
TF_binding_site_variant MODIFIER
regulatory_region_ablation MODERATE
regulatory_region_amplification MODIFIER
regulatory_region_variant MODIFIER
intergenic_variant MODIFIER
sequence_variant MODIFIER
"""
VEP = [tuple(line.split()) for line in ENSEMBL_TABLE.strip().splitlines()]

# SnpEff manual, "Effect prediction details" (putative impact of each SO term it writes)
SNPEFF = {
    "chromosome_number_variation": "HIGH",
    "exon_loss_variant": "HIGH",
    "feature_ablation": "HIGH",
    "rare_amino_acid_variant": "HIGH",
    "gene_fusion": "HIGH",
    "bidirectional_gene_fusion": "HIGH",
    "5_prime_UTR_truncation": "MODERATE",
    "3_prime_UTR_truncation": "MODERATE",
    "disruptive_inframe_insertion": "MODERATE",
    "conservative_inframe_insertion": "MODERATE",
    "disruptive_inframe_deletion": "MODERATE",
    "conservative_inframe_deletion": "MODERATE",
}


def test_every_vep_term_has_ensembl_impact_and_order():
    table = dict(CONSEQUENCES)
    assert {t: table.get(t) for t, _ in VEP} == dict(VEP)
    assert [t for t in SEVERITY if t in dict(VEP)] == [t for t, _ in VEP]


def test_snpeff_terms_have_snpeff_impact_and_every_term_is_rated_once():
    table = dict(CONSEQUENCES)
    assert {t: table.get(t) for t in SNPEFF} == SNPEFF
    assert len(table) == len(CONSEQUENCES)  # no term twice
    assert set(table.values()) == set(IMPACTS)
    # only SnpEff's, VEP's and the MAF reader's terms
    assert set(table) == set(dict(VEP)) | set(SNPEFF) | {"splice_site_variant"}


def test_order_falls_by_impact_but_for_vep_own_exceptions():
    """HIGH before MODERATE before LOW before MODIFIER, as in VEP's table, with its one
    exception (regulatory_region_ablation) and the MAF reader's Splice_Site, kept in place."""
    out_of_order, least = [], 0
    for term, impact in CONSEQUENCES:
        if IMPACTS.index(impact) < least:  # more severe than a term ranked above it
            out_of_order.append(term)
        least = max(least, IMPACTS.index(impact))
    assert out_of_order == ["splice_site_variant", "regulatory_region_ablation"]


def test_every_maf_class_read_is_one_the_vcf_reader_keeps_by_default():
    assert {term_impact(t) for t in MAF_CONSEQUENCES.values()} <= {"HIGH", "MODERATE"}


@pytest.mark.parametrize(
    ("consequence", "impact"),
    [
        ("gene_fusion", "HIGH"),  # before: HIGH/MODERATE (cut at transcript_amplification)
        ("feature_truncation", "HIGH"),
        ("splice_site_variant", "HIGH"),
        ("regulatory_region_ablation", "MODERATE"),
        ("synonymous_variant", "HIGH/MODERATE"),  # kept by a file's own impact only
    ],
)
def test_biomarker_impact_is_the_table_impact(consequence, impact):
    assert impact_of(consequence) == impact


GENES = FakeGenes({"TP53": "7157", "BRAF": "673", "KRAS": "3845", "NRAS": "4893", "PTEN": "5728"})
_CSQ = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
    'VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene">'
)
_CSQ_NO_IMPACT = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
    'VEP. Format: Allele|Consequence|SYMBOL|Gene">'
)


def _read(tmp_path, header: str, csqs: list[str]):
    records = [
        f"1\t{100 + i}\tv{i}\tG\tA\t60\tPASS\tCSQ={csq}\tGT\t0/1" for i, csq in enumerate(csqs)
    ]
    path = tmp_path / "p.vcf"
    columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1"
    path.write_text("\n".join(["##fileformat=VCFv4.2", header, columns, *records]) + "\n")
    return [(c.symbol, c.consequence) for c in read_vcf(path, "P1", GENES).changes]


def test_an_annotation_without_impact_is_rated_by_its_consequence(tmp_path):
    # before: an empty IMPACT was no impact, and the stop_gained was dropped with the intron
    got = _read(
        tmp_path,
        _CSQ,
        [
            "A|stop_gained||TP53|E",
            "A|intron_variant||BRAF|E",
            "A|missense_variant&splice_region_variant|?|KRAS|E",  # not an impact word
            "A|made_up_term||NRAS|E",  # no impact at all: not kept
        ],
    )
    assert got == [("TP53", "stop_gained"), ("KRAS", "missense_variant&splice_region_variant")]


def test_a_csq_format_without_impact_is_read_by_the_table(tmp_path):
    # before: refused ("the CSQ format lacks one of Annotation_Impact, IMPACT")
    got = _read(
        tmp_path, _CSQ_NO_IMPACT, ["A|frameshift_variant|PTEN|E", "A|synonymous_variant|BRAF|E"]
    )
    assert got == [("PTEN", "frameshift_variant")]


def test_the_file_impact_wins_over_the_table_and_is_counted(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="medtwin.loaders.patient_vcf")
    got = _read(
        tmp_path,
        _CSQ,
        [
            "A|feature_truncation|MODIFIER|TP53|E",  # VEP before 110: not kept
            "A|feature_truncation|HIGH|BRAF|E",  # VEP 110 on
            "A|5_prime_UTR_truncation&exon_loss_variant|MODERATE|KRAS|E",  # SnpEff's UTR exon
            "A|splice_region_variant|moderate|NRAS|E",  # SnpEff rates some MODERATE
        ],
    )
    assert got == [
        ("BRAF", "feature_truncation"),
        ("KRAS", "5_prime_UTR_truncation&exon_loss_variant"),
        ("NRAS", "splice_region_variant"),
    ]
    line = next(r.getMessage() for r in caplog.records if "gene variant(s) kept" in r.getMessage())
    assert "0 annotation(s) without an impact" in line
    assert "2 rated otherwise by the file than by the table" in line
