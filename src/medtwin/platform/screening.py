"""``medtwin screen``: proximity of every drug to every gene set of a GMT file.

The interactome and the drug targets come from the database (``--targets`` names a loaded
source), or the targets from a GMT-like file (``drug<TAB>name<TAB>gene…``). ``guney2016`` is the
Guney et al. 2016 drug→target table exactly as loaded from ``drug_to_geneids.tsv``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from medtwin.loaders.gmt import read_gmt
from medtwin.platform import services, treatment
from medtwin.platform.ranking.base import DrugTargets
from medtwin.platform.screen import screen_gene_sets, write_tsv
from medtwin.store.neo4j import Neo4jStore

__all__ = ["ScreenSummary", "screen_gmt"]


@dataclass(frozen=True)
class ScreenSummary:
    """What ``screen_gmt`` wrote."""

    rows: int
    gene_sets: int
    drugs: int
    skipped: tuple[str, ...]
    seconds: float


def screen_gmt(
    store: Neo4jStore,
    gmt: Path,
    targets: str,
    *,
    n_samples: int,
    seed: int,
    out: Path,
    cache_dir: Path,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenSummary:
    """Screen the drugs of ``targets`` against every gene set of ``gmt``; write a TSV.

    ``progress(gene_sets_done, gene_sets_total)`` is called after each gene set.
    """
    genes = services.gene_index(store)
    gene_sets = read_gmt(gmt, genes)
    if Path(targets).is_file():
        drugs = {
            s.name: DrugTargets(name=s.description or None, targets=tuple(dict.fromkeys(s.genes)))
            for s in read_gmt(Path(targets), genes)
        }
    else:
        drugs = treatment.candidate_drugs(store, treatment.resolve_target_source(targets))
    network = services.interactome(store)
    dist = treatment.distances(network, cache_dir)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, len(gene_sets))

    result = screen_gene_sets(
        network, dist, gene_sets, drugs, n_samples=n_samples, seed=seed, progress=advance
    )
    write_tsv(result.rows, out)
    return ScreenSummary(
        rows=len(result.rows),
        gene_sets=len(gene_sets) - len(result.skipped),
        drugs=len(drugs),
        skipped=result.skipped,
        seconds=result.seconds,
    )
