"""A DE table's every tested gene drives the twin's activities; module and ranking unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.platform import patients, rankings, twin_regulators, twins
from medtwin.platform.algorithms.footprint import footprint_activity
from medtwin.platform.context import reference_context
from medtwin.platform.inputs import InputOptions, read_input
from medtwin.platform.models import RankParams, TwinParams
from tests.integration.test_twin_regulators import REGULON, _layers
from tests.ranking_orders import NETWORK_ORDER

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, max_seeds=50)


def _table(tmp_path) -> tuple[object, dict[str, float]]:
    """60 tested genes; G2's regulon moved by 2 along its mode; only 4 genes have p < 1e-4."""
    rng = np.random.default_rng(7)
    z = {str(g): float(v) for g, v in zip(range(1, 61), rng.normal(0, 0.5, 60), strict=True)}
    for g, mor in REGULON.items():
        z[g] += 2.0 * mor
    strong = {"3", "4", "10", "11"}
    lines = ["gene\tz\tp"] + [f"{g}\t{v:.3f}\t{1e-6 if g in strong else 0.5}" for g, v in z.items()]
    path = tmp_path / "pe_de.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path, {g: round(v, 3) for g, v in z.items()}


def test_de_input_full_vector_drives_activities_not_the_module(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _layers(store)
    path, z = _table(tmp_path)
    got = CliRunner().invoke(cli, ["patient", "add", "PE", "--de", str(path)])
    assert got.exit_code == 0, got.output
    genes = reference_context().gene_index(store)
    bare = read_input("de", path, "PF", genes, InputOptions())
    assert {c.entrez for c in bare.changes} == {"3", "4", "10", "11"}
    patients.add_patient(store, bare.model_copy(update={"activity_stats": ()}))
    with_full, without = twins.build_twin(store, "PE", FAST), twins.build_twin(store, "PF", FAST)

    report = twin_regulators.twin_regulators(store, "PE", q=1.0)
    assert (report.n_genes_with_statistic, report.n_tfs_scored) == (60, 1)
    expected = footprint_activity(z, {"2": REGULON})["2"]
    (row,) = [r for r in store.twins.activity(with_full.id) if r["id"] == "2"]
    assert row["score"] == pytest.approx(expected.score, rel=1e-6)
    assert row["n_targets"] == expected.n_targets == len(REGULON)
    # Before: the four changes stood in (4 genes, 0 TFs). Without the vector of every measured
    # gene there is no twin-level activity, and the report says why.
    before = twin_regulators.twin_regulators(store, "PF", q=1.0)
    assert (before.n_genes_with_statistic, before.n_tfs_scored) == (0, 0)
    assert before.note is not None
    assert "no vector of every measured gene: input pe_de.tsv" in before.note

    def genes_of(twin_id: str) -> list[tuple[str, str, bool]]:
        rows = store.twins.genes(twin_id)
        return sorted((g["entrez"], str(g.get("role")), bool(g["in_module"])) for g in rows)

    assert genes_of(with_full.id) == genes_of(without.id)
    assert with_full.module_size == without.module_size

    def top10(pid: str) -> list[str]:
        result = rankings.rank_drugs(
            store, pid, RankParams(n_samples=100, order=NETWORK_ORDER), cache_dir=tmp_path
        )
        return [d.drug_id for d in result.drugs[:10]]

    assert top10("PE") == top10("PF")
    # re-adding the file is a no-op for the input id, and keeps the vector
    again = CliRunner().invoke(cli, ["patient", "add", "PE", "--de", str(path)])
    assert again.exit_code == 0, again.output
    (inp,) = store.twins.inputs("PE")
    assert inp["activity_stats_json"]
