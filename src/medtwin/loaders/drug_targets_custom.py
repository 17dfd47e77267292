"""A user's own drugs: a TSV of drug–target pairs for ``medtwin rank --targets FILE``.

One row per drug–target pair; a drug combination is one ``drug_id`` with the union of its
components' targets. Columns (case-insensitive; TSV, or CSV by extension, as the patient tables
in :mod:`medtwin.loaders.patient_io`; ``#`` lines are comments):

=========  ========  ==========================================================================
column     required  meaning
=========  ========  ==========================================================================
drug_id    yes       the drug's id (``[A-Za-z0-9_.:+-]``, up to 64 characters), e.g. ``TRIAL-7``
                     or ``DB00001+DB00002`` for a combination; aliases ``drug``
gene       yes       the target: HGNC symbol (``TNF``), a unique synonym or an Entrez id
                     (``7124``); aliases ``target``, ``symbol``, ``entrez``, ``gene_symbol``
drug_name  no        a readable name; one name per drug id; alias ``name``
action     no        the action on that target, in the words of :mod:`medtwin.loaders.actions`
                     (``inhibitor``, ``antagonist``, ``agonist``, ``activator``, ...; several
                     words separated by ``|``); empty or other words: unknown direction
=========  ========  ==========================================================================

:func:`read_custom_targets` turns the file into typed rows (nothing resolved);
:func:`resolve_custom_targets` maps genes to Entrez ids with a
:class:`~medtwin.loaders.patient_rows.GeneResolver` (the genes already in the database) and
groups the rows by drug. Genes that do not resolve are counted and named in one WARNING; a drug
whose genes all fail to resolve is kept with no target, so it is still reported (with
``n_targets_in_network = 0``) rather than dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from medtwin.errors import SourceFormatError
from medtwin.loaders.actions import ACTIVATE, INHIBIT, direction_of, normalise_action
from medtwin.loaders.limits import bounded_lines, shown
from medtwin.loaders.patient_io import Table, TableStream, stream_table
from medtwin.loaders.patient_rows import GeneResolver

__all__ = [
    "CustomDrug",
    "CustomTargetRow",
    "CustomTargets",
    "custom_target_rows",
    "is_target_table",
    "iter_custom_targets",
    "read_custom_targets",
    "resolve_custom_targets",
]

log = logging.getLogger(__name__)

DRUG_ID_ALIASES = ("drug_id", "drug")
GENE_ALIASES = ("gene", "target", "symbol", "gene_symbol", "entrez", "entrez_id")
NAME_ALIASES = ("drug_name", "name")
ACTION_ALIASES = ("action", "actions")
# The first character is a letter, digit or _: an id that starts with = + - @ would be a formula
# in any spreadsheet the ranking is exported to.
_DRUG_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:+-]{0,63}")

Direction = Literal["inhibit", "activate", "unknown"]


class CustomTargetRow(BaseModel):
    """One drug–target pair of a custom targets file, as written (genes not yet resolved).

    Attributes
    ----------
    drug_id
        The drug's id.
    drug_name
        Its name, when the file gives one.
    gene
        The target as written (symbol, synonym or Entrez id).
    actions
        The action words of the row (may be empty).
    direction
        ``"inhibit"``, ``"activate"`` or ``"unknown"``
        (:func:`medtwin.loaders.actions.direction_of`).
    line
        1-based line number in the file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    drug_id: str
    drug_name: str | None
    gene: str
    actions: tuple[str, ...]
    direction: Direction
    line: int


@dataclass(frozen=True)
class CustomDrug:
    """One drug of a custom targets file with its resolved targets.

    Attributes
    ----------
    drug_id, name
        As in the file (``name`` ``None`` when the file has no drug_name).
    targets
        Distinct Entrez ids in file order.
    directions
        ``"inhibit"``/``"activate"``/``"unknown"`` per target, aligned with ``targets``.
    unmapped
        Genes of this drug that did not resolve, in file order.
    """

    drug_id: str
    name: str | None
    targets: tuple[str, ...]
    directions: tuple[Direction, ...]
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class CustomTargets:
    """The drugs of a custom targets file.

    Attributes
    ----------
    drugs
        One per drug id, in file order (drugs without a resolved target included).
    unmapped
        Distinct genes that did not resolve, sorted.
    n_rows
        Data rows read.
    """

    drugs: tuple[CustomDrug, ...]
    unmapped: tuple[str, ...]
    n_rows: int


