"""The same limits on every reader, checked while streaming (issue 19, findings 4 and 5)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from medtwin.errors import InputTooLarge, SourceFormatError
from medtwin.loaders.limits import InputLimits, input_limits
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_symptoms import HpoVocabulary, read_symptoms
from medtwin.loaders.patient_vcf import read_vcf
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes({"PTPN22": "26191"})
HEADER = (
    "##fileformat=VCFv4.2\n"
    '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
    "'Allele | Annotation | Annotation_Impact | Gene_Name' \">\n"
)
RECORD = "1\t{pos}\t.\tG\tA\t60\tPASS\tANN=A|missense_variant|MODERATE|PTPN22"
HPO = HpoVocabulary(ids=frozenset({"HP:0001945", "HP:0001369"}), names={"fever": "HP:0001945"})


def _vcf(tmp_path: Path, records: int, *, sample: bool = True, gz: bool = False) -> Path:
    cols = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + ("\tFORMAT\tP1" if sample else "")
    rows = "".join(
        RECORD.format(pos=i + 1) + ("\tGT\t0/1" if sample else "") + "\n" for i in range(records)
    )
    text = HEADER + cols + "\n" + rows
    path = tmp_path / ("p.vcf.gz" if gz else "p.vcf")
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_vcf_row_cap_is_applied_while_reading(tmp_path, gz):
    path = _vcf(tmp_path, 11, gz=gz)
    with input_limits(InputLimits(max_rows=10)), pytest.raises(InputTooLarge) as e:
        read_vcf(path, "P1", GENES)
    assert "MEDTWIN_MAX_INPUT_ROWS" in str(e.value)
    with input_limits(InputLimits(max_rows=11)):
        assert len(read_vcf(path, "P1", GENES).changes) == 11


def test_vcf_record_without_format_and_sample_is_refused(tmp_path):
    path = _vcf(tmp_path, 2)
    text = path.read_text().splitlines()
    text[-1] = RECORD.format(pos=99)  # the header names sample P1; this record has no FORMAT/P1
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(SourceFormatError) as e:
        read_vcf(path, "P1", GENES)
    assert e.value.line == len(text)
    assert "FORMAT" in str(e.value)


def test_sites_only_vcf_is_read_without_genotype_check(tmp_path):
    assert len(read_vcf(_vcf(tmp_path, 3, sample=False), "P1", GENES).changes) == 3


def test_symptom_file_long_term_is_named_but_not_echoed(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("fever\n" + "x" * 300_000 + "\n")
    with pytest.raises(SourceFormatError) as e:
        read_symptoms(path, hpo=HPO)
    assert e.value.line == 2
    assert len(str(e.value)) < 600
    assert "x" * 201 not in str(e.value)
    assert "more characters" in str(e.value)


def test_symptom_file_limits_rows_and_line_length(tmp_path):
    many = tmp_path / "many.txt"
    many.write_text("fever\n" * 11)
    with input_limits(InputLimits(max_rows=10)), pytest.raises(InputTooLarge):
        read_symptoms(many, hpo=HPO)
    long = tmp_path / "long.txt"
    long.write_text("fever\n" + "y" * 5000 + "\n")
    with input_limits(InputLimits(max_line=1024)), pytest.raises(InputTooLarge) as e:
        read_symptoms(long, hpo=HPO)
    assert "long.txt:2" in str(e.value)


def test_symptom_file_still_reads_terms(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("# comment\nfever\tlabel\nHP:0001369\n\nfever\n")
    assert read_symptoms(path, hpo=HPO) == ("HP:0001945", "HP:0001369")


def test_shown_cuts_to_200_characters():
    from medtwin.loaders.limits import shown

    text = shown("z" * 10_000)
    assert text.startswith("'" + "z" * 200 + "'")
    assert len(text) < 260


def test_a_fhir_bundle_gets_half_of_the_input_limit(tmp_path):
    # parsed whole, a bundle cost ~10 times its size and got 1/8 of the limit; streamed, ~2 times
    # (make bench-readers ONLY=fhir FHIR_MIB=64: 131 MB for 64 MiB, within the largest tables')
    entry = '{"resource": {"resourceType": "Condition", "id": "c", "subject": {"reference": '
    entry += '"Patient/P1"}, "code": {"text": "fever"}}}'
    path = tmp_path / "bundle.json"
    path.write_text(
        '{"resourceType": "Bundle", "type": "collection", "entry": ['
        + ", ".join([entry] * 30)
        + "]}"
    )
    size = path.stat().st_size
    with input_limits(InputLimits(max_bytes=2 * (size - 1))), pytest.raises(InputTooLarge) as e:
        read_fhir_bundle(path, GENES, patient_id="P1")
    # refused as it streams past its share
    assert str(e.value).startswith("bundle.json: a FHIR bundle of more than 1/2 of the input limit")
    assert "MEDTWIN_MAX_INPUT_MB raises it" in str(e.value)
    with input_limits(InputLimits(max_bytes=2 * size)):
        read_fhir_bundle(path, GENES, patient_id="P1")  # within its share: read (before: refused)
