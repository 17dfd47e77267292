r"""Screen every drug against arbitrary gene sets (GMT) by network proximity.

For each gene set :math:`S` (its genes in the interactome LCC) and each drug with targets
:math:`T`, the Guney et al. (2016) closest distance and its degree-matched z-score,

.. math:: d_c(S, T) = \frac{1}{|T|} \sum_{t \in T} \min_{s \in S} d(s, t), \qquad
          z = \frac{d_c - \mu}{\sigma},

come from :func:`~medtwin.platform.algorithms.proximity_screen.screen` (``n_samples`` random
degree-binned pairs, one seed for every set, so a set's results do not depend on which other
sets are screened). Within a gene set, ``q`` is the Benjamini–Hochberg adjustment of the
empirical ``p`` across the drugs with a network target, and ``rank`` orders those drugs by ``z``
ascending (closer first; drugs with an undefined z follow, by ``d_c``; ties by drug id).

Nothing is dropped silently: drugs without a target in the network get a row with
``n_targets_in_network = 0`` and empty statistics, and gene sets without any gene in the network
are listed in :attr:`ScreenResult.skipped` and named in one warning.

References
----------
Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy screening.
Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331;
Benjamini Y., Hochberg Y. J R Stat Soc B 57, 289-300 (1995). doi:10.1111/j.2517-6161.1995.tb02031.x
"""

from __future__ import annotations

import csv
import logging
import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medtwin.atomic import atomic_output, umask_mode
from medtwin.errors import InputError
from medtwin.loaders.drug_targets_custom import (
    is_target_table,
    iter_custom_targets,
    resolve_custom_targets,
)
from medtwin.loaders.gmt import GeneSet, read_gmt
from medtwin.loaders.limits import require_regular_file
from medtwin.loaders.patient_rows import GeneResolver
from medtwin.outputs import output_path
from medtwin.platform import treatment
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.nulls import resolve_seed
from medtwin.platform.algorithms.proximity_screen import screen
from medtwin.platform.algorithms.stats import bh_qvalues
from medtwin.platform.arguments import names_file
from medtwin.platform.context import reference_context
from medtwin.platform.rank_params import parse_targets
from medtwin.platform.ranking.base import DrugTargets
from medtwin.platform.read_warnings import collected_warnings, merged_warnings
from medtwin.platform.safe_text import table_text
from medtwin.platform.target_sets import resolve_target_source
from medtwin.store.base import GraphStore

__all__ = [
    "ScreenResult",
    "ScreenRow",
    "ScreenSummary",
    "SkippedGeneSetsWarning",
    "screen_gene_sets",
    "screen_gmt",
]

log = logging.getLogger(__name__)


class SkippedGeneSetsWarning(UserWarning):
    """Some gene sets have no gene in the network and were not screened."""


@dataclass(frozen=True)
class ScreenRow:
    """One (gene set, drug) pair of a screen; the columns of the output TSV, in order.

    Attributes
    ----------
    gene_set
        Gene-set name.
    drug_id, drug_name
        Drug id and name (``None`` when the target source has no names).
    n_targets, n_targets_in_network
        Distinct targets, and those in the network.
    n_genes_in_network
        Genes of the set in the network.
    d_c, z, p, q
        Closest distance, z-score, empirical p and BH q within the gene set; ``None`` when the
        drug has no network target (``z`` also when the null has sigma = 0).
    rank
        1 = lowest z within the gene set; ``None`` when the drug has no network target.
    """

    gene_set: str
    drug_id: str
    drug_name: str | None
    n_targets: int
    n_targets_in_network: int
    n_genes_in_network: int
    d_c: float | None
    z: float | None
    p: float | None
    q: float | None
    rank: int | None


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ScreenRow))
_VALUES = attrgetter(*COLUMNS)
"""A row's values in :data:`COLUMNS` order. ``dataclasses.astuple`` deep-copied each of them: a
screen writes a row per drug and gene set, and the 21,388 rows of ``tests/data/gmt/sample.gmt``
(4 sets) x ``guney2016`` (5,347 drugs) cost ~1 s of CPU that way."""
"""Column names of :func:`write_tsv`, in order."""


@dataclass(frozen=True)
class ScreenResult:
    """Rows of a screen and what could not be screened.

    Attributes
    ----------
    rows
        One per (screened gene set, drug), gene sets in input order, drugs by rank.
    skipped
        Names of gene sets with no gene in the network.
    n_samples, seed
        Null size and seed used for every gene set.
    seconds
        Wall time.
    """

    rows: tuple[ScreenRow, ...]
    skipped: tuple[str, ...]
    n_samples: int
    seed: int
    seconds: float


