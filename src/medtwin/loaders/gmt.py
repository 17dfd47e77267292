"""Gene sets in the GMT format (MSigDB, Enrichr, GSEA): one set per line.

Format (Broad GSEA "Gene Matrix Transposed"): ``name <tab> description <tab> gene <tab> gene ...``,
no header; genes as Entrez ids or symbols, mixed freely. Blank lines are skipped and empty gene
fields (trailing tabs) ignored. The format has no comment syntax, so every other line is a set.

Genes are resolved to Entrez ids (the ``Protein`` id namespace) with a
:class:`~medtwin.loaders.patient_rows.GeneResolver` such as
:class:`~medtwin.loaders.genes_ncbi.GeneIndex`; without one, numeric tokens are taken as Entrez
ids and anything else is unmapped. Unmapped genes stay in :attr:`GeneSet.unmapped` and are
counted in one WARNING for the file, never silently dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.limits import bounded_lines, current_limits
from medtwin.loaders.patient_rows import GeneResolver

__all__ = ["GeneSet", "read_gmt"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GeneSet:
    """One gene set of a GMT file.

    A slotted dataclass, not a pydantic model like the other rows: a file at the limit holds
    500,000 sets, and a model's per-instance dict and field set cost ~1.4 kB a set (700 MB for
    such a file, ~25 times its size); its fields are made here from text, so there is nothing
    for a model to validate.

    Attributes
    ----------
    name
        Set name (first field), unique in the file.
    description
        Second field (often a URL or ``na``).
    genes
        Distinct Entrez ids, in file order.
    unmapped
        Distinct tokens that did not resolve to an Entrez id, in file order.
    """

    name: str
    description: str
    genes: tuple[str, ...]
    unmapped: tuple[str, ...]


def _entrez_or_none(token: str) -> str | None:
    return str(int(token)) if token.isdigit() and int(token) > 0 else None


def read_gmt(path: Path, genes: GeneResolver | None = None) -> list[GeneSet]:
    r"""Read every gene set of a GMT file.

    Parameters
    ----------
    path
        The ``.gmt`` file (``.gz`` allowed).
    genes
        Resolver of symbols and Entrez ids (e.g. ``GeneIndex``); ``None`` keeps numeric tokens
        as Entrez ids and leaves symbols unmapped.

    Returns
    -------
    list of GeneSet
        In file order.

    Raises
    ------
    SourceFormatError
        A line with fewer than 3 fields, an empty name, a set without any gene token, a
        repeated set name, or a file without any set.
    InputTooLarge
        More gene sets than ``MEDTWIN_MAX_INPUT_ROWS`` (the bytes and line limits hold too).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "x.gmt"
    ...     _ = p.write_text("S1\tna\t7157\tTP53\t7157\t\n")
    ...     read_gmt(p)
    [GeneSet(name='S1', description='na', genes=('7157',), unmapped=('TP53',))]
    """
    resolve = genes.resolve if genes is not None else _entrez_or_none
    out: list[GeneSet] = []
    seen: set[str] = set()
    n_unmapped = 0
    n_tokens = 0
    limits = current_limits()
    written = False  # a line that is not blank
    for line, text in bounded_lines(path):
        if not text.strip():
            continue
        written = True
        if len(out) >= limits.max_rows:  # the sets are held: 1 M of them grew a read by 700 MB
            raise limits.too_many_rows(path, "gene sets")
        fields = text.split("\t")
        if len(fields) < 3:
            raise SourceFormatError(
                path, line, f"expected name, description and >= 1 gene (tab-separated), got "
                f"{len(fields)} field(s); GMT lines are name<TAB>description<TAB>gene<TAB>...",
            )  # fmt: skip
        name = fields[0].strip()
        if not name:
            raise SourceFormatError(path, line, "empty gene-set name in field 1")
        if name in seen:
            raise SourceFormatError(path, line, f"gene set {name!r} occurs twice; rename one")
        tokens = list(dict.fromkeys(t.strip() for t in fields[2:] if t.strip()))
        if not tokens:
            raise SourceFormatError(path, line, f"gene set {name!r} has no genes")
        seen.add(name)
        mapped: dict[str, None] = {}
        unmapped: list[str] = []
        for token in tokens:
            entrez = resolve(token)
            if entrez is None:
                unmapped.append(token)
            else:
                mapped[entrez] = None
        n_tokens += len(tokens)
        n_unmapped += len(unmapped)
        out.append(
            GeneSet(
                name=name,
                description=fields[1].strip(),
                genes=tuple(mapped),
                unmapped=tuple(unmapped),
            )
        )
    if not written:
        raise SourceFormatError(
            path,
            None,
            "the file is empty (or blank lines only); give one gene set per line (name, "
            "description, genes)",
        )
    if not out:
        raise SourceFormatError(path, None, "no gene sets; is this a GMT file?")
    if n_unmapped:
        log.warning(
            "%s: %d gene sets; %d of %d gene tokens did not resolve to an Entrez id (kept in "
            "GeneSet.unmapped)",
            path.name, len(out), n_unmapped, n_tokens,
        )  # fmt: skip
    else:
        log.info("%s: %d gene sets, %d genes", path.name, len(out), n_tokens)
    return out
