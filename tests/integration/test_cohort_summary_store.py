"""Cohort summary from each ranking's top summary (one JSON string per patient) equals the summary
read from its SCORES relationships (rankings stored before the top summary), names included."""

from __future__ import annotations

import json

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import cohort, patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store import rankings as stored_rankings

pytestmark = pytest.mark.neo4j


def _patient(store, pid, genes):
    patients.add_patient(
        store,
        PatientProfile(
            patient_id=pid,
            changes=tuple(GeneChange(entrez=str(i), log2fc=2.0 - i / 10) for i in genes),
            symptoms=(),
            exposures=(),
            metadata={"cohort": "S"},
            input_checksums={},
            unmapped=(),
        ),
    )
    twins.build_twin(store, pid, TwinParams(module_samples=50, expand=0))


def _without_summaries(store):
    store.driver.execute_query("MATCH (r:Ranking) REMOVE r.top_summary", database_=store.database)


@pytest.mark.parametrize("summary_n", [20, 1])  # 1: tops 2 and 3 are deeper than the summary
def test_summary_from_top_summaries_equals_the_relationships(
    tiny_reference, tmp_path, monkeypatch, summary_n
):
    monkeypatch.setattr(stored_rankings, "SUMMARY_N", summary_n)
    store, _ = tiny_reference
    for pid, genes in (("CS1", range(1, 15)), ("CS2", range(5, 25))):
        _patient(store, pid, genes)
        rankings.rank_drugs(store, pid, RankParams(n_samples=50, seed=3), cache_dir=tmp_path)
    stored = store.driver.execute_query(
        "MATCH (r:Ranking) RETURN r.top_summary AS s", database_=store.database
    ).records
    assert all(json.loads(r["s"]) for r in stored)  # written with every ranking
    new = [cohort.cohort_summary(store, ["CS1", "CS2"], top_drugs=k) for k in (1, 2, 3)]
    assert new[2].per_patient[0].drugs[0]["drug_name"]  # names come from the Drug nodes
    _without_summaries(store)
    old = [cohort.cohort_summary(store, ["CS1", "CS2"], top_drugs=k) for k in (1, 2, 3)]
    assert new == old
    assert [len(s.per_patient[0].drugs) for s in new] == [1, 2, 3]


def test_a_targets_file_summary_keeps_its_names(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _patient(store, "CS3", range(1, 15))
    path = tmp_path / "trial.tsv"
    path.write_text(
        "drug_id\tgene\tdrug_name\taction\n"
        "NEAR\tG2\tnear inhibitor\tinhibitor\n"
        "FAR\t45\tfar drug\tinhibitor\n"
        "DB00001\t50\t\tinhibitor\n"  # a DrugBank id without a name: no Drug node name leaks in
    )
    params = RankParams(targets=str(path), n_samples=50)
    rankings.rank_drugs(store, "CS3", params, cache_dir=tmp_path)
    new = cohort.cohort_summary(store, ["CS3"], top_drugs=3)
    names = {d["drug_id"]: d["drug_name"] for d in new.per_patient[0].drugs}
    assert names == {"NEAR": "near inhibitor", "FAR": "far drug", "DB00001": None}
    _without_summaries(store)
    assert cohort.cohort_summary(store, ["CS3"], top_drugs=3) == new


def test_an_unknown_id_is_refused_and_an_unranked_patient_counted(tiny_reference) -> None:
    """`cohort_summary(store, ["NOPE"])` counted NOPE as a patient without a ranking."""
    from medtwin.errors import NotFoundError
    from medtwin.platform.cohort_summary import cohort_summary

    store, _ = tiny_reference
    _patient(store, "CS3", range(1, 15))  # a twin, no ranking
    with pytest.raises(NotFoundError, match="no patient NOPE"):
        cohort_summary(store, ["CS3", "NOPE"])
    got = cohort_summary(store, ["CS3"])
    assert (got.patients, got.ranked) == (1, 0)


@pytest.mark.parametrize("read", ["summaries", "relationships", "tables"])
def test_rankings_of_older_ranking_rules_are_counted(tiny_reference, tmp_path, monkeypatch, read):
    """Every read of the tops carries the ranking's rules: CS5's, by an earlier medtwin, is said.

    Before, the summary counted CS5's drugs with no word that an earlier medtwin scored them
    (only twins of older twin rules were named).
    """
    from medtwin.domain import RANKING_RULES
    from medtwin.platform import treatment

    store, _ = tiny_reference
    for pid, rules in (("CS4", RANKING_RULES), ("CS5", RANKING_RULES - 1)):
        _patient(store, pid, range(1, 15))
        with monkeypatch.context() as m:
            m.setattr(treatment, "RANKING_RULES", rules)  # as an earlier medtwin stored it
            rankings.rank_drugs(store, pid, RankParams(n_samples=50, seed=3), cache_dir=tmp_path)
    if read == "relationships":
        _without_summaries(store)
    if read == "tables":
        monkeypatch.setattr(stored_rankings, "TOP_N", 1)  # top 2 is deeper: read from tables
    got = cohort.cohort_summary(store, ["CS4", "CS5"], top_drugs=2, cohort="S")
    assert (got.ranked, got.older_rankings, got.older_twins, got.stale_twins) == (2, 1, 0, 0)
    assert got.rankings_note == (
        f"the ranking of 1 of 2 patients was made under older ranking rules (CS5; now "
        f"{RANKING_RULES}); call "
        '`cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="S"))`'
    )
    # `cohort run` is the refresh: it ranks CS5 again (its twin kept), and the note goes
    run = cohort.run_cohort(
        store, None, ["CS4", "CS5"], workers=0, twin_params=TwinParams(module_samples=50, expand=0),
        rank_params=RankParams(n_samples=50, seed=3),
    )  # fmt: skip
    assert [(p.patient_id, p.status, p.built_twin) for p in run.patients] == [
        ("CS4", "skipped", False),
        ("CS5", "done", False),
    ]
    again = cohort.cohort_summary(store, ["CS4", "CS5"], top_drugs=2, cohort="S")
    assert (again.older_rankings, again.rankings_note) == (0, None)
