"""A patient file past a limit is refused before any row is parsed (stop 60, the CLI probe's huge).

Before, the limits were counted only while the rows were parsed: the probe's 137 MiB DE table was
refused by its 500,001st row after ~15 s of parsing. Each file here has a bad row on its second
line and is past one limit: parsed first, it was refused for the bad row (SourceFormatError);
refused first, it names the limit it crosses and the setting that raises it.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from medtwin.errors import InputTooLarge, SourceFormatError
from medtwin.loaders import limit_scan, limits
from medtwin.loaders.limit_scan import crossed_limit
from medtwin.loaders.limits import InputLimits, input_limits
from medtwin.loaders.patient_cohort import read_cohort_matrix
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_mutations import read_mutations
from medtwin.loaders.patient_symptoms import HpoVocabulary, read_symptoms
from medtwin.loaders.patient_tables import read_de_table, read_proteins, read_variants
from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.patient_files import refuse_files_past_limits
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes({"TNF": "7124", "PTPN22": "26191"})
HPO = HpoVocabulary(ids=frozenset({"HP:0001945"}), names={"fever": "HP:0001945"})
VCF_HEAD = (
    "##fileformat=VCFv4.2\n"
    '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
    "'Allele | Annotation | Annotation_Impact | Gene_Name' \">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
)


def _sheet(tmp_path: Path) -> Path:
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample\tgroup\nS1\tRA\nS2\tcontrol\n")
    return sheet


# kind: (file name, head, bad line, good line, read)
READERS: dict[str, tuple[str, str, str, str, Callable[[Path], Any]]] = {
    "de": (
        "de.tsv",
        "gene\tlog2fc\tpadj\n",
        "TNF\tabc\t0.01\n",
        "TNF\t1.5\t0.01\n",
        lambda p: read_de_table(p, "P1", GENES),
    ),
    "proteins": (
        "proteins.tsv",
        "gene\tlog2ratio\tpadj\n",
        "TNF\tabc\t0.01\n",
        "TNF\t1.5\t0.01\n",
        lambda p: read_proteins(p, "P1", GENES),
    ),
    "variants": (
        "variants.tsv",
        "gene\tvariant_id\tconsequence\n",
        "TNF\n",
        "TNF\trs1\tmissense_variant\n",
        lambda p: read_variants(p, "P1", GENES),
    ),
    "mutations": (
        "mutations.tsv",
        "model\ttissue\tgene\tcategory\n",
        "X-1\tBRCA\n",
        "X-1\tBRCA\tTNF\tAmp8\n",
        lambda p: read_mutations(p, "X-1", GENES),
    ),
    "cohort": (
        "expression.tsv",
        "gene_symbol\tS1\tS2\n",
        "TNF\tabc\t1.0\n",
        "TNF\t1.0\t2.0\n",
        lambda p: read_cohort_matrix(p, _sheet(p.parent), GENES),
    ),
    "vcf": (
        "p.vcf",
        VCF_HEAD,
        "1\t5\t.\tG\n",
        "1\t5\t.\tG\tA\t60\tPASS\tANN=A|missense_variant|MODERATE|PTPN22\n",
        lambda p: read_vcf(p, "P1", GENES),
    ),
    "symptoms": (
        "symptoms.txt",
        "fever\n",
        "HP:9999999\n",
        "fever\n",
        lambda p: read_symptoms(p, hpo=HPO),
    ),
}


def _write(path: Path, text: str, gz: bool) -> Path:
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("kind", sorted(READERS))
def test_a_file_past_the_size_limit_is_refused_before_its_rows(tmp_path, kind, gz):
    name, head, bad, good, read = READERS[kind]
    # past the reader's 64 KiB buffer: within it, the limit was crossed by the buffer's first fill
    path = _write(tmp_path / name, head + bad + good * (400_000 // len(good)), gz)
    with pytest.raises(SourceFormatError):  # within the limits: the bad row is what is said
        read(path)
    with input_limits(InputLimits(max_bytes=2**18)), pytest.raises(InputTooLarge) as e:
        read(path)
    said = str(e.value)
    assert said.startswith(f"{path.name}: ")
    assert "the input limit of 0.25 MiB (MEDTWIN_MAX_INPUT_MB)" in said
    assert ("decompressed" in said) if gz else (f"({path.stat().st_size / 2**20:,.1f} MiB)" in said)


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("kind", sorted(READERS))
def test_a_file_past_the_row_limit_is_refused_before_its_rows(tmp_path, kind, gz):
    name, head, bad, good, read = READERS[kind]
    path = _write(tmp_path / name, head + bad + good * 20, gz)
    with input_limits(InputLimits(max_rows=10)), pytest.raises(InputTooLarge) as e:
        read(path)
    noun = "VCF records" if kind == "vcf" else "lines"  # each reader's own word for its rows
    assert str(e.value) == (
        f"{path.name}: more than 10 {noun}, the input limit (MEDTWIN_MAX_INPUT_ROWS)"
    )


def _refusal(read: Callable[[], Any]) -> str:
    with input_limits(InputLimits(max_rows=10)), pytest.raises(InputTooLarge) as e:
        read()
    return str(e.value)


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("kind", sorted(READERS))
def test_a_file_past_the_row_limit_is_refused_in_the_same_words_by_either_pass(
    monkeypatch, tmp_path, kind, gz
):
    """The first pass (the read's, and `patient add`'s before the store) says what the read says.

    Before, the first pass said "more than 10 lines" for every reader: a VCF's reader says
    "VCF records", a table's reader said "lines; the limit is MEDTWIN_MAX_INPUT_ROWS=10".
    """
    name, head, _, good, read = READERS[kind]
    path = _write(tmp_path / name, head + good * 20, gz)  # no bad row: only the limit to say
    early = _refusal(lambda: read(path))
    before_the_store = _refusal(lambda: refuse_files_past_limits({kind: path}))
    monkeypatch.setattr(limits, "crossed_limit", lambda *_, **__: None)  # the read's count only
    by_the_read = _refusal(lambda: read(path))
    assert early == before_the_store == by_the_read
    assert by_the_read.startswith(f"{path.name}: more than 10 ")


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
def test_a_fhir_bundle_past_its_share_is_refused_before_it_is_parsed(tmp_path, gz):
    text = '{"resourceType": "Bundle", "entry": [oops' + " " * 600_000 + "]}"  # > ijson's reads
    path = _write(tmp_path / "bundle.json", text, gz)
    with pytest.raises(SourceFormatError):  # within the limit: the broken JSON is what is said
        read_fhir_bundle(path, GENES, patient_id="P1")
    with input_limits(InputLimits(max_bytes=2**20)), pytest.raises(InputTooLarge) as e:
        read_fhir_bundle(path, GENES, patient_id="P1")
    assert str(e.value) == (
        f"{path.name}: a FHIR bundle of more than 1/2 of the input limit, 0.5 MiB "
        "(MEDTWIN_MAX_INPUT_MB raises it)"
    )


# -- the first pass itself, against a line-by-line count ---------------------------------------
def _rows_by_lines(data: bytes) -> int:
    """Rows as the readers count them, for lines starting with a printable non-'#' ASCII byte."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return sum(1 for line in lines if line[:1].isascii() and line[:1] > b" " and line[:1] != b"#")


