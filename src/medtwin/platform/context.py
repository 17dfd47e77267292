"""The reference context: what a process reads once and reuses (one object, passed down).

:class:`ReferenceContext` holds the process caches of the platform: the interactome's largest
connected component, the gene-symbol index, the interactome's all-pairs distance matrix and the
pages of stored rankings. The use-case modules (:mod:`~medtwin.platform.patients`,
:mod:`~medtwin.platform.twins`, :mod:`~medtwin.platform.rankings`, ...) take one as ``ctx`` and
pass it to the domain code below them (:mod:`medtwin.platform.treatment`, ...), which never
imports a use case to reach a cache. :func:`reference_context` is the process's one context,
used when a caller passes none.

Reference entries are keyed by the store's identity and the dataset's sha256 and load time, so
reloading a dataset (or pointing at another database) reads it again; ranking pages by the
ranking's id and creation time (a complete ranking never changes: a re-ranking is a new node).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from medtwin.errors import NotFoundError
from medtwin.platform.algorithms.network_lists import NetworkLists, read_lists
from medtwin.platform.gene_table_file import read_gene_table, write_gene_table
from medtwin.platform.kept_json import KeptJson, read_kept, write_kept
from medtwin.store.base import GraphStore

if TYPE_CHECKING:  # numpy: the reads run without it (LAZY_IMPORTS, tests/unit/test_architecture.py)
    import numpy as np
    import numpy.typing as npt

    from medtwin.loaders.genes_ncbi import GeneIndex
    from medtwin.platform.algorithms.network import Network
    from medtwin.platform.regulators import RegulatorReference

__all__ = ["GENES", "INTERACTOME", "LIGAND_RECEPTOR", "ReferenceContext", "reference_context"]

log = logging.getLogger(__name__)

INTERACTOME = "menche2015_interactome"
"""Dataset id of the interactome every twin and ranking is computed on."""
GENES = "ncbi_gene_info"
"""Dataset id of the gene layer the symbol index is built from."""
REGULONS = "dorothea_hs"
"""Dataset id of the regulon layer; its presence enables the regulator methods."""
LIGAND_RECEPTOR = "liana_consensus"
"""Dataset id of the ligand–receptor (``BINDS``) layer a twin's cell–cell edges come from."""

Page = list[dict[str, Any]]
T = TypeVar("T")


