"""Gene names as patients' files write them: missing values, float ids, Ensembl versions, Excel.

Every patient reader keyed by gene (DE tables, protein and variant tables, cohort matrices, h5ad
``var_names``, a DataFrame given from Python) passes its gene names through
:func:`medtwin.loaders.patient_rows.resolve_gene`, which uses the rules here:

* **missing values are no gene.** ``NA``, ``NaN``, ``N/A``, ``NULL``, ``None``, ``-``, ``.``,
  ``#N/A`` or an empty cell (what R, pandas and Excel write for a gene without a symbol) never
  resolve, not even through a synonym: ``NA`` is a synonym of XK and ``NaN`` one of SCN11A in
  NCBI's gene_info, so a DESeq2 table whose unannotated genes read ``NA`` gave XK their fold
  change. Readers skip such rows and say so in one WARNING (:class:`MissingGenes`);
* an Entrez id written as an integral float (``7124.0``, what pandas writes for an integer
  column holding a NaN) is the id ``7124``; ``7124.5`` stays what it is (unresolved);
* names that did not resolve are explained when they look like what Excel makes of symbols
  (``2-Sep``, ``1-Mar``, date serial numbers; :func:`unmapped_hint`);
* an Ensembl gene id loses its version (``ENSG00000141510.17`` -> ``ENSG00000141510``), so it
  can resolve through the gene layer's Ensembl map (:class:`~medtwin.loaders.genes_ncbi.GeneIndex`);
  one that does not is explained among the unresolved names (:func:`unmapped_hint`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "MISSING_GENE_WORDS",
    "MissingGenes",
    "clean_gene_name",
    "hint_of_counts",
    "is_ensembl",
    "is_excel_made",
    "is_missing_gene",
    "listed_names",
    "shown_name",
    "unmapped_hint",
    "warn_mouse_case",
]

log = logging.getLogger(__name__)

MISSING_GENE_WORDS = frozenset({"", "na", "nan", "n/a", "null", "none", "-", ".", "#n/a"})
"""Gene cells (lower-cased, stripped) that mean "no gene" and never resolve."""

_FLOAT_ID = re.compile(r"([1-9][0-9]*)\.0+")
_ENSEMBL = re.compile(r"(ENS[A-Z]*G[0-9]{6,})(?:\.[0-9]+)?(?:_PAR_Y)?", re.IGNORECASE)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_EXCEL_DATE = re.compile(
    rf"[0-9]{{1,2}}-(?:{_MONTHS})(?:-[0-9]{{2,4}})?|(?:{_MONTHS})-[0-9]{{1,4}}"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?: 00:00(?::00)?)?|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
    re.IGNORECASE,
)
# Excel's serial numbers of the dates 2000-01-01 .. 2049-12-31 (a converted '2-Sep' of 2022 is
# 44806); only a hint among names that did not resolve, since Entrez ids of that size exist.
_SERIAL = range(36526, 54789)


def is_missing_gene(name: str) -> bool:
    """Whether a gene cell holds a missing-value word (module docstring), not a gene.

    Examples
    --------
    >>> [is_missing_gene(x) for x in ("NA", " nan ", "N/A", "-", "", "NAT2", "7124")]
    [True, True, True, True, True, False, False]
    """
    return name.strip().lower() in MISSING_GENE_WORDS


def clean_gene_name(name: str) -> str:
    """``name`` stripped, an integral float id made an integer, an Ensembl version dropped.

    Examples
    --------
    >>> clean_gene_name(" 7124.0 "), clean_gene_name("7124.5"), clean_gene_name("TP53")
    ('7124', '7124.5', 'TP53')
    >>> clean_gene_name("ENSG00000141510.17"), clean_gene_name("ensg00000141510")
    ('ENSG00000141510', 'ENSG00000141510')
    """
    name = name.strip()
    whole = _FLOAT_ID.fullmatch(name)
    if whole is not None:
        return whole.group(1)
    ensembl = _ENSEMBL.fullmatch(name)
    if ensembl is not None:
        return ensembl.group(1).upper()
    return name


def is_ensembl(name: str) -> bool:
    """Whether ``name`` is an Ensembl gene id (with or without its version).

    Examples
    --------
    >>> is_ensembl("ENSG00000141510.17"), is_ensembl("ENSMUSG00000059552"), is_ensembl("TP53")
    (True, True, False)
    """
    return _ENSEMBL.fullmatch(name.strip()) is not None


def is_excel_made(name: str) -> bool:
    """Whether ``name`` looks like a date (or date serial number) Excel made of a gene symbol."""
    text = name.strip()
    if _EXCEL_DATE.fullmatch(text):
        return True
    return text.isdigit() and int(text) in _SERIAL


NAME_CHARS = 60
"""Most characters of one unresolved name in a list of them (a cell may be a whole line)."""


def shown_name(name: str) -> str:
    """``name`` as typed, or its ``repr`` when that would not show it whole.

    That is: empty, a space at an end, or a character that is not printable (a line break, a
    terminal's escape sequence).

    >>> shown_name("GSM1"), shown_name(" GSM1"), shown_name("")
    ('GSM1', "' GSM1'", "''")
    """
    return name if name.isprintable() and name and name.strip() == name else repr(name)


def listed_names(names: Iterable[str]) -> str:
    r"""Unresolved names for a message: comma-joined, each cut and without control characters.

    A gene cell is whatever the file holds: a 1 MB line, or escape sequences that a terminal
    runs (``\x1b]0;…``) when the name is printed; such a name is shown as its ``repr``, and so
    is one that would not show where it starts and ends: empty, or with a space at an end
    (``explain P ''`` said ``no drug`` and nothing after).

    Examples
    --------
    >>> listed_names(["TNF", "TNF\x1b[2J", "X" * 70])[:20]
    "TNF, 'TNF\\x1b[2J', X"
    >>> listed_names(["X" * 70])[-20:]
    'XXX… (70 characters)'
    >>> print(listed_names(["", " DB00945 "]))
    '', ' DB00945 '
    """
    out = []
    for name in names:
        text = shown_name(name)
        if len(text) > NAME_CHARS:
            text = f"{text[:NAME_CHARS]}… ({len(name)} characters)"
        out.append(text)
    return ", ".join(out)


MOUSE_CASE_SHOWN = 5
"""Mouse-case symbols named in the warning of :func:`warn_mouse_case`."""


def _mouse_case(symbol: str) -> bool:
    """``Tnf``, ``Il6``, ``Cd4``: first letter upper, the rest lower (MGI's case, not HGNC's)."""
    return symbol[:1].isupper() and symbol[1:].islower()


def warn_mouse_case(source: str, symbols: Iterable[str | None]) -> bool:
    """One WARNING when most of a file's resolved gene symbols are written in mouse case.

    Symbols resolve in any case (:meth:`medtwin.loaders.genes_ncbi.GeneIndex.resolve`, as users
    paste ``tnf``), so a file of mouse genes resolves to their human namesakes without a word.
    Such files are kept (some users mean it), but said to be mouse: medtwin's genes are human.
    ``symbols``: the symbols as the file wrote them, of the genes that resolved (``None``, an
    Entrez id's, is not counted). Returns whether it warned.

    Examples
    --------
    >>> warn_mouse_case("mouse.tsv", ["Tnf", "Il6", "Cd4", "TP53", None])
    True
    >>> warn_mouse_case("human.tsv", ["TNF", "IL6", "C1orf112", "Tnf"])
    False
    """
    given = {s for s in symbols if s}
    mouse = sorted(s for s in given if _mouse_case(s))
    if 2 * len(mouse) <= len(given):
        return False
    more = f" and {len(mouse) - MOUSE_CASE_SHOWN} more" if len(mouse) > MOUSE_CASE_SHOWN else ""
    log.warning(
        "%s: %d of %d resolved gene symbols are written in mouse case (%s%s); medtwin maps "
        "genes to human genes by symbol, in any case, so mouse data should be mapped to human "
        "orthologs first (e.g. with MGI's HOM_MouseHumanSequence.rpt) and given as human symbols",
        source,
        len(mouse),
        len(given),
        listed_names(mouse[:MOUSE_CASE_SHOWN]),
        more,
    )
    return True


def unmapped_hint(names: Iterable[str]) -> str:
    """Why some unresolved names did not resolve, when it can be told from the names ('' else).

    Examples
    --------
    >>> unmapped_hint(["2-Sep", "1-Mar", "44806", "TP53X"])[:58]
    '3 of them look like dates Excel made of gene symbols (2-Se'
    >>> unmapped_hint(["ENSG00000000001.3", "NOTAGENE"])[:44]
    '1 of them are Ensembl ids not in the gene la'
    >>> unmapped_hint(["NOTAGENE"])
    ''
    """
    names = list(names)
    excel = [n for n in names if is_excel_made(n)]
    return hint_of_counts(len(excel), excel[:3], sum(1 for n in names if is_ensembl(n)))


def hint_of_counts(n_excel: int, excel_first: Sequence[str], n_ensembl: int) -> str:
    """:func:`unmapped_hint` from counts: of Excel-made names (and the first 3), of Ensembl ids.

    For a reader that counts the names as they come rather than holding them all.
    """
    hints = []
    if n_excel:
        hints.append(
            f"{n_excel} of them look like dates Excel made of gene symbols "
            f"({', '.join(excel_first[:3])}: Excel turns SEPT2, MARCH1, DEC1 ... into dates or "
            "date serial numbers when it opens a file); export the table again without opening "
            "it in Excel, or import the gene column as Text"
        )
    if n_ensembl:
        hints.append(
            f"{n_ensembl} of them are Ensembl ids not in the gene layer's Ensembl map "
            "(NCBI gene_info 2015, one Ensembl id per gene); add a symbol column (gene_name, "
            "symbol) to the file and it is used for those rows"
        )
    return "; ".join(hints)


@dataclass
class MissingGenes:
    """Counts a file's rows whose gene is a missing-value word; one WARNING for all of them.

    Attributes
    ----------
    source
        The file's name, for the message.
    where
        What a position is (``"line"``, or ``"var index position"`` for h5ad).
    """

    source: str
    where: str = "line"
    count: int = 0
    first: tuple[int, str] | None = None

    def skip(self, position: int, value: str) -> None:
        """Count one row without a gene (``position``: its line or index)."""
        self.count += 1
        if self.first is None:
            self.first = (position, value)

    def report(self) -> None:
        """Log the one WARNING (nothing when no row was skipped)."""
        if self.first is None:
            return
        position, value = self.first
        log.warning(
            "%s: %d row(s) without a gene were skipped (first at %s %d: %r; NA, NaN, N/A, "
            "NULL, -, or empty mean no gene and are never read as a symbol); give those rows "
            "a symbol or Entrez id to use them",
            self.source,
            self.count,
            self.where,
            position,
            value,
        )
