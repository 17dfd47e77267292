"""Multi-tissue twins and phenotype modules against the real server: storage and deletion."""

from __future__ import annotations

import pytest

from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.loaders.rows import CoOccurrenceRow, GenePhenotypeRow, PhenotypeRow
from medtwin.platform import patients, twins
from medtwin.platform.models import TwinParams

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, max_seeds=50)


def _two_tissue_profile(pid: str) -> PatientProfile:
    # Reference LR pair of tiny_reference: G2 (ligand) -> G5 (receptor). G2 is up in blood
    # monocytes, G5 changed in synovial fibroblasts: one cross-tissue link. G3 in blood T cells.
    changes = [
        GeneChange(entrez="2", log2fc=2.0, padj=0.01, tissue="blood", cell_type="Mono"),
        GeneChange(entrez="3", log2fc=1.0, padj=0.01, tissue="blood", cell_type="T"),
        GeneChange(entrez="4", log2fc=1.0, padj=0.01, tissue="blood", cell_type="Mono"),
    ] + [
        GeneChange(entrez=str(g), log2fc=1.2, padj=0.01, tissue="synovium", cell_type=c)
        for g, c in ((5, "Fibro"), (6, "Fibro"), (7, "Macro"), (8, "Macro"), (9, "Fibro"))
    ]
    return PatientProfile(patient_id=pid, changes=tuple(changes), input_checksums={"x": "0" * 64})


def _count(store, query: str, **params) -> int:
    return int(store.driver.execute_query(query, params, database_=store.database).records[0]["n"])


def test_two_tissue_twin_is_stored_shown_and_deleted(tiny_reference):
    store, _ = tiny_reference
    patients.add_patient(store, _two_tissue_profile("MT1"))
    twin = twins.build_twin(store, "MT1", FAST)
    n_tissues = _count(
        store,
        "MATCH (:Twin {id: $t})-[:HAS_TISSUE]->(ts:Tissue {patient_id: 'MT1'}) "
        "RETURN count(ts) AS n",
        t=twin.id,
    )
    assert n_tissues == 2
    n_cells = _count(
        store,
        "MATCH (:Twin {id: $t})-[:HAS_TISSUE]->(:Tissue)-[:HAS_CELL_TYPE]->(c:CellType) "
        "RETURN count(c) AS n",
        t=twin.id,
    )
    assert n_cells == 4  # blood Mono, T; synovium Fibro, Macro
    cross = _count(
        store,
        "MATCH (a:CellType {twin_id: $t})-[s:SIGNALS_TO {cross_tissue: true}]->(b:CellType) "
        "WHERE a.tissue = 'blood' AND b.tissue = 'synovium' RETURN count(s) AS n",
        t=twin.id,
    )
    assert cross == 1
    layer = twins.twin_tissues(store, "MT1")
    assert [t.name for t in layer.tissues][0] == "blood"  # the sender of the only signal
    assert layer.n_cross_tissue_signals == 1
    assert layer.signals[0].pair_symbols == ("G2>G5",)
    detail = twins.show_twin(store, "MT1")
    assert detail.tissues == layer
    assert detail.cell_types == ()  # the single-tissue layer stays empty
    genes = {g.entrez: g for g in detail.top_genes}
    assert genes["2"].cell_types == ("blood/Mono",)
    graph = twins.twin_graph(store, "MT1")
    assert {n.kind for n in graph.nodes} >= {"Tissue", "CellType", "Protein"}
    assert any(e.kind == "SIGNALS_TO_CROSS_TISSUE" for e in graph.edges)

    # A second version has its own tissue nodes; deleting the patient removes every one.
    twins.build_twin(store, "MT1", FAST)
    assert _count(store, "MATCH (ts:Tissue {patient_id: 'MT1'}) RETURN count(ts) AS n") == 4
    same = twins.diff_twins(store, "MT1", 1, 2)
    assert same.most_central_tissue == ("blood", "blood")
    assert same.tissues_added == same.tissues_removed == ()
    report = patients.delete_patient(store, "MT1")
    assert report.remaining_patient_nodes == 0
    for label in ("Tissue", "CellType", "Twin"):
        assert _count(store, f"MATCH (n:{label}) RETURN count(n) AS n") == 0


def test_failed_build_rollback_removes_the_tissue_layer(tiny_reference):
    store, _ = tiny_reference
    from medtwin.store.twins import TwinStore

    patients.add_patient(store, _two_tissue_profile("MT2"))
    twin = twins.build_twin(store, "MT2", FAST)
    TwinStore(store).delete_twin(twin.id)
    assert _count(store, "MATCH (n) WHERE n:Tissue OR n:CellType RETURN count(n) AS n") == 0


