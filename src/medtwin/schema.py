"""The graph's vocabulary: node labels, relationship types, layers and id namespaces.

Labels and relationship types cannot be Cypher parameters, so any code that must vary them takes
them from these Enums (never from user input). A unit test checks that every label has a
uniqueness constraint in ``cypher/schema/constraints.cypher`` and every relationship type a layer.

Id namespaces (the property ``id`` of each label):

========== ==============================================================================
Protein    NCBI Entrez gene id as text (``"7157"``); symbol and synonyms are properties
Drug       DrugBank id (``"DB00945"``); DrugCentral drugs without one: ``"drugcentral:<id>"``
Disease    ``"mesh:<lower-case MeSH term>"`` (Menche/Guney/HSDN/indications vocabulary),
           ``"OMIM:<n>"`` / ``"ORPHA:<n>"`` / ``"DECIPHER:<n>"`` from HPO annotations
Symptom    MeSH descriptor id (``"D000006"``) as in HSDN (Zhou et al. 2014)
Phenotype  HPO term id (``"HP:0001945"``)
Dataset    source name (``"menche2015_interactome"``)
Patient    user-given patient id (validated: ``[A-Za-z0-9_.-]{1,64}``)
PatientInput ``"<patient>/<sha256 of the input>"``
Twin       ``"<patient>@v<version>"``
CellType   ``"<twin id>/<cell type>"`` (patient-specific, only inside a twin); a cell type of a
           tissue: ``"<twin id>/<tissue>/<cell type>"``
Tissue     ``"<twin id>/tissue:<tissue>"`` (patient-specific, only inside a multi-tissue twin)
PhenotypeModule ``"<twin id>/phenotype-module"`` (patient-specific, one per twin)
CustomDrug a random UUID; ``drug_id`` and ``name`` as in the user's ``rank --targets FILE``
           (patient-specific, only inside one ranking)

Every patient-specific node (Patient, PatientInput, Twin, Tissue, CellType, PhenotypeModule,
Ranking, CustomDrug) carries ``patient_id``, so deleting a patient and checking for orphans are
single indexed look-ups; patient values live on those nodes and on their relationships, never on
reference nodes.
========== ==============================================================================
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ID_NAMESPACE", "LAYER_OF", "PATIENT_LABELS", "Label", "Layer", "RelType"]


class Label(StrEnum):
    """Node labels."""

    PROTEIN = "Protein"
    DRUG = "Drug"
    DISEASE = "Disease"
    SYMPTOM = "Symptom"
    PHENOTYPE = "Phenotype"
    DATASET = "Dataset"
    PATIENT = "Patient"
    PATIENT_INPUT = "PatientInput"
    TWIN = "Twin"
    CELL_TYPE = "CellType"
    TISSUE = "Tissue"
    PHENOTYPE_MODULE = "PhenotypeModule"
    RANKING = "Ranking"
    CUSTOM_DRUG = "CustomDrug"
    AUDIT_EVENT = "AuditEvent"
    PATHWAY = "Pathway"


PATIENT_LABELS: frozenset[Label] = frozenset(
    {
        Label.PATIENT,
        Label.PATIENT_INPUT,
        Label.TWIN,
        Label.CELL_TYPE,
        Label.TISSUE,
        Label.PHENOTYPE_MODULE,
        Label.RANKING,
        Label.CUSTOM_DRUG,
        Label.AUDIT_EVENT,
    }
)
"""Labels of nodes that patients' data and requests write (the audit trail included); every
other label is written by reference loads only."""


class Layer(StrEnum):
    """The layers of the multilayer graph."""

    PPI = "ppi"
    DRUG_TARGET = "drug_target"
    DISEASE_GENE = "disease_gene"
    SYMPTOM = "symptom"
    PHENOTYPE = "phenotype"
    CELL_CELL = "cell_cell"
    REGULATORY = "regulatory"
    DRUG_PERTURBATION = "drug_perturbation"
    PATIENT = "patient"


class RelType(StrEnum):
    """Relationship types."""

    INTERACTS_WITH = "INTERACTS_WITH"  # Protein-Protein, stored once per unordered pair
    TARGETS = "TARGETS"  # Drug->Protein, one per (drug, protein, source)
    ASSOCIATED_WITH = "ASSOCIATED_WITH"  # Disease->Protein, one per (disease, gene, source)
    HAS_SYMPTOM = "HAS_SYMPTOM"  # Disease->Symptom (HSDN)
    HAS_PHENOTYPE = "HAS_PHENOTYPE"  # Disease->Phenotype and Protein->Phenotype (HPO)
    IS_A = "IS_A"  # Phenotype->Phenotype (HPO hierarchy)
    CO_OCCURS_WITH = "CO_OCCURS_WITH"  # Symptom-Symptom, Phenotype-Phenotype
    BINDS = "BINDS"  # ligand Protein -> receptor Protein
    REGULATES = "REGULATES"  # TF Protein -> target Protein {mor, confidence} (DoRothEA)
    FOOTPRINT = "FOOTPRINT"  # Pathway -> Protein {weight} (PROGENy response signature)
    PERTURBS = "PERTURBS"  # Drug -> Protein {z} (LINCS L1000 consensus, landmark genes)
    HAS_INPUT = "HAS_INPUT"  # Patient->PatientInput (one uploaded file or cohort row)
    HAS_TWIN = "HAS_TWIN"  # Patient->Twin
    INCLUDES = "INCLUDES"  # Twin->Protein carrying the patient's values
    PRESENTS = "PRESENTS"  # Twin->Symptom / Twin->Phenotype
    HAS_CELL_TYPE = "HAS_CELL_TYPE"  # Twin->CellType, Tissue->CellType
    HAS_TISSUE = "HAS_TISSUE"  # Twin->Tissue (multi-tissue twins)
    HAS_PHENOTYPE_MODULE = "HAS_PHENOTYPE_MODULE"  # Twin->PhenotypeModule
    IN_PHENOTYPE_MODULE = "IN_PHENOTYPE_MODULE"  # PhenotypeModule->Symptom/Phenotype
    LINKS_GENE = "LINKS_GENE"  # PhenotypeModule->Protein (phenotype gene in the twin's module)
    EXPRESSES_CHANGE = "EXPRESSES_CHANGE"  # CellType->Protein (cell-type-specific change)
    SIGNALS_TO = "SIGNALS_TO"  # CellType->CellType through a ligand-receptor pair
    HAS_RANKING = "HAS_RANKING"  # Twin->Ranking
    SCORES = "SCORES"  # Ranking->Drug carrying the drug's scores
    SIMILAR_TO = "SIMILAR_TO"  # Patient->Patient {score, method} (`medtwin cohort stratify`)
    RESEMBLES = "RESEMBLES"  # Twin->Disease {rank, z, p, q, s_ab} (`medtwin twin diseases`)
    SUGGESTS_BIOMARKER = "SUGGESTS_BIOMARKER"  # Twin->Protein {rank, key, suggestion_json}
    ACTIVITY = "ACTIVITY"  # Twin->Protein (TF) / Twin->Pathway {score, p, q, method, n_targets}
    UPSTREAM_REGULATOR = "UPSTREAM_REGULATOR"  # Twin->Protein {rank, centrality, community, ...}


LAYER_OF: dict[RelType, Layer] = {
    RelType.INTERACTS_WITH: Layer.PPI,
    RelType.TARGETS: Layer.DRUG_TARGET,
    RelType.ASSOCIATED_WITH: Layer.DISEASE_GENE,
    RelType.HAS_SYMPTOM: Layer.SYMPTOM,
    RelType.HAS_PHENOTYPE: Layer.PHENOTYPE,
    RelType.IS_A: Layer.PHENOTYPE,
    RelType.CO_OCCURS_WITH: Layer.SYMPTOM,
    RelType.BINDS: Layer.CELL_CELL,
    RelType.REGULATES: Layer.REGULATORY,
    RelType.FOOTPRINT: Layer.REGULATORY,
    RelType.PERTURBS: Layer.DRUG_PERTURBATION,
    RelType.HAS_INPUT: Layer.PATIENT,
    RelType.HAS_TWIN: Layer.PATIENT,
    RelType.INCLUDES: Layer.PATIENT,
    RelType.PRESENTS: Layer.PATIENT,
    RelType.HAS_CELL_TYPE: Layer.PATIENT,
    RelType.HAS_TISSUE: Layer.PATIENT,
    RelType.HAS_PHENOTYPE_MODULE: Layer.PATIENT,
    RelType.IN_PHENOTYPE_MODULE: Layer.PATIENT,
    RelType.LINKS_GENE: Layer.PATIENT,
    RelType.EXPRESSES_CHANGE: Layer.PATIENT,
    RelType.SIGNALS_TO: Layer.PATIENT,
    RelType.HAS_RANKING: Layer.PATIENT,
    RelType.SCORES: Layer.PATIENT,
    RelType.SIMILAR_TO: Layer.PATIENT,
    RelType.RESEMBLES: Layer.PATIENT,
    RelType.SUGGESTS_BIOMARKER: Layer.PATIENT,
    RelType.ACTIVITY: Layer.PATIENT,
    RelType.UPSTREAM_REGULATOR: Layer.PATIENT,
}

ID_NAMESPACE: dict[Label, str] = {
    Label.PROTEIN: "NCBI Entrez gene id",
    Label.DRUG: "DrugBank id or drugcentral:<id>",
    Label.DISEASE: "mesh:<term> | OMIM:<n> | ORPHA:<n> | DECIPHER:<n>",
    Label.SYMPTOM: "MeSH descriptor id",
    Label.PHENOTYPE: "HPO term id",
    Label.DATASET: "source name",
    Label.PATIENT: "patient id",
    Label.PATIENT_INPUT: "<patient>/<sha256 of the input>",
    Label.TWIN: "<patient>@v<version>",
    Label.CELL_TYPE: "<twin id>/<cell type>",
    Label.TISSUE: "<twin id>/tissue:<tissue>",
    Label.PHENOTYPE_MODULE: "<twin id>/phenotype-module",
    Label.RANKING: "<twin id>/<first 12 hex of the sha256 of the RankParams JSON>",
    Label.CUSTOM_DRUG: "random UUID (drug_id as in the targets file)",
    Label.AUDIT_EVENT: "uuid4",
    Label.PATHWAY: "PROGENy pathway name",
}
