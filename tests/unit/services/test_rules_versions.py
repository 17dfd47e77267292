"""Twin rules and ranking rules, apart: each stale result is made again by the right command.

Twins record :data:`~medtwin.domain.TWIN_RULES` and rankings :data:`~medtwin.domain.RANKING_RULES`
(both as ``rules``). ``twin trajectory`` reuses the twins and rankings of its time points; one of
older rules is made again, the other kept (MemoryStore). The views and ``rank``/``twin build
--skip-current`` are in ``test_rankings_memory.py``.
"""

from __future__ import annotations

from medtwin.domain import RANKING_RULES, TWIN_RULES
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform import insights, patients
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import RankParams
from medtwin.platform.twin_currency import RULE_CHANGES, RULES, older_rules, stale_note
from tests.unit.services.conftest import profile
from tests.unit.services.test_rankings_memory import FAST_TWIN, _store

QUICK = RankParams(n_samples=30, methods=("proximity", "centrality"))


def _two_time_points():
    store = _store()
    changes = tuple(
        GeneChange(entrez=g, log2fc=lfc, padj=1e-3, time_point=tp)
        for tp, genes in (("week0", ("1", "2", "3")), ("week4", ("1", "2", "3", "4")))
        for g, lfc in zip(genes, (2.0, 1.5, -1.2, 1.1), strict=False)
    )
    patients.add_patient(store, profile("PT", changes=changes))
    return store


def _trajectory(store, tmp_path):
    return insights.twin_trajectory(store, "PT", tmp_path, params=FAST_TWIN, ctx=ReferenceContext())


def test_every_rules_version_has_its_changes_listed():
    assert RULES == {"twin": TWIN_RULES, "ranking": RANKING_RULES}
    for kind, now in RULES.items():
        assert sorted(RULE_CHANGES[kind]) == list(range(1, now + 1)), kind
        assert older_rules({"rules": now}, kind) == ""
        assert older_rules({"rules": now + 1}, kind) == ""  # a newer medtwin's: not older
        assert older_rules({}, kind).startswith(f"made under {kind} rules 0 (now {now})")


def test_the_note_names_the_stale_part_and_its_fix():
    twin = {"version": 3, "rules": TWIN_RULES}
    ranking = {"rules": RANKING_RULES - 1, "no_score_json": "{}"}
    note = stale_note("P1", twin, None, ranking)
    assert note is not None
    assert note.startswith(f"this ranking was made under ranking rules {RANKING_RULES - 1} ")
    assert note.endswith('call `rankings.rank_drugs(store, "P1")`')
    older_twin = {**twin, "rules": TWIN_RULES - 1}
    note = stale_note("P1", older_twin, None, ranking)  # both: the twin build makes both again
    assert note is not None
    assert note.startswith(f"twin v3 was made under twin rules {TWIN_RULES - 1} ")
    assert note.endswith('call `twins.build_twin(store, "P1")`')
    assert stale_note("P1", twin, None, {**ranking, "rules": RANKING_RULES}) is None


def test_trajectory_ranks_again_a_ranking_of_older_ranking_rules_and_keeps_its_twin(tmp_path):
    store = _two_time_points()
    first = _trajectory(store, tmp_path)
    assert [p.built for p in first.points] == [True, True]
    ids = [p.twin_id for p in first.points]
    old = {i: r.props for i in ids for r in store.twin_of(i).rankings.values()}
    assert len(old) == 2
    same = _trajectory(store, tmp_path)  # nothing stale: all reused
    assert [p.built for p in same.points] == [False, False]
    assert {i: r.props for i in ids for r in store.twin_of(i).rankings.values()} == old
    stale = ids[0]
    (ranking,) = store.twin_of(stale).rankings.values()
    ranking.props["rules"] = RANKING_RULES - 1
    again = _trajectory(store, tmp_path)
    assert [p.twin_id for p in again.points] == ids  # no twin built
    assert [p.built for p in again.points] == [False, False]
    (new,) = store.twin_of(stale).rankings.values()
    assert new.props is not old[stale]
    assert new.props["rules"] == RANKING_RULES
    assert new.props["params_json"] == old[stale]["params_json"]  # ranked as it was
    (kept,) = store.twin_of(ids[1]).rankings.values()
    assert kept.props is old[ids[1]]


