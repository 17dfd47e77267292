"""DrugCentral (2016 snapshot) mechanism-of-action targets, mapped to DrugBank ids and Entrez genes.

Files: ``drug_target.tsv`` (2,373 rows, 11 columns: ``DRUG_ID, CHEMBL_ID, DRUG_NAME,
TARGET_NAME, TARGET_FAMILY, UNIPROT, GENE, SWISSPROT, ACTION_TYPE, SOURCE, REFERENCE``; ``GENE``
holds ``|``-separated HGNC symbols for multi-component targets) and ``identifiers.tsv``
(``DRUG_ID, "DRUG_NAME", "ID_TYPE", "IDENTIFIER"``, values in double quotes).

Mapping:

- drug: the DrugBank id from ``identifiers.tsv`` (``ID_TYPE == "DRUGBANK_ID"``); drugs without one
  become ``"drugcentral:<DRUG_ID>"``. When a drug has several (53 of the 1,577 drugs with targets),
  the one whose DrugBank name equals DrugCentral's ``DRUG_NAME`` (case-insensitive, exact) when
  exactly one does, else the lowest (sorted) id. The lowest id alone joined 29 drugs with targets
  to another DrugBank record (a parent, prodrug or development code), e.g. acetylsalicylic acid to
  salicylic acid (DB00936, not DB00945) and droxidopa to norepinephrine: their targets and actions
  went to the other drug. The name rule needs DrugBank's names (``drugbank_names``, from
  :func:`medtwin.loaders.drugs_drugbank.read_drugs`); without them the lowest id is kept (as
  before stop 25). Exact names only (DrugBank 4.2 here has no synonyms), so a few stay on the
  lowest id, e.g. levodopa on dopamine (DrugBank names it "L-DOPA"). Drugs with no DrugBank id are
  not joined by name: none of the 128 has a DrugBank 4.2 drug of the same name (checked, stop 25).
- gene: each symbol of ``GENE`` resolved by :class:`~medtwin.loaders.genes_ncbi.GeneIndex`
  (official symbol, else unique synonym). Unmapped symbols (non-human, mitochondrial,
  single letters; 95 in the real file) are dropped and counted in one WARNING.

Rows for one (drug, gene) are merged (actions united). ``category`` is ``"target"``
(DrugCentral lists efficacy targets only); ``known_action`` is ``None`` (not given).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
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


def read_drugbank_map(
    identifiers: Path, drugbank_names: Mapping[str, str | None] | None = None
) -> dict[str, str]:
    r"""Return DrugCentral ``DRUG_ID`` → DrugBank id.

    Parameters
    ----------
    identifiers
        ``identifiers.tsv``.
    drugbank_names
        DrugBank id → name. Where a drug has several DrugBank ids, the one whose name equals the
        drug's ``DRUG_NAME`` (case-insensitive) wins when exactly one does; otherwise, and
        without names, the lowest (sorted) id.

    Raises
    ------
    SourceFormatError
        Wrong header, wrong field count or non-numeric ``DRUG_ID``.

    Examples
    --------
    A drug listed with salicylic acid's id and its own keeps its own when names are given:

    >>> import tempfile
    >>> rows = ['DRUG_ID\tDRUG_NAME\tID_TYPE\tIDENTIFIER',
    ...         '74\t"acetylsalicylic acid"\t"DRUGBANK_ID"\t"DB00936"',
    ...         '74\t"acetylsalicylic acid"\t"DRUGBANK_ID"\t"DB00945"']
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "identifiers.tsv"
    ...     _ = path.write_text("\n".join(rows) + "\n")
    ...     names = {"DB00936": "Salicylic acid", "DB00945": "Acetylsalicylic acid"}
    ...     read_drugbank_map(path), read_drugbank_map(path, names)
    ({'74': 'DB00936'}, {'74': 'DB00945'})
    """
    ids: dict[str, set[str]] = {}
    names: dict[str, str] = {}
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
            names[drug] = _unquote(fields[1])
    return {drug: _pick(values, names[drug], drugbank_names) for drug, values in ids.items()}


def _pick(ids: set[str], name: str, drugbank_names: Mapping[str, str | None] | None) -> str:
    """The DrugBank id of one DrugCentral drug among ``ids`` (see :func:`read_drugbank_map`)."""
    if len(ids) > 1 and drugbank_names is not None:
        same = [i for i in ids if (drugbank_names.get(i) or "").casefold() == name.casefold()]
        if len(same) == 1:
            return same[0]
    return min(ids)


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


def read_drugs(
    path: Path, identifiers: Path, drugbank_names: Mapping[str, str | None] | None = None
) -> Iterator[DrugRow]:
    """Yield one :class:`DrugRow` per drug of ``drug_target.tsv`` with its mapped id.

    Parameters
    ----------
    path
        ``drug_target.tsv``.
    identifiers
        ``identifiers.tsv``.
    drugbank_names
        DrugBank id → name, to choose among several DrugBank ids (:func:`read_drugbank_map`).

    Yields
    ------
    DrugRow
        ``id`` a DrugBank id or ``drugcentral:<DRUG_ID>``; ``name`` the lower-case INN;
        type, groups, ATC codes and InChIKey unknown (``None``/empty).
    """
    drugbank = read_drugbank_map(identifiers, drugbank_names)
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


def read_drug_targets(
    path: Path,
    identifiers: Path,
    genes: GeneIndex,
    drugbank_names: Mapping[str, str | None] | None = None,
) -> Iterator[DrugTargetRow]:
    """Yield one row per (drug, human gene) of ``drug_target.tsv``.

    Parameters
    ----------
    path
        ``drug_target.tsv``.
    identifiers
        ``identifiers.tsv`` (for DrugBank ids).
    genes
        Resolver of HGNC symbols to Entrez ids.
    drugbank_names
        DrugBank id → name, to choose among several DrugBank ids (:func:`read_drugbank_map`).

    Yields
    ------
    DrugTargetRow
        ``actions`` lower case, ``direction`` by :func:`medtwin.loaders.actions.direction_of`.

    Raises
    ------
    SourceFormatError
        Wrong header or field count, non-numeric ``DRUG_ID``.
    """
    drugbank = read_drugbank_map(identifiers, drugbank_names)
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