def _actions(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split("|") if w.strip())


def is_target_table(path: Path) -> bool:
    """Whether ``path`` is a drug–target table (a header naming a drug id and a gene column).

    ``medtwin screen --targets`` reads either this table (``rank --targets``' format) or
    GMT-like ``drug<TAB>name<TAB>gene…`` lines; read as GMT, the table's header became a drug and
    each row's gene its description (``screen --targets trial_drugs.tsv`` screened nonsense).
    """
    for _, text in bounded_lines(path):
        if text.strip() and not text.lstrip().startswith("#"):
            names = {
                f.strip().strip('"').lower() for f in re.split(r"[\t,]", text.lstrip("\ufeff"))
            }
            return bool(names & set(DRUG_ID_ALIASES)) and bool(names & set(GENE_ALIASES))
    return False


def read_custom_targets(path: Path) -> list[CustomTargetRow]:
    """Read a custom drug–target file into rows (format in the module docstring).

    Parameters
    ----------
    path
        The TSV (or ``.csv``) file.

    Returns
    -------
    list of CustomTargetRow
        One per data row, in file order (:func:`iter_custom_targets` yields them one by one).

    Raises
    ------
    SourceFormatError
        A missing ``drug_id`` or ``gene`` column, an empty or malformed drug id, an empty gene,
        two names for one drug id, a wrong field count, or a file without data rows; the message
        names file, line and value, and the fix.
    """
    return list(iter_custom_targets(path))


def iter_custom_targets(path: Path) -> Iterator[CustomTargetRow]:
    """The rows of a custom drug–target file as it is read (:func:`read_custom_targets`).

    The file is read line by line as the rows are taken, so a caller that groups them
    (:func:`resolve_custom_targets`) holds no row: the rows of a file at the 500,000-line limit
    held as text and models took ~1 GB.
    """
    return custom_target_rows(stream_table(path))


def custom_target_rows(table: Table | TableStream) -> Iterator[CustomTargetRow]:
    """The rows of a custom drug–target file, checked as ``table.rows`` yields them.

    For a caller that records the file's checksum as well: a :class:`TableStream`'s ``digest``
    is whole, of the bytes read, once the rows are exhausted. The errors are those of
    :func:`read_custom_targets`, each raised when its line is reached.
    """
    path = table.path
    drug_i = table.column("drug_id", DRUG_ID_ALIASES)
    gene_i = table.column("gene", GENE_ALIASES)
    name_i = table.column("drug_name", NAME_ALIASES, required=False)
    action_i = table.column("action", ACTION_ALIASES, required=False)
    assert drug_i is not None
    assert gene_i is not None
    names: dict[str, tuple[str, int]] = {}
    n_rows = 0
    unknown_words: set[str] = set()
    for line, fields in table.rows:
        if n_rows == 0 and table.header[0] == "":
            # the table readers take an extra first field for R row names; this format has none
            raise SourceFormatError(
                path,
                line,
                f"{len(fields)} fields but the header (line {table.header_line}) names "
                f"{len(table.header) - 1}; check the delimiter and quoting of this line",
            )
        drug_id, gene = fields[drug_i], fields[gene_i]
        if not _DRUG_ID.fullmatch(drug_id):
            raise SourceFormatError(
                path,
                line,
                f"drug_id {shown(drug_id)} is empty or malformed; use up to 64 letters, digits "
                "and _ . : + -, starting with a letter, digit or _ (e.g. TRIAL-7 or "
                "DB00001+DB00002 for a combination)",
            )
        if not gene:
            raise SourceFormatError(
                path, line, f"empty gene for drug {drug_id!r}; give an HGNC symbol or Entrez id"
            )
        name = (fields[name_i] or None) if name_i is not None else None
        if name is not None:
            first, first_line = names.setdefault(drug_id, (name, line))
            if first != name:
                raise SourceFormatError(
                    path,
                    line,
                    f"drug {drug_id!r} is named {name!r} here but {first!r} on line "
                    f"{first_line}; give one drug_name per drug_id",
                )
        actions = _actions(fields[action_i]) if action_i is not None else ()
        unknown_words |= {w for w in actions if normalise_action(w) not in INHIBIT | ACTIVATE}
        n_rows += 1
        yield CustomTargetRow(
            drug_id=drug_id,
            drug_name=name,
            gene=gene,
            actions=actions,
            direction=direction_of(actions),
            line=line,
        )
    if not n_rows:
        raise SourceFormatError(
            path, None, "no drug–target rows; give one line per pair: drug_id<TAB>gene"
        )
    if unknown_words:
        log.warning(
            "%s: action word(s) %s have no known direction and count as unknown; known words "
            "are listed in medtwin.loaders.actions (inhibitor, antagonist, agonist, ...)",
            path.name,
            ", ".join(sorted(unknown_words)),
        )


