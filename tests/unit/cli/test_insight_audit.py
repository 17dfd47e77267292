"""``twin diseases`` and ``biomarkers`` are audited as what they did: compute and store, or read.

Before, both were always a ``read``, although their first call (and ``--refresh``) computes the
result and stores it on the twin. The commands run as a user runs them, through ``open_store``
(on a memory store instead of Neo4j), and the audit trail is read back.
"""

from __future__ import annotations

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
