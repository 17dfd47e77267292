from __future__ import annotations

import gzip
import shutil

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_vcf import read_vcf
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes(
    {"PTPN22": "26191", "TNFAIP3": "7128", "STAT4": "6775", "TNF": "7124", "IL6": "3569"}
)


def test_snpeff_ann_keeps_protein_altering_variants_the_sample_carries(data):
    p = read_vcf(data / "variants_P001.vcf", "P001", GENES)
    got = {(c.entrez, c.variant_id, c.consequence) for c in p.changes}
    assert got == {
        ("26191", "rs2476601", "missense_variant"),
        ("7128", "6:138227018:C:T", "stop_gained"),  # no ID: chrom:pos:ref:alt
    }
    # STAT4 intron (MODIFIER), TNF (FILTER LowQual), IL6 (GT 0/0) are not kept;
    # NOTAGENE is HIGH impact but does not resolve: reported, never silently dropped.
    assert p.unmapped == ("NOTAGENE",)
    assert all(c.layer == "variant" and c.log2fc == 0.0 for c in p.changes)
    assert "variants_P001.vcf" in p.input_checksums


def test_impacts_are_configurable(data):
    p = read_vcf(data / "variants_P001.vcf", "P001", GENES, impacts=("MODIFIER",))
    assert {c.entrez for c in p.changes} == {"6775"}


def test_vep_csq_without_samples(data):
    p = read_vcf(data / "variants_vep.vcf", "P2", GENES)
    assert [(c.entrez, c.consequence) for c in p.changes] == [("26191", "missense_variant")]


def test_gzip_input(data, tmp_path):
    gz = tmp_path / "v.vcf.gz"
    with (data / "variants_P001.vcf").open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert len(read_vcf(gz, "P001", GENES).changes) == 2


def test_malformed_pos_names_line(data):
    with pytest.raises(SourceFormatError, match=r"variants_malformed.vcf:4: POS must be"):
        read_vcf(data / "variants_malformed.vcf", "P1", GENES)


def test_unannotated_vcf_says_how_to_fix(data):
    with pytest.raises(SourceFormatError, match="annotate the VCF with SnpEff or Ensembl VEP"):
        read_vcf(data / "variants_unannotated.vcf", "P1", GENES)


def test_unknown_sample(data):
    with pytest.raises(SourceFormatError, match="sample 'P9' not in the VCF"):
        read_vcf(data / "variants_P001.vcf", "P1", GENES, sample="P9")


def test_several_samples_and_none_named_is_refused(data, tmp_path):
    """Every record's variants were the patient's, carried by one of the samples or by none."""
    lines = (data / "variants_P001.vcf").read_text().splitlines()
    two = tmp_path / "two.vcf"
    two.write_text(
        "\n".join(
            line if line.startswith("##") else f"{line}\t{'P002' if line[0] == '#' else '0/0'}"
            for line in lines
        )
        + "\n"
    )
    with pytest.raises(SourceFormatError, match=r"two.vcf:4: 2 samples and none chosen") as err:
        read_vcf(two, "P1", GENES)
    assert "--vcf-sample" in str(err.value)
    assert "'P001', 'P002'" in str(err.value)
    assert len(read_vcf(two, "P1", GENES, sample="P001").changes) == 2
    assert read_vcf(two, "P1", GENES, sample="P002").changes == ()


def test_a_sample_named_by_two_columns_is_refused_naming_them(data, tmp_path):
    """Two columns named P001: the genotype read was the first's, whichever was the patient's."""
    lines = (data / "variants_P001.vcf").read_text().splitlines()
    twice = tmp_path / "twice.vcf"
    twice.write_text(
        "\n".join(
            line if line.startswith("##") else f"{line}\t{'P001' if line[0] == '#' else '0/0'}"
            for line in lines
        )
        + "\n"
    )
    with pytest.raises(SourceFormatError) as err:
        read_vcf(twice, "P1", GENES, sample="P001")
    message = str(err.value)
    assert "twice.vcf:4: sample 'P001' names 2 columns of the #CHROM line (columns 10, 11)" in (
        message
    )
    assert "bcftools reheader" in message
    assert "\n" not in message


_ANN = (
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
    "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
    "Transcript_BioType | Rank | HGVS.c | HGVS.p' \">"
)
_CSQ = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
    'VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|ALLELE_NUM">'
)
MULTI = FakeGenes({"TP53": "7157", "BRAF": "673", "KRAS": "3845", "NRAS": "4893", "BRCA2": "675"})


def _vcf(tmp_path, header: str, records: list[str], samples: str = "TUMOR\tNORMAL"):
    path = tmp_path / "m.vcf"
    columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + (
        f"\tFORMAT\t{samples}" * bool(samples)
    )
    path.write_text("\n".join(["##fileformat=VCFv4.2", header, columns, *records]) + "\n")
    return path


def _ann(allele: str, consequence: str, impact: str, gene: str) -> str:
    return f"{allele}|{consequence}|{impact}|{gene}|ENSG|transcript|ENST|protein_coding|1/2|c.|p."


