"""The app closes the store it opened, never the caller's (``create_app(store=...)``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from medtwin.api.app import create_app
from medtwin.errors import StoreClosed
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore


def test_a_callers_store_stays_open_after_the_app_shuts_down() -> None:
    store = MemoryStore()
    with TestClient(create_app(Settings(api_keys=""), store=store)) as c:
        assert c.get("/health").status_code == 200
    assert store.patient_exists("P1") is False  # a closed store would raise StoreClosed


def test_a_store_the_app_opened_is_closed_at_shutdown() -> None:
    opened = MemoryStore()
    with TestClient(create_app(Settings(api_keys=""), store_opener=lambda _: opened)) as c:
        assert c.get("/health").status_code == 200
    with pytest.raises(StoreClosed):
        opened.patient_exists("P1")


def test_store_and_store_opener_together_are_refused() -> None:
    store = MemoryStore()
    with pytest.raises(TypeError, match="not both"):
        create_app(Settings(api_keys=""), store=store, store_opener=lambda _: store)
