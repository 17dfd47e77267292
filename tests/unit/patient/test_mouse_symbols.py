"""A file of mouse gene symbols (``Tnf``, ``Il6``, ``Cd4``) resolves, with one warning saying so.

Before, symbols matched in any case and such a file silently became the human genes of the same
names. It is still read (users paste mouse files on purpose), but each reader that resolves
symbols warns once when most of a file's resolved symbols are in mouse case.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from medtwin.loaders.patient_cohort import read_cohort_matrix
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_mutations import read_mutations
from medtwin.loaders.patient_tables import read_de_table, read_proteins
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.singlecell import read_h5ad
from tests.unit.patient.conftest import FakeGenes, two_type_h5ad

SAID = "medtwin maps genes to human genes by symbol"


@pytest.fixture
def genes() -> FakeGenes:
    return FakeGenes({"TNF": "7124", "IL6": "3569", "CD4": "920", "TP53": "7157"})


def _mouse_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and SAID in r.getMessage()
    ]


def test_a_mouse_de_table_resolves_and_warns_once(
    tmp_path: Path, genes: FakeGenes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "mouse_de.tsv"
    path.write_text(
        "gene\tlog2fc\tpadj\nTnf\t2\t0.001\nIl6\t1.5\t0.01\nCd4\t-1\t0.01\nTP53\t1\t0.01\n"
    )
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "M1", genes)
    assert {c.entrez for c in profile.changes} == {"7124", "3569", "920", "7157"}  # kept
    (said,) = _mouse_warnings(caplog)
    assert said.startswith("mouse_de.tsv: 3 of 4 resolved gene symbols are written in mouse case")
    assert "(Cd4, Il6, Tnf)" in said
    assert "human orthologs first" in said


def test_mouse_proteins_and_cohort_and_h5ad_warn_too(
    tmp_path: Path, genes: FakeGenes, caplog: pytest.LogCaptureFixture
) -> None:
    proteins = tmp_path / "prot.tsv"
    proteins.write_text("gene\tlog2ratio\nTnf\t3\nIl6\t1\n")
    expression = tmp_path / "expr.tsv"
    expression.write_text("gene\ts1\ts2\ts3\nTnf\t1\t2\t3\nIl6\t1\t2\t9\nCd4\t2\t2\t3\n")
    samples = tmp_path / "samples.tsv"
    samples.write_text("sample\tgroup\ns1\tRA\ns2\tRA\ns3\tRA\n")
    rng = np.random.default_rng(0)
    counts = rng.poisson(1.0, size=(40, 3)).astype(float)
    counts[:20, 0] += 30
    counts[20:, 1] += 30
    h5ad = two_type_h5ad(tmp_path / "mouse.h5ad", ["Tnf", "Il6", "Cd4"], counts)
    with caplog.at_level(logging.WARNING):
        read_proteins(proteins, "M1", genes)
        read_cohort_matrix(expression, samples, genes)
        profile = read_h5ad(h5ad, genes, patient_id="M1", cell_type_key="cell_type")
    assert profile.changes
    said = _mouse_warnings(caplog)
    assert [w.split(":")[0] for w in said] == ["prot.tsv", "expr.tsv", "mouse.h5ad"], said


@pytest.mark.parametrize(
    "names",
    [["TNF", "IL6", "CD4"], ["TNF", "IL6", "Tnf"], ["tnf", "il6", "cd4"], ["7124", "3569"]],
    ids=["human", "mostly human", "lower case", "entrez ids"],
)
def test_human_files_and_other_cases_do_not_warn(
    tmp_path: Path, genes: FakeGenes, caplog: pytest.LogCaptureFixture, names: list[str]
) -> None:
    path = tmp_path / "de.tsv"
    path.write_text("gene\tlog2fc\tpadj\n" + "".join(f"{n}\t2\t0.001\n" for n in names))
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "H1", genes)
    assert profile.changes
    assert _mouse_warnings(caplog) == []


DATA = Path(__file__).resolve().parents[2] / "data" / "patient"


def test_mouse_mutations_maf_vcf_and_fhir_warn_too(
    tmp_path: Path, genes: FakeGenes, caplog: pytest.LogCaptureFixture
) -> None:
    # before: these four readers resolved Tnf, Il6, Cd4 to the human genes without a word
    mutations = tmp_path / "mut.tsv"
    mutations.write_text("gene\tcategory\nTnf\tAmp8\nIl6\tMutNovel\nTP53\tDel0.8\n")
    maf = tmp_path / "calls.maf"
    maf.write_text(
        "Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\n"
        "Tnf\tMissense_Mutation\tM1\nCd4\tNonsense_Mutation\tM1\n"
    )
    vcf = tmp_path / "calls.vcf"
    vcf.write_text(
        (DATA / "variants_P001.vcf")
        .read_text()
        .replace("|TNFAIP3|", "|Tnf|")
        .replace("|PTPN22|", "|Cd4|")
    )
    fhir = tmp_path / "bundle.json"
    fhir.write_text(
        (DATA / "fhir_bundle_P001.json")
        .read_text()
        .replace('"display": "TP53"', '"display": "Tp53"')
        .replace('"display": "TNF"', '"display": "Tnf"')
    )
    with caplog.at_level(logging.WARNING):
        profiles = [
            read_mutations(mutations, "M1", genes),
            read_mutations(maf, "M1", genes),
            read_vcf(vcf, "P001", FakeGenes({"TNF": "7124", "CD4": "920"})),
            read_fhir_bundle(fhir, FakeGenes({"TNF": "7124", "TP53": "7157"})),
        ]
    assert all(p.changes for p in profiles)  # still read: some users mean it
    said = _mouse_warnings(caplog)
    assert [w.split(":")[0] for w in said] == ["mut.tsv", "calls.maf", "calls.vcf", "bundle.json"]
    assert said[2].startswith("calls.vcf: 2 of 2 resolved gene symbols are written in mouse case")