def test_multi_allelic_records_keep_the_annotations_of_the_alleles_the_sample_carries(tmp_path):
    # sweep reproducer vcf_multisample.vcf --vcf-sample TUMOR: BRAF's T missense (sample 0/2
    # carries G) and NRAS's T stop_gained (sample 0/1 carries A) were stored
    braf = ",".join(
        [
            _ann("T", "missense_variant", "MODERATE", "BRAF"),
            _ann("G", "stop_gained", "HIGH", "BRAF"),
        ]
    )
    kras = ",".join(
        [
            _ann("A", "missense_variant", "MODERATE", "KRAS"),
            _ann("T", "stop_gained", "HIGH", "NRAS"),
        ]
    )
    path = _vcf(
        tmp_path,
        _ANN,
        [
            f"7\t140453136\t.\tA\tT,G\t60\tPASS\tANN={braf}\tGT\t0/2\t0/0",
            f"12\t25398284\t.\tC\tA,T\t60\tPASS\tANN={kras}\tGT\t0/1\t0/0",
        ],
    )
    tumour = read_vcf(path, "P1", MULTI, sample="TUMOR")
    assert [(c.symbol, c.variant_id, c.consequence) for c in tumour.changes] == [
        ("BRAF", "7:140453136:A:G", "stop_gained"),
        ("KRAS", "12:25398284:C:A", "missense_variant"),
    ]
    assert read_vcf(path, "P1", MULTI, sample="NORMAL").changes == ()


def test_vep_alleles_are_matched_in_their_trimmed_form_or_by_allele_num(tmp_path):
    records = [
        # insertion T>TA,TAA: VEP writes the inserted bases "A", "AA"; the sample holds TAA
        "13\t32914438\t.\tT\tTA,TAA\t60\tPASS\t"
        "CSQ=A|frameshift_variant|HIGH|BRCA2|E|,AA|inframe_insertion|MODERATE|TP53|E|\tGT\t0/2",
        # ALLELE_NUM says which ALT, whatever the Allele field reads
        "7\t1\t.\tA\tT,G\t60\tPASS\tCSQ=X|missense_variant|MODERATE|BRAF|E|2\tGT\t0/2",
        "7\t2\t.\tA\tT,G\t60\tPASS\tCSQ=X|missense_variant|MODERATE|KRAS|E|1\tGT\t0/2",
        # a multi-allelic annotation naming no ALT of the record: which allele is unknown
        "7\t3\t.\tA\tT,G\t60\tPASS\tCSQ=C|missense_variant|MODERATE|NRAS|E|\tGT\t1/2",
    ]
    p = read_vcf(_vcf(tmp_path, _CSQ, records, samples="S1"), "P1", MULTI)
    assert [(c.symbol, c.variant_id) for c in p.changes] == [
        ("TP53", "13:32914438:T:TAA"),
        ("BRAF", "7:1:A:G"),
    ]


def test_single_alt_records_keep_every_annotation_as_before(tmp_path):
    # one ALT: the annotation is that allele's even if its Allele field is spelt otherwise
    record = "1\t5\trs1\tG\tA\t60\tPASS\tCSQ=-|missense_variant|MODERATE|TP53|E|\tGT\t0/1"
    p = read_vcf(_vcf(tmp_path, _CSQ, [record], samples="S1"), "P1", MULTI)
    assert [(c.symbol, c.variant_id) for c in p.changes] == [("TP53", "rs1")]


def test_snpeff_multi_gene_names_give_each_gene_the_change(tmp_path):
    # sweep reproducer vcf_sv_grch38.vcf: 'CDKN2A&CDKN2B' and 'BCR&ABL1' did not resolve, so a
    # homozygous CDKN2A deletion was lost
    genes = FakeGenes({"CDKN2A": "1029", "CDKN2B": "1030", "BCR": "613", "ABL1": "25"})
    records = [
        "chr9\t21967752\tsv1\tN\t<DEL>\t99\tPASS\tSVTYPE=DEL;ANN="
        + _ann("<DEL>", "exon_loss_variant", "HIGH", "CDKN2A&CDKN2B")
        + "\tGT\t1/1",
        "chr22\t23180000\tsv2\tN\tN[chr9:133590000[\t99\tPASS\tSVTYPE=BND;ANN="
        + _ann("N[chr9:133590000[", "gene_fusion", "HIGH", "BCR&ABL1&NOTAGENE")
        + "\tGT\t0/1",
    ]
    p = read_vcf(_vcf(tmp_path, _ANN, records, samples="P1"), "P1", genes)
    assert [(c.symbol, c.variant_id, c.consequence) for c in p.changes] == [
        ("CDKN2A", "sv1", "exon_loss_variant"),
        ("CDKN2B", "sv1", "exon_loss_variant"),
        ("BCR", "sv2", "gene_fusion"),
        ("ABL1", "sv2", "gene_fusion"),
    ]
    assert p.unmapped == ("NOTAGENE",)
