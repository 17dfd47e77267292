"""``twin diseases`` and ``biomarkers`` are audited as what they did: compute and store, or read.

Before, both were always a ``read``, although their first call (and ``--refresh``) computes the
result and stores it on the twin. The commands run as a user runs them, through ``open_store``
(on a memory store instead of Neo4j), and the audit trail is read back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, common
from medtwin.platform import rankings
from medtwin.platform.context import ReferenceContext
from medtwin.settings import get_settings
from medtwin.store.memory import MemoryStore
from tests.unit.services.test_notebook_defaults import FAST, built  # noqa: F401


@pytest.fixture
def cli_store(built: MemoryStore, monkeypatch, tmp_path):  # noqa: F811
    """``built`` (P1 with a twin) as every command's store; kept open between commands."""
    monkeypatch.setenv("MEDTWIN_HOME", str(tmp_path))  # the distance matrix's cache folder
    get_settings.cache_clear()
    monkeypatch.setattr(built, "close", lambda: None)
    monkeypatch.setattr(common, "store_factory", lambda: lambda _settings: built)
    yield built
    get_settings.cache_clear()


def _actions(store: MemoryStore, command: str) -> list[tuple[str, int]]:
    events = reversed(store.audit_events("P1", limit=100))
    return [(e.action, e.status) for e in events if e.route.endswith(command)]


def _run(*args: str) -> None:
    got = CliRunner().invoke(cli, list(args))
    assert got.exit_code == 0, got.output


def test_twin_diseases_is_a_write_when_it_computes(cli_store):
    diseases = ["twin", "diseases", "P1", "--samples", "20"]
    _run(*diseases)  # computes and stores
    _run(*diseases)  # reads it back
    _run(*diseases, "--refresh")  # computes again
    assert _actions(cli_store, " twin diseases") == [("write", 0), ("read", 0), ("write", 0)]


def test_biomarkers_is_a_write_when_it_computes(cli_store):
    rankings.rank_drugs(cli_store, "P1", FAST, ctx=ReferenceContext())
    _run("biomarkers", "P1")  # computes and stores
    _run("biomarkers", "P1")  # reads them back
    assert _actions(cli_store, " biomarkers") == [("write", 0), ("read", 0)]


def _stored_by_another_process_first(
    store: MemoryStore, monkeypatch, store_it: Callable[[], object]
) -> None:
    """The next patient lock taken is preceded by ``store_it`` run in another thread.

    That is the race: the command looked and found nothing stored, then another process stored
    the result before this one took the lock. A thread has its own context, as another process
    has its own audit: what it does must not count as this command's write.
    """
    real = store.patient_lock

    def lock(patient_id: str, operation: str):
        monkeypatch.setattr(store, "patient_lock", real)
        other = threading.Thread(target=store_it, name="the other process")
        other.start()
        other.join()
        return real(patient_id, operation)

    monkeypatch.setattr(store, "patient_lock", lock)


def _computes(monkeypatch, module: Any, name: str) -> list[str]:
    """The threads that call ``module.name`` from now on (the compute of a use case)."""
    threads: list[str] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return threads


def test_twin_diseases_stored_by_another_process_meanwhile_is_a_read(cli_store, monkeypatch):
    # before: [("write", 0)]: the command decided 'write' from its own look, before the lock
    from medtwin.platform import diseases

    computed = _computes(monkeypatch, diseases, "twin_resemblance")
    _stored_by_another_process_first(
        cli_store,
        monkeypatch,
        lambda: diseases.twin_diseases(cli_store, "P1", get_settings().cache_dir, n_samples=20),
    )
    _run("twin", "diseases", "P1", "--samples", "20")
    assert computed == ["the other process"]  # computed once, not by this command
    assert _actions(cli_store, " twin diseases") == [("read", 0)]


def test_biomarkers_stored_by_another_process_meanwhile_are_a_read(cli_store, monkeypatch):
    # before: [("write", 0)], and the command computed them a second time
    from medtwin.platform import insights

    rankings.rank_drugs(cli_store, "P1", FAST, ctx=ReferenceContext())
    computed = _computes(monkeypatch, insights, "compute_biomarkers")
    _stored_by_another_process_first(
        cli_store, monkeypatch, lambda: insights.twin_biomarkers(cli_store, "P1")
    )
    _run("biomarkers", "P1")
    assert computed == ["the other process"]  # computed once, not by this command
    assert _actions(cli_store, " biomarkers") == [("read", 0)]
