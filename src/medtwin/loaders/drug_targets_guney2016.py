"""Guney et al. 2016 drug targets (``drug_to_geneids.tsv``): 12,421 DrugBank drug–gene pairs.

Format (converted from the origin's pickle, see its SOURCE.md): header ``drugbank_id,
entrez_gene_id``, one pair per line. The file has no actions, so ``actions = ()``,
``direction = "unknown"``, ``category`` and ``known_action`` ``None``. It includes gene ids of
other organisms (anti-infective targets); pass ``genes`` to keep only human Entrez ids (the others
are counted in one WARNING).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, check_header, parse_entrez, tsv_lines
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.guney2016 import SOURCE
from medtwin.loaders.rows import DrugTargetRow

__all__ = ["SOURCE", "read_drug_targets"]

log = logging.getLogger(__name__)

COLUMNS = ("drugbank_id", "entrez_gene_id")


def read_drug_targets(path: Path, genes: GeneIndex | None = None) -> Iterator[DrugTargetRow]:
    """Yield one row per distinct (drug, gene) pair of ``drug_to_geneids.tsv``.

    Parameters
    ----------
    path
        ``drug_to_geneids.tsv``.
    genes
        If given, drop gene ids that are not human genes in this index.

    Yields
    ------
    DrugTargetRow
        With ``direction = "unknown"``.

    Raises
    ------
    SourceFormatError
        Wrong header, field count, DrugBank id or non-numeric gene id.
    """
    drops = DropCounter(log, path)
    seen: set[tuple[str, str]] = set()
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(COLUMNS):
            raise SourceFormatError(path, line, f"expected 2 tab-separated fields, got {fields}")
        drug_id = fields[0].strip()
        if not (drug_id.startswith("DB") and drug_id[2:].isdigit()):
            raise SourceFormatError(
                path, line, f"drugbank_id must look like DB00001, got {drug_id!r}"
            )
        entrez = parse_entrez(fields[1], path, line, "entrez_gene_id")
        if genes is not None and entrez not in genes:
            drops.drop("gene ids not in the human gene index")
            continue
        if (drug_id, entrez) in seen:
            drops.drop("duplicate pairs")
            continue
        seen.add((drug_id, entrez))
        yield DrugTargetRow(
            drug_id=drug_id,
            entrez=entrez,
            actions=(),
            direction="unknown",
            category=None,
            known_action=None,
            source=SOURCE.name,
            source_version=SOURCE.version,
        )
    drops.report(len(seen), "drug-target pairs")
