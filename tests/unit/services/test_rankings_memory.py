"""rank → get_ranking → export on the memory store, and treatment.rank_drugs' own rules.

The toy reference is a ring of eight genes (tests/unit/services/conftest.py) with four drugs: two
target the twin's module, one a gene outside it, one a gene missing from the interactome.
"""

from __future__ import annotations

import csv
import html
import math

import pytest

from medtwin.errors import InputError, NotFoundError, UnknownMethodError
from medtwin.platform import patients, rankings, treatment, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.first_screen import evidence_words
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store import memory
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import CHANGES, RING, profile

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)
FAST = RankParams(n_samples=30, methods=("proximity", "centrality"))


def _store() -> MemoryStore:
    store = MemoryStore()
    store.add_reference(
        genes={**{str(i): f"G{i}" for i in range(1, 9)}, "99": "G99"},
        ppi=RING,
        drugs={
            "DB1": ("drug one", [("1", "inhibit")]),
            "DB2": ("drug two", [("2", "activate"), ("5", "inhibit")]),
            "DB3": ("drug three", [("6", "inhibit")]),
            "DB4": ("drug four", [("99", "inhibit")]),  # not in the interactome
        },
    )
    return store


@pytest.fixture
def built() -> MemoryStore:
    store = _store()
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    return store


def test_rank_get_and_export_run_on_the_memory_store(built, tmp_path, monkeypatch):
    monkeypatch.setattr(memory.rankings, "TOP_N", 2)  # pages past rank 2 come from the table
    ctx = ReferenceContext()
    first = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    assert first.total == first.n_drugs == 4
    assert [d.rank for d in first.drugs] == [1, 2, 3, 4]
    assert {d.drug_id for d in first.drugs} == {"DB1", "DB2", "DB3", "DB4"}
    assert first.params == FAST
    full = rankings.full_ranking(built, "P1", ctx=ctx)
    assert full.drugs == first.drugs
    top = rankings.get_ranking(built, "P1", offset=0, limit=2, ctx=ctx).drugs  # the top rows
    deep = rankings.get_ranking(built, "P1", offset=1, limit=3, ctx=ctx).drugs  # the table
    assert top == full.drugs[:2]
    assert deep == full.drugs[1:]
    assert {d.drug_name for d in full.drugs} == {"drug one", "drug two", "drug three", "drug four"}
    out = tmp_path / "ranking.tsv"
    assert rankings.export_ranking(built, "P1", out, ctx=ctx) == 4
    with out.open() as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [r["drug_id"] for r in rows] == [d.drug_id for d in full.drugs]
    assert [int(r["rank"]) for r in rows] == [1, 2, 3, 4]
    assert [r["placed_by"] for r in rows] == [d.placed_by for d in full.drugs]
    # a missing folder is made, as `rank --out` makes it (the Python call refused it)
    deeper = tmp_path / "new" / "deeper" / "ranking.tsv"
    assert rankings.export_ranking(built, "P1", str(deeper), ctx=ctx) == 4
    assert deeper.read_text() == out.read_text()


def test_export_into_a_file_refuses_before_reading(built, tmp_path, monkeypatch):
    """A file in the way is named, and no ranking is read for a file that cannot be written."""
    (tmp_path / "file").write_text("")
    monkeypatch.setattr(rankings, "full_ranking", lambda *_, **__: pytest.fail("ranking read"))
    with pytest.raises(NotADirectoryError, match="is a file, not a folder") as got:
        rankings.export_ranking(built, "P1", tmp_path / "file" / "ranking.tsv")
    assert got.value.filename == str(tmp_path / "file" / "ranking.tsv")