class ReferenceContext:
    """Process caches of reference data and ranking pages; thread-safe.

    Parameters
    ----------
    page_cache_size
        Ranking pages kept (least recently used dropped first).
    """

    def __init__(self, *, page_cache_size: int = 512) -> None:
        self._networks: dict[tuple[str, str, str], Network] = {}
        self._lists: dict[tuple[str, str, str], NetworkLists] = {}
        self._genes: dict[tuple[str, str, str], GeneIndex] = {}
        self._distances: dict[str, npt.NDArray[np.uint8]] = {}
        self._regulators: dict[tuple[object, ...], RegulatorReference] = {}
        self._pages: OrderedDict[tuple[Any, ...], Page] = OrderedDict()
        self._tables: dict[tuple[str, str], tuple[tuple[str, ...], Any]] = {}
        self._page_cache_size = page_cache_size
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget everything (tests that swap databases call this)."""
        with self._lock:
            self._networks.clear()
            self._lists.clear()
            self._genes.clear()
            self._distances.clear()
            self._regulators.clear()
            self._pages.clear()
            self._tables.clear()

    def clear_pages(self) -> None:
        """Forget the cached ranking pages (benchmarks of cold reads call this)."""
        with self._lock:
            self._pages.clear()

    # -- reference data ----------------------------------------------------------------------
    def interactome(self, store: GraphStore) -> Network:
        """The interactome's largest connected component, read once per process.

        Kept on disk in the store's :attr:`~medtwin.store.base.GraphStore.cache_dir` for later
        processes (:mod:`~medtwin.platform.algorithms.network_file`: ~0.02 s instead of
        1.3-1.8 s), under the same key as here: the dataset's sha256 and load time.
        """
        key = _fingerprint(store, INTERACTOME)
        if key not in self._networks:
            self._networks[key] = _kept_interactome(store, key)
        return self._networks[key]

    def interactome_lists(self, store: GraphStore) -> NetworkLists:
        """The interactome's CSR lists, for a command that only walks them (``explain``).

        This process's :meth:`interactome` when it has one; else the kept file read without
        numpy (:mod:`~medtwin.platform.algorithms.network_lists`: numpy's import was ~0.1 s of
        a ~0.6 s ``explain``, scipy's ~0.3 s before that); else :meth:`interactome`.
        """
        key = _fingerprint(store, INTERACTOME)
        if key in self._networks:
            return NetworkLists.of(self._networks[key])
        if key not in self._lists:
            folder = store.cache_dir
            kept = read_lists(folder, *_slot(key)) if folder is not None else None
            if kept is None:
                kept = NetworkLists.of(self.interactome(store))
            self._lists[key] = kept
        return self._lists[key]

    def gene_index(self, store: GraphStore) -> GeneIndex:
        """Symbol/synonym/Ensembl id → Entrez resolver over the loaded gene layer, read once.

        The table is kept on disk in the store's cache folder for later processes
        (:mod:`~medtwin.platform.gene_table_file`: ~0.1 s with the index instead of ~1.1 s),
        under the same key as here: the dataset's sha256 and load time.
        """
        key = _fingerprint(store, GENES)
        if key not in self._genes:
            self._genes[key] = _index(_kept_gene_table(store, key))
        return self._genes[key]

    def names_index(self, store: GraphStore, names: Collection[str]) -> GeneIndex:
        """A resolver that resolves ``names`` exactly as :meth:`gene_index` does, cheaply.

        It holds only the genes whose symbol, a synonym or Ensembl id is one of ``names`` (all
        that ``GeneIndex.resolve`` of those names looks at). The full index, when this process
        has it, is used as it is; otherwise reading all ~57,000 genes for a few dozen names cost
        ~1.8 s of the first ``twin regulators`` in a process, against 0.1-0.3 s for this read.
        """
        # Not the kept table (gene_index): indexing all of it costs more CPU (~0.25 s) than
        # this read (make bench-views: twin regulators 0.94 -> 1.10 s when it was used here).
        full = self._genes.get(_fingerprint(store, GENES))
        return full if full is not None else _index(store.reference.gene_table(names))

    def regulators(
        self, store: GraphStore, *, perturbations: bool = False, warn: bool = True
    ) -> RegulatorReference | None:
        """The regulator layers (DoRothEA, PROGENy, and LINCS if asked), read once per process.

        ``None`` when the DoRothEA layer is not loaded (the regulator methods then score no drug
        and, with ``warn``, one WARNING says how to load it).
        """
        ds = store.dataset(REGULONS)
        if ds is None or ds.get("status") != "complete":
            if not warn:
                return None
            log.warning(
                "regulator layers not loaded: the regulator, pathway and reversal methods score "
                "no drug; run `medtwin data fetch && medtwin load`"
            )
            return None
        key = (*_fingerprint(store, REGULONS), perturbations)
        if key not in self._regulators:
            from medtwin.platform.regulators import (  # numpy: as above
                RegulatorReference,
                core_symbols,
            )

            t0 = time.perf_counter()
            pert = store.reference.perturbations() if perturbations else None
            self._regulators[key] = RegulatorReference.from_tables(
                store.reference.regulator_layers(), pert, self.names_index(store, core_symbols())
            )
            log.info("regulator layers read in %.1f s", time.perf_counter() - t0)
        return self._regulators[key]

    def reference_table(
        self,
        store: GraphStore,
        name: str,
        datasets: tuple[str, ...],
        read: Callable[[], T],
        *,
        kept: KeptJson[T] | None = None,
    ) -> T:
        """``read()`` once per process while ``datasets`` stay as loaded (sha256, load time).

        For reference tables that every twin build or ranking read again (drug targets, the
        ligand–receptor pairs): a cohort worker reads each once. ``name`` names the table and
        its parameters; a dataset that is not loaded counts as a state too. With ``kept``, the
        table is also kept in the store's cache folder for later processes
        (:mod:`~medtwin.platform.kept_json`), under the same state.
        """
        state = tuple(_state(store, d) for d in datasets)
        key = (store.identity, name)
        with self._lock:
            got = self._tables.get(key)
        if got is not None and got[0] == state:
            return got[1]  # type: ignore[no-any-return]
        if kept is None:
            value = read()
        else:
            kept_as = (f"{store.identity}|{name}", "|".join(state))
            value = _kept(
                store,
                kept.what,
                lambda folder: read_kept(folder, kept, *kept_as),
                read,
                lambda folder, table: write_kept(folder, kept, *kept_as, table),
            )
        with self._lock:
            self._tables[key] = (state, value)
        return value

    def distances(
        self, network: Network, cache_dir: Path | None, *, mmap: bool = False
    ) -> npt.NDArray[np.uint8]:
        """All-pairs distances of ``network``, cached on disk by checksum and here (one matrix).

        ``mmap`` maps the cached file instead of reading it (cohort workers share its pages).
        ``cache_dir`` ``None`` (a store that keeps no files: :class:`~medtwin.store.memory.
        MemoryStore`) computes the matrix and keeps it here only.
        """
        # numpy: as above
        from medtwin.platform.algorithms.distances import all_pairs_distances, load_or_compute

        key = network.checksum
        if key not in self._distances:
            self._distances.clear()
            self._distances[key] = (
                all_pairs_distances(network)
                if cache_dir is None
                else load_or_compute(network, cache_dir, mmap=mmap)
            )
        return self._distances[key]

    # -- ranking pages -----------------------------------------------------------------------
    def ranking_page(self, key: tuple[Any, ...], read: Callable[[], Page]) -> Page:
        """The cached page ``key`` (``(ranking id, created, ...)``), else ``read()`` and keep it."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                return page
        page = read()
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self._page_cache_size:
                self._pages.popitem(last=False)
        return page


def _kept_interactome(store: GraphStore, key: tuple[str, str, str]) -> Network:
    """The interactome's LCC from the store's cache folder, or read, built and kept there."""
    # numpy and scipy: not for the data commands, which read pages only (store/lean.py)
    from medtwin.platform.algorithms.network import Network
    from medtwin.platform.algorithms.network_file import read_arrays, write_network

    def read(folder: Path) -> Network | None:
        arrays = read_arrays(folder, *_slot(key))
        return Network.from_csr(*arrays.csr) if arrays is not None else None

    def build() -> Network:
        return Network.from_edges(store.reference.ppi_edges()).largest_component()

    return _kept(
        store, "interactome", read, build, lambda folder, n: write_network(folder, *_slot(key), n)
    )


def _kept_gene_table(store: GraphStore, key: tuple[str, str, str]) -> dict[str, list[Any]]:
    """The gene table from the store's cache folder, or read and kept there."""
    return _kept(
        store,
        "gene table",
        lambda folder: read_gene_table(folder, *_slot(key)),
        store.reference.gene_table,
        lambda folder, table: write_gene_table(folder, *_slot(key), table),
    )


def _kept(
    store: GraphStore,
    what: str,
    read: Callable[[Path], T | None],
    build: Callable[[], T],
    write: Callable[[Path, T], object],
) -> T:
    """``what`` as kept in the store's cache folder, or ``build()`` and keep it.

    ``read`` and ``write`` know the file's slot (the store's identity and the table) and its key
    (the datasets' sha256 and load time, as in the process caches); ``read`` returns ``None``
    for another key or a file it does not trust.
    """
    folder = store.cache_dir
    t0 = time.perf_counter()
    if folder is not None and (kept := read(folder)) is not None:
        log.info("%s: read from %s in %.2f s", what, folder, time.perf_counter() - t0)
        return kept
    value = build()
    log.info("%s: read from the database in %.1f s", what, time.perf_counter() - t0)
    if folder is not None:
        try:
            write(folder, value)
        except OSError as exc:  # a read-only home still gets its value
            log.warning("could not keep the %s in %s: %s", what, folder, exc)
    return value


def _slot(key: tuple[str, str, str]) -> tuple[str, str]:
    """A kept file's slot (the store's identity and the dataset) and the key it was kept for."""
    return f"{key[0]}|{key[1]}", key[2]


def _fingerprint(store: GraphStore, dataset: str) -> tuple[str, str, str]:
    ds = store.dataset(dataset)
    if ds is None or ds.get("status") != "complete":
        raise NotFoundError(
            f"the reference dataset {dataset} is not loaded",
            hint="run `medtwin data fetch && medtwin load`",
        )
    return (store.identity, dataset, f"{ds.get('sha256')}:{ds.get('loaded_at')}")


def _state(store: GraphStore, dataset: str) -> str:
    ds = store.dataset(dataset)
    if ds is None:
        return "absent"
    return f"{ds.get('status')}:{ds.get('sha256')}:{ds.get('loaded_at')}"


_SHARED = ReferenceContext()


def reference_context() -> ReferenceContext:
    """The process's one reference context (the default of every use case's ``ctx``)."""
    return _SHARED


def _index(got: Mapping[str, list[Any]]) -> GeneIndex:
    """A :class:`GeneIndex` of a ``gene_table`` read."""
    # the loaders' row models: not imported by the reads that need no gene index (twin show)
    from medtwin.loaders.genes_ncbi import GeneIndex

    return GeneIndex.from_table(
        zip(got["entrez"], got["symbol"], got["synonyms"], got["hgnc"], got["ensembl"], strict=True)
    )
