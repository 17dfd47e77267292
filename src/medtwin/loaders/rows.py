"""Typed rows yielded by the loaders: one frozen pydantic model per node or edge kind.

Field names map 1:1 to graph properties (the Cypher in ``cypher/load/`` consumes them with
``UNWIND $rows AS row``); an empty tuple is stored as no property on both load paths
(:func:`medtwin.store.row_queries.row_params`). Every row carries ``source`` (a ``SourceInfo.name``)
and ``source_version``. Ids follow the namespaces in :mod:`medtwin.schema`:
Entrez gene ids as text for proteins, DrugBank ids (or ``drugcentral:<id>``) for drugs,
``mesh:<lower-case term>`` / ``OMIM:<n>`` / ``ORPHA:<n>`` for diseases, MeSH D-ids for symptoms
and ``HP:<n>`` for phenotypes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from medtwin.name_key import name_key

__all__ = [
    "CoOccurrenceRow",
    "DiseaseGeneRow",
    "DiseasePhenotypeRow",
    "DiseaseRow",
    "DiseaseSymptomRow",
    "DrugRow",
    "DrugTargetRow",
    "FootprintRow",
    "GenePhenotypeRow",
    "GeneRow",
    "IndicationRow",
    "InteractionRow",
    "LigandReceptorRow",
    "PerturbationRow",
    "PhenotypeIsARow",
    "PhenotypeRow",
    "RegulationRow",
    "Row",
    "SymptomRow",
]

Direction = Literal["inhibit", "activate", "unknown"]


class Row(BaseModel):
    """Base of every row: immutable, with provenance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    source_version: str


class GeneRow(Row):
    """A human gene (``Protein`` node), NCBI Gene."""

    entrez: str
    symbol: str
    name: str
    synonyms: tuple[str, ...]
    hgnc: str | None
    ensembl: str | None
    gene_type: str


class InteractionRow(Row):
    """An undirected protein–protein interaction, ``a < b`` in integer order."""

    a: str
    b: str
    evidence: tuple[str, ...]


class DrugRow(Row):
    """A drug (``Drug`` node)."""

    id: str
    name: str
    drug_type: str | None
    groups: tuple[str, ...]
    atc_codes: tuple[str, ...]
    inchikey: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def name_key(self) -> str:
        """``name`` as a typed name is matched to it (:func:`medtwin.name_key.name_key`).

        Stored by load/merge_drugs, as Cypher cannot strip accents.
        """
        return name_key(self.name)


class DrugTargetRow(Row):
    """A drug acting on a human protein; ``direction`` from ``actions`` (``loaders.actions``)."""

    drug_id: str
    entrez: str
    actions: tuple[str, ...]
    direction: Direction
    category: str | None
    known_action: str | None


class DiseaseRow(Row):
    """A disease (``Disease`` node)."""

    id: str
    name: str
    mesh_id: str | None


class DiseaseGeneRow(Row):
    """A disease–gene association; ``evidence`` e.g. ``OMIM``, ``GWAS`` or ``OMIM;GWAS``."""

    disease_id: str
    entrez: str
    evidence: str | None


class SymptomRow(Row):
    """A symptom (MeSH descriptor id)."""

    id: str
    name: str


class DiseaseSymptomRow(Row):
    """A disease–symptom link of HSDN with Zhou et al.'s TF-IDF weight and PubMed co-occurrence."""

    disease_id: str
    symptom_id: str
    tfidf: float
    cooccurs: int


class PhenotypeRow(Row):
    """An HPO term."""

    id: str
    name: str


class PhenotypeIsARow(Row):
    """An HPO ``is_a`` edge, child to parent."""

    child: str
    parent: str


class GenePhenotypeRow(Row):
    """A gene annotated with an HPO term (through at least one disease)."""

    entrez: str
    phenotype_id: str


class DiseasePhenotypeRow(Row):
    """A disease annotated with an HPO term."""

    disease_id: str
    phenotype_id: str


class CoOccurrenceRow(Row):
    """A symptom–symptom or phenotype–phenotype similarity edge, ``a < b`` (``cooccurrence``)."""

    a: str
    b: str
    label: Literal["Symptom", "Phenotype"]
    weight: float
    shared: int
    method: str


class LigandReceptorRow(Row):
    """A ligand–receptor pair between two proteins (complexes split into subunits)."""

    ligand_entrez: str
    receptor_entrez: str
    ligand_symbol: str
    receptor_symbol: str
    resource: str


class IndicationRow(Row):
    """A known drug indication (validation only, never used for ranking)."""

    disease_id: str
    drug_id: str
    indication_source: str


class RegulationRow(Row):
    """A transcription factor regulating a target gene (DoRothEA regulon edge)."""

    tf_entrez: str
    target_entrez: str
    tf_symbol: str
    target_symbol: str
    confidence: Literal["A", "B", "C", "D", "E"]
    mor: float


class FootprintRow(Row):
    """A gene's weight in a pathway's consensus response signature (PROGENy footprint)."""

    pathway: str
    entrez: str
    symbol: str
    weight: float


class PerturbationRow(Row):
    """A drug's consensus transcriptional change of one gene (LINCS L1000 MODZ)."""

    drug_id: str
    entrez: str
    z: float
