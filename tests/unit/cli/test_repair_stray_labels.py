"""``medtwin db repair --remove-stray-audit`` says, per stray trail, that it was removed.

Its text listed the trails under ``stray_audit_trails`` with a count, in the same words with
and without the flag: whether a line was a trail removed or one merely found was left to the
``stray_audit_events_removed`` total. A memory store stands in for Neo4j (the real server:
``tests/integration/test_stray_audit.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, common
from medtwin.platform import patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile
from tests.unit.services.test_stray_audit import PATIENT, seed_trail


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    got = MemoryStore()
    patients.add_patient(got, profile(PATIENT))
    seed_trail(got)

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield got

    monkeypatch.setattr(common, "open_store", memory)
    return got


def _trail_lines(args: list[str]) -> list[str]:
    got = CliRunner().invoke(cli, ["db", "repair", *args])
    assert got.exit_code == 0, got.output
    lines = got.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "stray_audit_trails:" in line)
    return [line.strip() for line in lines[start : start + 3]]


def test_each_removed_trail_says_removed(store: MemoryStore) -> None:
    listed = _trail_lines([])
    assert listed[0] == "stray_audit_trails: 2"
    assert listed[1].startswith("NOBODY: 1 event(s) ")  # only listed: no label
    removed = _trail_lines(["--remove-stray-audit"])
    assert removed[0] == "stray_audit_trails: 2 (2 removed)"
    assert removed[1].startswith("NOBODY: removed 1 event(s) ")
    assert removed[2].startswith("gsm1: removed 2 event(s) ")
    assert removed[2].endswith(f"; {PATIENT} exists")


def test_a_trail_kept_by_the_removal_says_kept(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # NOBODY became a patient's id between the listing and the removal's own check
    remove = store.remove_stray_audit_trails

    def late_patient(ids: Any, **kw: Any) -> dict[str, int]:
        patients.add_patient(store, profile("NOBODY"))
        return remove(ids, **kw)

    monkeypatch.setattr(store, "remove_stray_audit_trails", late_patient)
    got = _trail_lines(["--remove-stray-audit"])
    assert got[0] == "stray_audit_trails: 2 (1 removed)"
    assert got[1].startswith("NOBODY: kept 1 event(s) ")
    assert got[1].endswith("(a patient's id by the removal: its trail stays)")
    assert got[2].startswith("gsm1: removed 2 event(s) ")