def test_every_drug_read_back_says_what_placed_it(built, tmp_path):
    # the words the first screen prints, on every row of the page, the full ranking and the TSV
    ctx = ReferenceContext()
    params = FAST.model_copy(update={"order": ("proximity", "centrality")})
    first = rankings.rank_drugs(built, "P1", params, cache_dir=tmp_path, ctx=ctx)
    page = rankings.get_ranking(built, "P1", offset=0, limit=4, ctx=ctx)
    for d in (*first.drugs, *page.drugs):
        assert d.placed_by == evidence_words(d, params)
        assert "proximity" in d.placed_by
        assert "centrality" in d.placed_by
    off = next(d for d in page.drugs if d.drug_id == "DB4")  # target not in the network
    # centrality scores it (it reaches none of the twin: 0), so it is placed by that score
    # (ranking rules 4), not "unranked"
    assert off.placed_by.endswith("centrality +0.00; no target in the network")
    alone = FAST.model_copy(update={"order": ("proximity",)})
    again = rankings.rank_drugs(built, "P1", alone, cache_dir=tmp_path, ctx=ctx)
    off = next(d for d in again.drugs if d.drug_id == "DB4")
    assert off.placed_by.endswith("proximity: no score; no target in the network (unranked)")
    assert off.rank == len(again.drugs)
    assert "placed_by" in page.model_dump(mode="json")["drugs"][0]


def test_stored_rows_have_no_missing_or_non_finite_values(built, tmp_path):
    rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    (stored,) = built.patients["P1"].twins[1].rankings.values()
    for row in stored.table:
        assert "drug_name" not in row  # a Drug node names it
        assert "direction_word" not in row  # derived when read
        assert "placed_by" not in row  # derived when read
        for key, value in row.items():
            assert value is not None, key
            assert not (isinstance(value, float) and not math.isfinite(value)), key
    db4 = next(r for r in stored.table if r["drug_id"] == "DB4")
    assert db4["n_targets_in_network"] == 0
    assert "z" not in db4  # no target in the network: no proximity, left out rather than NaN


def test_the_ranking_id_is_the_twin_and_the_parameters(built, tmp_path):
    ctx = ReferenceContext()
    a = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    assert a.id == treatment.ranking_id("P1@v1", FAST)
    again = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    assert again.id == a.id  # the same parameters replace the ranking
    other = FAST.model_copy(update={"seed": 7})
    b = rankings.rank_drugs(built, "P1", other, cache_dir=tmp_path, ctx=ctx)
    assert b.id != a.id
    assert set(built.patients["P1"].twins[1].rankings) == {a.id, b.id}
    assert rankings.get_ranking(built, "P1", ctx=ctx).id == b.id  # the latest


def test_pages_are_cached_per_ranking_in_the_context(built, tmp_path, monkeypatch):
    ctx = ReferenceContext()
    rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    reads: list[int] = []
    original = memory.MemoryRankings.ranking_page

    def counting(self, ranking, offset=0, limit=50, drug_id=None):
        reads.append(offset)
        return original(self, ranking, offset, limit, drug_id)

    monkeypatch.setattr(memory.MemoryRankings, "ranking_page", counting)
    one = rankings.get_ranking(built, "P1", ctx=ctx)
    assert rankings.get_ranking(built, "P1", ctx=ctx) == one
    assert reads == []  # rank_drugs already read (and cached) the first page
    rankings.get_ranking(built, "P1", offset=1, limit=2, ctx=ctx)
    rankings.get_ranking(built, "P1", offset=1, limit=2, ctx=ctx)
    assert reads == [1]
    rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)  # a new ranking
    rankings.get_ranking(built, "P1", offset=1, limit=2, ctx=ctx)
    assert reads[1:] == [0, 1]  # its first page, then the page asked for: not the old pages


