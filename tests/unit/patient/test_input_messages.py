"""What a refused or doubtful table is told: the sweep's European Excel, xlsx, gzip, UTF-16."""

from __future__ import annotations

import gzip
import logging
import zipfile
from pathlib import Path

import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.patient_fhir import read_fhir_bundle
from medtwin.loaders.patient_rows import require_contribution
from medtwin.loaders.patient_tables import read_de_table
from tests.unit.patient.conftest import FakeGenes

ROWS = [("TNF", "1.5", "0.001"), ("IL6", "-0.69", "0.02")]


def _table(sep: str, decimal: str = ".") -> str:
    lines = [sep.join(("gene", "log2FoldChange", "padj"))]
    lines += [sep.join((g, f.replace(".", decimal), p.replace(".", decimal))) for g, f, p in ROWS]
    return "\n".join(lines) + "\n"


def _refusal(path: Path, genes: FakeGenes) -> str:
    with pytest.raises(SourceFormatError) as info:
        read_de_table(path, "P1", genes)
    return str(info.value).replace(f"{path.parent}/", "")


@pytest.mark.parametrize("name", ["de_semicolon.txt", "de_excel_eu.csv"])
def test_a_semicolon_separated_file_is_named_as_such(tmp_path: Path, genes, name: str) -> None:
    path = tmp_path / name
    path.write_text("\ufeff" + _table(";", ","))
    assert _refusal(path, genes).startswith(
        f"{name}:1: the file looks ';'-separated (European Excel; header "
        "'gene;log2FoldChange;padj'): save it as tab- or comma-separated text"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("de_tab_decimalcomma.txt", _table("\t", ",")),
        ("de_csv_quoted_decimalcomma.csv", _table(",", ",").replace("1,5", '"1,5"')),
    ],
)
def test_decimal_commas_are_named_as_such(tmp_path: Path, genes, name: str, text: str) -> None:
    if name.endswith(".csv"):
        text = text.replace("0,001", '"0,001"').replace("-0,69", '"-0,69"')
        text = text.replace("0,02", '"0,02"')
    path = tmp_path / name
    path.write_text(text)
    assert _refusal(path, genes) == (
        f"{name}:2: log2FoldChange must be a number, got '1,5': the file uses decimal commas "
        "(a European locale); save it with decimal points (e.g. 0.05, not 0,05)"
    )


def test_what_a_binary_file_is_and_what_to_do(tmp_path: Path, genes) -> None:
    xlsx = tmp_path / "de.xlsx"
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert _refusal(xlsx, genes).startswith("de.xlsx: is a zip archive (an Excel .xlsx")
    packed = tmp_path / "de_gz_misnamed.tsv"
    packed.write_bytes(gzip.compress(_table("\t").encode()))
    assert _refusal(packed, genes) == (
        "de_gz_misnamed.tsv: is gzip-compressed but its name does not end in .gz: rename it to "
        "de_gz_misnamed.tsv.gz (or decompress it with gunzip)"
    )
    utf16 = tmp_path / "de_utf16.txt"
    utf16.write_bytes(_table("\t").encode("utf-16"))
    assert _refusal(utf16, genes).startswith(
        "de_utf16.txt: is UTF-16 text (Excel's 'Unicode Text'), not UTF-8: save it as UTF-8"
    )
    renamed = tmp_path / "de.tsv.gz"
    renamed.write_bytes(packed.read_bytes())
    assert len(read_de_table(renamed, "P1", genes).changes) == 2  # as named: read


def test_gene_names_excel_made_dates_are_named_as_such(tmp_path: Path, genes, caplog) -> None:
    """SEPT2 -> 2-Sep, MARCH1 -> 1-Mar, or their serial numbers: listed among the unresolved."""
    path = tmp_path / "de_excel.tsv"
    path.write_text(
        "gene\tlog2fc\tpadj\nTNF\t1\t0.01\n2-Sep\t1\t0.01\n1-Mar\t1\t0.01\n44806\t1\t0.01\n"
        "NOTAGENE\t1\t0.01\n"
    )
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "P1", genes)
    assert "3 of them look like dates Excel made of gene symbols (1-Mar, 2-Sep, 44806" in (
        caplog.text
    )
    assert "import the gene column as Text" in caplog.text
    nothing = profile.model_copy(update={"changes": ()})
    with pytest.raises(InputError, match="look like dates Excel made of gene symbols"):
        require_contribution(nothing, path.name)


