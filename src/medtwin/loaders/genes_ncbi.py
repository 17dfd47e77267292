"""NCBI Gene ``Homo_sapiens.gene_info`` (2015): Entrez id, symbol, synonyms, HGNC and Ensembl ids.

Also :class:`GeneIndex`, the symbol → Entrez resolver used by every loader (and the patient
loaders) that meets gene symbols.

Format: tab separated, 15 columns, one ``#Format:`` comment line, ``-`` for empty, ``|`` inside
Synonyms and dbXrefs (``HGNC:HGNC:5``, ``Ensembl:ENSG…``). The file also lists a few mitochondrial
genes of other hominin taxa (tax ids 63221, 741158); only ``tax_id == 9606`` is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, SourceInfo, parse_entrez, split_list, tsv_lines
from medtwin.loaders.gene_names import clean_gene_name, is_ensembl
from medtwin.loaders.rows import GeneRow

__all__ = ["SOURCE", "GeneIndex", "read_genes"]

log = logging.getLogger(__name__)

SOURCE = SourceInfo(
    name="ncbi_gene_info",
    url="https://github.com/dhimmel/entrez-gene/tree/2208158e9e9691d54d48faf3b6b9c2c8f69d7914",
    version="2015-06-07",
    licence="Public domain (NCBI); dhimmel/entrez-gene CC0 1.0",
    files=("Homo_sapiens.gene_info.gz",),
    citation="NCBI Gene, Brown GR et al. Nucleic Acids Res 43:D36 (2015). doi:10.1093/nar/gku1055",
)

_N_FIELDS = 15
_HUMAN = "9606"


def _xref(xrefs: tuple[str, ...], prefix: str) -> str | None:
    for xref in xrefs:
        if xref.startswith(prefix):
            return xref[len(prefix) :]
    return None


def _add(index: dict[str, tuple[str, ...]], name: str, entrez: str) -> None:
    """Add ``entrez`` to the ids of ``name`` once (tuples: most names have one id)."""
    got = index.get(name)
    if got is None:
        index[name] = (entrez,)
    elif entrez not in got:
        index[name] = (*got, entrez)


def read_genes(path: Path) -> Iterator[GeneRow]:
    """Yield one :class:`GeneRow` per human gene of ``Homo_sapiens.gene_info[.gz]``.

    Parameters
    ----------
    path
        The gene_info file (gzip or plain).

    Yields
    ------
    GeneRow
        ``hgnc`` is ``"HGNC:<n>"``, ``ensembl`` the first ``ENSG`` id, ``name`` the description.

    Raises
    ------
    SourceFormatError
        A line without 15 fields, or with a non-numeric GeneID.
    """
    drops = DropCounter(log, path)
    kept = 0
    for line, fields in tsv_lines(path):
        if len(fields) != _N_FIELDS:
            raise SourceFormatError(
                path, line, f"expected {_N_FIELDS} tab-separated fields, got {len(fields)}"
            )
        if fields[0] != _HUMAN:
            drops.drop(f"genes of tax_id != {_HUMAN}")
            continue
        entrez = parse_entrez(fields[1], path, line, "GeneID")
        symbol = fields[2].strip()
        if not symbol or symbol == "-":
            raise SourceFormatError(path, line, f"GeneID {entrez} has an empty Symbol")
        xrefs = split_list(fields[5], "|")
        name = fields[8].strip()
        hgnc = _xref(xrefs, "HGNC:HGNC:")
        kept += 1
        yield GeneRow(
            entrez=entrez,
            symbol=symbol,
            name="" if name == "-" else name,
            synonyms=split_list(fields[4], "|"),
            hgnc=None if hgnc is None else f"HGNC:{hgnc}",
            ensembl=_xref(xrefs, "Ensembl:"),
            gene_type=fields[9].strip(),
            source=SOURCE.name,
            source_version=SOURCE.version,
        )
    drops.report(kept, "genes")


class GeneIndex:
    """Resolve gene symbols, synonyms or Entrez ids to Entrez ids (case-insensitive).

    Resolution order for a query ``q`` (stripped, upper-cased):

    1. ``q`` is a known Entrez id (digits) → itself;
    2. ``q`` is the official symbol of exactly one gene → that gene; when several genes share it
       (23 in the 2015 file, e.g. FFAR2 2867 and 105372382), the single one with an HGNC id;
    3. ``q`` is a synonym of exactly one gene (and nobody's official symbol) → that gene;
    4. ``q`` is an Ensembl gene id (``ENSG…``, a version suffix ``.17`` ignored) of exactly one
       gene → that gene (gene_info's first Ensembl cross-reference per gene, 22,225 genes);
    5. otherwise (unknown or ambiguous) → ``None``.

    Parameters
    ----------
    symbols
        Official symbol (upper case) → Entrez ids having it.
    synonyms
        Synonym (upper case) → Entrez ids listing it.
    genes
        Entrez id → official symbol.
    approved
        Entrez ids that carry an HGNC id (used to break official-symbol ties).
    ensembl
        Ensembl gene id (upper case, no version) → Entrez ids having it.

    Examples
    --------
    >>> from medtwin.loaders.rows import GeneRow
    >>> def g(e, s, syn):
    ...     return GeneRow(entrez=e, symbol=s, name="", synonyms=syn, hgnc=None, ensembl=None,
    ...                    gene_type="protein-coding", source="x", source_version="1")
    >>> idx = GeneIndex.from_rows([g("7157", "TP53", ("P53",)), g("1", "A1BG", ("P53", "ABG"))])
    >>> idx.resolve("tp53"), idx.resolve("abg"), idx.resolve("P53"), idx.resolve("7157")
    ('7157', '1', None, '7157')
    >>> idx = GeneIndex.from_table([("7157", "TP53", (), "HGNC:11998", "ENSG00000141510")])
    >>> idx.resolve("ENSG00000141510.17"), idx.symbol_of("7157")
    ('7157', 'TP53')
    """

    def __init__(
        self,
        symbols: dict[str, tuple[str, ...]],
        synonyms: dict[str, tuple[str, ...]],
        genes: dict[str, str],
        approved: frozenset[str] = frozenset(),
        ensembl: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._symbols = symbols
        self._synonyms = synonyms
        self._genes = genes
        self._approved = approved
        self._ensembl = ensembl or {}

    @classmethod
    def from_rows(cls, rows: Iterable[GeneRow]) -> GeneIndex:
        """Build the index from gene rows (e.g. ``read_genes(path)``)."""
        return cls.from_table((r.entrez, r.symbol, r.synonyms, r.hgnc, r.ensembl) for r in rows)

    @classmethod
    def from_table(
        cls, rows: Iterable[tuple[str, str, Iterable[str], str | None, *tuple[str | None, ...]]]
    ) -> GeneIndex:
        """Build the index from ``(entrez, symbol, synonyms, hgnc[, ensembl])`` tuples.

        The same index as :meth:`from_rows` without a model per gene: ~0.1 s for the 56,000
        genes of the store's gene table instead of ~0.5 s through :class:`GeneRow` and sets.
        Names map to tuples of distinct Entrez ids (most to one). An empty ``hgnc`` or
        ``ensembl`` is none.
        """
        symbols: dict[str, tuple[str, ...]] = {}
        synonyms: dict[str, tuple[str, ...]] = {}
        ensembl_ids: dict[str, tuple[str, ...]] = {}
        genes: dict[str, str] = {}
        approved: set[str] = set()
        for entrez, symbol, gene_synonyms, hgnc, *more in rows:
            genes[entrez] = symbol
            if hgnc:
                approved.add(entrez)
            _add(symbols, symbol.upper(), entrez)
            for synonym in gene_synonyms:
                _add(synonyms, synonym.upper(), entrez)
            if more and more[0]:
                _add(ensembl_ids, clean_gene_name(more[0]).upper(), entrez)
        return cls(symbols, synonyms, genes, frozenset(approved), ensembl_ids)

    def resolve(self, symbol_or_id: str) -> str | None:
        """Return the Entrez id of a symbol, unique synonym or known Entrez id, else ``None``."""
        query = symbol_or_id.strip().upper()
        if query.isdigit():
            entrez = str(int(query))
            return entrez if entrez in self._genes else None
        if is_ensembl(query):
            ids = self._ensembl.get(clean_gene_name(query))
            return ids[0] if ids is not None and len(ids) == 1 else None
        official = self._symbols.get(query)
        if official is not None:
            if len(official) > 1:
                official = tuple(e for e in official if e in self._approved)
            return official[0] if len(official) == 1 else None
        candidates = self._synonyms.get(query)
        if candidates is not None and len(candidates) == 1:
            return candidates[0]
        return None

    def symbol_of(self, entrez: str) -> str | None:
        """The official symbol of a known Entrez id (``None`` when unknown)."""
        return self._genes.get(entrez)

    def __contains__(self, entrez: object) -> bool:
        return entrez in self._genes

    def __len__(self) -> int:
        return len(self._genes)
