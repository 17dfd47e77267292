"""Known drug–disease indications, development split (MEDI, NDF-RT, KEGG, Metab2MeSH; Guney).

File ``disease_to_drugs_dev.tsv``: header ``source, disease_mesh_name, drugbank_id``; 15,853 pairs
over 1,029 diseases. For validation of rankings only: never an input of a ranking method. The
held-back split is not public here, so this file is pinned as mirror-only in ``sources.toml``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import SourceInfo, check_header, mesh_disease_id, tsv_lines
from medtwin.loaders.rows import DiseaseRow, IndicationRow

__all__ = ["SOURCE", "read_diseases", "read_indications"]

log = logging.getLogger(__name__)

SOURCE = SourceInfo(
    name="indications_dev",
    url="https://github.com/emreg00/proximity/tree/6c7ce98762dc96d4d6bc8c988146f587ba50dce9/data/indication",
    version="dev split of emreg00/proximity@6c7ce98",
    licence="MEDI CC BY-NC-SA 3.0; NDF-RT, KEGG, Metab2MeSH per their terms",
    files=("disease_to_drugs_dev.tsv",),
    citation="Guney E et al. Nat Commun 7:10331 (2016). doi:10.1038/ncomms10331",
)

COLUMNS = ("source", "disease_mesh_name", "drugbank_id")


def _parse(path: Path) -> Iterator[tuple[int, str, str, str]]:
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(COLUMNS):
            raise SourceFormatError(path, line, f"expected 3 tab-separated fields, got {fields}")
        origin, disease, drug = (f.strip() for f in fields)
        if not (drug.startswith("DB") and drug[2:].isdigit()):
            raise SourceFormatError(path, line, f"drugbank_id must look like DB00001, got {drug!r}")
        if not origin or not disease:
            raise SourceFormatError(path, line, "empty source or disease_mesh_name")
        yield line, origin, disease, drug


def read_indications(path: Path) -> Iterator[IndicationRow]:
    """Yield one row per (indication source, disease, drug).

    Raises
    ------
    SourceFormatError
        Wrong header or field count, empty names, or a malformed DrugBank id.
    """
    for _, origin, disease, drug in _parse(path):
        yield IndicationRow(
            disease_id=mesh_disease_id(disease),
            drug_id=drug,
            indication_source=origin,
            source=SOURCE.name,
            source_version=SOURCE.version,
        )


def read_diseases(path: Path) -> Iterator[DiseaseRow]:
    """Yield the distinct diseases of the indication file (``mesh:<term>``, no MeSH id)."""
    seen: set[str] = set()
    for _, _, disease, _ in _parse(path):
        disease_id = mesh_disease_id(disease)
        if disease_id not in seen:
            seen.add(disease_id)
            yield DiseaseRow(
                id=disease_id,
                name=disease,
                mesh_id=None,
                source=SOURCE.name,
                source_version=SOURCE.version,
            )
