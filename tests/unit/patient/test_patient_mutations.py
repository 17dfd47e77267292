"""`patient add --mutations`: the mutation / copy-number reader (hand-made sample)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_mutations import CATEGORY_EVIDENCE, read_mutations
from medtwin.platform.gene_evidence import change_evidence
from tests.unit.patient.conftest import FakeGenes

_SYMBOLS = {
    "TP53": "7157",
    "ERBB2": "2064",
    "CDKN2A": "1029",
    "PIK3CA": "5290",
    "TTN": "7273",
    "MYC": "4609",
    "KRAS": "3845",
}


@pytest.fixture
def genes() -> FakeGenes:
    return FakeGenes(_SYMBOLS)


def test_mutations_rows_categories_unmapped(data, genes) -> None:
    profile = read_mutations(data / "mutations_X-9001.tsv", "X-9001", genes)
    rows = [(c.entrez, c.consequence, c.layer, c.log2fc, c.variant_id) for c in profile.changes]
    assert rows == [
        ("7157", "MutKnownFunctional", "variant", 0.0, "TP53:MutKnownFunctional"),
        ("2064", "Amp8", "variant", 0.0, "ERBB2:Amp8"),
        ("1029", "Del0.8", "variant", 0.0, "CDKN2A:Del0.8"),
        ("5290", "MutLikelyFunctional", "variant", 0.0, "PIK3CA:MutLikelyFunctional"),
        ("7273", "MutNovel", "variant", 0.0, "TTN:MutNovel"),
        ("4609", "Amp5", "variant", 0.0, "MYC:Amp5"),
    ]  # the repeated TP53 row is kept once; the category case is normalised
    assert profile.unmapped == ("NOTAGENE",)
    assert "mutations_X-9001.tsv" in profile.input_checksums


def test_mutation_evidence_weights_reach_the_twin(data, genes) -> None:
    profile = read_mutations(data / "mutations_X-9001.tsv", "X-9001", genes)
    weights = {c.consequence: change_evidence(c) for c in profile.changes}
    assert weights == {
        "MutKnownFunctional": 3.0,
        "Amp8": 3.0,
        "Del0.8": 3.0,
        "MutLikelyFunctional": 2.0,
        "MutNovel": 1.0,
        "Amp5": 2.0,
    }
    assert set(weights) == set(CATEGORY_EVIDENCE)


def test_unknown_category_names_line_and_value(tmp_path: Path, genes) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("gene\tcategory\nTP53\tMutNovel\nKRAS\tAmp3\n")
    with pytest.raises(
        SourceFormatError, match=r"unknown category 'Amp3'.*MutKnownFunctional"
    ) as e:
        read_mutations(path, "P1", genes)
    assert e.value.line == 3


def test_missing_category_column(tmp_path: Path, genes) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("gene\tconsequence\nTP53\tMutNovel\n")
    with pytest.raises(SourceFormatError, match="category"):
        read_mutations(path, "P1", genes)


def test_a_file_of_another_sample_is_refused(tmp_path: Path, genes) -> None:
    # sweep reproducer mut_model_mismatch.tsv: X-9999's calls were added to any patient
    path = tmp_path / "m.tsv"
    path.write_text("model\tgene\tcategory\nX-9999\tTP53\tMutKnownFunctional\nX-9999\tKRAS\tAmp5\n")
    with pytest.raises(SourceFormatError, match="another patient's file") as e:
        read_mutations(path, "X-1", genes)
    assert "'model' column names 'X-9999' (2 row(s)), not patient 'X-1'" in str(e.value)
    assert "patient add <id> --mutations m.tsv" in str(e.value)
    assert len(read_mutations(path, "X-9999", genes).changes) == 2


def test_a_cohort_file_gives_the_patients_rows_only(tmp_path: Path, genes, caplog) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("model\tgene\tcategory\nX-1\tTP53\tMutNovel\nX-2\tKRAS\tAmp5\nX-2\tMYC\tAmp8\n")
    profile = read_mutations(path, "X-1", genes)
    assert [(c.symbol, c.consequence) for c in profile.changes] == [("TP53", "MutNovel")]
    assert "took the rows of patient 'X-1'; left out 2 row(s) of 1 other sample(s)" in caplog.text
    assert [c.symbol for c in read_mutations(path, "X-2", genes).changes] == ["KRAS", "MYC"]


def test_an_empty_sample_cell_names_its_line(tmp_path: Path, genes) -> None:
    # sweep reproducer mut_empty_model_first.tsv: the first row's empty model was accepted
    path = tmp_path / "m.tsv"
    path.write_text("model\tgene\tcategory\n\tTP53\tMutNovel\nX-1\tKRAS\tAmp5\n")
    with pytest.raises(SourceFormatError, match="empty 'model' for gene 'TP53'") as e:
        read_mutations(path, "X-1", genes)
    assert e.value.line == 2


def test_empty_gene_names_line(tmp_path: Path, genes) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("gene\tcategory\n\tAmp5\n")
    with pytest.raises(SourceFormatError, match="empty gene") as e:
        read_mutations(path, "P1", genes)
    assert e.value.line == 2


_MAF = (
    "#version 2.4\n"
    "Hugo_Symbol\tEntrez_Gene_Id\tChromosome\tStart_Position\tVariant_Classification\t"
    "Reference_Allele\tTumor_Seq_Allele2\tTumor_Sample_Barcode\tHGVSp_Short\n"
    "TP53\t7157\t17\t7577120\tMissense_Mutation\tC\tT\tTCGA-01\tp.R273H\n"
    "KRAS\t3845\t12\t25398284\tMissense_Mutation\tC\tA\tTCGA-01\t\n"
    "PIK3CA\t5290\t3\t178936091\tSilent\tG\tA\tTCGA-01\tp.E545=\n"
    "MYC\t4609\t8\t128750500\tIntron\tG\tA\tTCGA-01\t\n"
    "ERBB2\t2064\t17\t37880000\tNonsense_Mutation\tC\tT\tTCGA-02\tp.Q100*\n"
    "CDKN2A\t1029\t9\t21971000\tFrame_Shift_Del\tCA\tC\tTCGA-01\tp.A10fs\n"
)


def test_maf_rows_are_read_as_vcf_variants_of_the_patients_sample(
    tmp_path: Path, genes, caplog
) -> None:
    # sweep reproducer mut_maf_like.tsv: "no 'gene' column" though Hugo_Symbol was there
    path = tmp_path / "p.maf"
    path.write_text(_MAF)
    with caplog.at_level("INFO"):
        profile = read_mutations(path, "TCGA-01", genes)
    assert [(c.symbol, c.variant_id, c.consequence) for c in profile.changes] == [
        ("TP53", "TP53:p.R273H", "missense_variant"),
        ("KRAS", "12:25398284:C:A", "missense_variant"),  # no HGVSp_Short: the site
        ("CDKN2A", "CDKN2A:p.A10fs", "frameshift_variant"),
    ]
    assert "left out 2 MAF row(s) that do not alter the protein: Intron 1, Silent 1" in caplog.text
    assert "left out 1 row(s) of 1 other sample(s) in column 'Tumor_Sample_Barcode'" in caplog.text
    weights = {c.symbol: change_evidence(c) for c in profile.changes}
    assert weights == {"TP53": 3.0, "KRAS": 3.0, "CDKN2A": 3.0}  # as a --vcf variant


def test_maf_unknown_class_names_line_and_value(tmp_path: Path, genes) -> None:
    path = tmp_path / "p.maf"
    path.write_text("Hugo_Symbol\tVariant_Classification\nTP53\tMissense\n")
    with pytest.raises(SourceFormatError, match="unknown Variant_Classification 'Missense'") as e:
        read_mutations(path, "P1", genes)
    assert e.value.line == 2
