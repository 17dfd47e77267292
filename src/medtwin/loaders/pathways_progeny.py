"""PROGENy pathway footprints (Schubert et al. 2018): gene weights of 11 pathways' responses.

File ``progeny_human_model.tsv`` (saezlab/progeny ``data/model.rda`` at 66a8098, converted to
TSV): first column ``gene`` (HGNC symbol), then one column per pathway (EGFR, Hypoxia,
JAK.STAT, MAPK, NFkB, PI3K, TGFb, TNFa, Trail, VEGF, p53); a cell is the gene's coefficient in
the pathway's consensus perturbation-response signature (the paper's top 100 genes per pathway;
0 = not in the footprint). Only non-zero cells are yielded. Unmapped symbols are dropped and
counted in one WARNING.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, SourceInfo, tsv_lines
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import FootprintRow

__all__ = ["FILE", "PATHWAYS", "SOURCE", "read_footprints"]

log = logging.getLogger(__name__)

FILE = "progeny_human_model.tsv"

SOURCE = SourceInfo(
    name="progeny_2018",
    url="https://github.com/saezlab/progeny/blob/66a8098/data/model.rda",
    version="1.x (saezlab/progeny@66a8098), top 100 genes per pathway",
    licence="Apache-2.0 (progeny package)",
    files=(FILE,),
    citation="Schubert M et al. Perturbation-response genes reveal signaling footprints in "
    "cancer gene expression. Nat Commun 9:20 (2018). doi:10.1038/s41467-017-02391-6",
)

PATHWAYS = (
    "EGFR", "Hypoxia", "JAK.STAT", "MAPK", "NFkB", "PI3K", "TGFb", "TNFa", "Trail", "VEGF", "p53",
)  # fmt: skip


def read_footprints(path: Path, genes: GeneIndex) -> Iterator[FootprintRow]:
    """Yield one row per (pathway, gene) with a non-zero weight.

    Parameters
    ----------
    path
        ``progeny_human_model.tsv``.
    genes
        Resolver of HGNC symbols to Entrez ids.

    Yields
    ------
    FootprintRow

    Raises
    ------
    SourceFormatError
        A header without the ``gene`` column or with an empty pathway name, a wrong field count
        or a weight that is not a finite number, naming the line.
    """
    drops = DropCounter(log, path)
    lines = tsv_lines(path)
    header: list[str] = []
    for line, fields in lines:
        header = [f.strip() for f in fields]
        if header[0] != "gene" or len(header) < 2 or not all(header[1:]):
            raise SourceFormatError(
                path, line, f"expected 'gene' then pathway columns, got {fields}; wrong file?"
            )
        break
    kept = 0
    seen: set[str] = set()
    for line, fields in lines:
        if len(fields) != len(header):
            raise SourceFormatError(
                path, line, f"expected {len(header)} tab-separated fields, got {len(fields)}"
            )
        symbol = fields[0].strip()
        weights = []
        for name, text in zip(header[1:], fields[1:], strict=True):
            try:
                w = float(text)
            except ValueError:
                w = math.nan
            if not math.isfinite(w):
                raise SourceFormatError(
                    path, line, f"weight of {symbol} in {name} must be a number, got {text!r}"
                )
            weights.append((name, w))
        entrez = genes.resolve(symbol)
        if entrez is None:
            drops.drop("genes with an unmapped symbol")
            continue
        if entrez in seen:
            drops.drop("repeated genes")
            continue
        seen.add(entrez)
        for name, w in weights:
            if w != 0.0:
                kept += 1
                yield FootprintRow(
                    pathway=name,
                    entrez=entrez,
                    symbol=symbol,
                    weight=w,
                    source=SOURCE.name,
                    source_version=SOURCE.version,
                )
    drops.report(kept, "footprint weights")
