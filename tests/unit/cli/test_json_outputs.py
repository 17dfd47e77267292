"""``--json`` on the commands that write files or print settings: report, export, screen,
api-key new/revoke, demo. The use cases are replaced, so no database is needed; the text output
stays as it was."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, demo, interfaces, treatment


@pytest.fixture
def no_db(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' store is nothing (the replaced use cases do not use it)."""
    for module in (demo, interfaces, treatment):
        monkeypatch.setattr(module, "open_store", lambda **_: contextlib.nullcontext(None))


def _run(args: list[str]) -> tuple[object, str]:
    """``--json``'s parsed stdout and the text output of the same command."""
    as_json = CliRunner().invoke(cli, [*args, "--json"])
    assert as_json.exit_code == 0, as_json.output
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 0, text.output
    return json.loads(as_json.stdout), text.stdout


def test_report_json(no_db, monkeypatch, tmp_path: Path) -> None:
    from medtwin.platform import reports

    monkeypatch.setattr(reports, "patient_report", lambda *_, **__: "<html>é</html>")
    got, text = _run(["report", "P1", "--out-dir", str(tmp_path)])
    path = tmp_path / "P1.html"
    assert got == {"patient_id": "P1", "path": str(path), "bytes": 15}
    assert path.stat().st_size == 15
    assert text == f"report: {path} (0 KiB)\n"


def test_export_json(no_db, monkeypatch, tmp_path: Path) -> None:
    from medtwin.platform import twins
    from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph

    graph = TwinGraph(
        twin_id="P1:v2",
        nodes=(
            GraphNode(id="7124", label="TNF", layer="protein", kind="seed"),
            GraphNode(id="7157", label="TP53", layer="protein", kind="gene"),
        ),
        edges=(GraphEdge(source="7124", target="7157", kind="INTERACTS_WITH"),),
    )
    monkeypatch.setattr(twins, "twin_graph", lambda *_: graph)
    out = tmp_path / "sub" / "p1.graphml"
    got, text = _run(["export", "P1", "--format", "graphml", "--out", str(out)])
    assert got == {
        "patient_id": "P1",
        "twin_id": "P1:v2",
        "format": "graphml",
        "path": str(out),
        "bytes": out.stat().st_size,
        "nodes": 2,
        "edges": 1,
    }
    assert text == f"P1:v2: 2 nodes, 1 edges -> {out}\n"


def test_screen_json(no_db, monkeypatch, tmp_path: Path) -> None:
    from medtwin.platform import screen

    def fake(*_: object, out: Path, **__: object) -> screen.ScreenSummary:
        out.write_text("gene_set\tdrug_id\n")
        return screen.ScreenSummary(
            rows=6, gene_sets=2, drugs=3, skipped=("empty",), seconds=0.5, warnings=("w",)
        )

    monkeypatch.setattr(screen, "screen_gmt", fake)
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("a\t-\tTNF\n")
    out = tmp_path / "screen.tsv"
    args = ["screen", "--gmt", str(gmt), "--out", str(out), "--samples", "10", "--seed", "3"]
    got, text = _run(args)
    assert got == {
        "out": str(out),
        "rows": 6,
        "gene_sets": 2,
        "drugs": 3,
        "skipped": ["empty"],
        "samples": 10,
        "seed": 3,
        "targets": "guney2016",
        "seconds": 0.5,
        "warnings": ["w"],
    }
    assert text == f"6 rows for 2 gene sets × 3 drugs in 0.5 s → {out}\n"


@pytest.fixture
def api_keys(monkeypatch: pytest.MonkeyPatch):
    """MEDTWIN_API_KEYS with one key, ``old``."""
    from medtwin.settings import get_settings

    entry = "old:read:" + "a" * 64
    monkeypatch.setenv("MEDTWIN_API_KEYS", entry)
    get_settings.cache_clear()
    yield entry
    get_settings.cache_clear()


def test_api_key_new_json(api_keys: str) -> None:
    got = CliRunner().invoke(cli, ["api-key", "new", "me", "--scope", "write", "--json"])
    assert got.exit_code == 0, got.output
    key = json.loads(got.stdout)
    assert key["sha256"] == hashlib.sha256(key["key"].encode()).hexdigest()
    assert key["name"] == "me"
    assert key["scope"] == "write"
    assert key["medtwin_api_keys"] == f"{api_keys},me:write:{key['sha256']}"
    text = CliRunner().invoke(cli, ["api-key", "new", "me"]).stdout
    assert text.startswith("API key for me (read); shown once, store it now:\n  ")
    assert f"MEDTWIN_API_KEYS={api_keys},me:read:" in text


def test_api_key_revoke_json(api_keys: str) -> None:
    got, text = _run(["api-key", "revoke", "old"])
    assert got == {"name": "old", "medtwin_api_keys": ""}
    assert text.endswith("  MEDTWIN_API_KEYS=\n")
    missing = CliRunner().invoke(cli, ["api-key", "revoke", "nobody", "--json"])
    assert missing.exit_code == 1
    assert json.loads(missing.stderr)["message"] == "no API key named 'nobody'"


def test_demo_json(no_db, monkeypatch, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from medtwin.platform import demo as demo_use_case
    from medtwin.platform.models import DrugScore, RankingResult, TwinSummary
    from medtwin.platform.reference import DatasetLoad
    from medtwin.platform.twin_models import TwinDetail

    when = datetime(2026, 1, 1, tzinfo=UTC)
    twin = TwinSummary.model_construct(id="P1:v1", patient_id="P1", version=1, created_at=when)
    ranking = RankingResult.model_construct(
        id="R1",
        twin_id="P1:v1",
        drugs=tuple(
            DrugScore.model_construct(rank=i, drug_id=f"DB{i}", drug_name=None) for i in (1, 2, 3)
        ),
    )
    result = demo_use_case.DemoResult(
        loaded=[DatasetLoad(name="string", action="skipped", counts={"a": 2, "b": 3}, seconds=0)],
        patients=4,
        twins_built=2,
        twin_seconds=[1.0, 3.0],
        skipped=["P4: no gene in the interactome"],
        reports=[tmp_path / "P1.html"],
        showcase=[(TwinDetail.model_construct(twin=twin), ranking, [])],
        seconds=9.0,
        phases={"load": 1.0},
    )
    monkeypatch.setattr(demo_use_case, "run_demo", lambda *_, **__: result)
    got = CliRunner().invoke(cli, ["demo", "--top", "2", "--json"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == {
        "datasets": [{"name": "string", "action": "skipped", "rows": 5}],
        "patients": 4,
        "twins_built": 2,
        "twin_seconds": {"median": 2.0, "max": 3.0},
        "no_twin": ["P4: no gene in the interactome"],
        "showcase": [
            {
                "patient_id": "P1",
                "twin_id": "P1:v1",
                "ranking_id": "R1",
                "drugs": [
                    {"rank": 1, "drug_id": "DB1", "drug_name": None},
                    {"rank": 2, "drug_id": "DB2", "drug_name": None},
                ],
            }
        ],
        "reports": [str((tmp_path / "P1.html").resolve())],
        "seconds": 9.0,
        "phases": {"load": 1.0},
    }
