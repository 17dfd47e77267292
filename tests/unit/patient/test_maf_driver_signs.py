"""docs/patients.md's MAF table says what each ``Variant_Classification`` becomes; the code agrees.

Until stop 48 the README listed ``Nonstop_Mutation`` → ``stop_lost`` among the losses while the
code scored it +1/2 (a coding change whose direction the call does not give). The code was right
(a stop-lost extends the protein, SO:0001578; ``gene_evidence.LOSS`` gives the sources); the
README now has a table, and this test reads a one-row MAF per row of it and checks the
consequence and the driver sign the table names.
"""

from __future__ import annotations

import re

import pytest

from medtwin.loaders.patient_mutations import MAF_CONSEQUENCES, read_mutations
from medtwin.loaders.patient_tables import read_variants
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.gene_evidence import driver_calls, driver_evidence
from tests.docs_pages import page
from tests.unit.patient.conftest import FakeGenes

SIGNS = {"loss (−1)": -1.0, "direction not given (+½)": 0.5}


def _maf_table() -> list[tuple[str, str, float]]:
    """(class, consequence, driver weight) per class of the MAF table (docs/patients.md)."""
    text = page("docs/patients.md")
    start = text.index("| MAF `Variant_Classification` | read as | driver |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        classes, consequences, sign = (cell.strip() for cell in line.strip("|").split("|"))
        names = re.findall(r"`([^`]+)`", classes)
        terms = re.findall(r"`([^`]+)`", consequences)
        terms = terms * len(names) if len(terms) == 1 else terms
        rows += [(n, t, SIGNS[sign]) for n, t in zip(names, terms, strict=True)]
    return rows


def test_the_table_names_every_protein_altering_class_once() -> None:
    assert sorted(c.lower() for c, _, _ in _maf_table()) == sorted(MAF_CONSEQUENCES)


@pytest.mark.parametrize(("maf_class", "consequence", "weight"), _maf_table())
def test_each_maf_class_reads_as_the_readme_says(tmp_path, maf_class, consequence, weight) -> None:
    path = tmp_path / "p1.maf"
    path.write_text(
        "Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short\n"
        f"TP53\t{maf_class}\tP1\tp.X1Y\n"
    )
    changes = read_mutations(path, "P1", FakeGenes({"TP53": "7157"})).changes
    assert driver_calls(changes) == {"7157": consequence}
    assert driver_evidence(changes) == {"7157": weight}


def test_a_stop_lost_is_not_a_loss_from_any_reader(tmp_path) -> None:
    """A VEP's, an SnpEff's and a variants table's stop_lost alike: +1/2 (the MAF's: above)."""
    vcf = tmp_path / "p1.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n"
        '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
        'Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
        "17\t7669609\tv1\tT\tC\t99\tPASS\tCSQ=C|stop_lost|HIGH|TP53|ENSG00000141510\tGT\t0/1\n"
    )
    snpeff = tmp_path / "p1_snpeff.vcf"
    snpeff.write_text(
        "##fileformat=VCFv4.2\n"
        "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
        "Annotation | Annotation_Impact | Gene_Name | Gene_ID' \">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
        "17\t7669609\tv1\tT\tC\t99\tPASS\tANN=C|stop_lost|HIGH|TP53|ENSG00000141510\tGT\t0/1\n"
    )
    table = tmp_path / "p1_variants.tsv"
    table.write_text("gene\tvariant_id\tconsequence\nTP53\tv1\tstop_lost\n")
    genes = FakeGenes({"TP53": "7157"})
    for changes in (
        read_vcf(vcf, "P1", genes).changes,
        read_vcf(snpeff, "P1", genes).changes,
        read_variants(table, "P1", genes).changes,
    ):
        assert driver_evidence(changes) == {"7157": 0.5}