def _rank_key(row: ScreenRow) -> tuple[int, float, float, str]:
    if row.n_targets_in_network == 0:
        return (2, math.inf, math.inf, row.drug_id)
    if row.z is None:
        return (1, row.d_c if row.d_c is not None else math.inf, math.inf, row.drug_id)
    return (0, row.z, 0.0, row.drug_id)


def screen_gene_sets(
    network: Network,
    dist: npt.NDArray[np.uint8],
    gene_sets: Sequence[GeneSet],
    drugs: Mapping[str, DrugTargets],
    *,
    n_samples: int = 1000,
    seed: int = 0,
    bin_size: int = 100,
    progress: Callable[[int], object] | None = None,
) -> ScreenResult:
    """Proximity of every drug to every gene set, with BH q-values and ranks per gene set.

    See the module docstring for the definitions.

    Parameters
    ----------
    network
        The interactome's largest connected component.
    dist
        Its ``uint8`` distance matrix.
    gene_sets
        Gene sets (:func:`~medtwin.loaders.gmt.read_gmt`); genes as Entrez ids.
    drugs
        Drug id -> :class:`~medtwin.platform.ranking.base.DrugTargets`.
    n_samples, seed, bin_size
        Null size, seed and minimum degree-bin size (Guney: 1000, -, 100).
    progress
        Called with ``1`` after each gene set.

    Returns
    -------
    ScreenResult

    Raises
    ------
    InputError
        If there are no drugs, no gene set can be screened, or no drug has a target in the
        network.

    Warns
    -----
    SkippedGeneSetsWarning
        Once, naming the gene sets with no gene in the network.

    Examples
    --------
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> sets = [GeneSet(name="S", description="", genes=("1", "2"), unmapped=())]
    >>> drugs = {"x": DrugTargets("x", ("0",)), "y": DrugTargets(None, ("8", "9"))}
    >>> res = screen_gene_sets(net, all_pairs_distances(net), sets, drugs, n_samples=50,
    ...                        bin_size=1, seed=3)
    >>> [(r.drug_id, r.d_c, r.rank) for r in res.rows]
    [('x', 1.0, 1), ('y', 6.5, 2)]
    """
    t0 = time.perf_counter()
    if not drugs:
        raise InputError("no drugs to screen; check the drug-target source")
    seed = resolve_seed(seed)
    in_network = {d: sum(1 for t in dt.targets if t in network.index) for d, dt in drugs.items()}
    if not any(in_network.values()):
        raise InputError("no drug has a target in the network; check the target ids")
    targets = {d: dt.targets for d, dt in drugs.items() if in_network[d]}
    rows: list[ScreenRow] = []
    skipped: list[str] = []
    for gene_set in gene_sets:
        genes = [g for g in dict.fromkeys(gene_set.genes) if g in network.index]
        if not genes:
            skipped.append(gene_set.name)
            if progress is not None:
                progress(1)
            continue
        with warnings.catch_warnings():
            # drugs with targets outside the network are reported per row instead
            warnings.simplefilter("ignore", MissingNodesWarning)
            results = screen(
                dist, network, genes, targets, n_samples=n_samples, bin_size=bin_size, seed=seed
            )
        q = bh_qvalues([r.p for r in results]).tolist()
        found = {r.drug: (r, qv) for r, qv in zip(results, q, strict=True)}
        block: list[ScreenRow] = []
        for drug_id, drug in drugs.items():
            hit = found.get(drug_id)
            r, qv = hit if hit is not None else (None, None)
            block.append(
                ScreenRow(
                    gene_set=gene_set.name,
                    drug_id=drug_id,
                    drug_name=drug.name,
                    n_targets=len(drug.targets),
                    n_targets_in_network=in_network[drug_id],
                    n_genes_in_network=len(genes),
                    d_c=r.d if r is not None else None,
                    z=r.z if r is not None and r.z_valid else None,
                    p=r.p if r is not None else None,
                    q=qv,
                    rank=None,
                )
            )
        block.sort(key=_rank_key)
        rows.extend(
            replace(row, rank=i if row.n_targets_in_network else None)
            for i, row in enumerate(block, start=1)
        )
        if progress is not None:
            progress(1)
    if len(skipped) == len(gene_sets):
        raise InputError(
            "no gene set has a gene in the network; check that genes are Entrez ids or symbols"
        )
    if skipped:
        shown = ", ".join(skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        warnings.warn(
            f"{len(skipped)} of {len(gene_sets)} gene sets have no gene in the network and were "
            f"not screened: {shown}",
            SkippedGeneSetsWarning,
            stacklevel=2,
        )
    seconds = time.perf_counter() - t0
    log.info(
        "screen: %d gene sets x %d drugs x %d samples in %.1f s; %d gene sets skipped",
        len(gene_sets) - len(skipped), len(drugs), n_samples, seconds, len(skipped),
    )  # fmt: skip
    return ScreenResult(
        rows=tuple(rows), skipped=tuple(skipped), n_samples=n_samples, seed=seed, seconds=seconds
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str):  # gene-set and drug names: never a spreadsheet formula
        return table_text(value)
    return str(value)


def write_tsv(rows: Sequence[ScreenRow], path: Path) -> None:
    """Write screen rows as a tab-separated file with the header :data:`COLUMNS`.

    Missing values are empty cells; floats have 6 significant digits.

    Parameters
    ----------
    rows
        Rows of :attr:`ScreenResult.rows`.
    path
        Output file, written whole or not at all; missing folders are made
        (:func:`medtwin.outputs.output_path`).
    """
    # 0644: an ordinary output file (mkstemp makes it private); atomic: a failure midway (a full
    # disk) left half a table that read as a finished screen
    with atomic_output(output_path(path), text=True, mode=umask_mode()) as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(v) for v in _VALUES(row)])