def resolve_custom_targets(
    rows: Iterable[CustomTargetRow], genes: GeneResolver, *, source: str = "targets file"
) -> CustomTargets:
    """Map each row's gene to an Entrez id and group the rows by drug.

    A gene given twice for one drug counts once; when its two rows give opposite directions the
    target's direction is ``"unknown"``, and the pairs are named in one WARNING (before, said
    nowhere). Unresolved genes are named in one WARNING.

    Parameters
    ----------
    rows
        Rows of :func:`read_custom_targets` (or :func:`iter_custom_targets`: read once, as
        they come).
    genes
        Resolver of symbols, synonyms and Entrez ids (the genes in the database).
    source
        The file's name, for the warning.

    Returns
    -------
    CustomTargets

    Examples
    --------
    >>> class Genes:
    ...     def resolve(self, g): return {"TNF": "7124", "7124": "7124"}.get(g.upper())
    >>> row = lambda d, g, a: CustomTargetRow(drug_id=d, drug_name=None, gene=g,
    ...     actions=(a,), direction=direction_of([a]), line=2)
    >>> got = resolve_custom_targets([row("X", "TNF", "inhibitor"), row("X", "NOPE", ""),
    ...                               row("Y", "FOO", "agonist")], Genes())
    >>> [(d.drug_id, d.targets, d.directions) for d in got.drugs], got.unmapped
    ([('X', ('7124',), ('inhibit',)), ('Y', (), ())], ('FOO', 'NOPE'))
    """
    grouped: dict[str, dict[str, Direction]] = {}
    names: dict[str, str | None] = {}
    unmapped: dict[str, list[str]] = {}
    conflicts: list[str] = []
    n_conflicts = 0
    n_rows = 0
    for row in rows:
        n_rows += 1
        targets = grouped.setdefault(row.drug_id, {})
        names[row.drug_id] = names.get(row.drug_id) or row.drug_name
        lost = unmapped.setdefault(row.drug_id, [])
        entrez = genes.resolve(row.gene.strip())
        if entrez is None:
            if row.gene not in lost:
                lost.append(row.gene)
            continue
        old = targets.get(entrez)
        targets[entrez] = row.direction if old is None else _resolve_conflict(old, row.direction)
        if old not in (None, "unknown") and targets[entrez] == "unknown" and old != row.direction:
            n_conflicts += 1
            if len(conflicts) < 5:  # the first few named, the rest counted: bounded
                conflicts.append(f"{row.drug_id} {row.gene} (line {row.line})")
    drugs = tuple(
        CustomDrug(
            drug_id=d,
            name=names[d],
            targets=tuple(t),
            directions=tuple(t.values()),
            unmapped=tuple(unmapped[d]),
        )
        for d, t in grouped.items()
    )
    if conflicts:
        log.warning(
            "%s: %d drug-target pair(s) given opposite directions on two rows count as of "
            "unknown direction: %s; keep one row per pair (or the action both rows mean)",
            source,
            n_conflicts,
            "; ".join(conflicts) + ("; ..." if n_conflicts > len(conflicts) else ""),
        )
    all_unmapped = tuple(sorted({g for lost in unmapped.values() for g in lost}))
    if all_unmapped:
        shown = ", ".join(all_unmapped[:10]) + (", ..." if len(all_unmapped) > 10 else "")
        empty = sum(1 for d in drugs if not d.targets)
        log.warning(
            "%s: %d gene(s) did not resolve to a gene in the database and are left out: %s "
            "(%d drug(s) keep no target and are reported with n_targets_in_network = 0)",
            source,
            len(all_unmapped),
            shown,
            empty,
        )
    return CustomTargets(drugs=drugs, unmapped=all_unmapped, n_rows=n_rows)


def _resolve_conflict(old: Direction, new: Direction) -> Direction:
    if old == new or new == "unknown":
        return old
    if old == "unknown":
        return new
    return "unknown"  # inhibit on one row, activate on another