def test_a_targets_file_ranks_its_own_drugs_and_records_its_checksum(built, tmp_path):
    path = tmp_path / "trial.tsv"
    path.write_text("drug_id\tgene\tdrug_name\nT1\tG1\ttrial one\nT2\tG6\ttrial two\n")
    got = rankings.rank_drugs(
        built,
        "P1",
        FAST.model_copy(update={"targets": str(path)}),
        cache_dir=tmp_path,
        ctx=ReferenceContext(),
    )
    assert got.params.targets.startswith("trial.tsv sha256:")
    assert len(got.params.targets.split("sha256:")[1]) == 64
    assert {(d.drug_id, d.drug_name) for d in got.drugs} == {
        ("T1", "trial one"),
        ("T2", "trial two"),
    }
    with pytest.raises(InputError, match="approved-only"):
        rankings.rank_drugs(
            built,
            "P1",
            FAST.model_copy(update={"targets": str(path), "approved_only": True}),
            cache_dir=tmp_path,
        )


def test_unknown_method_and_unranked_twin(built, tmp_path):
    with pytest.raises(NotFoundError, match="has not been ranked"):
        rankings.get_ranking(built, "P1", ctx=ReferenceContext())
    bad = RankParams.model_construct(**{**FAST.model_dump(), "methods": ("proximity", "magic")})
    with pytest.raises(UnknownMethodError, match="magic"):
        treatment.rank_drugs(built, ReferenceContext(), tmp_path, "P1", bad)


def test_an_unknown_drug_id_that_is_a_name_is_answered_with_the_drugs_it_names(built, tmp_path):
    """``medtwin explain P aspirin`` said only "drug ids are DrugBank ids"; the hint now names the
    drugs whose name the text is (exact first) or begins, and stays as it was for no match."""
    rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    with pytest.raises(NotFoundError) as named:
        rankings.explain_drug(built, "P1", "Drug T", ctx=ReferenceContext())
    assert named.value.hint == (
        "drug ids are DrugBank ids; by name: DB2 (drug two), DB3 (drug three)"
    )
    with pytest.raises(NotFoundError) as exact:
        rankings.explain_drug(built, "P1", "DRUG ONE", ctx=ReferenceContext())
    assert exact.value.hint == "drug ids are DrugBank ids; by name: DB1 (drug one)"
    with pytest.raises(NotFoundError) as inside:
        rankings.explain_drug(built, "P1", "our", ctx=ReferenceContext())
    assert inside.value.hint == "drug ids are DrugBank ids; by name: DB4 (drug four)"
    built.drugs["DB4"]["other_names"] = ["Vierin"]  # a later source's name (merge_drugs)
    with pytest.raises(NotFoundError) as other:
        rankings.explain_drug(built, "P1", "vier", ctx=ReferenceContext())
    assert other.value.hint == "drug ids are DrugBank ids; by name: DB4 (drug four, also Vierin)"
    with pytest.raises(NotFoundError) as none:
        rankings.explain_drug(built, "P1", "DB99", ctx=ReferenceContext())
    assert none.value.hint == "drug ids are DrugBank ids, e.g. DB00945"


@pytest.mark.parametrize("typed", ["methotrexate", "MÉTHOTREXATE", "Méthotrexate", "methotrexaté"])
def test_a_drug_name_is_found_as_typed_with_or_without_accents(built, tmp_path, typed):
    """The last sweep: ``medtwin explain P méthotrexate`` found nothing for a drug named
    "Methotrexate", and "methotrexate" nothing for one named "Méthotrexate" (case was folded,
    accents were not): both sides are now compared accent- and case-insensitively."""
    rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    built.drugs["DB4"]["other_names"] = ["Méthotrexate"]
    with pytest.raises(NotFoundError) as got:
        rankings.explain_drug(built, "P1", typed, ctx=ReferenceContext())
    assert got.value.hint == (
        "drug ids are DrugBank ids; by name: DB4 (drug four, also Méthotrexate)"
    )


