"""What the cohort views say of a cohort's adds beyond one clean ``patient add-cohort``.

Cohorts added before adds were recorded are said to be of unknown completeness (not refused, not
taken as whole); the demo records its cohorts; a second add of a cohort while one runs is refused;
a later add of other files neither hides an unfinished one nor is counted in its "n of m".
In-memory store; the same with real processes on the server is in
``tests/reliability/test_cohort_concurrency.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.errors import ConflictError
from medtwin.platform import cohort_summary, patients
from medtwin.platform.twin_currency import cohort_currency
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def _cohort(n: int, file: str = "trial.tsv", name: str = "trial", first: int = 0) -> list[Any]:
    return [
        profile(f"S{i}", metadata={"cohort": name}, input_checksums={file: "c" * 64})
        for i in range(first, first + n)
    ]


def _add_unrecorded(store: MemoryStore, profiles: list[Any]) -> None:
    """Add ``profiles`` as ``patient add-cohort`` did before adds were recorded."""
    for p in profiles:
        patients.add_patient(store, p.model_copy(update={"symptoms": ()}), kind="cohort")


def _fail_at(monkeypatch: pytest.MonkeyPatch, k: int, module: Any = patients) -> None:
    real, calls = module.add_patient, [0]

    def add(*a: Any, **kw: Any) -> Any:
        calls[0] += 1
        if calls[0] == k:
            raise RuntimeError("disk full")
        return real(*a, **kw)

    monkeypatch.setattr(module, "add_patient", add)


def test_a_cohort_added_before_records_is_said_to_be_unrecorded_and_a_rerun_records_it(
    store: MemoryStore,
):
    """Before, such a cohort was taken as whole without a word."""
    from medtwin.platform.cohort_loads import completeness_note

    _add_unrecorded(store, _cohort(3))
    assert cohort_summary.cohort_patients(store, cohort="trial") == [
        "S0",
        "S1",
        "S2",
    ]  # not refused
    note = completeness_note(store, "trial")
    assert note is not None
    assert note.startswith("completeness of cohort 'trial' not recorded (added before 2026-12-06")
    assert "rerun its `patient add-cohort` with the same files and options" in note
    assert cohort_currency(store, ["S0"], cohort="trial").completeness == note  # what views show
    assert cohort_currency(store, ["S0"]).completeness is None  # ids / --all name no cohort

    got = patients.add_cohort(store, _cohort(3))  # the rerun: stores nothing new, records it
    assert [p.inputs for p in got.added] == [1, 1, 1]
    assert completeness_note(store, "trial") is None
    assert cohort_summary.cohort_patients(store, cohort="trial") == ["S0", "S1", "S2"]


def test_a_recorded_complete_cohort_has_no_note(store: MemoryStore):
    from medtwin.platform.cohort_loads import completeness_note

    patients.add_cohort(store, _cohort(2))
    assert completeness_note(store, "trial") is None
    assert cohort_currency(store, ["S0", "S1"], cohort="trial").completeness is None


def test_a_second_add_of_a_cohort_while_one_runs_is_refused_before_it_stores_anything(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
):
    """Before, the second (another file of the cohort's folder) finished and wrote 'complete'
    while the first was still adding: a kill of the first then went unseen."""
    real, calls, inner = patients.add_patient, [0], []

    def add(*a: Any, **kw: Any) -> Any:
        calls[0] += 1
        if calls[0] == 2:  # the first add is halfway: another one starts
            try:
                patients.add_cohort(store, _cohort(1, "more.tsv", first=10))
            except ConflictError as e:
                inner.append(e)
        return real(*a, **kw)

    monkeypatch.setattr(patients, "add_patient", add)
    patients.add_cohort(store, _cohort(4))
    assert len(inner) == 1
    assert "cohort 'trial' is being added by another process (patient add-cohort, pid" in (
        inner[0].message
    )
    assert "nothing was added" in inner[0].message
    assert "S10" not in {p["id"] for p in store.twins.patients()}
    assert [x["status"] for x in store.cohorts.load_states("trial")] == ["complete"]


def test_a_later_add_of_other_files_does_not_hide_a_failed_add(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
):
    """Before, both adds had one record per cohort: the second's 'complete' replaced 'failed'."""
    _fail_at(monkeypatch, 3)
    with pytest.raises(RuntimeError):
        patients.add_cohort(store, _cohort(4), command="medtwin patient add-cohort A")
    monkeypatch.undo()
    patients.add_cohort(store, _cohort(2, "b.tsv", first=10))  # another file of the folder
    with pytest.raises(ConflictError) as e:
        cohort_summary.cohort_patients(store, cohort="trial")
    # 'n of m' counts the failed add's samples only (before: '4 of 4', the other file's too)
    assert (
        "cohort 'trial' is incomplete (2 of 4 samples; 2 other patient(s) of the cohort came "
        "from other files)" in e.value.message
    )
    assert "rerun `medtwin patient add-cohort A`" in (e.value.hint or "")
    patients.add_cohort(store, _cohort(4))  # its rerun completes it
    assert len(cohort_summary.cohort_patients(store, cohort="trial")) == 6


def test_a_failed_add_to_a_cohort_added_before_records_counts_its_own_samples(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
):
    """Item 3: before, 'incomplete (4 of 2 samples)' (the old patients counted as this add's)."""
    _add_unrecorded(store, _cohort(3, "old.tsv"))
    _fail_at(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        patients.add_cohort(store, _cohort(2, "new.tsv", first=10))
    with pytest.raises(ConflictError) as e:
        cohort_summary.cohort_patients(store, cohort="trial")
    assert (
        "cohort 'trial' is incomplete (1 of 2 samples; 3 other patient(s) of the cohort came from "
        "other files)" in e.value.message
    )


def test_the_demo_records_its_cohorts(store: MemoryStore, monkeypatch: pytest.MonkeyPatch):
    """A demo failing while it adds leaves its cohort incomplete; before, it had no record."""
    from medtwin.platform import demo, demo_cohorts
    from medtwin.settings import Settings

    blood = profile(demo_cohorts.PBMC68K_PATIENT_ID, metadata={"cohort": demo_cohorts.PBMC68K})
    peac = [*_cohort(3, "peac.tsv", name=demo_cohorts.PEAC), blood]
    monkeypatch.setattr(demo, "fetch_all", lambda *a: None)
    monkeypatch.setattr(demo, "load_for_demo", lambda *a: [])
    monkeypatch.setattr(demo_cohorts, "demo_patients", lambda *a: tuple(peac))
    monkeypatch.setattr(demo_cohorts, "multi_tissue_profile", lambda *a, **k: profile("MT"))
    _fail_at(monkeypatch, 3, demo)
    with pytest.raises(RuntimeError):
        demo.run_demo(store, Settings())  # type: ignore[arg-type]
    with pytest.raises(ConflictError) as e:
        cohort_summary.cohort_patients(store, cohort=demo_cohorts.PEAC)
    assert f"cohort {demo_cohorts.PEAC!r} is incomplete (2 of 3 samples)" in e.value.message
    assert "rerun `medtwin demo`" in (e.value.hint or "")
    assert [x["status"] for x in store.cohorts.load_states("toy")] == ["failed"]  # MT's cohort


def test_a_recorded_add_to_a_cohort_added_before_records_keeps_the_note_for_the_rest(
    store: MemoryStore,
):
    """Item 4: before, the first recorded add made the note disappear, and the summary looked
    complete though 3 of its 5 patients came from an add nobody recorded."""
    from medtwin.platform.cohort_loads import completeness_note

    _add_unrecorded(store, _cohort(3, "old.tsv"))
    patients.add_cohort(store, _cohort(2, "new.tsv", first=10))  # recorded, complete
    note = completeness_note(store, "trial")
    assert note is not None
    assert note.startswith(
        "3 patient(s) of cohort 'trial' (S0, S1, S2) came from an add before completeness was "
        "recorded (before 2026-12-06, so a killed add would not show)"
    )
    assert "rerun its `patient add-cohort` with the same files and options" in note
    assert cohort_currency(store, ["S10"], cohort="trial").completeness == note
    patients.add_cohort(store, _cohort(3, "old.tsv"))  # the old files' rerun records them
    assert completeness_note(store, "trial") is None


def test_a_record_without_files_covers_the_whole_cohort(store: MemoryStore):
    """A record of the first recording code (no files kept) was of the whole cohort."""
    from medtwin.platform.cohort_loads import completeness_note

    _add_unrecorded(store, _cohort(3, "old.tsv"))
    store.cohorts.begin_load("trial", 3, None)  # id 'cohort:trial', no inputs
    store.cohorts.finish_load("trial")
    patients.add_cohort(store, _cohort(2, "new.tsv", first=10))
    assert completeness_note(store, "trial") is None


def record_sequence(store: Any) -> list[list[tuple[Any, ...]]]:
    """The records of 'trial' after: an add of the files without options (killed halfway: left
    'adding'), its rerun with options, and an add of the same files with other options.

    Store verbs only, so ``tests/integration/test_memory_parity.py`` runs it on both stores.
    """
    files = ['{"trial.tsv": "' + "c" * 64 + '"}']
    strict, loose = '{"p_max": "0.01"}', '{"p_max": "0.05"}'

    def now() -> list[tuple[Any, ...]]:
        return [
            (x["status"], x.get("options"), x["samples"], x["inputs"])
            for x in store.cohorts.load_states("trial")
        ]

    out = []
    store.cohorts.begin_load("trial", 3, "old", files)  # as the code before options were kept
    out.append(now())
    store.cohorts.begin_load("trial", 3, "new", files, strict)
    store.cohorts.finish_load("trial", inputs=files, options=strict)
    out.append(now())
    store.cohorts.begin_load("trial", 3, "loose", files, loose)
    store.cohorts.finish_load("trial", inputs=files, options=loose)
    out.append(now())
    store.cohorts.begin_load("trial", 3, "new again", files, strict)  # the same add: one record
    store.cohorts.finish_load("trial", complete=False, inputs=files, options=strict)
    out.append(now())
    return out


def test_an_add_with_options_takes_over_the_record_of_its_files_without(store: MemoryStore):
    """A killed add recorded before options were kept, rerun by the command its refusal names
    (now with options), is completed; else its old record would stay 'adding' and the cohort
    refused for good. Adds of the same files with other options keep their own records."""
    files = ['{"trial.tsv": "' + "c" * 64 + '"}']
    assert record_sequence(store) == [
        [("adding", None, 3, files)],
        [("complete", '{"p_max": "0.01"}', 3, files)],
        [("complete", '{"p_max": "0.01"}', 3, files), ("complete", '{"p_max": "0.05"}', 3, files)],
        [("complete", '{"p_max": "0.05"}', 3, files), ("failed", '{"p_max": "0.01"}', 3, files)],
    ]


def test_a_failed_add_of_files_added_before_with_other_options_says_how_it_counts(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
):
    """Patients are counted by file: before, '3 of 3 samples' with no word that the complete
    add of the same files at p_max 1 had stored them (the failed one stored 1)."""
    patients.add_cohort(store, _cohort(3), options={"p_max": 1.0})
    _fail_at(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        patients.add_cohort(store, _cohort(3), options={"p_max": 0.5})
    with pytest.raises(ConflictError) as e:
        cohort_summary.cohort_patients(store, cohort="trial")
    assert (
        "cohort 'trial' is incomplete (3 of 3 samples; counted by file: an add of the same files "
        "with other options (p_max=1.0) stored some of them too; this add has p_max=0.5)"
    ) in e.value.message
