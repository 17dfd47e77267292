"""Menche et al. 2015 disease genes (Data S2): 299 MeSH diseases with OMIM and GWAS genes.

Format: 27 ``#`` comment lines, then ``disease, number_of_all_genes, number_of_OMIM_genes,
number_of_GWAS_genes, OMIM_genes, GWAS_genes`` (gene lists ``;``-separated Entrez ids).

Quirk: 81 of the 299 lines have 5 fields, because an empty list column is missing rather than
empty. In 67 of them the GWAS list is missing; in the other 14 (``number_of_OMIM_genes == 0``,
e.g. ``albuminuria``) the one list present is the GWAS list. The reader therefore assigns the
lists by the count columns and checks every count (``|OMIM|``, ``|GWAS|``, ``|OMIM ∪ GWAS|``);
a mismatch raises :class:`~medtwin.errors.SourceFormatError`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import (
    mesh_disease_id,
    parse_entrez,
    split_list,
    tsv_lines,
    unique_mesh_diseases,
)
from medtwin.loaders.ppi_menche2015 import SOURCE
from medtwin.loaders.rows import DiseaseGeneRow, DiseaseRow

__all__ = ["SOURCE", "read_disease_genes", "read_diseases"]

log = logging.getLogger(__name__)


def _count(value: str, path: Path, line: int, what: str) -> int:
    if not value.strip().isdigit():
        raise SourceFormatError(path, line, f"{what} must be an integer, got {value!r}")
    return int(value)


def _parse(path: Path) -> Iterator[tuple[int, str, tuple[str, ...], tuple[str, ...]]]:
    """Yield ``(line, disease, omim_genes, gwas_genes)`` after checking the count columns."""
    for line, fields in tsv_lines(path):
        if len(fields) not in (5, 6):
            raise SourceFormatError(
                path, line, f"expected 5 or 6 tab-separated fields, got {len(fields)}"
            )
        disease = fields[0].strip()
        if not disease:
            raise SourceFormatError(path, line, "empty disease name")
        n_all = _count(fields[1], path, line, "number_of_all_genes")
        n_omim = _count(fields[2], path, line, "number_of_OMIM_genes")
        n_gwas = _count(fields[3], path, line, "number_of_GWAS_genes")
        lists = [split_list(f, ";") for f in fields[4:]]
        if len(lists) == 1:
            lists = [(), lists[0]] if n_omim == 0 else [lists[0], ()]
        omim = tuple(parse_entrez(g, path, line, "OMIM gene id") for g in lists[0])
        gwas = tuple(parse_entrez(g, path, line, "GWAS gene id") for g in lists[1])
        if (len(omim), len(gwas), len(set(omim) | set(gwas))) != (n_omim, n_gwas, n_all):
            raise SourceFormatError(
                path,
                line,
                f"gene counts ({n_all} all, {n_omim} OMIM, {n_gwas} GWAS) do not match the lists "
                f"({len(set(omim) | set(gwas))} all, {len(omim)} OMIM, {len(gwas)} GWAS)",
            )
        yield line, disease, omim, gwas


def read_diseases(path: Path) -> Iterator[DiseaseRow]:
    """Yield the 299 diseases of ``DataS2_disease_genes.tsv`` as ``mesh:<term>`` rows.

    Parameters
    ----------
    path
        ``DataS2_disease_genes.tsv``.

    Yields
    ------
    DiseaseRow
        ``id = "mesh:<lower-case term>"``, ``mesh_id = None`` (the file has no MeSH ids).
    """
    yield from unique_mesh_diseases(
        ((line, disease) for line, disease, _, _ in _parse(path)), path, SOURCE
    )


def read_disease_genes(path: Path) -> Iterator[DiseaseGeneRow]:
    """Yield one row per (disease, gene) with ``evidence`` ``OMIM``, ``GWAS`` or ``OMIM;GWAS``.

    Parameters
    ----------
    path
        ``DataS2_disease_genes.tsv``.

    Yields
    ------
    DiseaseGeneRow
        Genes in file order (OMIM first, then GWAS-only genes).

    Raises
    ------
    SourceFormatError
        Wrong field count, non-numeric id, or counts that do not match the lists.
    """
    for _, disease, omim, gwas in _parse(path):
        disease_id = mesh_disease_id(disease)
        omim_set, gwas_set = set(omim), set(gwas)
        for entrez in dict.fromkeys(omim + gwas):
            evidence = ";".join(
                name for name, genes in (("OMIM", omim_set), ("GWAS", gwas_set)) if entrez in genes
            )
            yield DiseaseGeneRow(
                disease_id=disease_id,
                entrez=entrez,
                evidence=evidence,
                source=SOURCE.name,
                source_version=SOURCE.version,
            )
