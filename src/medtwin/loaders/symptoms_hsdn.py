"""Human symptoms–disease network (Zhou et al. 2014), DO-mapped subset, with MeSH ids.

Files:

- ``symptoms-DO.tsv`` (10,465 links, 316 symptoms × 119 MeSH diseases): ``symptom_name,
  disease_name, cooccurs, tfidf_score, disease_id, symptom_id, doid_code, doid_name``.
  ``tfidf_score`` is Zhou's TF-IDF weight of the symptom for the disease (comparable within a
  disease only), ``cooccurs`` the PubMed co-occurrence count, ids are MeSH D-ids.
- ``Symptom-Occurence-Output.tsv`` (322 symptoms): ``<index>, MeSH Symptom Term, PubMed
  occurrence, MeSH Symptom ID``.
- ``Disease-Occurence-Output.tsv`` (4,442 diseases; 3 without id): ``<index>, MeSH Disease Term,
  PubMed occurrence, MeSH Disease ID``; used as a term → MeSH id map for other sources' diseases.

Disease ids are ``mesh:<lower-case term>`` like Menche/Guney, so ``Breast Neoplasms`` joins
``breast neoplasms``; the MeSH D-id goes to ``DiseaseRow.mesh_id``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, SourceInfo, check_header, mesh_disease_id, tsv_lines
from medtwin.loaders.rows import DiseaseRow, DiseaseSymptomRow, SymptomRow

__all__ = [
    "SOURCE",
    "read_disease_mesh_ids",
    "read_disease_symptoms",
    "read_diseases",
    "read_symptoms",
]

log = logging.getLogger(__name__)

SOURCE = SourceInfo(
    name="hsdn_zhou2014",
    url="https://github.com/dhimmel/hsdn/tree/c8a8221a5b25d086760e3deb24ec4a66006adc37",
    version="dhimmel/hsdn@c8a8221; LABrueggs/HSDN@317e8d6",
    licence="Zhou et al. supplementary data (c) Macmillan, reuse with discretion; dhimmel/hsdn CC0",
    files=("symptoms-DO.tsv", "Symptom-Occurence-Output.tsv", "Disease-Occurence-Output.tsv"),
    citation="Zhou X, Menche J, Barabasi A-L, Sharma A. Human symptoms-disease network. "
    "Nat Commun 5:4212 (2014). doi:10.1038/ncomms5212",
)

LINK_COLUMNS = (
    "symptom_name",
    "disease_name",
    "cooccurs",
    "tfidf_score",
    "disease_id",
    "symptom_id",
    "doid_code",
    "doid_name",
)
SYMPTOM_COLUMNS = ("", "MeSH Symptom Term", "PubMed occurrence", "MeSH Symptom ID")
DISEASE_COLUMNS = ("", "MeSH Disease Term", "PubMed occurrence", "MeSH Disease ID")


def _mesh_id(value: str, path: Path, line: int) -> str:
    text = value.strip()
    if not (len(text) > 1 and text[0] in "DC" and text[1:].isdigit()):
        raise SourceFormatError(path, line, f"expected a MeSH id like D000006, got {value!r}")
    return text


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, columns)
        break
    for line, fields in lines:
        if len(fields) != len(columns):
            raise SourceFormatError(
                path, line, f"expected {len(columns)} tab-separated fields, got {len(fields)}"
            )
        yield line, fields


def read_symptoms(path: Path) -> Iterator[SymptomRow]:
    """Yield the 322 HSDN symptoms of ``Symptom-Occurence-Output.tsv``.

    Raises
    ------
    SourceFormatError
        Wrong header or field count, or a malformed MeSH id.
    """
    for line, fields in _rows(path, SYMPTOM_COLUMNS):
        yield SymptomRow(
            id=_mesh_id(fields[3], path, line),
            name=fields[1].strip(),
            source=SOURCE.name,
            source_version=SOURCE.version,
        )


def _links(path: Path) -> Iterator[tuple[int, list[str], float, int]]:
    for line, fields in _rows(path, LINK_COLUMNS):
        try:
            tfidf = float(fields[3])
            cooccurs = int(fields[2])
        except ValueError:
            raise SourceFormatError(
                path,
                line,
                f"cooccurs must be an integer and tfidf_score a number, got {fields[2]!r}, "
                f"{fields[3]!r}",
            ) from None
        if not math.isfinite(tfidf) or tfidf < 0 or cooccurs < 0:
            raise SourceFormatError(
                path, line, f"tfidf_score and cooccurs must be >= 0, got {tfidf}, {cooccurs}"
            )
        yield line, fields, tfidf, cooccurs


def read_diseases(path: Path) -> Iterator[DiseaseRow]:
    """Yield the 119 diseases of ``symptoms-DO.tsv`` (``mesh:<term>`` with their MeSH D-id).

    Raises
    ------
    SourceFormatError
        As :func:`read_disease_symptoms`.
    """
    seen: set[str] = set()
    for line, fields, _, _ in _links(path):
        disease_id = mesh_disease_id(fields[1])
        if disease_id in seen:
            continue
        seen.add(disease_id)
        yield DiseaseRow(
            id=disease_id,
            name=fields[1].strip(),
            mesh_id=_mesh_id(fields[4], path, line),
            source=SOURCE.name,
            source_version=SOURCE.version,
        )


def read_disease_symptoms(path: Path) -> Iterator[DiseaseSymptomRow]:
    """Yield one row per (disease, symptom) of ``symptoms-DO.tsv``.

    A pair listed twice (once per DOID mapping) is kept once (first row).

    Raises
    ------
    SourceFormatError
        Wrong header or field count, non-numeric weights, malformed MeSH ids.
    """
    drops = DropCounter(log, path)
    seen: set[tuple[str, str]] = set()
    for line, fields, tfidf, cooccurs in _links(path):
        key = (mesh_disease_id(fields[1]), _mesh_id(fields[5], path, line))
        if key in seen:
            drops.drop("repeated (disease, symptom) pairs")
            continue
        seen.add(key)
        yield DiseaseSymptomRow(
            disease_id=key[0],
            symptom_id=key[1],
            tfidf=tfidf,
            cooccurs=cooccurs,
            source=SOURCE.name,
            source_version=SOURCE.version,
        )
    drops.report(len(seen), "disease-symptom pairs")


def read_disease_mesh_ids(path: Path) -> dict[str, str]:
    """Return ``mesh:<lower-case term>`` → MeSH D-id from ``Disease-Occurence-Output.tsv``.

    Rows without an id (3 in the real file) are counted in one WARNING.
    """
    drops = DropCounter(log, path)
    ids: dict[str, str] = {}
    for line, fields in _rows(path, DISEASE_COLUMNS):
        if not fields[3].strip():
            drops.drop("diseases without a MeSH id")
            continue
        ids.setdefault(mesh_disease_id(fields[1]), _mesh_id(fields[3], path, line))
    drops.report(len(ids), "disease MeSH ids")
    return ids
