from __future__ import annotations

import logging
from pathlib import Path

import pytest

from medtwin.errors import InputTooLarge, SourceFormatError
from medtwin.loaders.gmt import GeneSet, read_gmt
from medtwin.loaders.limits import InputLimits, input_limits


def test_sample_with_resolver(data: Path, gene_index, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="medtwin.loaders.gmt"):
        sets = read_gmt(data / "gmt" / "sample.gmt", gene_index)
    assert [s.name for s in sets] == [
        "HALLMARK_P53_PATHWAY", "ERBB_SIGNALLING", "IL6_AXIS", "AMBIGUOUS",
    ]  # fmt: skip
    p53, erbb, il6, amb = sets
    assert p53 == GeneSet(
        name="HALLMARK_P53_PATHWAY",
        description="http://www.gsea-msigdb.org/gsea/msigdb/HALLMARK_P53_PATHWAY",
        genes=("7157", "4193", "1956"),
        unmapped=("NOTAGENE",),
    )
    # case-insensitive symbols, repeated EGFR and trailing tabs dropped
    assert erbb.genes == ("1956", "2064", "7039")
    assert erbb.unmapped == ()
    assert il6.genes == ("3569", "3570", "3572")
    assert il6.description == "IL-6 and its receptors, by Entrez id"
    # FFAR2: two genes share the symbol, the HGNC one wins; P53 is a unique synonym of TP53
    assert amb.genes == ("2867", "7157")
    assert "1 of 12 gene tokens did not resolve" in caplog.text


def test_sample_without_resolver(data: Path) -> None:
    sets = read_gmt(data / "gmt" / "sample.gmt")
    assert sets[0].genes == ("1956",)
    assert sets[0].unmapped == ("TP53", "MDM2", "NOTAGENE")
    assert sets[2].genes == ("3569", "3570", "3572")


def test_malformed_line_number(data: Path) -> None:
    with pytest.raises(SourceFormatError) as info:
        read_gmt(data / "gmt" / "bad.gmt")
    assert info.value.line == 2
    assert "expected name, description and >= 1 gene" in str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("A\tna\t1\nA\tna\t2\n", 2, "occurs twice"),
        ("\tna\t1\n", 1, "empty gene-set name"),
        ("A\tna\t\t\n", 1, "has no genes"),
        ("\n\n", None, r"the file is empty \(or blank lines only\)"),  # was: "no gene sets"
    ],
)
def test_malformed_cases(tmp_path: Path, text: str, line: int | None, reason: str) -> None:
    path = tmp_path / "x.gmt"
    path.write_text(text)
    with pytest.raises(SourceFormatError, match=reason) as info:
        read_gmt(path)
    assert info.value.line == line


def test_the_number_of_gene_sets_is_limited_while_reading(tmp_path: Path) -> None:
    # every other table reader stops at MEDTWIN_MAX_INPUT_ROWS; the GMT reader held any number of
    # sets (1 M one-line sets: 700 MB and 130 s before `screen` even started)
    path = tmp_path / "many.gmt"
    path.write_text("".join(f"S{i}\tna\t7157\n" for i in range(11)))
    with input_limits(InputLimits(max_rows=10)):
        with pytest.raises(InputTooLarge) as e:
            read_gmt(path)
        assert str(e.value) == (
            "many.gmt: more than 10 gene sets, the input limit (MEDTWIN_MAX_INPUT_ROWS)"
        )
        path.write_text("".join(f"S{i}\tna\t7157\n" for i in range(10)))
        assert len(read_gmt(path)) == 10
