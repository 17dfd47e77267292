"""A lock this process could not delete (the server stopped, e.g. by ``db backup``) frees itself.

Before: a ``patient add`` in a long-lived process (an API server, a notebook) whose lock release
failed left the lock to its own live pid, so every later operation on the patient answered
"patient PR is busy: add inputs is running" until that process ended, and ``db backup`` named it
as a running write; ``db repair`` only removes locks of dead processes.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from medtwin.errors import GraphStoreUnavailable
from medtwin.platform import patients
from medtwin.store import locks
from medtwin.store.neo4j import Neo4jStore
from tests.api.conftest import DE_TABLE

pytestmark = pytest.mark.neo4j


def test_a_lock_whose_release_failed_does_not_keep_the_patient_busy(tiny_reference, monkeypatch):
    store, _ = tiny_reference
    monkeypatch.setattr(locks, "_ABANDONED", set(), raising=False)
    real, failed = Neo4jStore.write, []

    def write(self: Neo4jStore, name: str, **params: Any) -> Any:
        if name == "lock/release_lock" and not failed:  # the server is down at the release
            failed.append(params["id"])
            raise GraphStoreUnavailable("the Neo4j database does not answer (ServiceUnavailable)")
        return real(self, name, **params)

    monkeypatch.setattr(Neo4jStore, "write", write)
    de = pd.read_csv(io.StringIO(DE_TABLE), sep="\t")
    patients.add_patient_files(store, "PR", de=de)
    assert failed == ["patient:PR"]
    assert [x["lock"]["id"] for x in store.read("lock/list_locks")] == ["patient:PR"]  # left behind
    assert store.running_writes() == []  # not a write in progress: db backup goes ahead
    got = patients.add_patient_files(store, "PR", de=de)  # was: ConflictError, patient busy
    assert got.inputs == 1
    assert store.read("lock/list_locks") == []  # deleted at the next lock
