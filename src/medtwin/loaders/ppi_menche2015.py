"""Menche et al. 2015 human interactome (Data S1): 141,296 links among 13,460 proteins.

Format: 26 ``#`` comment lines, then ``gene_ID_1 <tab> gene_ID_2 <tab> data_source(s)`` with
Entrez ids and ``;``-separated evidence types (regulatory, binary, literature, metabolic,
complexes, kinase, signaling).

Stored as one :class:`InteractionRow` per unordered pair with ``a < b`` in integer order.
The file holds 2,869 self-interactions (``gene_ID_1 == gene_ID_2``); they are dropped (a protein
at distance 0 from itself needs no edge, and self-loops distort GDS degree) and counted in one
WARNING, so 141,296 lines give 138,427 stored pairs. Should a pair occur twice (it does not in
this file), the evidence sets are merged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, SourceInfo, parse_entrez, split_list, tsv_lines
from medtwin.loaders.rows import InteractionRow

__all__ = ["SOURCE", "read_interactions"]

log = logging.getLogger(__name__)

SOURCE = SourceInfo(
    name="menche2015_interactome",
    url="https://github.com/dhimmel/ppi/tree/77862798448c4272c55e9c718323a3ec5d8db571",
    version="2015 Data S1-S2 (dhimmel/ppi@7786279)",
    licence="Research use with permission (AAAS supplementary material); cite the paper",
    files=("DataS1_interactome.tsv", "DataS2_disease_genes.tsv"),
    citation="Menche J et al. Uncovering disease-disease relationships through the incomplete "
    "interactome. Science 347:1257601 (2015). doi:10.1126/science.1257601",
)


def read_interactions(path: Path) -> Iterator[InteractionRow]:
    """Yield the interactome's unordered protein pairs (self-loops dropped).

    Parameters
    ----------
    path
        ``DataS1_interactome.tsv``.

    Yields
    ------
    InteractionRow
        ``a < b`` in integer order; ``evidence`` sorted.

    Raises
    ------
    SourceFormatError
        A line without 3 fields or with a non-numeric gene id.
    """
    drops = DropCounter(log, path)
    pairs: dict[tuple[int, int], set[str]] = {}
    for line, fields in tsv_lines(path):
        if len(fields) != 3:
            raise SourceFormatError(
                path, line, f"expected 3 tab-separated fields (gene, gene, sources), got {fields}"
            )
        a = int(parse_entrez(fields[0], path, line, "gene_ID_1"))
        b = int(parse_entrez(fields[1], path, line, "gene_ID_2"))
        if a == b:
            drops.drop("self-interactions")
            continue
        key = (a, b) if a < b else (b, a)
        evidence = set(split_list(fields[2], ";"))
        if key in pairs:
            drops.drop("duplicate pairs (evidence merged)")
            pairs[key] |= evidence
        else:
            pairs[key] = evidence
    for (a, b), evidence in pairs.items():
        yield InteractionRow(
            a=str(a),
            b=str(b),
            evidence=tuple(sorted(evidence)),
            source=SOURCE.name,
            source_version=SOURCE.version,
        )
    drops.report(len(pairs), "pairs")
