"""Patient twins against the real server (issue 4 acceptance)."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, twins
from medtwin.platform.models import TwinParams

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, expand=5, max_seeds=50)


def _profile(pid: str, changes: dict[str, float], **kw) -> PatientProfile:
    return PatientProfile(
        patient_id=pid,
        changes=tuple(GeneChange(entrez=g, log2fc=v, padj=0.01, **kw) for g, v in changes.items()),
        symptoms=("HP:0001370",),
        exposures=(),
        metadata={"cohort": "test"},
        input_checksums={f"{pid}.tsv": "0" * 64},
        unmapped=(),
    )


def _includes(store, twin_id):
    return {r["entrez"]: r for r in store.read("twin/get_twin_genes", twin_id=twin_id)}


def test_two_patients_sharing_genes_keep_separate_values(tiny_reference):
    store, _ = tiny_reference
    shared = {str(i): 1.0 for i in range(2, 12)}
    patients.add_patient(store, _profile("PA", shared))
    patients.add_patient(store, _profile("PB", dict.fromkeys(shared, -2.5)))
    ta = twins.build_twin(store, "PA", FAST)
    tb = twins.build_twin(store, "PB", FAST)
    ga, gb = _includes(store, ta.id), _includes(store, tb.id)
    assert ga["2"]["log2fc"] == 1.0
    assert gb["2"]["log2fc"] == -2.5
    # Nothing patient-specific was written on the shared Protein node.
    props = store.driver.execute_query(
        "MATCH (p:Protein {id: '2'}) RETURN keys(p) AS k", database_=store.database
    ).records[0]["k"]
    assert not {"log2fc", "pagerank", "community", "patient_id"} & set(props)


def test_delete_removes_everything_of_one_patient_only(tiny_reference):
    store, g = tiny_reference
    patients.add_patient(store, _profile("PA", {str(i): 1.0 for i in range(2, 12)}))
    patients.add_patient(store, _profile("PB", {str(i): 2.0 for i in range(5, 15)}))
    twins.build_twin(store, "PA", FAST)
    twins.build_twin(store, "PB", FAST)
    before = store.counts()
    report = patients.delete_patient(store, "PA")
    assert report.nodes_deleted >= 3  # patient, input, twin
    assert report.remaining_patient_nodes == 0
    orphans = store.driver.execute_query(
        "MATCH (n) WHERE n.patient_id = 'PA' RETURN count(n) AS n", database_=store.database
    ).records[0]["n"]
    assert orphans == 0
    with pytest.raises(NotFoundError):
        patients.get_patient(store, "PA")
    # The other patient and the reference graph are intact.
    assert twins.show_twin(store, "PB").twin.n_genes > 0
    after = store.counts()
    assert after["nodes"]["Protein"]["total"] == before["nodes"]["Protein"]["total"] == 60
    assert after["relationships"]["INTERACTS_WITH"] == before["relationships"]["INTERACTS_WITH"]


def test_rebuild_makes_version_two_and_diff_reports_it(tiny_reference):
    store, _ = tiny_reference
    patients.add_patient(store, _profile("PC", {str(i): 1.5 for i in range(2, 10)}))
    v1 = twins.build_twin(store, "PC", FAST)
    patients.add_patient(store, _profile("PC", {str(i): -1.0 for i in range(41, 50)}))
    v2 = twins.build_twin(store, "PC", FAST.model_copy(update={"expand": 3}))
    assert (v1.version, v2.version) == (1, 2)
    d = twins.diff_twins(store, "PC", 1, 2)
    assert d.inputs_changed
    assert "expand" in d.params_changed
    assert set(d.genes_added) >= {str(i) for i in range(41, 50)}
    assert [t.version for t in twins.twin_versions(store, "PC")] == [2, 1]


def test_gds_pagerank_and_communities_agree_with_networkx(tiny_reference):
    store, g = tiny_reference
    genes = {str(i): 1.0 + i / 10 for i in range(1, 31)}  # clusters 1 and part of 2
    patients.add_patient(store, _profile("PD", genes))
    t = twins.build_twin(store, "PD", TwinParams(module_samples=50, expand=0, max_seeds=50))
    rows = _includes(store, t.id)
    sub = nx.Graph(g.subgraph(int(k) for k in rows))
    want = nx.pagerank(sub, alpha=0.85, tol=1e-12, max_iter=1000)
    for node, value in want.items():
        assert rows[str(node)]["pagerank"] == pytest.approx(value, rel=1e-3)
    bc = nx.betweenness_centrality(sub, normalized=False)
    for node, value in bc.items():
        assert rows[str(node)]["betweenness"] == pytest.approx(value, abs=1e-6)
    comms: dict[int, set[int]] = {}
    for gid, r in rows.items():
        comms.setdefault(r["community"], set()).add(int(gid))
    q_gds = nx.community.modularity(sub, list(comms.values()))
    q_nx = nx.community.modularity(sub, nx.community.louvain_communities(sub, seed=1))
    assert q_gds == pytest.approx(q_nx, abs=0.05)


def test_multicellular_twin_ranks_cell_types(tiny_reference):
    store, _ = tiny_reference
    profile = PatientProfile(
        patient_id="SC1",
        changes=(
            GeneChange(entrez="2", log2fc=2.0, cell_type="Mono"),
            GeneChange(entrez="3", log2fc=1.0, cell_type="Mono"),
            GeneChange(entrez="5", log2fc=1.5, cell_type="T"),
            GeneChange(entrez="6", log2fc=1.5, cell_type="T"),
            GeneChange(entrez="7", log2fc=1.0, cell_type="B"),
        ),
        symptoms=(),
        exposures=(),
        metadata={},
        input_checksums={},
        unmapped=(),
    )
    patients.add_patient(store, profile)
    twins.build_twin(store, "SC1", FAST)
    detail = twins.show_twin(store, "SC1")
    names = [c.name for c in detail.cell_types]
    assert set(names) == {"Mono", "T", "B"}
    mono = next(c for c in detail.cell_types if c.name == "Mono")
    t_cells = next(c for c in detail.cell_types if c.name == "T")
    # G2 (ligand, up in Mono) -> G5 (receptor, changed in T)
    assert mono.out_signals == 1
    assert t_cells.in_signals == 1
    assert names[0] == "T"  # the receiver of the only signal has the highest PageRank


def test_unknown_patient_is_not_found(tiny_reference):
    store, _ = tiny_reference
    with pytest.raises(NotFoundError, match="no patient NOPE"):
        twins.build_twin(store, "NOPE", FAST)
