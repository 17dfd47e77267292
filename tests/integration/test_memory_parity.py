"""The in-memory store behaves like the Neo4j store: the same services give the same answers.

One patient is added, built twice, ranked and deleted on the real server and on a MemoryStore
seeded with the same tiny reference; everything the use cases return is compared. PageRank and
betweenness come from GDS on one side and networkx on the other: equal within a tolerance. What
``running_writes`` names while a cohort is being added is compared too.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.loaders.rows import DrugRow
from medtwin.platform import patients, rankings, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore

pytestmark = pytest.mark.neo4j

CHANGES = (
    GeneChange(entrez="2", log2fc=2.0, zscore=5.0, padj=1e-5, cell_type="T"),
    GeneChange(entrez="3", log2fc=-1.5, zscore=4.5, padj=1e-4, cell_type="T"),
    GeneChange(entrez="5", log2fc=1.2, zscore=4.0, padj=1e-4, cell_type="B"),
    GeneChange(entrez="7", log2fc=1.0, zscore=3.5, padj=1e-3),
    GeneChange(entrez="9", log2fc=-0.8, zscore=3.0, padj=1e-3),
    GeneChange(entrez="30", log2fc=1.1, zscore=2.5, padj=1e-2),
    GeneChange(entrez="45", log2fc=0.4, zscore=1.0, padj=0.4),
)
PROFILE = PatientProfile(
    patient_id="PM",
    changes=CHANGES,
    symptoms=("HP:0001370",),
    metadata={"cohort": "parity"},
    input_checksums={"pm.tsv": "a" * 64},
)
V1 = TwinParams(module_samples=50, min_seeds=3)
V2 = TwinParams(module_samples=50, min_seeds=7, expansion="rwr", expand=3)


def _mirror(g: Any) -> MemoryStore:
    store = MemoryStore()
    store.add_reference(
        genes={str(n): f"G{n}" for n in g.nodes},
        ppi=[(str(a), str(b)) for a, b in g.edges],
        lr_pairs=[("2", "5")],
        phenotypes={"HP:0001370": ("Rheumatoid arthritis", [])},
        drugs={  # as tests/integration/conftest.py's tiny_reference
            "DB00001": ("drug1", [("2", "inhibit"), ("3", "inhibit")]),
            "DB00002": ("drug2", [("45", "inhibit"), ("50", "inhibit")]),
            "DB00003": ("drug3", [("21", "inhibit")]),
        },
    )
    return store


RANK = RankParams(n_samples=50, methods=("proximity",))
WHEN = {"created_at": True, "input_list": {"__all__": {"added_at"}}}
"""The times each store stamps itself (an input's too)."""


def _run(store: Any, cache: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ctx = ReferenceContext()
    out["added"] = patients.add_patient(store, PROFILE).model_dump(exclude=WHEN)
    out["v1"] = twins.build_twin(store, "PM", V1)
    out["v2"] = twins.build_twin(store, "PM", V2)
    out["versions"] = [t.version for t in twins.twin_versions(store, "PM")]
    out["show"] = twins.show_twin(store, "PM", 1, top=100)
    out["graph"] = twins.twin_graph(store, "PM", 2)
    out["diff"] = twins.diff_twins(store, "PM", 1, 2)
    out["patient"] = patients.get_patient(store, "PM").model_dump(exclude={"created_at"})
    out["ranked"] = rankings.rank_drugs(store, "PM", RANK, cache_dir=cache, ctx=ctx)
    out["full"] = rankings.full_ranking(store, "PM", ctx=ctx)
    out["page"] = rankings.get_ranking(store, "PM", offset=1, limit=5, ctx=ctx)
    out["shown"] = patients.get_patient(store, "PM", with_inputs=True).model_dump(exclude=WHEN)
    only = out["shown"]["input_list"][0]["id"]
    out["removed"] = patients.remove_input(store, "PM", only).model_dump(
        exclude={"removed": {"added_at"}}
    )
    out["deleted"] = patients.delete_patient(store, "PM")
    return out


@pytest.fixture
def both(tiny_reference: Any, tmp_path: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    neo, g = tiny_reference
    return _run(neo, tmp_path), _run(_mirror(g), tmp_path)


def test_patients_versions_and_summaries_match(both):
    neo, mem = both
    assert neo["added"] == mem["added"]
    assert neo["patient"] == mem["patient"]
    assert neo["shown"] == mem["shown"]  # each input described (patient/list_inputs)
    assert neo["removed"] == mem["removed"]  # one input removed (patient/remove_input)
    assert neo["removed"]["stale_note"].startswith("twin v2 predates the patient's inputs")
    assert neo["versions"] == mem["versions"] == [2, 1]
    skip = {"created_at", "seconds"}
    for v in ("v1", "v2"):
        assert neo[v].model_dump(exclude=skip) == mem[v].model_dump(exclude=skip)


def test_twin_detail_matches(both):
    neo, mem = both
    a, b = neo["show"], mem["show"]
    ga = {g.entrez: g for g in a.top_genes}
    gb = {g.entrez: g for g in b.top_genes}
    assert set(ga) == set(gb)
    for gid in ga:
        x, y = ga[gid], gb[gid]
        assert (x.role, x.log2fc, x.in_module, x.symbol, x.cell_types) == (
            y.role,
            y.log2fc,
            y.in_module,
            y.symbol,
            y.cell_types,
        )
        assert x.pagerank == pytest.approx(y.pagerank, rel=1e-3, abs=1e-6)
        assert x.personalised_pagerank == pytest.approx(y.personalised_pagerank, abs=1e-4)
        assert x.betweenness == pytest.approx(y.betweenness, rel=1e-6, abs=1e-9)
    assert a.symptoms == b.symptoms
    ca = [(c.name, c.n_genes, c.out_signals, c.in_signals) for c in a.cell_types]
    cb = [(c.name, c.n_genes, c.out_signals, c.in_signals) for c in b.cell_types]
    assert ca == cb
    assert [c.pagerank for c in a.cell_types] == pytest.approx([c.pagerank for c in b.cell_types])


def test_graph_and_diff_match(both):
    neo, mem = both
    na = {(n.id, n.label, n.layer, n.kind) for n in neo["graph"].nodes}
    nb = {(n.id, n.label, n.layer, n.kind) for n in mem["graph"].nodes}
    assert na == nb
    ea = {(e.source, e.target, e.kind, e.weight) for e in neo["graph"].edges}
    eb = {(e.source, e.target, e.kind, e.weight) for e in mem["graph"].edges}
    assert ea == eb
    assert neo["diff"] == mem["diff"]


def test_rankings_match(both):
    neo, mem = both
    skip = {"created_at", "seconds", "drugs"}
    for key in ("ranked", "full", "page"):
        assert neo[key].model_dump(exclude=skip) == mem[key].model_dump(exclude=skip), key
        a = [d.model_dump() for d in neo[key].drugs]
        b = [d.model_dump() for d in mem[key].drugs]
        assert len(a) == len(b) > 0, key
        for x, y in zip(a, b, strict=True):
            assert x.keys() == y.keys()
            for k in x:
                if isinstance(x[k], float):
                    assert x[k] == pytest.approx(y[k], rel=1e-9, abs=1e-12), (key, k)
                else:
                    assert x[k] == y[k], (key, k)
    assert [d.drug_id for d in neo["full"].drugs][1:] == [d.drug_id for d in neo["page"].drugs]


OTHER_NAMES = [
    DrugRow(
        id=i,
        name=n,
        drug_type=None,
        groups=(),
        atc_codes=(),
        inchikey=None,
        source="drugcentral_2016",
        source_version="t",
    )
    for i, n in [
        ("DB00002", "Cediranib"),
        ("DB00002", "CEDIRANIB"),
        ("DB00003", "DRUG3"),
        ("DB00001", "drugone"),
        ("DB00003", "Méthotrexate"),
    ]
]
"""A later source's names: one new name kept once (any case), one the drug's own name in
capitals (not kept), one that holds the text less well than the drug's name, and one with an
accent (found as users type it: query/drugs_named compares the names' keys)."""


@pytest.mark.parametrize(
    "text",
    ["DRUG", "drug2", "Drug1x", "zzz", "RUG3", "cedir", "ugon", "methotrex", "MÉTHO", "thotrexaté"],
)
def test_drugs_named_match(tiny_reference: Any, text: str) -> None:
    """An unknown drug id's suggestions (explain's hint) are the same drugs, in the same order,
    found by a later source's other name too (load/merge_drugs' ``other_names``)."""
    neo, g = tiny_reference
    neo.merge_rows(OTHER_NAMES)
    mirror = _mirror(g)
    mirror.drugs["DB00002"]["other_names"] = ["Cediranib"]
    mirror.drugs["DB00001"]["other_names"] = ["drugone"]
    mirror.drugs["DB00003"]["other_names"] = ["Méthotrexate"]
    got = neo.reference.drugs_named(text, limit=2)
    assert got == mirror.reference.drugs_named(text, limit=2)
    assert got == {
        "DRUG": [("DB00001", "drug1", None), ("DB00002", "drug2", None)],
        "drug2": [("DB00002", "drug2", None)],
        "RUG3": [("DB00003", "drug3", None)],
        "cedir": [("DB00002", "drug2", "Cediranib")],
        "ugon": [("DB00001", "drug1", "drugone")],
        "methotrex": [("DB00003", "drug3", "Méthotrexate")],
        "MÉTHO": [("DB00003", "drug3", "Méthotrexate")],
        "thotrexaté": [("DB00003", "drug3", "Méthotrexate")],
    }.get(text, [])


def test_delete_counts_match(both):
    neo, mem = both
    assert neo["deleted"] == mem["deleted"]
    assert neo["deleted"].remaining_patient_nodes == 0


def test_running_cohort_adds_match(clean_db: Any, test_settings: Any) -> None:
    """``db backup``'s check: a cohort add in progress is named alike (memory omitted it)."""
    from medtwin.store.neo4j import Neo4jStore
    from tests.unit.store.test_running_cohort_adds import cohort_add_writes

    neo = cohort_add_writes(Neo4jStore(clean_db, test_settings))
    assert neo == cohort_add_writes(MemoryStore())
    assert len(neo["adding"]) == len(neo["record only"]) == 1


def test_cohort_records_match(clean_db: Any, test_settings: Any) -> None:
    """Add records keyed by files and options, and taken over from one without, alike."""
    from medtwin.store.neo4j import Neo4jStore
    from tests.unit.services.test_cohort_completeness import record_sequence

    neo = record_sequence(Neo4jStore(clean_db, test_settings))
    assert neo == record_sequence(MemoryStore())
    assert [len(step) for step in neo] == [1, 1, 2, 2]