def test_trajectory_builds_again_a_twin_of_older_twin_rules(tmp_path):
    store = _two_time_points()
    first = _trajectory(store, tmp_path)
    store.twin_of(first.points[1].twin_id).props["rules"] = TWIN_RULES - 1
    again = _trajectory(store, tmp_path)
    assert [p.built for p in again.points] == [False, True]
    assert again.points[0].twin_id == first.points[0].twin_id
    assert again.points[1].twin_id != first.points[1].twin_id
    assert again.points[1].ranking_id is not None  # the new twin is ranked


def test_demo_rebuilds_a_twin_of_older_twin_rules_only(tmp_path):
    """A `medtwin demo` rerun keeps the patients' twins unless an earlier medtwin made them (or
    their inputs changed: tests/unit/services/test_demo_rerun.py)."""
    from medtwin.platform.demo import _twins_to_build

    store = _two_time_points()
    assert _twins_to_build(store, ["PT"], rebuild=False) == ["PT"]  # no twin yet: built
    first = _trajectory(store, tmp_path)
    latest = first.points[-1].twin_id
    assert _twins_to_build(store, ["PT"], rebuild=False) == []
    assert _twins_to_build(store, ["PT"], rebuild=True) == ["PT"]
    store.twin_of(latest).props["rules"] = TWIN_RULES - 1
    assert _twins_to_build(store, ["PT"], rebuild=False) == ["PT"]


def test_a_ranking_made_before_no_score_was_recorded_says_so_until_ranked_again(tmp_path, capsys):
    """Rankings before stop 46 stored no ``no_score_json``: their ``no_score`` read ``{}``, as if
    every method had scored some drug. Such a ranking says that its reasons were not recorded,
    in every view of its note; a ranking whose methods all scored keeps ``"{}"`` and no note."""
    from medtwin.cli.treatment import print_ranking
    from medtwin.platform import rankings, stored_rankings, twins
    from medtwin.platform.twin_currency import UNRECORDED_REASONS

    store = _two_time_points()
    twins.build_twin(store, "PT", FAST_TWIN, ctx=ReferenceContext())
    ranked = rankings.rank_drugs(store, "PT", QUICK, cache_dir=tmp_path, ctx=ReferenceContext())
    assert (ranked.no_score, ranked.stale_note) == ({}, None)
    (state,) = store.twin_of(ranked.twin_id).rankings.values()
    assert state.props["no_score_json"] == "{}"  # recorded: no method scored no drug
    del state.props["no_score_json"]  # as a ranking made before stop 46 (current rules)
    got = rankings.get_ranking(store, "PT", ctx=ReferenceContext())
    assert got.no_score == {}
    assert got.stale_note == f'{UNRECORDED_REASONS}; call `rankings.rank_drugs(store, "PT")`'
    assert got.model_dump(mode="json")["stale_note"] == got.stale_note  # the API's body
    print_ranking(got, 3)
    assert f"NOTE {UNRECORDED_REASONS}" in capsys.readouterr().out
    state.props["rules"] = RANKING_RULES - 1  # an older one: both said, one fix
    note = rankings.get_ranking(store, "PT", ctx=ReferenceContext()).stale_note
    assert note is not None
    assert note.startswith("this ranking was made under ranking rules ")
    assert note.endswith(f'; {UNRECORDED_REASONS}; call `rankings.rank_drugs(store, "PT")`')
    assert stored_rankings.reusable_ranking(store, ReferenceContext(), "PT", QUICK) is None
    again = rankings.rank_drugs(store, "PT", QUICK, cache_dir=tmp_path, ctx=ReferenceContext())
    assert again.stale_note is None
    assert rankings.get_ranking(store, "PT", ctx=ReferenceContext()).stale_note is None
