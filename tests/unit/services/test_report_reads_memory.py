"""A report reads each of its twin's rows once (``platform/kept_reads.py``), on the memory store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from medtwin.platform import patients, reports, twins
from medtwin.platform.kept_reads import KEPT, kept_twin_reads
from medtwin.platform.models import TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

Rows = list[dict[str, Any]]


def _counted(store: MemoryStore, monkeypatch: Any) -> Counter[tuple[str, str]]:
    """Count the calls of each twin verb (by name and argument) from now on."""
    calls: Counter[tuple[str, str]] = Counter()
    for name in (*KEPT, "twin", "twins"):
        verb = getattr(store.twins, name)

        def counted(*args: Any, _verb: Callable[..., Any] = verb, _name: str = name) -> Any:
            calls[_name, str(args[0])] += 1
            return _verb(*args)

        monkeypatch.setattr(store.twins, name, counted)
    return calls


def test_a_report_reads_each_row_set_of_its_twin_once(store, monkeypatch):
    """Before: the twin's genes 3x, cell types, regulators and activity 2x each (42 queries for
    the demo's report of GSM389703, 5 of them repeats)."""
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(module_samples=20, min_seeds=2))
    page = reports.patient_report(store, "P1")
    calls = _counted(store, monkeypatch)
    assert reports.patient_report(store, "P1") == page  # the same page
    repeated = {k: n for k, n in calls.items() if k[0] in KEPT and n > 1}
    assert repeated == {}
    assert calls["genes", "P1@v1"] == 1
    # which twin is the latest, and whether it is still there at the end: asked each time
    assert sum(n for (name, _), n in calls.items() if name in ("twin", "twins")) >= 2


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
    assert calls["twin", "P1"] == 2  # by patient: never kept
    assert kept.identity == store.identity
