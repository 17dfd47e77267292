import logging

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.genes_ncbi import SOURCE, read_genes


def test_read_genes_keeps_human_rows_with_xrefs(data, caplog):
    with caplog.at_level(logging.WARNING):
        rows = list(read_genes(data / "ncbi_gene_info" / "Homo_sapiens.gene_info.gz"))
    assert len(rows) == 17  # 18 lines, one of tax_id 63221
    tp53 = next(r for r in rows if r.entrez == "7157")
    assert tp53.symbol == "TP53"
    assert tp53.synonyms == ("BCC7", "LFS1", "P53", "TRP53")
    assert tp53.hgnc == "HGNC:11998"
    assert tp53.ensembl == "ENSG00000141510"
    assert tp53.gene_type == "protein-coding"
    assert tp53.name == "tumor protein p53"
    assert (tp53.source, tp53.source_version) == (SOURCE.name, SOURCE.version)
    no_xref = next(r for r in rows if r.entrez == "105372382")
    assert (no_xref.hgnc, no_xref.ensembl, no_xref.synonyms) == (None, None, ())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "1 genes of tax_id != 9606" in warnings[0].getMessage()


def test_read_genes_malformed_line(data):
    with pytest.raises(SourceFormatError) as info:
        list(read_genes(data / "ncbi_gene_info" / "bad.gene_info.gz"))
    assert info.value.line == 4
    assert "15" in info.value.reason


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TP53", "7157"),
        ("tp53", "7157"),
        (" p53 ", "7157"),  # unique synonym
        ("7157", "7157"),  # known Entrez id
        ("0007157", "7157"),
        ("99999999", None),  # unknown Entrez id
        ("FFAR2", "2867"),  # two genes share it; only 2867 has an HGNC id
        ("HBD", "3045"),
        ("GPR43", "2867"),
        ("COX1", "4512"),  # official symbol beats PTGS1's synonym
        ("cox2", "5743"),  # synonym of PTGS2
        ("MT-CO1", None),
        ("", None),
    ],
)
def test_gene_index_resolution(gene_index, query, expected):
    assert gene_index.resolve(query) == expected


def test_gene_index_ambiguous_synonym():
    from medtwin.loaders.genes_ncbi import GeneIndex
    from medtwin.loaders.rows import GeneRow

    def gene(entrez, symbol, synonyms):
        return GeneRow(
            entrez=entrez,
            symbol=symbol,
            name="",
            synonyms=synonyms,
            hgnc=None,
            ensembl=None,
            gene_type="protein-coding",
            source="t",
            source_version="1",
        )

    index = GeneIndex.from_rows([gene("1", "AAA", ("X1",)), gene("2", "BBB", ("x1",))])
    assert index.resolve("X1") is None
    assert index.resolve("aaa") == "1"
    assert "2" in index
    assert "3" not in index
    assert len(index) == 2
