"""Ligand–receptor pairs of LIANA+'s shipped resource (default ``consensus``), mapped to Entrez.

``liana.resource.select_resource(name)`` reads ``liana/resource/omni_resource.csv`` (CSV columns
``"", source, target, source_genesymbol, target_genesymbol, resource``), keeps rows whose
``resource`` equals ``name`` and renames the symbol columns to ``ligand``/``receptor``. This
module reads the same shipped file (found without importing ``liana``, whose import takes ~11 s)
and applies the same filter, so no network is used; the version is the installed liana's,
pinned under ``[[package]]`` in ``sources.toml``.

Complexes are written ``A_B`` (e.g. receptor ``EGFR_ERBB2``). Each is split into its subunits
and every ligand subunit is paired with every receptor subunit, so ``TGFA → EGFR_ERBB2`` gives
``TGFA → EGFR`` and ``TGFA → ERBB2``; ``resource`` keeps the original pair name
(``consensus:TGFA->EGFR_ERBB2``) for traceability; a pair reached from several complexes keeps
the first. Symbols are resolved by :class:`~medtwin.loaders.genes_ncbi.GeneIndex`; unmapped
subunits and pairs whose two ends are the same gene are dropped and counted in one WARNING.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.base import DropCounter, SourceInfo, open_text, package_dir, package_version
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import LigandReceptorRow

__all__ = ["SOURCE", "liana_resource_path", "read_ligand_receptors"]

log = logging.getLogger(__name__)


SOURCE = SourceInfo(
    name="liana",
    url="https://pypi.org/project/liana/",
    version=package_version("liana"),
    licence="GPL-3.0 (liana); resource compiled from OmniPath sources, see their licences",
    files=("omni_resource.csv",),
    citation="Dimitrov D et al. LIANA+ provides an all-in-one framework for cell-cell "
    "communication inference. Nat Cell Biol 26:1613 (2024). doi:10.1038/s41556-024-01469-w",
)

COLUMNS = ("", "source", "target", "source_genesymbol", "target_genesymbol", "resource")


def liana_resource_path() -> Path:
    """Return the installed liana's ``resource/omni_resource.csv`` (without importing liana).

    Raises
    ------
    DataFetchError
        liana is not installed.
    """
    return package_dir("liana") / "resource" / "omni_resource.csv"


def read_ligand_receptors(
    path: Path, genes: GeneIndex, resource: str = "consensus"
) -> Iterator[LigandReceptorRow]:
    """Yield one row per (ligand gene, receptor gene) of one liana resource.

    Parameters
    ----------
    path
        ``omni_resource.csv`` (see :func:`liana_resource_path`).
    genes
        Resolver of gene symbols to Entrez ids.
    resource
        Value of the ``resource`` column to keep (case-insensitive, as liana).

    Yields
    ------
    LigandReceptorRow
        Subunit pairs, first occurrence wins.

    Raises
    ------
    SourceFormatError
        Wrong header, wrong field count, an empty symbol, or no row of ``resource``.
    """
    wanted = resource.lower()
    drops = DropCounter(log, path)
    seen: set[tuple[str, str]] = set()
    unmapped: set[str] = set()
    matched = 0
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise SourceFormatError(path, 1, f"expected the header {list(COLUMNS)}, got {header}")
        for fields in reader:
            line = reader.line_num
            if len(fields) != len(COLUMNS):
                raise SourceFormatError(
                    path, line, f"expected {len(COLUMNS)} comma-separated fields, got {len(fields)}"
                )
            if fields[5].lower() != wanted:
                continue
            matched += 1
            ligand, receptor = fields[3].strip(), fields[4].strip()
            if not ligand or not receptor:
                raise SourceFormatError(path, line, f"empty ligand or receptor symbol: {fields}")
            for lig in ligand.split("_"):
                for rec in receptor.split("_"):
                    lig_id, rec_id = genes.resolve(lig), genes.resolve(rec)
                    if lig_id is None or rec_id is None:
                        drops.drop("subunit pairs with an unmapped symbol")
                        unmapped.update(s for s, i in ((lig, lig_id), (rec, rec_id)) if i is None)
                        continue
                    if lig_id == rec_id:
                        drops.drop("pairs of a gene with itself")
                        continue
                    if (lig_id, rec_id) in seen:
                        drops.drop("repeated subunit pairs")
                        continue
                    seen.add((lig_id, rec_id))
                    yield LigandReceptorRow(
                        ligand_entrez=lig_id,
                        receptor_entrez=rec_id,
                        ligand_symbol=lig,
                        receptor_symbol=rec,
                        resource=f"{wanted}:{ligand}->{receptor}",
                        source=SOURCE.name,
                        source_version=SOURCE.version,
                    )
    if matched == 0:
        raise SourceFormatError(path, None, f"no row has resource {resource!r}; check the name")
    if unmapped:
        log.debug("%s: unmapped symbols %s", path.name, sorted(unmapped))
    drops.report(len(seen), f"ligand-receptor pairs from {matched} {wanted} rows")