@dataclass(frozen=True)
class ScreenSummary:
    """What ``screen_gmt`` wrote."""

    rows: int
    gene_sets: int
    drugs: int
    skipped: tuple[str, ...]
    seconds: float
    warnings: tuple[str, ...] = ()
    """What the GMT reader said of the files (gene tokens not resolved), also logged."""


def _file_drugs(path: Path, genes: GeneResolver) -> dict[str, DrugTargets]:
    """The drugs of a ``--targets`` file: ``rank --targets``' table, or GMT-like lines."""
    if is_target_table(path):
        found = resolve_custom_targets(iter_custom_targets(path), genes, source=path.name)
        return {d.drug_id: DrugTargets(name=d.name, targets=d.targets) for d in found.drugs}
    return {
        s.name: DrugTargets(name=s.description or None, targets=tuple(dict.fromkeys(s.genes)))
        for s in read_gmt(path, genes)
    }


def screen_gmt(
    store: GraphStore,
    gmt: Path,
    targets: str,
    *,
    n_samples: int,
    seed: int,
    out: Path,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenSummary:
    """``medtwin screen``: the drugs of ``targets`` against every gene set of ``gmt``; write a TSV.

    The interactome and the drug targets come from the store (``targets`` names a loaded source:
    ``guney2016`` is the Guney et al. 2016 drug→target table exactly as loaded), or the targets
    from a file: ``rank --targets``' table (``drug_id``, ``gene``, …) or GMT-like lines
    (``drug<TAB>name<TAB>gene…``). ``progress(gene_sets_done,
    gene_sets_total)`` is called after each gene set. ``cache_dir`` (the distance matrix's
    folder) is the store's by default. Missing folders of ``out`` are made
    before the screen computes (a folder that cannot take the file is an :class:`OSError` naming
    ``out``), as ``medtwin screen --out`` does. The result's ``warnings`` are what the GMT
    reader logged about ``gmt`` (and a ``targets`` file): gene tokens that did not resolve.
    """
    out = output_path(out)  # now, not after minutes of screening
    # The inputs too, before the reference is read (seconds): a --gmt or --targets path that is
    # no readable file is the readers' one line (a targets path was "unknown target source").
    require_regular_file(gmt)
    if not names_file(targets):
        parse_targets(targets)  # raises for a path or an unknown name, as rank --targets does
    ctx = reference_context()
    genes = ctx.gene_index(store)
    readers = (read_gmt.__module__, iter_custom_targets.__module__)
    with collected_warnings(loggers=readers) as said:  # the files' readers only
        gene_sets = read_gmt(gmt, genes)
        if names_file(targets):
            drugs = _file_drugs(Path(targets), genes)
        else:
            drugs = treatment.kept_candidate_drugs(store, ctx, resolve_target_source(targets))
    network = ctx.interactome(store)
    dist = ctx.distances(network, store.cache_dir if cache_dir is None else cache_dir)
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
        warnings=merged_warnings(said),
    )
