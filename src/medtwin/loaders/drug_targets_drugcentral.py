"""DrugCentral (2016 snapshot) mechanism-of-action targets, mapped to DrugBank ids and Entrez genes.

Files: ``drug_target.tsv`` (2,373 rows, 11 columns: ``DRUG_ID, CHEMBL_ID, DRUG_NAME,
TARGET_NAME, TARGET_FAMILY, UNIPROT, GENE, SWISSPROT, ACTION_TYPE, SOURCE, REFERENCE``; ``GENE``
holds ``|``-separated HGNC symbols for multi-component targets) and ``identifiers.tsv``
(``DRUG_ID, "DRUG_NAME", "ID_TYPE", "IDENTIFIER"``, values in double quotes).

Mapping:

- drug: the DrugBank id from ``identifiers.tsv`` (``ID_TYPE == "DRUGBANK_ID"``); when a drug has
  several, the lowest (sorted) id; drugs without one become ``"drugcentral:<DRUG_ID>"``.
- gene: each symbol of ``GENE`` resolved by :class:`~medtwin.loaders.genes_ncbi.GeneIndex`
  (official symbol, else unique synonym). Unmapped symbols (non-human, mitochondrial,
  single letters; 95 in the real file) are dropped and counted in one WARNING.

Rows for one (drug, gene) are merged (actions united). ``category`` is ``"target"``
(DrugCentral lists efficacy targets only); ``known_action`` is ``None`` (not given).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.actions import direction_of, normalise_action
from medtwin.loaders.base import DropCounter, SourceInfo, check_header, split_list, tsv_lines
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import DrugRow, DrugTargetRow

__all__ = ["SOURCE", "read_drug_targets", "read_drugbank_map", "read_drugs"]

log = logging.getLogger(__name__)

SOURCE = SourceInfo(
    name="drugcentral_2016",
    url="https://github.com/olegursu/drugtarget/tree/64630f7c2bc050f5af0a7cac7b08e778125284bc",
    version="2016-11-16 (olegursu/drugtarget@64630f7)",
    licence="CC BY 4.0 (attribute DrugCentral)",
    files=("drug_target.tsv", "identifiers.tsv"),
    citation="Ursu O et al. DrugCentral: online drug compendium. Nucleic Acids Res 45:D932 "
    "(2017). doi:10.1093/nar/gkw993",
)

TARGET_COLUMNS = (
    "DRUG_ID",
    "CHEMBL_ID",
    "DRUG_NAME",
    "TARGET_NAME",
    "TARGET_FAMILY",
    "UNIPROT",
    "GENE",
    "SWISSPROT",
    "ACTION_TYPE",
    "SOURCE",
    "REFERENCE",
)
IDENTIFIER_COLUMNS = ("DRUG_ID", "DRUG_NAME", "ID_TYPE", "IDENTIFIER")


def _unquote(value: str) -> str:
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text


def _drugcentral_id(value: str, path: Path, line: int) -> str:
    if not value.strip().isdigit():
        raise SourceFormatError(path, line, f"DRUG_ID must be an integer, got {value!r}")
    return value.strip()


def read_drugbank_map(identifiers: Path) -> dict[str, str]:
    """Return DrugCentral ``DRUG_ID`` → DrugBank id (the lowest when several).

    Raises
    ------
    SourceFormatError
        Wrong header, wrong field count or non-numeric ``DRUG_ID``.
    """
    ids: dict[str, set[str]] = {}
    lines = tsv_lines(identifiers)
    for line, fields in lines:
        check_header(identifiers, line, fields, IDENTIFIER_COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(IDENTIFIER_COLUMNS):
            raise SourceFormatError(
                identifiers, line, f"expected 4 tab-separated fields, got {len(fields)}"
            )
        drug = _drugcentral_id(fields[0], identifiers, line)
        if _unquote(fields[2]) == "DRUGBANK_ID":
            ids.setdefault(drug, set()).add(_unquote(fields[3]))
    return {drug: min(values) for drug, values in ids.items()}


def _targets(path: Path) -> Iterator[tuple[int, str, str, tuple[str, ...], str]]:
    """Yield ``(line, DRUG_ID, DRUG_NAME, gene symbols, ACTION_TYPE)``."""
    lines = tsv_lines(path)
    for line, fields in lines:
        check_header(path, line, fields, TARGET_COLUMNS)
        break
    for line, fields in lines:
        if len(fields) != len(TARGET_COLUMNS):
            raise SourceFormatError(
                path,
                line,
                f"expected {len(TARGET_COLUMNS)} tab-separated fields, got {len(fields)}",
            )
        drug = _drugcentral_id(fields[0], path, line)
        yield line, drug, fields[2].strip(), split_list(fields[6], "|"), fields[8].strip()


def read_drugs(path: Path, identifiers: Path) -> Iterator[DrugRow]:
    """Yield one :class:`DrugRow` per drug of ``drug_target.tsv`` with its mapped id.

    Parameters
    ----------
    path
        ``drug_target.tsv``.
    identifiers
        ``identifiers.tsv``.

    Yields
    ------
    DrugRow
        ``id`` a DrugBank id or ``drugcentral:<DRUG_ID>``; ``name`` the lower-case INN;
        type, groups, ATC codes and InChIKey unknown (``None``/empty).
    """
    drugbank = read_drugbank_map(identifiers)
    seen: set[str] = set()
    for _, drug, name, _, _ in _targets(path):
        if drug in seen:
            continue
        seen.add(drug)
        yield DrugRow(
            id=drugbank.get(drug, f"drugcentral:{drug}"),
            name=name,
            drug_type=None,
            groups=(),
            atc_codes=(),
            inchikey=None,
            source=SOURCE.name,
            source_version=SOURCE.version,
        )


def read_drug_targets(path: Path, identifiers: Path, genes: GeneIndex) -> Iterator[DrugTargetRow]:
    """Yield one row per (drug, human gene) of ``drug_target.tsv``.

    Parameters
    ----------
    path
        ``drug_target.tsv``.
    identifiers
        ``identifiers.tsv`` (for DrugBank ids).
    genes
        Resolver of HGNC symbols to Entrez ids.

    Yields
    ------
    DrugTargetRow
        ``actions`` lower case, ``direction`` by :func:`medtwin.loaders.actions.direction_of`.

    Raises
    ------
    SourceFormatError
        Wrong header or field count, non-numeric ``DRUG_ID``.
    """
    drugbank = read_drugbank_map(identifiers)
    drops = DropCounter(log, path)
    unmapped: set[str] = set()
    merged: dict[tuple[str, str], set[str]] = {}
    for _, drug, _, symbols, action in _targets(path):
        drug_id = drugbank.get(drug, f"drugcentral:{drug}")
        if not symbols:
            drops.drop("rows without GENE")
        for symbol in symbols:
            entrez = genes.resolve(symbol)
            if entrez is None:
                drops.drop("target genes with an unmapped symbol")
                unmapped.add(symbol)
                continue
            actions = merged.setdefault((drug_id, entrez), set())
            if action:
                actions.add(normalise_action(action))
    if unmapped:
        log.debug("%s: unmapped symbols %s", path.name, sorted(unmapped))
    for (drug_id, entrez), actions in merged.items():
        yield DrugTargetRow(
            drug_id=drug_id,
            entrez=entrez,
            actions=tuple(sorted(actions)),
            direction=direction_of(actions),
            category="target",
            known_action=None,
            source=SOURCE.name,
            source_version=SOURCE.version,
        )
    drops.report(len(merged), f"drug-target pairs ({len(unmapped)} distinct unmapped symbols)")
