"""Services on the in-memory store: patients, twin versions, show, diff, graph, delete, locks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from medtwin.errors import ConflictError, InputError, NotFoundError
from medtwin.platform import datasets, patients, rankings, reports, twins
from medtwin.platform.models import TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

FAST = {"module_samples": 20, "min_seeds": 2}


def _built(store: MemoryStore, **params: object) -> None:
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(**{**FAST, **params}))  # type: ignore[arg-type]


def test_add_patient_twice_is_one_input(store):
    first = patients.add_patient(store, profile())
    again = patients.add_patient(store, profile())
    assert first.inputs == again.inputs == 1
    assert first.genes == 4
    assert first.metadata == {"cohort": "toy"}
    assert first.symptoms == ("HP:0001370", "HP:9999999")
    assert first.twin_versions == ()
    assert [p.id for p in patients.list_patients(store)] == ["P1"]


def test_add_inputs_refuses_empty_and_foreign_profiles(store):
    with pytest.raises(InputError, match="nothing to add"):
        patients.add_patient_inputs(store, "P1", [])
    with pytest.raises(InputError, match="for patient P2, not P1"):
        patients.add_patient_inputs(store, "P1", [("de", profile("P2"))])
    with pytest.raises(InputError, match="contributes nothing"):
        patients.add_patient(store, profile(changes=(), symptoms=(), unmapped=("XYZ",)))
    assert patients.list_patients(store) == []


def test_unknown_and_invalid_patients(store):
    with pytest.raises(NotFoundError, match="no patient P9"):
        patients.get_patient(store, "P9")
    with pytest.raises(InputError):
        patients.get_patient(store, "..")
    with pytest.raises(NotFoundError):
        twins.build_twin(store, "P9")


def test_build_twin_versions_newest_first(store):
    _built(store)
    second = twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=4))
    assert second.id == "P1@v2"
    assert second.version == 2
    assert [t.version for t in twins.twin_versions(store, "P1")] == [2, 1]
    assert patients.get_patient(store, "P1").twin_versions == (1, 2)
    first = twins.twin_versions(store, "P1")[1]
    assert (first.n_seeds, first.n_genes, first.module_size) == (3, 3, 2)
    assert first.params.min_seeds == 2
    assert first.n_symptoms == 1


def test_show_twin_ranks_genes_and_links_symptoms(store):
    _built(store)
    detail = twins.show_twin(store, "P1")
    ranks = [g.pagerank for g in detail.top_genes]
    assert ranks == sorted(ranks, reverse=True)
    assert sum(ranks) == pytest.approx(1.0)
    # 1-2 joined, 5 alone: PageRank on 1-2 equal, 5 (isolated) gets the same uniform share
    assert {g.entrez for g in detail.top_genes} == {"1", "2", "5"}
    assert detail.symptoms == (
        {
            "id": "HP:0001370",
            "name": "Rheumatoid arthritis",
            "kind": "Phenotype",
            "genes_in_twin": 2,
            "genes_in_module": 2,
        },
    )
    assert {c.name for c in detail.cell_types} == {"B", "T"}
    assert sum(c.size for c in detail.communities) == 3


def test_diff_twins_by_hand(store):
    _built(store)
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=4))
    diff = twins.diff_twins(store, "P1", 1, 2)
    assert diff.params_changed == {"min_seeds": ("2", "4")}
    assert diff.genes_added == ("3",)
    assert diff.genes_removed == ()
    assert diff.module_size == (2, 3)  # 3 links to 2 on the ring
    assert diff.inputs_changed is False
    assert diff.changed_values == ()  # the shared genes keep their values
    with pytest.raises(NotFoundError, match="no twin version 7"):
        twins.diff_twins(store, "P1", 1, 7)


def test_diff_names_phenotype_terms_that_enter_the_module(store):
    _built(store)
    store.add_reference(
        genes={},
        phenotypes={"HP:0002829": ("Arthralgia", ["2"])},
        cooccurrences=[("HP:0001370", "HP:0002829", 0.9, "Phenotype")],
    )
    twins.build_twin(store, "P1", TwinParams(**FAST))  # type: ignore[arg-type]
    diff = twins.diff_twins(store, "P1", 1, 2)
    # v1 saw no co-occurrence edge; v2 joins HP:0002829 (weight 0.9 >= 0.1, the Phenotype threshold)
    assert diff.phenotype_terms_added == ("HP:0002829",)
    assert diff.phenotype_terms_removed == ()
    assert diff.phenotype_module_p[0] is not None
    assert diff.tissues_added == diff.tissues_removed == ()
    assert diff.most_central_tissue == (None, None)


def test_twin_graph_nodes_sizes_and_edges(store):
    _built(store)
    graph = twins.twin_graph(store, "P1")
    genes = {n.id: n for n in graph.nodes if n.kind == "Protein"}
    assert set(genes) == {"1", "2", "5"}
    assert max(n.size for n in genes.values()) == pytest.approx(5.0)  # 1 + 4 * top/top
    assert genes["1"].layer == "module"
    assert genes["5"].layer == "seed"
    assert genes["1"].label == "G1"
    assert genes["2"].value == -1.0
    cells = {n.label for n in graph.nodes if n.kind == "CellType"}
    assert cells == {"B", "T"}
    # every part of the twin (before: no term, no module, no cell type's changed genes)
    term = next(n for n in graph.nodes if n.kind == "Phenotype")
    assert (term.id, term.label, term.layer) == (
        "HP:0001370", "HP:0001370 Rheumatoid arthritis", "phenotype"
    )  # fmt: skip
    module = next(n for n in graph.nodes if n.kind == "PhenotypeModule")
    assert module.label == "phenotype module (1 term, 2 genes, z 1.92)"
    assert {(e.source, e.target, e.kind) for e in graph.edges} == {
        ("1", "2", "INTERACTS_WITH"),
        ("P1@v1/T", "P1@v1/B", "SIGNALS_TO"),
        ("P1@v1/B", "2", "EXPRESSES_CHANGE"),
        ("P1@v1/T", "1", "EXPRESSES_CHANGE"),
        ("P1@v1/phenotype-module", "HP:0001370", "IN_PHENOTYPE_MODULE"),
        ("P1@v1/phenotype-module", "1", "LINKS_GENE"),
        ("P1@v1/phenotype-module", "2", "LINKS_GENE"),
    }
    assert graph.pathway_legend is None  # no pathway activity stored


def test_delete_patient_counts_and_leaves_nothing(store):
    _built(store)
    report = patients.delete_patient(store, "P1")
    # Patient, input, twin, 2 cell types, the phenotype module; HAS_INPUT, HAS_TWIN, 3 INCLUDES,
    # 1 PRESENTS, 2 HAS_CELL_TYPE, 1 SIGNALS_TO, 2 EXPRESSES_CHANGE, HAS_PHENOTYPE_MODULE,
    # 1 IN_PHENOTYPE_MODULE (the presented term), 2 LINKS_GENE (G1, G2: annotated and in the module)
    assert (report.nodes_deleted, report.relationships_deleted) == (6, 15)
    assert report.remaining_patient_nodes == 0
    with pytest.raises(NotFoundError):
        patients.get_patient(store, "P1")


def test_a_held_lock_is_a_conflict(store):
    patients.add_patient(store, profile())
    with store.patient_lock("P1", "twin build"), pytest.raises(ConflictError, match="busy"):
        twins.build_twin(store, "P1", TwinParams(**FAST))
    twins.build_twin(store, "P1", TwinParams(**FAST))  # released


def test_a_failed_build_leaves_no_version(store, monkeypatch):
    patients.add_patient(store, profile())

    def boom(*_: object) -> dict[str, object]:
        raise RuntimeError("analysis died")

    monkeypatch.setattr(store.twins, "analyse", boom)
    with pytest.raises(RuntimeError):
        twins.build_twin(store, "P1", TwinParams(**FAST))
    assert twins.twin_versions(store, "P1") == []
    monkeypatch.undo()
    assert twins.build_twin(store, "P1", TwinParams(**FAST)).version == 1


def test_repair_removes_unfinished_twins(store):
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(**FAST))
    store.patients["P1"].twins[1].props["status"] = "building"  # as if killed mid-build
    assert store.unfinished_patients() == ["P1"]
    report = datasets.repair(store)
    assert report["unfinished_twins_removed"] == 1
    assert report["busy"] == []
    assert store.unfinished_patients() == []


def test_ranking_reads_name_the_missing_patient_or_ranking(store):
    _built(store)
    with pytest.raises(NotFoundError, match="no patient P9"):
        rankings.get_ranking(store, "P9")
    with pytest.raises(NotFoundError, match="has not been ranked"):
        rankings.get_ranking(store, "P1")


def test_describe_and_readiness(store):
    got = datasets.describe(store)
    assert got["relationships"]["INTERACTS_WITH"]["total"] == 8
    assert got["layers"]["interactome_proteins"] == 8
    assert {d["id"] for d in got["datasets"]} >= {"menche2015_interactome", "ncbi_gene_info"}
    assert datasets.readiness(store) == ("memory", "memory")


def test_no_reference_is_a_clear_error():
    patients.add_patient(bare := MemoryStore(), profile())
    with pytest.raises(NotFoundError, match="menche2015_interactome is not loaded"):
        twins.build_twin(bare, "P1", TwinParams(**FAST))


def _deleting_after(
    store: MemoryStore, read: Callable[[str], list[dict[str, object]]]
) -> Callable[[str], list[dict[str, object]]]:
    """``read`` of a twin that deletes patient P1 once it has read (a delete between queries)."""

    def deleted_midway(twin_id: str) -> list[dict[str, object]]:
        got = read(twin_id)
        store.twins.delete_patient("P1")
        return got

    return deleted_midway


@pytest.mark.parametrize("view", ["twin_graph", "show_twin"])
def test_a_patient_deleted_while_its_twin_is_read_is_not_found(store, monkeypatch, view):
    """Before: the view went on with what was left (an API sweep saw 200 with the genes and no
    edges); deleting is one transaction, so a twin gone after the reads was deleted during them."""
    _built(store)
    whole = getattr(twins, view)(store, "P1")
    deleted_midway = _deleting_after(store, store.twins.symptoms)
    monkeypatch.setattr(store.twins, "symptoms", deleted_midway)
    monkeypatch.setattr(store.twins, "edges", lambda twin_id: deleted_midway(twin_id) and [])
    with pytest.raises(NotFoundError, match=r"twin P1@v1 was deleted while it was read"):
        getattr(twins, view)(store, "P1")
    assert whole  # the same view before the delete


def test_a_report_whose_patient_is_deleted_while_it_reads_is_not_found(store, monkeypatch):
    """The report reads one twin for all its parts and checks once at the end."""
    _built(store)
    assert "<html" in reports.patient_report(store, "P1")
    monkeypatch.setattr(store.twins, "edges", _deleting_after(store, store.twins.edges))
    # a later part's read, or the final check, says the twin (or its patient: the twin's rows are
    # read once for all parts, so the next read is by patient) is gone: never a torn report
    with pytest.raises(NotFoundError, match=r"patient P1\b|P1@v1"):
        reports.patient_report(store, "P1")


def test_isolated_seeds_make_the_strongest_seed_the_module(store):
    """Seeds that touch no other seed tie at LCC size 1: the strongest evidence wins the tie.

    Before, the module was the seed of the lowest node index (here "1"), whatever its evidence.
    """
    from medtwin.loaders.patient_rows import GeneChange

    changes = (  # 1, 4 and 7 are not neighbours on the ring 1-2-...-8-1
        GeneChange(entrez="1", log2fc=1.0, zscore=3.0, padj=1e-3),
        GeneChange(entrez="4", log2fc=1.0, zscore=4.0, padj=1e-4),
        GeneChange(entrez="7", log2fc=-2.0, zscore=-6.0, padj=1e-6),
    )
    patients.add_patient(store, profile("ISO", changes=changes))
    twin = twins.build_twin(store, "ISO", TwinParams(module_samples=20, expand=0, min_seeds=1))
    assert twin.module_size == 1
    assert [g["entrez"] for g in store.twins.genes(twin.id) if g["in_module"]] == ["7"]
