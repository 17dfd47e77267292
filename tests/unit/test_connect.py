"""`medtwin.connect()`: the store of a notebook in one call, imported only when used."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest

import medtwin
from medtwin.errors import ConfigError
from medtwin.settings import Settings
from medtwin.store import neo4j as neo4j_store


def test_import_medtwin_stays_light_until_connect_is_used() -> None:
    code = (
        "import json, sys, medtwin\n"
        "before = 'neo4j' in sys.modules or 'medtwin.store.neo4j' in sys.modules\n"
        "medtwin.connect\n"
        "print(json.dumps([before, 'medtwin.store.neo4j' in sys.modules]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [False, True]
    assert "connect" in medtwin.__all__


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """Settings that Neo4jStore.open was called with (it returns a marker, no server needed)."""
    calls: list[Settings] = []

    def fake_open(settings: Settings) -> Any:
        calls.append(settings)
        # connect() sets its audit actor, and pings the database (``read_once``)
        return SimpleNamespace(name="the store", read_once=lambda name: [{"ok": 1}])

    monkeypatch.setattr(neo4j_store.Neo4jStore, "open", staticmethod(fake_open))
    return calls


def test_connect_returns_what_open_returns(opened: list[Settings], monkeypatch) -> None:
    monkeypatch.setenv("MEDTWIN_NEO4J_DATABASE", "from-env")
    monkeypatch.setattr(neo4j_store, "get_settings", Settings)  # not the process's cached one
    store: Any = medtwin.connect()
    assert store.name == "the store"
    assert store.audit_actor.startswith("python:")  # a notebook's calls are audited
    assert opened[-1].neo4j_database == "from-env"
    given = Settings(neo4j_uri="bolt://db:7687")
    assert medtwin.connect(given).name == "the store"  # type: ignore[attr-defined]
    assert opened[-1] is given


def test_overrides_replace_fields_and_are_checked(opened: list[Settings]) -> None:
    given = Settings(neo4j_uri="bolt://db:7687", neo4j_database="a")
    medtwin.connect(given, neo4j_database="b", bolt_port="7700")
    assert (opened[-1].neo4j_uri, opened[-1].neo4j_database) == ("bolt://db:7687", "b")
    assert opened[-1].bolt_port == 7700
    assert given.neo4j_database == "a"  # the caller's settings are not changed
    with pytest.raises(ConfigError, match="unknown setting\\(s\\) neo4j_url"):
        medtwin.connect(neo4j_url="bolt://db:7687")
    with pytest.raises(ConfigError, match="invalid setting") as bad:
        medtwin.connect(given, bolt_port="many")
    # one line naming the keyword and its value, not pydantic's block with its links
    assert bad.value.message.startswith("invalid setting: bolt_port='many': ")
    assert "\n" not in bad.value.message
    assert "errors.pydantic.dev" not in bad.value.message
    with pytest.raises(ConfigError) as secret:
        medtwin.connect(given, neo4j_password=["hunter2"])
    assert "hunter2" not in str(secret.value)
    with pytest.raises(ConfigError, match="not a Neo4j URI"):  # http:// asked for aiohttp
        medtwin.connect(given, neo4j_uri="http://127.0.0.1:7474")
    with pytest.raises(ConfigError, match="settings must be a medtwin.settings.Settings"):
        medtwin.connect("bolt://db:7687")  # type: ignore[arg-type]
    assert len(opened) == 1


def test_a_store_prints_where_it_points() -> None:
    settings = Settings(neo4j_uri="bolt://db:7687", neo4j_password="s3cret-pass")
    store = neo4j_store.Neo4jStore(SimpleNamespace(), settings)  # type: ignore[arg-type]
    assert repr(store) == "<Neo4jStore bolt://db:7687/neo4j>"
    assert "s3cret" not in repr(store)
