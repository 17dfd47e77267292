"""`rank P1 --top N` groups drugs with the same targets alike, fresh or read back from the store.

Before, a fresh ranking grouped its first page (50 drugs) and a stored one only the `--top` rows
it read: on the demo's P1, `rank P1 --top 20` said "+15 with the same targets: …" right after
ranking and "+3 with the same targets: …" on every later run of the same command.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, treatment
from medtwin.platform import patients, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import TwinParams
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING, profile

SAME = 12  # drugs that all target gene 1 of the twin's module


def _store() -> MemoryStore:
    store = MemoryStore()
    drugs = {f"DB{i:02d}": (f"same {i:02d}", [("1", "inhibit")]) for i in range(SAME)}
    drugs["DB90"] = ("other", [("6", "inhibit")])
    store.add_reference(genes={str(i): f"G{i}" for i in range(1, 9)}, ppi=RING, drugs=drugs)
    patients.add_patient(store, profile())
    fast = TwinParams(module_samples=20, min_seeds=2)
    twins.build_twin(store, "P1", fast, ctx=ReferenceContext())
    return store


@pytest.mark.parametrize("top", ["3", "20"])
def test_stored_ranking_groups_the_same_targets_as_the_fresh_one(
    top: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store()
    reference_context().clear()
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(store))
    monkeypatch.setattr(treatment, "settings", lambda: Settings(home=tmp_path / "home"))
    args = ["rank", "P1", "--top", top, "--samples", "30", "--method", "proximity"]
    fresh = CliRunner().invoke(cli, args)
    stored = CliRunner().invoke(cli, args)
    assert fresh.exit_code == 0, fresh.output
    assert stored.exit_code == 0, stored.output
    assert "stored ranking of" in stored.output  # the second run read, it did not rank again
    groups = [re.findall(r"\+\d+ with the same targets", x.output) for x in (fresh, stored)]
    assert groups[0] == [f"+{SAME - 1} with the same targets"]
    assert groups[1] == groups[0]