def test_twin_without_tissues_has_no_tissue_layer(tiny_reference):
    store, _ = tiny_reference
    patients.add_patient(
        store,
        PatientProfile(
            patient_id="ST1",
            changes=tuple(GeneChange(entrez=str(g), log2fc=1.0, padj=0.01) for g in range(2, 9)),
        ),
    )
    twins.build_twin(store, "ST1", FAST)
    assert twins.show_twin(store, "ST1").tissues is None
    with pytest.raises(NotFoundError, match="no tissue layer"):
        twins.twin_tissues(store, "ST1")
    with pytest.raises(NotFoundError, match="no phenotype module"):
        twins.twin_phenotype_module(store, "ST1")


def _phenotype_reference(store) -> None:
    # HP:0001370 (present in tiny_reference) co-occurs with HP:0002829; the latter is annotated
    # to genes 3, 4, 5 (module genes of the patient below) and 50 (outside).
    store.merge_rows(
        [PhenotypeRow(id="HP:0002829", name="Arthralgia", source="hpo", source_version="test")]
    )
    store.merge_rows(
        [
            CoOccurrenceRow(
                a="HP:0001370",
                b="HP:0002829",
                label="Phenotype",
                weight=0.5,
                shared=4,
                method="jaccard",
                source="cooccurrence",
                source_version="test",
            )
        ]
    )
    store.merge_rows(
        [
            GenePhenotypeRow(entrez=g, phenotype_id="HP:0002829", source="hpo", source_version="t")
            for g in ("3", "4", "5", "50")
        ]
    )


def test_phenotype_module_is_stored_versioned_and_deleted(tiny_reference):
    store, _ = tiny_reference
    _phenotype_reference(store)
    patients.add_patient(
        store,
        PatientProfile(
            patient_id="PH1",
            changes=tuple(GeneChange(entrez=str(g), log2fc=1.5, padj=0.01) for g in range(2, 12)),
            symptoms=("HP:0001370", "D999999"),  # the second is not in the graph
        ),
    )
    twin = twins.build_twin(store, "PH1", FAST.model_copy(update={"seed": 3}))
    got = twins.twin_phenotype_module(store, "PH1")
    assert got.twin_id == twin.id
    assert [(t.id, t.role) for t in got.terms] == [
        ("HP:0001370", "presented"),
        ("HP:0002829", "co-occurring"),
    ]
    assert got.terms[1].weight == pytest.approx(0.5)
    assert got.n_symptoms_unknown == 1
    assert got.n_genes == 4
    assert got.overlap == 3
    assert {g["symbol"] for g in got.overlap_genes} == {"G3", "G4", "G5"}
    assert (got.n_samples, got.seed) == (1000, 3)
    # 3 of 4 phenotype genes in a 10-gene module of a 60-gene network: far above chance.
    assert got.significant
    assert twins.show_twin(store, "PH1").phenotype_module == got
    twins.build_twin(store, "PH1", FAST)
    assert _count(store, "MATCH (m:PhenotypeModule {patient_id: 'PH1'}) RETURN count(m) AS n") == 2
    diff = twins.diff_twins(store, "PH1", 1, 2)  # same symptoms: the same terms, p of each
    assert diff.phenotype_terms_added == diff.phenotype_terms_removed == ()
    assert diff.phenotype_module_p[0] == got.p
    patients.delete_patient(store, "PH1")
    assert _count(store, "MATCH (m:PhenotypeModule) RETURN count(m) AS n") == 0
    # The reference phenotype layer is untouched.
    assert _count(store, "MATCH (:Protein)-[r:HAS_PHENOTYPE]->() RETURN count(r) AS n") == 4


def test_unfinished_build_remains_are_removed_with_tissues_and_module(tiny_reference):
    # A build killed after writing (status still 'building') leaves tissue, cell-type and
    # phenotype-module nodes; the next build's clean-up (or `db repair`) removes all of them.
    store, _ = tiny_reference
    from medtwin.store.twins import TwinStore

    _phenotype_reference(store)
    profile = _two_tissue_profile("MT3").model_copy(update={"symptoms": ("HP:0001370",)})
    patients.add_patient(store, profile)
    twin = twins.build_twin(store, "MT3", FAST)
    store.driver.execute_query(
        "MATCH (t:Twin {id: $t}) SET t.status = 'building'", t=twin.id, database_=store.database
    )
    assert _count(store, "MATCH (m:PhenotypeModule) RETURN count(m) AS n") == 1
    assert TwinStore(store).delete_unfinished("MT3") == (1, 0)
    for label in ("Tissue", "CellType", "PhenotypeModule", "Twin"):
        assert _count(store, f"MATCH (n:{label}) RETURN count(n) AS n") == 0
