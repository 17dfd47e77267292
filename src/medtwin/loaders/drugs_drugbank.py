"""DrugBank 4.2 drugs and drug–protein links, as released by ``dhimmel/drugbank``.

Files: ``drugbank_drugs.tsv`` (7,759 drugs; columns ``drugbank_id, name, type, groups,
atc_codes, categories, inchikey``, lists ``|``-separated) and ``proteins.tsv`` (19,906 links;
``drugbank_id, category, uniprot_id, entrez_gene_id, organism, known_action, actions,
pubmed_ids``).

Drug targets: only ``organism == "Human"`` rows are kept (the rest, bacteria and other
organisms, are counted in one WARNING). Several rows can link one drug to one gene (different
UniProt entries or categories; 120 pairs): they are merged into one row whose ``actions`` is the
union, ``category`` the first by priority target > enzyme > transporter > carrier, and
``known_action`` ``yes`` if any row says so. ``direction`` follows :mod:`medtwin.loaders.actions`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.actions import direction_of, normalise_action
from medtwin.loaders.base import (
    DropCounter,
    SourceInfo,
    check_header,
    parse_entrez,
    split_list,
    tsv_lines,
)
from medtwin.loaders.rows import DrugRow, DrugTargetRow

__all__ = ["SOURCE", "read_drug_targets", "read_drugs"]

log = logging.getLogger(__name__)

SOURCE = SourceInfo(
    name="drugbank_dhimmel",
    url="https://github.com/dhimmel/drugbank/tree/6b9ae386d6ba4a0eca2d66d4b0337a6e90fe81f4/data",
    version="4.2 (dhimmel/drugbank@6b9ae38)",
    licence="CC BY-NC 4.0 (DrugBank content); repository CC0 1.0",
    files=("drugbank_drugs.tsv", "proteins.tsv"),
    citation="Law V et al. DrugBank 4.0. Nucleic Acids Res 42:D1091 (2014). "
    "doi:10.1093/nar/gkt1068",
)

DRUG_COLUMNS = ("drugbank_id", "name", "type", "groups", "atc_codes", "categories", "inchikey")
PROTEIN_COLUMNS = (
    "drugbank_id",
    "category",
    "uniprot_id",
    "entrez_gene_id",
    "organism",
    "known_action",
    "actions",
    "pubmed_ids",
)
_CATEGORY_PRIORITY = {"target": 0, "enzyme": 1, "transporter": 2, "carrier": 3}


def _drug_id(value: str, path: Path, line: int) -> str:
    text = value.strip()
    if not (text.startswith("DB") and text[2:].isdigit()):
        raise SourceFormatError(path, line, f"drugbank_id must look like DB00001, got {value!r}")
    return text


def _optional(value: str) -> str | None:
    text = value.strip()
    return text or None


def read_drugs(path: Path) -> Iterator[DrugRow]:
    """Yield every drug of ``drugbank_drugs.tsv``.

    Parameters
    ----------
    path
        ``drugbank_drugs.tsv``.

    Yields
    ------
    DrugRow
        ``drug_type`` is DrugBank's ``type`` (small molecule / biotech).

    Raises
    ------
    SourceFormatError
        Wrong header, wrong field count or a malformed DrugBank id.
    """
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, DRUG_COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(DRUG_COLUMNS):
            raise SourceFormatError(
                path, line, f"expected {len(DRUG_COLUMNS)} tab-separated fields, got {len(fields)}"
            )
        yield DrugRow(
            id=_drug_id(fields[0], path, line),
            name=fields[1].strip(),
            drug_type=_optional(fields[2]),
            groups=split_list(fields[3], "|"),
            atc_codes=split_list(fields[4], "|"),
            inchikey=_optional(fields[6]),
            source=SOURCE.name,
            source_version=SOURCE.version,
        )


def read_drug_targets(path: Path) -> Iterator[DrugTargetRow]:
    """Yield one row per (drug, human gene) of ``proteins.tsv``.

    Parameters
    ----------
    path
        ``proteins.tsv``.

    Yields
    ------
    DrugTargetRow
        ``actions`` normalised (lower case, sorted), ``category`` and ``known_action`` kept.

    Raises
    ------
    SourceFormatError
        Wrong header, wrong field count, malformed DrugBank id or non-numeric human gene id.
    """
    drops = DropCounter(log, path)
    merged: dict[tuple[str, str], tuple[set[str], str, str | None]] = {}
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, PROTEIN_COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(PROTEIN_COLUMNS):
            raise SourceFormatError(
                path,
                line,
                f"expected {len(PROTEIN_COLUMNS)} tab-separated fields, got {len(fields)}",
            )
        drug_id = _drug_id(fields[0], path, line)
        if fields[4].strip() != "Human":
            drops.drop("non-human targets")
            continue
        entrez = parse_entrez(fields[3], path, line, "entrez_gene_id")
        category = fields[1].strip().lower()
        known = _optional(fields[5])
        actions = {normalise_action(a) for a in split_list(fields[6], "|")}
        key = (drug_id, entrez)
        if key in merged:
            drops.drop("repeated (drug, gene) rows merged")
            old_actions, old_category, old_known = merged[key]
            if _CATEGORY_PRIORITY.get(category, 9) < _CATEGORY_PRIORITY.get(old_category, 9):
                old_category = category
            merged[key] = (
                old_actions | actions,
                old_category,
                "yes" if "yes" in (known, old_known) else old_known,
            )
        else:
            merged[key] = (actions, category, known)
    for (drug_id, entrez), (actions, category, known) in merged.items():
        yield DrugTargetRow(
            drug_id=drug_id,
            entrez=entrez,
            actions=tuple(sorted(actions)),
            direction=direction_of(actions),
            category=category or None,
            known_action=known,
            source=SOURCE.name,
            source_version=SOURCE.version,
        )
    drops.report(len(merged), "drug-target pairs")