@pytest.mark.parametrize(
    ("drug_id", "shown"),
    [
        ("asp\nirin", "no drug 'asp\\nirin'"),
        ("DB1\x1b[2J", "no drug 'DB1\\x1b[2J'"),
        ("x" * 5000, "no drug " + "x" * 60 + "… (5000 characters)"),
        ("", "no drug ''"),
        (" DB1 ", "no drug ' DB1 '"),
    ],
)
def test_an_unknown_drug_id_is_named_on_one_short_line(built, drug_id, shown):
    """Round 4 of the resilience sweeps: ``medtwin explain P $'asp\\nirin'`` wrote the id as typed,
    its line break ending the error line and a terminal's escape sequence (``\\x1b[2J`` clears
    the screen) run; a 5,000-character id was written whole. Patient ids were already quoted.
    Stop 60's CLI probe: ``explain P ''`` said ``no drug`` and nothing (and ``' DB1 '`` hid its
    spaces); both are quoted now."""
    with pytest.raises(NotFoundError) as got:
        rankings.explain_drug(built, "P1", drug_id, ctx=ReferenceContext())
    assert got.value.message == shown
    assert got.value.message.isprintable()


def test_full_returns_the_ranking_just_made_as_it_reads_back(built, tmp_path, monkeypatch):
    monkeypatch.setattr(memory.rankings, "TOP_N", 2)
    ctx = ReferenceContext()
    made = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, full=True, ctx=ctx)
    # the ranking made carries its (unstored) warnings besides: compared without them
    stored = rankings.full_ranking(built, "P1", ctx=ctx)
    assert made.model_dump(exclude={"warnings"}) == stored.model_dump()
    path = tmp_path / "custom.tsv"
    path.write_text("drug_id\tgene\tdrug_name\nT1\tG1\ttrial one\nT2\tG99\ttrial two\n")
    custom = FAST.model_copy(update={"targets": str(path)})
    made = rankings.rank_drugs(built, "P1", custom, cache_dir=tmp_path, full=True, ctx=ctx)
    stored = rankings.full_ranking(built, "P1", ctx=ctx)
    assert made.model_dump(exclude={"warnings"}) == stored.model_dump()
    assert [d.drug_name for d in made.drugs] == ["trial one", "trial two"]


def test_explain_takes_a_database_drugs_row_past_a_ranking_of_a_targets_file(built, tmp_path):
    """The latest ranking of a loaded target source explains a drug a targets file leaves out."""
    ctx = ReferenceContext()
    loaded = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    trial = tmp_path / "trial.tsv"
    trial.write_text("drug_id\tgene\nT1\tG2\n")
    custom = FAST.model_copy(update={"targets": str(trial)})
    latest = rankings.rank_drugs(built, "P1", custom, cache_dir=tmp_path, ctx=ctx)
    assert built.rankings.latest_ranking("P1")[1]["id"] == latest.id
    only_loaded = built.rankings.latest_ranking("P1", targets=["drugbank_dhimmel"])
    assert only_loaded[1]["id"] == loaded.id
    assert built.rankings.latest_ranking("P1", targets=["nothing"])[1] is None
    e = rankings.explain_drug(built, "P1", "DB1", ctx=ctx)
    row = next(d for d in loaded.drugs if d.drug_id == "DB1")
    assert e.score == row.model_copy(update={"placed_by": e.score.placed_by})
    assert e.ranking_note == (
        f"the latest ranking ({latest.id}) comes from a targets file (trial.tsv) without DB1; "
        f"shown: ranking {loaded.id} (drugbank_dhimmel)"
    )


