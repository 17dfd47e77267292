from pathlib import Path

import pytest

from medtwin.loaders.genes_ncbi import GeneIndex, read_genes

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def gene_index() -> GeneIndex:
    return GeneIndex.from_rows(read_genes(DATA / "ncbi_gene_info" / "Homo_sapiens.gene_info.gz"))
