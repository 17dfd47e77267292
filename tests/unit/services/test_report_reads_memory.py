"""A report reads each row set once (``platform/kept_reads.py``), on the memory store: its
twin's rows, and the patient, its latest twin and its latest ranking."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from medtwin.platform import patients, rankings, reports, twins
from medtwin.platform.kept_reads import KEPT, kept_twin_reads
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

Rows = list[dict[str, Any]]


def _counted(store: MemoryStore, monkeypatch: Any) -> Counter[tuple[str, str]]:
    """Count the calls of each twin verb (by name and argument) from now on."""
    calls: Counter[tuple[str, str]] = Counter()
    verbs = [(store.twins, name) for name in (*KEPT, "twin", "twins", "patients")]
    for group, name in [*verbs, (store.rankings, "latest_ranking")]:
        verb = getattr(group, name)

        def counted(
            *args: Any, _verb: Callable[..., Any] = verb, _name: str = name, **kwargs: Any
        ) -> Any:
            calls[_name, ", ".join(map(str, args))] += 1
            return _verb(*args, **kwargs)

        monkeypatch.setattr(group, name, counted)
    return calls


def test_a_report_reads_each_row_set_of_its_twin_once(store, monkeypatch, tmp_path):
    """Before: the twin's genes 3x, cell types, regulators and activity 2x each (42 queries for
    the demo's report of GSM389703, 5 of them repeats); then the latest twin 3x (and the list of
    twins once more), the patient and the latest ranking 2x each."""
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=2))
    rankings.rank_drugs(store, "P1", RankParams(n_samples=50), cache_dir=tmp_path)
    page = reports.patient_report(store, "P1")
    calls = _counted(store, monkeypatch)
    assert reports.patient_report(store, "P1") == page  # the same page
    repeated = {k: n for k, n in calls.items() if n > 1}
    assert repeated == {}, calls
    assert calls["genes", "P1@v1"] == 1
    # the patient, its latest twin and latest ranking once; the twin by version at the end
    assert calls["patients", "P1"] == 1
    assert sum(n for (name, args), n in calls.items() if name == "latest_ranking") == 1
    assert calls["twins", "P1, 1"] == 1  # confirm_read_whole


def test_a_report_asks_at_its_end_whether_its_twin_still_exists(store, monkeypatch):
    """Kept reads by patient must not hide a deletion from ``confirm_read_whole``."""
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=2))
    kept = kept_twin_reads(store)
    assert kept.twins.twins("P1")
    store.twins.delete_twin("P1@v1")
    assert kept.twins.twins("P1")  # kept: the view shows what its first read found
    assert kept.twins.twins("P1", 1) == []  # by version: asked again, and gone


def test_kept_rows_are_copies_and_other_verbs_pass_through(store, monkeypatch):
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=2))
    calls = _counted(store, monkeypatch)
    kept = kept_twin_reads(store)
    first: Rows = kept.twins.genes("P1@v1")
    first[0]["symbol"] = "changed by a caller"
    assert kept.twins.genes("P1@v1") == store.twins.genes("P1@v1")  # not the changed row
    assert calls["genes", "P1@v1"] == 2  # once kept, once the store's own call above
    kept.twins.twin("P1")
    kept.twins.twin("P1")
    assert calls["twin", "P1"] == 0  # the latest twin: the first of the twins, read once
    assert calls["twins", "P1"] == 1
    kept.twins.twin("P1", 1)
    kept.twins.twin("P1", 1)
    assert calls["twin", "P1, 1"] == 2  # by version: asked each time
    assert kept.twins.twin("P1") == store.twins.twin("P1")
    assert kept.identity == store.identity