def test_the_patients_note_travels_with_its_ranking_and_report(tmp_path, capsys):
    """A caveat in the patient's metadata (``note``) is shown with every ranking and report.

    Before, the demo's "combines samples of DIFFERENT PEOPLE" appeared only in `patient show`.
    """
    from medtwin.cli.treatment import print_ranking
    from medtwin.platform import reports

    store = _store()
    note = "blood and synovium of DIFFERENT PEOPLE"
    patients.add_patient(store, profile("PN", metadata={"note": note}))
    twins.build_twin(store, "PN", FAST_TWIN, ctx=ReferenceContext())
    first = rankings.rank_drugs(store, "PN", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert first.patient_note == note
    assert rankings.get_ranking(store, "PN", ctx=ReferenceContext()).patient_note == note
    print_ranking(first, 3)
    assert f"NOTE (patient) {note}" in capsys.readouterr().out
    page = reports.patient_report(store, "PN", ctx=ReferenceContext())
    assert f"<strong>Patient note:</strong> {note}" in page
    # a patient without one: no note anywhere
    patients.add_patient(store, profile("PQ"))
    twins.build_twin(store, "PQ", FAST_TWIN, ctx=ReferenceContext())
    plain = rankings.rank_drugs(store, "PQ", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert plain.patient_note is None
    assert "Patient note" not in reports.patient_report(store, "PQ", ctx=ReferenceContext())


def test_a_twin_older_than_the_patients_inputs_says_so_where_it_is_shown(tmp_path, capsys):
    """After another input is added, twin show, rank (computed and stored), the report and the
    API models note that the twin predates the inputs; before, they presented v1 silently."""
    from medtwin.cli.treatment import print_ranking
    from medtwin.cli.twins import print_twin_detail
    from medtwin.platform import reports

    store = _store()
    patients.add_patient(store, profile("PS"))
    twins.build_twin(store, "PS", FAST_TWIN, ctx=ReferenceContext())
    ranked = rankings.rank_drugs(store, "PS", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert ranked.stale_note is None  # current: no note
    assert twins.show_twin(store, "PS").stale_note is None
    assert "predates" not in reports.patient_report(store, "PS", ctx=ReferenceContext())
    more = profile("PS", changes=CHANGES[:2], input_checksums={"p2_de.tsv": "1" * 64})
    patients.add_patient(store, more)
    want = (
        "twin v1 predates the patient's inputs: 1 input added since (p2_de.tsv); "
        'call `twins.build_twin(store, "PS")`'  # called from Python: the use case to call
    )
    detail = twins.show_twin(store, "PS")
    assert detail.stale_note == want
    print_twin_detail(detail)  # prints what it is given (the CLI's own call words it as the CLI)
    assert f"NOTE {want}" in capsys.readouterr().out
    stored = rankings.get_ranking(store, "PS", ctx=ReferenceContext())
    assert stored.stale_note == want
    assert stored.model_dump(mode="json")["stale_note"] == want  # the API's response model
    again = rankings.rank_drugs(store, "PS", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert again.stale_note == want
    full = treatment.rank_drugs(store, ReferenceContext(), tmp_path, "PS", FAST, full=True)
    assert full.stale_note == want  # built from the rows written, not read back
    print_ranking(again, 3)
    assert f"NOTE {want}" in capsys.readouterr().out
    assert f"<strong>Note:</strong> {html.escape(want)}" in reports.patient_report(
        store, "PS", ctx=ReferenceContext()
    )
    twins.build_twin(store, "PS", FAST_TWIN, ctx=ReferenceContext())  # v2: current again
    assert twins.show_twin(store, "PS").stale_note is None


def test_a_ranking_made_under_older_ranking_rules_is_ranked_again_and_its_twin_kept(
    tmp_path, capsys
):
    """A ranking stored under older ranking rules (an earlier medtwin's) says so where it is
    shown, with the rerank as the fix; ``rank`` computes it again instead of reusing it, and the
    twin (current twin rules) is not rebuilt nor noted. Before the split one rules number stood
    for both, so a scoring change made every twin look stale too."""
    from medtwin.cli.treatment import print_ranking
    from medtwin.domain import RANKING_RULES, TWIN_RULES
    from medtwin.platform import stored_rankings

    store = _store()
    patients.add_patient(store, profile("PR"))
    twins.build_twin(store, "PR", FAST_TWIN, ctx=ReferenceContext())
    first = rankings.rank_drugs(store, "PR", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert first.stale_note is None
    state = store.twin_of("PR@v1")
    assert state.props["rules"] == TWIN_RULES
    (old,) = state.rankings.values()
    assert old.props["rules"] == RANKING_RULES
    old.props["rules"] = RANKING_RULES - 1  # as an earlier medtwin stored it
    stored = rankings.get_ranking(store, "PR", ctx=ReferenceContext())
    assert stored.stale_note is not None
    assert stored.stale_note.startswith(
        f"this ranking was made under ranking rules {RANKING_RULES - 1} (now {RANKING_RULES}): "
        "since then "
    )
    assert stored.stale_note.endswith('call `rankings.rank_drugs(store, "PR")`')
    assert twins.show_twin(store, "PR").stale_note is None  # the twin is current
    print_ranking(stored, 3)
    assert f"NOTE this ranking was made under ranking rules {RANKING_RULES - 1}" in (
        capsys.readouterr().out
    )
    # `rank` (and `demo`) reuse a stored ranking only through reusable_ranking: not this one
    assert stored_rankings.reusable_ranking(store, ReferenceContext(), "PR", FAST) is None
    again = rankings.rank_drugs(store, "PR", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert again.stale_note is None
    assert old.props is not state.rankings[again.id].props
    assert state.rankings[again.id].props["rules"] == RANKING_RULES
    reused = stored_rankings.reusable_ranking(store, ReferenceContext(), "PR", FAST)
    assert reused is not None
    assert reused.created_at == again.created_at
    assert [v.version for v in twins.twin_versions(store, "PR")] == [1]  # no twin built


def test_a_twin_made_under_older_twin_rules_is_stale_and_built_again(tmp_path):
    """A twin stored under older twin rules is noted in the twin views and behind its (current)
    ranking, with ``twin build`` as the fix, and ``twin build --skip-current`` builds it again;
    ``rank`` reuses the ranking (ranking it again would give the same scores for that twin) and
    shows the note."""
    from medtwin.domain import TWIN_RULES
    from medtwin.platform import stored_rankings, twin_batch

    store = _store()
    patients.add_patient(store, profile("PR"))
    twins.build_twin(store, "PR", FAST_TWIN, ctx=ReferenceContext())
    first = rankings.rank_drugs(store, "PR", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    state = store.twin_of("PR@v1")
    state.props["rules"] = TWIN_RULES - 1
    note = twins.show_twin(store, "PR").stale_note
    assert note is not None
    assert note.startswith(f"twin v1 was made under twin rules {TWIN_RULES - 1} (now {TWIN_RULES})")
    assert note.endswith('call `twins.build_twin(store, "PR")`')
    assert [v.stale_note for v in twins.twin_versions(store, "PR")] == [note]
    assert rankings.get_ranking(store, "PR", ctx=ReferenceContext()).stale_note == note
    reused = stored_rankings.reusable_ranking(store, ReferenceContext(), "PR", FAST)
    assert reused is not None  # `rank` shows it, with the note: rebuilding is the fix
    assert (reused.id, reused.created_at, reused.stale_note) == (first.id, first.created_at, note)
    assert twin_batch.twin_is_current(store, "PR", FAST_TWIN) is None
    built = twin_batch.build_twins(
        store, ["PR"], FAST_TWIN, skip_current=True, ctx=ReferenceContext()
    )
    assert [(b.status, b.twin and b.twin.version) for b in built] == [("built", 2)]
    assert twins.show_twin(store, "PR").stale_note is None
    again = twin_batch.build_twins(
        store, ["PR"], FAST_TWIN, skip_current=True, ctx=ReferenceContext()
    )
    assert [b.status for b in again] == ["current"]  # kept: built under today's twin rules


def test_direction_not_run_is_not_called_unknown(built, tmp_path):
    """Without `direction` in the methods every drug read "unknown" (rank table, explain,
    report, TSV): the ranking never looked. It now says it was not computed, and how to."""
    ctx = ReferenceContext()
    without = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx, full=True)
    assert {d.direction_word for d in without.drugs} == {"not computed (add --method direction)"}
    assert not any(d.direction_computed for d in without.drugs)
    read = rankings.get_ranking(built, "P1", ctx=ctx)
    assert read.drugs == without.drugs
    assert read.drugs[0].model_dump(mode="json")["direction_word"].startswith("not computed")
    e = rankings.explain_drug(built, "P1", "DB1", ctx=ctx)
    assert e.score is not None
    assert e.score.direction_word == "not computed (add --method direction)"
    out = tmp_path / "ranking.tsv"
    rankings.export_ranking(built, "P1", out, ctx=ctx)
    with out.open() as fh:
        words = {r["direction_word"] for r in csv.DictReader(fh, delimiter="\t")}
    assert words == {"not computed (add --method direction)"}
    from medtwin.platform import reports

    page = reports.patient_report(built, "P1", ctx=ctx)
    assert "<td>not computed (add --method direction)</td>" in page
    with_direction = FAST.model_copy(update={"methods": (*FAST.methods, "direction")})
    ranked = rankings.rank_drugs(built, "P1", with_direction, cache_dir=tmp_path, ctx=ctx)
    words = {d.drug_id: d.direction_word for d in ranked.drugs}
    assert words["DB1"] in {"counteracts", "aggravates", "mixed"}  # DB1 inhibits a changed gene
    assert words["DB4"] == "unknown"  # its target is not in the twin


def test_a_method_that_scored_no_drug_is_noted_with_its_reason(built, tmp_path, capsys):
    from medtwin.cli.treatment import print_ranking

    ctx = ReferenceContext()
    params = FAST.model_copy(update={"methods": (*FAST.methods, "driver")})
    ranked = rankings.rank_drugs(built, "P1", params, cache_dir=tmp_path, ctx=ctx)
    assert all(d.driver is None for d in ranked.drugs)  # the toy patient has no variant
    why = "no driver gene: the twin has no variant-layer change (add `--mutations` or `--vcf` to"
    assert ranked.no_score["driver"].startswith(why)
    assert set(ranked.no_score) == {"driver"}  # proximity and centrality scored drugs
    assert rankings.get_ranking(built, "P1", ctx=ctx).no_score == ranked.no_score
    print_ranking(ranked, 2)
    assert f"NOTE driver scored no drug: {why}" in capsys.readouterr().out


def test_a_ranking_without_its_page_reads_nothing_back(built, tmp_path, monkeypatch):
    """``page=False`` (cohort run): the stored ranking's fields, no drug, no read back.

    A cohort run keeps only the ranking's id; before, every patient's ranking read its first
    page back (the latest ranking and 50 drugs: 2 statements) and the patient a second time
    (for its note). Now the patient is read once per ranking, with or without the page.
    """
    ctx = ReferenceContext()
    reads: list[str] = []
    patients_read = built.twins.patients

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append("patient")
        return patients_read(*args, **kwargs)

    monkeypatch.setattr(built.twins, "patients", counted)
    monkeypatch.setattr(
        treatment, "get_ranking", lambda *a, **k: pytest.fail("the page was read back")
    )
    made = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx, page=False)
    assert reads == ["patient"]
    assert made.drugs == ()
    monkeypatch.undo()
    stored = rankings.get_ranking(built, "P1", ctx=ctx)
    assert made.id == stored.id
    assert made.twin_id == stored.twin_id
    assert made.total == made.n_drugs == stored.total == 4
    assert made.params == stored.params
    assert made.created_at == stored.created_at
    reads.clear()
    monkeypatch.setattr(built.twins, "patients", counted)
    paged = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    assert reads == ["patient"]  # the page, as before, but the patient once (was twice)
    assert [d.rank for d in paged.drugs] == [1, 2, 3, 4]
