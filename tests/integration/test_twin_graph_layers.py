"""The twin drawing holds every part of a twin: terms, phenotype module, pathways, cell edges.

Before, ``GET .../graph`` (the viewer, the report's picture) drew proteins, cell types,
tissues and regulators only: a twin's PRESENTS terms, PhenotypeModule, Pathway ACTIVITY and its
cell types' EXPRESSES_CHANGE edges were stored but never drawn.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import patients, twins
from medtwin.platform.models import TwinGraph, TwinParams, TwinSummary
from medtwin.platform.twin_drawing_activity import TOP_TFS, activity_legend
from tests.integration.test_cell_regulators import _stats
from tests.integration.test_tissues_phenotypes import _phenotype_reference
from tests.integration.test_twin_regulators import _layers

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, max_seeds=50)


def _single_cell_profile(pid: str) -> PatientProfile:
    # As the demo's single-cell donors: cell types without a tissue, a presented HPO term, and
    # the vector of every measured gene that gives the twin its patient-level activities.
    stats = _stats(1, 4.0)
    changes = tuple(
        GeneChange(entrez=g, log2fc=v, zscore=v, cell_type="T" if int(g) % 2 else "B")
        for g, v in stats.items()
    )
    return PatientProfile(
        patient_id=pid,
        changes=changes,
        symptoms=("HP:0001370",),
        activity_stats=(ActivityStats(statistic="z", stats=stats),),
        input_checksums={f"{pid}.tsv": "0" * 64},
    )


def built_single_cell_twin(store: Any, pid: str) -> tuple[TwinSummary, TwinGraph]:
    """A single-cell patient's twin on the regulator and phenotype layers, and its drawing
    (the viewer's, the Bloom phrase's and this module's tests start from it)."""
    _layers(store)
    _phenotype_reference(store)
    patients.add_patient(store, _single_cell_profile(pid))
    return twins.build_twin(store, pid, FAST), twins.twin_graph(store, pid)


def test_graph_draws_terms_module_pathways_and_cell_type_edges(tiny_reference):
    store, _ = tiny_reference
    twin, graph = built_single_cell_twin(store, "GL1")
    nodes = {n.id: n for n in graph.nodes}

    term = nodes["HP:0001370"]  # PRESENTS: id and name in the label
    assert (term.kind, term.layer, term.label) == (
        "Phenotype", "phenotype", "HP:0001370 Rheumatoid arthritis"
    )  # fmt: skip
    module = nodes[f"{twin.id}/phenotype-module"]
    assert (module.kind, module.layer) == ("PhenotypeModule", "phenotype_module")
    in_module = {e.target for e in graph.edges if e.kind == "IN_PHENOTYPE_MODULE"}
    assert in_module == {"HP:0001370", "HP:0002829"}  # presented and co-occurring
    assert nodes["HP:0002829"].label == "HP:0002829 Arthralgia"
    proteins = {n.id for n in graph.nodes if n.kind == "Protein"}
    links = {e.target for e in graph.edges if e.kind == "LINKS_GENE"}
    assert links
    assert links <= proteins

    pathway = nodes[f"{twin.id}/pathway:MAPK"]
    assert (pathway.kind, pathway.layer) == ("Pathway", "pathway")
    assert pathway.value is not None  # the patient-level activity score, named in the label
    assert pathway.label == f"MAPK (activity {pathway.value:+.2f})"
    assert graph.pathway_legend == "pathway (all 1)"
    activity = [e for e in graph.edges if e.kind == "ACTIVITY"]
    # from the cell types, and (stop 60) from the twin itself: its strongest TFs and pathways
    assert {e.source for e in activity} <= {f"{twin.id}/T", f"{twin.id}/B", f"{twin.id}/twin"}
    assert nodes[f"{twin.id}/twin"].kind == "Twin"
    stored = store.driver.execute_query(
        "MATCH (:Twin {id: $t})-[a:ACTIVITY]->(n) WHERE a.context IS NULL "
        "RETURN n:Pathway AS pathway, n.id AS id, a.score AS score",
        t=twin.id,
        database_=store.database,
    ).records
    tfs = sorted((r for r in stored if not r["pathway"]), key=lambda r: (-abs(r["score"]), r["id"]))
    expected = {r["id"]: r["score"] for r in tfs[:TOP_TFS]}
    expected |= {f"{twin.id}/pathway:{r['id']}": r["score"] for r in stored if r["pathway"]}
    assert expected
    drawn = {e.target: e.weight for e in activity if e.source == f"{twin.id}/twin"}
    assert drawn == pytest.approx(expected)
    more = len(tfs) - min(len(tfs), TOP_TFS)
    assert graph.activity_legend is not None
    assert graph.activity_legend == activity_legend(len(tfs) - more, len(tfs))

    changed = [e for e in graph.edges if e.kind == "EXPRESSES_CHANGE"]
    assert {e.source for e in changed} == {f"{twin.id}/T", f"{twin.id}/B"}
    assert {e.target for e in changed} <= proteins  # only to drawn nodes
    stored = store.driver.execute_query(
        "MATCH (t:Twin {id: $t})-[:HAS_CELL_TYPE]->(:CellType)-[r:EXPRESSES_CHANGE]->(g) "
        "WHERE (t)-[:INCLUDES]->(g) RETURN count(r) AS n",
        t=twin.id,
        database_=store.database,
    ).records[0]["n"]
    assert len(changed) == stored > 0
    ids = {n.id for n in graph.nodes}
    assert all(e.source in ids and e.target in ids for e in graph.edges)
