"""Ranking storage at scale on the real server: the top as SCORES relationships, every drug in
the Ranking node's table. ``TOP_N`` is lowered to 1 so the tiny graph's 3 drugs use both forms."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from medtwin.platform import cohort, patients, rankings, treatment, twins
from medtwin.platform.context import reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store import rankings as stored_rankings
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.rankings import RankingStore
from tests.integration.conftest import up_in_first_clique
from tests.unit.store.test_score_lines import stop52_lines

pytestmark = pytest.mark.neo4j

PARAMS = RankParams(targets="drugbank", n_samples=100, seed=7)


def _one(store, text, **params):
    return store.driver.execute_query(text, params, database_=store.database).records[0]


@pytest.fixture
def twin(tiny_reference, tmp_path):
    store, _ = tiny_reference
    patients.add_patient(store, up_in_first_clique("PR1"))
    twins.build_twin(store, "PR1", TwinParams(module_samples=50, expand=0))
    return store, tmp_path


@pytest.fixture
def reference_ranking(twin):
    """The ranking with every drug as a relationship (TOP_N above the 3 drugs), read back."""
    store, cache = twin
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)
    return rankings.full_ranking(store, "PR1").drugs


def test_top_is_relationships_and_the_rest_is_the_table(twin, reference_ranking, monkeypatch):
    store, cache = twin
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)  # same id: replaces the ranking
    got = _one(
        store,
        "MATCH (r:Ranking {status: 'complete'}) RETURN count(r) AS n, "
        "COUNT { (r)-[:SCORES]->() } AS rels, r.table_rows AS rows, r.top_n AS top_n, "
        "size(r.score_table) AS bytes",
    )
    assert (got["n"], got["rels"], got["rows"], got["top_n"]) == (1, 1, 3, 1)
    assert 0 < got["bytes"] < 10_000
    full = rankings.full_ranking(store, "PR1").drugs
    assert full == reference_ranking  # same drugs, names, scores, order as all-relationships
    top = rankings.get_ranking(store, "PR1", offset=0, limit=1).drugs  # from the relationship
    deep = rankings.get_ranking(store, "PR1", offset=1, limit=2).drugs  # from the table
    assert top + deep == reference_ranking
    assert [d.rank for d in deep] == [2, 3]
    assert deep[0].drug_name  # the name comes from the Drug node
    ctx = reference_context()
    last = reference_ranking[-1]
    one = treatment.get_ranking(store, ctx, "PR1", drug_id=last.drug_id, limit=1).drugs
    assert one == (last,)
    assert treatment.get_ranking(store, ctx, "PR1", drug_id="DB99999", limit=1).drugs == ()


def test_export_and_cohort_summary_beyond_the_top(twin, reference_ranking, monkeypatch):
    store, cache = twin
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)
    out = cache / "ranking.tsv"
    assert rankings.export_ranking(store, "PR1", out) == 3
    with out.open() as f:
        assert [r["drug_id"] for r in csv.DictReader(f, delimiter="\t")] == [
            d.drug_id for d in reference_ranking
        ]
    deep = cohort.cohort_summary(store, ["PR1"], top_drugs=3)  # read from the table
    shallow = cohort.cohort_summary(store, ["PR1"], top_drugs=1)  # from the relationships
    assert [d["drug_id"] for d in deep.per_patient[0].drugs] == [
        d.drug_id for d in reference_ranking
    ]
    assert deep.per_patient[0].drugs[:1] == shallow.per_patient[0].drugs
    assert deep.per_patient[0].drugs[1]["drug_name"] == reference_ranking[1].drug_name


def test_a_ranking_stored_before_tables_is_still_read(twin, reference_ranking):
    store, _ = twin
    store.driver.execute_query(
        "MATCH (r:Ranking) REMOVE r.score_table, r.table_rows, r.top_n, r.table_format",
        database_=store.database,
    )
    reference_context().clear_pages()
    assert rankings.full_ranking(store, "PR1").drugs == reference_ranking
    assert rankings.get_ranking(store, "PR1", offset=2, limit=5).drugs == reference_ranking[2:]
    summary = cohort.cohort_summary(store, ["PR1"], top_drugs=500)  # the table path, no table
    assert len(summary.per_patient[0].drugs) == 3


def _latest_ranking(store: Neo4jStore) -> tuple[RankingStore, dict[str, Any]]:
    """PR1's latest ranking as :meth:`RankingStore.latest_ranking` returns it, with its store."""
    rs = RankingStore(store)
    got = rs.latest_ranking("PR1")
    assert got is not None
    assert got[1] is not None
    return rs, got[1]