CASES = [
    b"",
    b"gene\n",
    b"gene",
    b"\n\n\n",
    b"# c\n#\n  x\n\tx\nA\n",
    b"gene\r\nA\r\nB\r\n\r\n",
    b"\xef\xbb\xbfgene\nA\n\xc3\xa9\n",
    b"A\nB\n\nC\n# D\n E\nF",
]


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 20])
@pytest.mark.parametrize("data", CASES)
def test_rows_are_counted_as_lines_of_a_row_whatever_the_blocks(monkeypatch, data, block):
    monkeypatch.setattr(limit_scan, "_BLOCK", block)
    rows = _rows_by_lines(data)
    for most in range(rows + 2):
        found = limit_scan._count(io.BytesIO(data), 10**9, most, exact=True)
        assert (found == "rows") == (rows > most), (most, rows)
        if rows > most:  # the quick count of lines never lets through what the exact one refuses
            assert limit_scan._count(io.BytesIO(data), 10**9, most, exact=False) == "rows"


def test_comments_and_blank_lines_past_the_row_limit_are_no_rows(tmp_path):
    path = tmp_path / "de.tsv"
    path.write_text("# note\n\n" * 50 + "gene\tlog2fc\tpadj\n" + "TNF\t1.5\t0.01\n" * 10)
    assert crossed_limit(path, max_bytes=10**6, max_rows=11) is None
    assert crossed_limit(path, max_bytes=10**6, max_rows=10) == "rows"
    with input_limits(InputLimits(max_rows=10)):
        assert len(read_de_table(path, "P1", GENES).changes) == 1


def test_bytes_are_counted_decompressed_and_exactly(tmp_path):
    plain = tmp_path / "a.tsv"
    plain.write_bytes(b"x" * 1000)
    packed = tmp_path / "a.tsv.gz"
    packed.write_bytes(gzip.compress(b"x" * 1000))
    for path in (plain, packed):
        assert crossed_limit(path, max_bytes=1000) is None
        assert crossed_limit(path, max_bytes=999) == "bytes"


def test_a_broken_gzip_file_is_left_to_the_read(tmp_path):
    path = tmp_path / "a.tsv.gz"
    path.write_bytes(b"not gzip at all")
    assert crossed_limit(path, max_bytes=1, max_rows=0) is None
    with pytest.raises(SourceFormatError, match="not a valid gzip file"):
        read_de_table(path, "P1", GENES)


# -- the cohort matrix's rows of plain numbers, read by float() alone ---------------------------
ROWS = [
    ("1.5", "-2", "3e2", "+0.25", ".5"),
    ("1.5", "NA", "nan", ""),
    ("1.5", "1_5"),
    ("1.5", "inf"),
    ("1e999", "1"),
    ("0,05", "1"),
    ("\u22121.5", "1"),
    ("abc", "1"),
    ("1e308", "1e308"),
]


@pytest.mark.parametrize("texts", ROWS)
def test_a_matrix_row_reads_as_parse_float_reads_each_value(tmp_path, texts):
    from medtwin.loaders.patient_cohort import _row_values
    from medtwin.loaders.patient_io import parse_float

    path = tmp_path / "expr.tsv"
    columns = tuple(f"S{i}" for i in range(len(texts)))

    def one_by_one() -> list[float]:
        out = []
        for column, text in zip(columns, texts, strict=True):
            number = parse_float(path, 7, f"value of {column}", text, allow_missing=True)
            out.append(float("nan") if number is None else number)
        return out

    try:
        want: list[float] | str = one_by_one()
    except SourceFormatError as e:
        want = str(e)
    try:
        got: list[float] | str = _row_values(path, 7, columns, texts)
    except SourceFormatError as e:
        got = str(e)
    assert repr(got) == repr(want)  # NaN where NaN, the same error where one
