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
