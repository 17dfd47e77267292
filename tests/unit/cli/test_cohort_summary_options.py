"""``cohort summary``: ``--top`` is the drugs printed, ``--top-drugs`` the k of top k (memory).

Before: ``--top`` was the k of top k and ``--drugs`` the rows printed, where every other ``--top``
is the rows printed (``rank``, ``report``, ``demo``, ...). An old command line keeps its figures:
``--drugs`` is read as ``--top``, and ``--top`` given without ``--top-drugs`` keeps its old meaning
for a release (read as ``--top-drugs``), each with a notice. Read as rows, an old ``--top 10
--json`` would have counted the default top 20 without a word (``--json`` prints every drug).
"""

from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from medtwin.cli import cli
from medtwin.cli import cohort as cohort_cli
from medtwin.platform import patients, rankings, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING, profile

DRUGS = {f"DB{i}": (f"drug {i}", [(str(i), "inhibit")]) for i in range(1, 9)}
"""One drug per gene of the ring: 8 drugs in every ranking."""


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MemoryStore:
    """Two ranked patients of the cohort ``toy``, opened by ``medtwin cohort summary``."""
    reference_context().clear()
    store = MemoryStore()
    store.add_reference(genes={str(i): f"G{i}" for i in range(1, 9)}, ppi=RING, drugs=DRUGS)
    for pid in ("P1", "P2"):
        patients.add_patient(store, profile(pid, input_checksums={f"{pid}.tsv": "0" * 64}))
        twins.build_twin(
            store, pid, TwinParams(module_samples=20, min_seeds=2), ctx=ReferenceContext()
        )
        rankings.rank_drugs(
            store, pid, RankParams(n_samples=20, methods=("proximity",)), cache_dir=tmp_path
        )
    monkeypatch.setattr(cohort_cli, "open_store", lambda **_: contextlib.nullcontext(store))
    return store


def _summary(*options: str) -> Result:
    got = CliRunner().invoke(
        cli, ["cohort", "summary", "--cohort", "toy", *options], prog_name="medtwin"
    )
    assert got.exit_code == 0, got.output
    return got


def _k_and_rows(*options: str) -> tuple[int, int]:
    """The k of top k (from the heading) and the drug rows printed."""
    lines = _summary(*options).stdout.splitlines()
    k = int(lines[0].rsplit(" ", 1)[1])  # "toy: 2 of 2 patients ranked; drugs in a top K"
    table = lines.index(next(line for line in lines if line.startswith("drug ")))
    return k, lines.index("per patient (best 3):") - table - 1


def test_top_is_the_rows_beside_top_drugs(ranked: MemoryStore) -> None:
    assert _k_and_rows() == (20, 8)  # the defaults: a top 20 of 8 drugs, all printed
    assert _k_and_rows("--top-drugs", "3", "--top", "2") == (3, 2)
    assert _k_and_rows("--top-drugs", "1") == (1, 1)  # the two patients' best: one drug
    new = _summary("--top-drugs", "3", "--top", "2", "--json")
    assert "notice" not in new.stderr
    assert json.loads(new.stdout)["top"] == 3


def test_the_old_spellings_keep_their_figures(ranked: MemoryStore) -> None:
    """``--top K`` alone is still the k, ``--drugs N`` the rows: the same output, one notice."""
    moved = (
        "notice: medtwin cohort summary --top without --top-drugs is read as before, as "
        "--top-drugs; --top will be the drugs printed (already beside --top-drugs): write "
        "--top-drugs for this meaning"
    )
    renamed = (
        "notice: medtwin cohort summary --drugs is now --top; the old name still works for now"
    )
    old = _summary("--top", "3", "--drugs", "2")
    assert old.stdout == _summary("--top-drugs", "3", "--top", "2").stdout
    assert old.stderr.splitlines() == [moved, renamed]
    alone = _summary("--top", "1", "--json")
    assert alone.stdout == _summary("--top-drugs", "1", "--json").stdout
    assert json.loads(alone.stdout)["top"] == 1
    assert alone.stderr.splitlines() == [moved]
    rows = _summary("--drugs", "1")
    assert rows.stdout == _summary("--top", "1", "--top-drugs", "20").stdout
    assert rows.stderr.splitlines() == [renamed]
    # --top is the rows whenever --top-drugs is given, before or after it
    assert _k_and_rows("--top", "1", "--top-drugs", "2") == (2, 1)


def test_the_rows_given_twice_under_both_names_is_refused(ranked: MemoryStore) -> None:
    got = CliRunner().invoke(
        cli, ["cohort", "summary", "--top-drugs", "3", "--top", "2", "--drugs", "1"]
    )
    assert got.exit_code == 2
    assert "--drugs is the old name of --top, and both are given; give --top once" in got.stderr


def test_the_api_names_the_k_as_the_cli_does(ranked: MemoryStore) -> None:
    """``GET …/summary?top_drugs=K`` as ``--top-drugs K``; the old ``top`` is still read."""
    from medtwin.api import create_app
    from medtwin.api.deps import get_store
    from medtwin.settings import Settings
    from tests.api.conftest import READ, TestClient, api_settings

    cli_json = json.loads(
        _summary("--top-drugs", "3", "--json").stdout
    )  # before the app closes the store
    app = create_app(api_settings(Settings()), store_opener=lambda _: ranked)
    app.dependency_overrides[get_store] = lambda: ranked
    with TestClient(app) as c:
        get = functools.partial(c.get, "/v1/cohorts/toy/summary", headers=READ)
        new = get(params={"top_drugs": 3})
        old, both, other = (
            get(params=p)
            for p in ({"top": 3}, {"top": 3, "top_drugs": 3}, {"top": 3, "top_drugs": 2})
        )
        spec = c.get("/openapi.json").json()["paths"]["/v1/cohorts/{name}/summary"]["get"]
    assert new.status_code == 200, new.text
    assert new.json()["top"] == 3
    assert old.json() == both.json() == new.json()
    assert other.status_code == 422
    assert (
        other.json()["detail"] == "top_drugs 2 and its old name top 3 differ; give top_drugs only"
    )
    params = {p["name"]: p for p in spec["parameters"]}
    assert params["top"]["deprecated"] is True
    assert not params["top_drugs"].get("deprecated")
    assert new.json()["drugs"] == cli_json["drugs"]
