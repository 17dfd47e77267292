"""A notebook's use-case calls are audited (actor ``python:<user>``) once per patient and call."""

from __future__ import annotations

import contextlib
import io

import pytest

from medtwin.errors import MedtwinError, NotFoundError
from medtwin.platform import patients, twin_batch, twins
from medtwin.platform.models import TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile
from tests.unit.services.test_notebook_defaults import FAST as FAST_RANK
from tests.unit.services.test_notebook_defaults import built  # noqa: F401

FAST = TwinParams(module_samples=20, min_seeds=2)


def _events(store: MemoryStore) -> list[tuple[str, str | None, str, int]]:
    return [(e["action"], e["patient_id"], e["route"], e["status"]) for e in store.audit]


def test_without_an_actor_nothing_is_recorded(store: MemoryStore) -> None:
    """The CLI and the API audit at their entry: their stores have no actor."""
    patients.add_patient(store, profile("P1"))
    twins.build_twin(store, "P1", FAST)
    assert store.audit == []


def test_each_call_records_its_patients_once(store: MemoryStore) -> None:
    store.audit_actor = "python:me"  # type: ignore[attr-defined]  # as medtwin.connect() sets it
    patients.add_patient(store, profile("P1"))
    patients.add_patient(store, profile("P2"))
    twin_batch.build_twins(store, ["P1", "P2"], FAST)  # calls build_twin: one event each
    twins.show_twin(store, "P1")
    with pytest.raises(NotFoundError):
        twins.show_twin(store, "P9")  # no patient: no event
    patients.delete_patient(store, "P2")
    assert _events(store) == [
        ("write", "P1", "python: add_patient", 0),
        ("write", "P2", "python: add_patient", 0),
        ("write", "P1", "python: build_twins", 0),
        ("write", "P2", "python: build_twins", 0),
        ("read", "P1", "python: show_twin", 0),
        ("delete", "P2", "python: delete_patient", 0),
    ]
    assert {e["actor"] for e in store.audit} == {"python:me"}


def test_a_failed_call_on_a_known_patient_has_status_1(store: MemoryStore) -> None:
    store.audit_actor = "python:me"  # type: ignore[attr-defined]
    patients.add_patient(store, profile("P1"))
    with pytest.raises(NotFoundError):
        twins.show_twin(store, "P1")  # no twin yet
    assert _events(store)[-1] == ("read", "P1", "python: show_twin", 1)


def test_the_regulator_and_cohort_use_cases_are_audited(store: MemoryStore) -> None:
    """README: a connect() store audits "one event per patient a use case names".

    Before, the use cases behind `twin regulators` (and `--by`), `patient similar`, `cohort
    stratify` and `cohort activities` recorded nothing when a notebook called them.
    """
    from medtwin.platform import cell_regulators, cohort_activities, stratify, twin_regulators
    from medtwin.platform.similar_patients import similar_patients

    store.audit_actor = "python:me"  # type: ignore[attr-defined]
    patients.add_patient(store, profile("P1"))
    patients.add_patient(store, profile("P2"))
    twins.build_twin(store, "P1", FAST)
    del store.audit[:]
    calls = [
        lambda: twin_regulators.twin_regulators(store, "P1"),
        lambda: cell_regulators.context_regulators(store, "P1", "cell_type"),
        lambda: similar_patients(store, "P1"),
        lambda: stratify.stratify_cohort(store, ["P1", "P2"], k=1),
        lambda: cohort_activities.write_activity_table(store, ["P1", "P2"], io.StringIO()),
    ]
    for call in calls:
        # what the memory store does not hold raises: still an access, status 1
        with contextlib.suppress(MedtwinError):
            call()
    got = [(action, pid, route) for action, pid, route, _ in _events(store)]
    assert got == [
        ("read", "P1", "python: twin_regulators"),
        ("read", "P1", "python: context_regulators"),
        ("read", "P1", "python: similar_patients"),
        ("write", "P1", "python: stratify_cohort"),
        ("write", "P2", "python: stratify_cohort"),
        ("read", "P1", "python: write_activity_table"),
        ("read", "P2", "python: write_activity_table"),
    ]


def test_the_audit_reads_nothing_before_its_write(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write keeps only the events of existing patients (``if_patient_exists``).

    Before, each audited call first read ``patient_exists`` (one id) or every patient's id
    (several): a round trip of its own per notebook call.
    """
    store.audit_actor = "python:me"  # type: ignore[attr-defined]
    patients.add_patient(store, profile("P1"))
    patients.add_patient(store, profile("P2"))
    twins.build_twin(store, "P1", FAST)
    del store.audit[:]
    reads: list[str] = []  # the audit's own reads, outside its write (which checks itself)
    writing = [False]
    exists, metadata, write = (
        store.patient_exists,
        store.twins.patient_metadata,
        store.write_audit_events,
    )

    def written(events: list[dict[str, object]]) -> None:
        writing[0] = True
        write(events)
        writing[0] = False

    def exists_spy(pid: str) -> bool:
        reads.extend([] if writing[0] else [pid])
        return exists(pid)

    def metadata_spy() -> list[dict[str, object]]:
        reads.append("patient_metadata")
        return metadata()

    monkeypatch.setattr(store, "write_audit_events", written)
    monkeypatch.setattr(store, "patient_exists", exists_spy)
    monkeypatch.setattr(store.twins, "patient_metadata", metadata_spy)
    twins.show_twin(store, "P1")
    with pytest.raises(NotFoundError):
        twins.show_twin(store, "P9")  # no patient: no event, without a read to know it
    with contextlib.suppress(MedtwinError):
        from medtwin.platform.cohort_activities import write_activity_table

        write_activity_table(store, ["P1", "P2", "P9"], io.StringIO())
    patients.delete_patient(store, "P2")
    monkeypatch.undo()
    assert reads == []
    assert _events(store) == [
        ("read", "P1", "python: show_twin", 0),
        ("read", "P1", "python: write_activity_table", 1),
        ("read", "P2", "python: write_activity_table", 1),
        ("delete", "P2", "python: delete_patient", 0),
    ]


def test_disease_resemblance_and_biomarkers_are_a_write_when_computed(built) -> None:  # noqa: F811
    """``twin_diseases`` and ``twin_biomarkers`` compute and store on a first call (a write)
    and read it back after (a read); before, both were always audited as reads."""
    from medtwin.platform import insights, rankings
    from medtwin.platform.context import ReferenceContext

    store = built  # P1 with a twin
    rankings.rank_drugs(store, "P1", FAST_RANK, ctx=ReferenceContext())
    store.audit_actor = "python:me"  # type: ignore[attr-defined]
    for _ in range(2):
        insights.twin_diseases(store, "P1", n_samples=20, ctx=ReferenceContext())
        insights.twin_biomarkers(store, "P1", ctx=ReferenceContext())
    assert [(a, route) for a, _, route, _ in _events(store)] == [
        ("write", "python: twin_diseases"),
        ("write", "python: twin_biomarkers"),
        ("read", "python: twin_diseases"),
        ("read", "python: twin_biomarkers"),
    ]
