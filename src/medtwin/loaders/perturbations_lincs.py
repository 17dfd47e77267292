"""LINCS L1000 consensus drug signatures (dhimmel/lincs): DrugBank drug × landmark gene z.

File ``consensi-drugbank.tsv.gz`` (dhimmel/lincs ``data/consensi/consensi-drugbank.tsv.gz`` at
69956de): first column ``perturbagen`` (DrugBank id), then one column per L1000 landmark gene
(Entrez id); a cell is the consensus moderated z-score (MODZ) of the gene after treatment,
across cell lines, doses and times. 1,170 drugs × 978 genes. Empty cells (``NA`` or blank) are
skipped and counted in one WARNING.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, SourceInfo, parse_entrez, tsv_lines
from medtwin.loaders.rows import PerturbationRow

__all__ = ["FILE", "SOURCE", "read_perturbations"]

log = logging.getLogger(__name__)

FILE = "consensi-drugbank.tsv.gz"

SOURCE = SourceInfo(
    name="lincs_l1000_dhimmel",
    url="https://github.com/dhimmel/lincs/blob/69956de/data/consensi/consensi-drugbank.tsv.gz",
    version="dhimmel/lincs@69956de (LINCS L1000 phase I consensi)",
    licence="CC BY 4.0 (LINCS L1000 and derivatives); repository content CC0 1.0",
    files=(FILE,),
    citation="Subramanian A et al. A next generation connectivity map: L1000 platform and the "
    "first 1,000,000 profiles. Cell 171:1437 (2017). doi:10.1016/j.cell.2017.10.049; "
    "Himmelstein DS et al. eLife 6:e26726 (2017). doi:10.7554/eLife.26726",
)


def read_perturbations(path: Path) -> Iterator[PerturbationRow]:
    """Yield one row per (drug, landmark gene) with a value.

    Parameters
    ----------
    path
        ``consensi-drugbank.tsv.gz``.

    Yields
    ------
    PerturbationRow

    Raises
    ------
    SourceFormatError
        A header not starting with ``perturbagen`` or with a non-numeric gene id, a malformed
        DrugBank id, a wrong field count, a non-numeric z, or a repeated gene column or drug
        row, naming the line. Each (drug, gene) pair must come once: a first load CREATEs
        these edges (``load/create_perturbations``), so a repeat would become a second edge.
    """
    drops = DropCounter(log, path)
    lines = tsv_lines(path)
    genes: list[str] = []
    for line, fields in lines:
        if fields[0].strip() != "perturbagen":
            raise SourceFormatError(
                path, line, f"expected the first column 'perturbagen', got {fields[0]!r}"
            )
        genes = [parse_entrez(f, path, line, "landmark gene column") for f in fields[1:]]
        repeated = sorted((g for g, n in Counter(genes).items() if n > 1), key=int)
        if repeated:
            raise SourceFormatError(
                path,
                line,
                f"gene column(s) {', '.join(repeated)} appear more than once; "
                "the consensus file has one column per landmark gene",
            )
        break
    kept = 0
    first_line: dict[str, int] = {}
    for line, fields in lines:
        if len(fields) != len(genes) + 1:
            raise SourceFormatError(
                path, line, f"expected {len(genes) + 1} tab-separated fields, got {len(fields)}"
            )
        drug = fields[0].strip()
        if not (drug.startswith("DB") and drug[2:].isdigit()):
            raise SourceFormatError(path, line, f"perturbagen must look like DB00001, got {drug!r}")
        if drug in first_line:
            raise SourceFormatError(
                path,
                line,
                f"drug {drug} already has a row (line {first_line[drug]}); the "
                "consensus file has one row per drug: merge or remove the repeat",
            )
        first_line[drug] = line
        for gene, text in zip(genes, fields[1:], strict=True):
            text = text.strip()
            if text in ("", "NA", "nan"):
                drops.drop("empty cells")
                continue
            try:
                z = float(text)
            except ValueError:
                z = math.nan
            if not math.isfinite(z):
                raise SourceFormatError(
                    path, line, f"z of {drug} on gene {gene} must be a number, got {text!r}"
                )
            kept += 1
            yield PerturbationRow(
                drug_id=drug, entrez=gene, z=z, source=SOURCE.name, source_version=SOURCE.version
            )
    drops.report(kept, "drug-gene z-scores")