# The shared readers' refusals below said only "must be a finite number", "NUL byte in the text;
# the file is binary or corrupt" and "expected 3 fields ... got 1; check the delimiter and quoting".


@pytest.mark.parametrize(
    ("dash", "what"),
    [("\u2212", "the Unicode minus sign"), ("\u2013", "an en dash"), ("\u2014", "an em dash")],
)
def test_a_minus_that_is_not_a_hyphen_is_named(tmp_path: Path, genes, dash: str, what: str) -> None:
    path = tmp_path / "de.tsv"
    path.write_text(f"gene\tlog2fc\tpadj\nTNF\t{dash}1.5\t0.01\n")
    assert _refusal(path, genes) == (
        f"de.tsv:2: log2fc must be a number, got '{dash}1.5': '{dash}' is {what} "
        f"(U+{ord(dash):04X}, as word processors and PDFs write it), not the minus sign of "
        "numbers; write '-1.5'"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path: Path, genes, codec: str) -> None:
    path = tmp_path / "de.tsv"
    path.write_bytes(_table("\t").encode(codec))
    assert _refusal(path, genes) == (
        "de.tsv: is UTF-16 text without a byte-order mark, not UTF-8: save it as UTF-8 (Excel: "
        "CSV UTF-8; or `iconv -f UTF-16LE -t UTF-8`)"
    )


def test_a_nul_in_utf8_text_is_still_binary_or_corrupt(tmp_path: Path, genes) -> None:
    path = tmp_path / "de.tsv"
    path.write_bytes(b"gene\tlog2fc\tpadj\nTNF\t1.5\x00\t0.01\n")
    assert _refusal(path, genes) == (
        "de.tsv:2: NUL byte in the text; the file is binary or corrupt: give the table as text "
        "(tab- or comma-separated; .gz allowed)"
    )


@pytest.mark.parametrize("cell", ['"TNF\nalias"', '"TNF'])
def test_a_line_break_inside_quotes_is_named(tmp_path: Path, genes, cell: str) -> None:
    path = tmp_path / "de.tsv"
    path.write_text(f"gene\tlog2fc\tpadj\n{cell}\t1.5\t0.01\n")
    assert _refusal(path, genes) == (
        "de.tsv:2: a quoted field opens on this line and does not close on it (1 fields, the "
        "header has 3): a line break inside a cell is not read; remove the line breaks from the "
        "cell, or the stray quote"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_fhir_bundle_in_utf16_without_a_byte_order_mark_is_named(tmp_path: Path, codec) -> None:
    # before: "not a valid FHIR R4 Bundle (…: Invalid JSON: key must be a string at line 1 …)"
    path = tmp_path / "bundle.json"
    path.write_bytes('{"resourceType": "Bundle", "type": "collection"}'.encode(codec))
    with pytest.raises(SourceFormatError) as e:
        read_fhir_bundle(path, FakeGenes({"TNF": "7124"}), patient_id="P1")
    assert str(e.value) == (
        f"{path}: is UTF-16 text without a byte-order mark, not UTF-8: save it as UTF-8 (Excel: "
        "CSV UTF-8; or `iconv -f UTF-16LE -t UTF-8`)"
    )


@pytest.mark.parametrize(
    ("header", "said"),
    [
        # round 5: 2,000,229 characters (every column of the header repeated)
        (
            "foo\tlog2fc" + "\t" * 500_000,
            "no 'gene' column; name one column 'gene' or 'gene_symbol' or 'symbol' ",
        ),
        # round 5: 1,600,079 characters ('gene' listed 200,000 times)
        ("gene\t" * 200_000 + "log2fc", "columns 'gene', 'gene', 'gene', 'gene', 'gene', 'gene'"),
    ],
    ids=["no gene column in 500,001 columns", "gene column 200,000 times"],
)
def test_a_huge_header_is_named_in_one_short_line(
    tmp_path: Path, genes, header: str, said: str
) -> None:
    path = tmp_path / "de.tsv"
    path.write_text(f"{header}\nTNF\t1\n")
    with pytest.raises(SourceFormatError) as info:
        read_de_table(path, "P1", genes)
    assert said in str(info.value)
    assert " more" in str(info.value)  # "… and 499,991 more"
    assert len(str(info.value)) < 1_000