def test_table_and_relationships_hold_the_same_scores(twin, reference_ranking):
    store, _ = twin
    rs, ranking = _latest_ranking(store)
    assert "score_table" not in ranking  # the hot read never carries the table
    from_rels = rs.ranking_page(ranking, 0, 3)
    from_table = rs.ranking_page(dict(ranking, top_n=0), 0, 3)
    assert from_rels == from_table


def test_a_page_past_a_top_that_holds_every_drug_is_read_from_relationships(
    twin, reference_ranking, monkeypatch
):
    # A small ranking (3 drugs, all in the stored top): a page of 50 needs no table, so a
    # short command (`rank P --top 10`) does not import pyarrow for it.
    store, _ = twin
    rs, ranking = _latest_ranking(store)
    assert ranking["top_n"] == ranking["table_rows"] == 3
    tables_read = []
    real_table = RankingStore._table

    def counting(self: RankingStore, rid: str) -> object:
        tables_read.append(rid)
        return real_table(self, rid)

    monkeypatch.setattr(RankingStore, "_table", counting)
    page = rs.ranking_page(ranking, 0, 50)
    assert [p["score"]["drug_id"] for p in page] == [d.drug_id for d in reference_ranking]
    assert tables_read == []
    assert rs.ranking_page(dict(ranking, top_n=2), 0, 50) == page  # top short of it: the table
    assert tables_read == [ranking["id"]]


def test_deleting_the_patient_leaves_no_ranking_data(twin, monkeypatch):
    store, cache = twin
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)
    patients.delete_patient(store, "PR1")
    got = _one(
        store,
        "MATCH (n) WHERE n:Ranking OR n:CustomDrug OR n.score_table IS NOT NULL "
        "RETURN count(n) AS n",
    )
    assert got["n"] == 0


def trial_targets(cache: Path, nameless: str) -> Path:
    """A targets file ``trial.tsv`` of NEAR (by symbol, near the module), FAR and ``nameless``
    (by Entrez id, the last without a name)."""
    path = cache / "trial.tsv"
    path.write_text(
        "drug_id\tgene\tdrug_name\taction\n"
        "NEAR\tG2\tnear inhibitor\tinhibitor\n"
        "FAR\t45\tfar drug\tinhibitor\n"
        f"{nameless}\t50\t\tinhibitor\n"
    )
    return path


def test_a_targets_file_keeps_its_names_in_the_table(twin, monkeypatch):
    store, cache = twin
    path = trial_targets(cache, "DB00001")  # a DrugBank id without a name: no Drug name leaks in
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)
    rankings.rank_drugs(store, "PR1", RankParams(targets=str(path), n_samples=50), cache_dir=cache)
    names = {d.drug_id: d.drug_name for d in rankings.full_ranking(store, "PR1").drugs}
    assert names == {"NEAR": "near inhibitor", "FAR": "far drug", "DB00001": None}
    rs, ranking = _latest_ranking(store)  # one drug, beyond the top too: its name from its line
    assert {d: rs.ranking_page(ranking, 0, 1, drug_id=d)[0]["drug_name"] for d in names} == names
    assert _one(store, "MATCH (c:CustomDrug) RETURN count(c) AS n")["n"] == 1


