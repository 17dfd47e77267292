"""Guney et al. 2016 disease genes: 1,489 MeSH diseases (``data/disease/disease_genes.tsv``).

Format: no header, tab separated, variable field count: field 1 empty (placeholder), field 2 the
lower-case MeSH term, fields 3..n Entrez gene ids (OMIM + GWAS as in Menche 2015); lines may end
with a trailing tab. The 299 terms with >= 20 genes are exactly Menche Data S2, so Disease rows
from both readers share ids (``mesh:<term>``) and dedupe on merge (see
:func:`medtwin.loaders.diseases.merge_diseases`). ``evidence`` is ``None``: the file does not say
which genes come from OMIM or GWAS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import (
    DropCounter,
    mesh_disease_id,
    parse_entrez,
    tsv_lines,
    unique_mesh_diseases,
)
from medtwin.loaders.guney2016 import SOURCE
from medtwin.loaders.rows import DiseaseGeneRow, DiseaseRow

__all__ = ["SOURCE", "read_disease_genes", "read_diseases"]

log = logging.getLogger(__name__)


def _parse(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    for line, fields in tsv_lines(path):
        if len(fields) < 3:
            raise SourceFormatError(
                path, line, f"expected '', disease and >= 1 gene id, got {len(fields)} fields"
            )
        disease = fields[1].strip()
        if not disease:
            raise SourceFormatError(path, line, "empty disease name in field 2")
        genes = [parse_entrez(g, path, line) for g in fields[2:] if g.strip()]
        if not genes:
            raise SourceFormatError(path, line, f"disease {disease!r} has no gene ids")
        yield line, disease, genes


def read_diseases(path: Path) -> Iterator[DiseaseRow]:
    """Yield the diseases of ``disease_genes.tsv`` as ``mesh:<term>`` rows.

    Parameters
    ----------
    path
        Guney's ``disease_genes.tsv``.

    Yields
    ------
    DiseaseRow
        One per distinct term, ``mesh_id = None``.
    """
    yield from unique_mesh_diseases(
        ((line, disease) for line, disease, _ in _parse(path)), path, SOURCE
    )


def read_disease_genes(path: Path) -> Iterator[DiseaseGeneRow]:
    """Yield one row per (disease, gene); repeated genes on a line are counted and dropped.

    Parameters
    ----------
    path
        Guney's ``disease_genes.tsv``.

    Yields
    ------
    DiseaseGeneRow
        ``evidence = None``.

    Raises
    ------
    SourceFormatError
        A line with fewer than 3 fields, an empty name, or a non-numeric gene id.
    """
    drops = DropCounter(log, path)
    kept = 0
    for _, disease, genes in _parse(path):
        disease_id = mesh_disease_id(disease)
        unique = dict.fromkeys(genes)
        if len(unique) < len(genes):
            drops.drop("repeated genes within a line", len(genes) - len(unique))
        for entrez in unique:
            kept += 1
            yield DiseaseGeneRow(
                disease_id=disease_id,
                entrez=entrez,
                evidence=None,
                source=SOURCE.name,
                source_version=SOURCE.version,
            )
    drops.report(kept, "disease-gene pairs")
