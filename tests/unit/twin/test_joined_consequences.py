"""A consequence of several ``&``-joined terms counts by its most severe, from every reader.

Until twin and ranking rules 3 the driver sign compared VEP's and SnpEff's joined terms whole:
``stop_gained&splice_region_variant`` (a nonsense variant at an exon edge) and
``splice_acceptor_variant&intron_variant`` were +1/2 changes of unknown direction, not losses,
and the VCF reader kept a gene's first transcript annotation, so a ``missense_variant`` listed
before another transcript's ``stop_gained`` hid the loss. Hand-made SnpEff and VEP VCFs and a
``--variants`` table; weights by hand (-1 a loss, +1/2 another coding change).
"""

from __future__ import annotations

import pytest

from medtwin.loaders.consequences import most_severe_term
from medtwin.loaders.patient_tables import read_variants
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.biomarkers import impact_of
from medtwin.platform.gene_evidence import driver_calls, driver_evidence
from tests.unit.patient.conftest import FakeGenes

IDS = {"TP53": "7157", "PTEN": "5728", "RB1": "5925", "KRAS": "3845", "BRAF": "673"}
GENES = FakeGenes(IDS)
SYMBOLS = {v: k for k, v in IDS.items()}
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR"
ANN = (
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
    "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID' \">"
)
CSQ = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
    'VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature">'
)
JOINED = {  # gene: (consequence, impact, weight)
    "TP53": ("stop_gained&splice_region_variant", "HIGH", -1.0),
    "PTEN": ("splice_acceptor_variant&intron_variant", "HIGH", -1.0),
    "RB1": ("frameshift_variant&stop_lost", "HIGH", -1.0),
    "BRAF": ("missense_variant&splice_region_variant", "MODERATE", 0.5),
    # SnpEff's deleted UTR exon: the protein may be intact, no loss (rules 2's rule kept)
    "KRAS": ("5_prime_UTR_truncation&exon_loss_variant", "MODERATE", 0.5),
}


def _vcf(path, header: str, entries: list[str]):
    records = [
        f"chr1\t{1000 + i}\tv{i}\tC\tT\t99\tPASS\t{entry}\tGT\t0/1"
        for i, entry in enumerate(entries)
    ]
    path.write_text("\n".join(["##fileformat=VCFv4.2", header, COLUMNS, *records]) + "\n")
    return path


def _named(changes) -> dict[str, float]:
    return {SYMBOLS[g]: w for g, w in driver_evidence(changes).items()}


EXPECTED = {gene: weight for gene, (_, _, weight) in JOINED.items()}


def test_snpeff_joined_terms_count_by_their_most_severe(tmp_path):
    path = _vcf(
        tmp_path / "snpeff.vcf",
        ANN,
        [f"ANN=T|{c}|{i}|{g}|ENSG|transcript|ENST" for g, (c, i, _) in JOINED.items()],
    )
    changes = read_vcf(path, "P1", GENES).changes
    # before: every one of them 0.5
    assert _named(changes) == EXPECTED
    # the call is named as the annotator wrote it
    assert {SYMBOLS[g]: c for g, c in driver_calls(changes).items()} == {
        g: c for g, (c, _, _) in JOINED.items()
    }


def test_vep_joined_terms_count_by_their_most_severe(tmp_path):
    path = _vcf(
        tmp_path / "vep.vcf",
        CSQ,
        [f"CSQ=T|{c}|{i}|{g}|ENSG|ENST" for g, (c, i, _) in JOINED.items()],
    )
    assert _named(read_vcf(path, "P1", GENES).changes) == EXPECTED  # before: all 0.5


def test_a_variants_table_joined_term_counts_the_same(tmp_path):
    path = tmp_path / "variants.tsv"
    path.write_text(
        "gene\tvariant_id\tconsequence\n"
        + "".join(f"{g}\tv{i}\t{c}\n" for i, (g, (c, _, _)) in enumerate(JOINED.items()))
    )
    assert _named(read_variants(path, "P1", GENES).changes) == EXPECTED  # before: all 0.5


def test_a_gene_keeps_its_most_severe_transcript_annotation(tmp_path):
    """VEP lists one annotation per transcript, in transcript order."""
    path = _vcf(
        tmp_path / "vep_transcripts.vcf",
        CSQ,
        [
            "CSQ=T|missense_variant|MODERATE|TP53|ENSG|ENST1,"
            "T|stop_gained&NMD_transcript_variant|HIGH|TP53|ENSG|ENST2,"
            "T|missense_variant|MODERATE|TP53|ENSG|ENST3"
        ],
    )
    changes = read_vcf(path, "P1", GENES).changes
    assert [c.consequence for c in changes] == ["stop_gained&NMD_transcript_variant"]
    assert _named(changes) == {"TP53": -1.0}  # before: missense_variant, 0.5


@pytest.mark.parametrize(
    ("consequence", "term", "impact"),
    [
        ("splice_region_variant&stop_gained", "stop_gained", "HIGH"),
        ("stop_lost&start_lost", "stop_lost", "HIGH"),
        ("5_prime_UTR_truncation&exon_loss_variant", "5_prime_UTR_truncation", "MODERATE"),
        ("3_prime_UTR_truncation&exon_loss_variant", "3_prime_UTR_truncation", "MODERATE"),
        ("exon_loss_variant", "exon_loss_variant", "HIGH"),
        ("unheard_of&missense_variant", "missense_variant", "MODERATE"),
    ],
)
def test_one_rule_for_the_drivers_and_the_biomarker_impact(consequence, term, impact):
    assert most_severe_term(consequence) == term
    assert impact_of(consequence) == impact