def test_full_ranking_returned_by_rank_equals_the_one_read_back(
    twin, reference_ranking, monkeypatch
):
    store, cache = twin
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)  # most of it read back from the table
    made = rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache, full=True)
    reference_context().clear_pages()
    read = rankings.full_ranking(store, "PR1")
    assert made.model_dump(exclude={"warnings"}) == read.model_dump()  # warnings: not stored
    assert made.drugs == reference_ranking


def _count_tables(monkeypatch) -> list[str]:
    """The ranking ids whose Arrow table :class:`RankingStore` decodes from now on."""
    tables_read: list[str] = []
    real_table = RankingStore._table

    def counting(self: RankingStore, rid: str) -> object:
        tables_read.append(rid)
        return real_table(self, rid)

    monkeypatch.setattr(RankingStore, "_table", counting)
    return tables_read


def test_one_drug_is_read_without_the_table_and_as_the_table_has_it(twin, monkeypatch):
    # `explain P DRUG` reads one drug's row: from its relationship in the top, from the
    # node's score_lines beyond it, never from the Arrow table (pyarrow: ~0.09 s of CPU).
    # Before, every one-drug look-up decoded the table.
    store, cache = twin
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)
    rs, ranking = _latest_ranking(store)
    assert (ranking["top_n"], ranking["table_rows"]) == (1, 3)
    from_table = {p["score"]["drug_id"]: p for p in rs.ranking_page(dict(ranking, top_n=0), 0, 3)}
    tables_read = _count_tables(monkeypatch)
    for drug in [*from_table, "DB99999"]:  # ranks 1 (relationship), 2, 3 (lines), unranked
        got = rs.ranking_page(ranking, 0, 1, drug_id=drug)
        assert got == ([from_table[drug]] if drug in from_table else [])
    assert tables_read == []
    # lines as stop 52 wrote them (zlib, every rank written): read as well, still no table
    old_lines = stop52_lines([p["score"] for p in from_table.values() if p["score"]["rank"] > 1])
    store.driver.execute_query(
        "MATCH (r:Ranking) SET r.score_lines = $lines", lines=old_lines, database_=store.database
    )
    for drug in [*from_table, "DB99999"]:
        got = rs.ranking_page(ranking, 0, 1, drug_id=drug)
        assert got == ([from_table[drug]] if drug in from_table else [])
    assert tables_read == []
    # a ranking stored before score_lines: the table, as before, with the same rows
    store.driver.execute_query("MATCH (r:Ranking) REMOVE r.score_lines", database_=store.database)
    assert [rs.ranking_page(ranking, 0, 1, drug_id=d) for d in from_table] == [
        [from_table[d]] for d in from_table
    ]
    assert len(tables_read) == 2  # ranks 2 and 3; rank 1 from its relationship


def test_explain_beyond_the_top_is_the_same_from_the_lines_and_the_table(twin, monkeypatch):
    """Every drug's explanation, read the fast way and from the table: equal, field by field."""
    from medtwin.platform import explanations

    store, cache = twin
    monkeypatch.setattr(stored_rankings, "TOP_N", 1)
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)
    drugs = [d.drug_id for d in rankings.full_ranking(store, "PR1").drugs]
    reference_context().clear_pages()
    fast = [explanations.explain_drug(store, "PR1", d).model_dump_json() for d in drugs]
    store.driver.execute_query("MATCH (r:Ranking) REMOVE r.score_lines", database_=store.database)
    reference_context().clear_pages()
    tables_read = _count_tables(monkeypatch)
    full = [explanations.explain_drug(store, "PR1", d).model_dump_json() for d in drugs]
    assert len(tables_read) == 2  # the full path did read the table for ranks 2 and 3
    assert fast == full
    assert [json.loads(f)["score"]["rank"] for f in fast] == [1, 2, 3]
