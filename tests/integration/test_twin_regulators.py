"""Upstream regulators of a twin and the regulator ranking, on the real server (issue 18)."""

from __future__ import annotations

import json
from unittest.mock import ANY

import numpy as np
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.loaders.rows import FootprintRow, RegulationRow
from medtwin.platform import patients, rankings, twin_regulators, twins
from medtwin.platform.algorithms.footprint import footprint_activity
from medtwin.platform.context import reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.regulator_centrality import reference_key
from medtwin.platform.twin_drawing import graph_of_twin
from medtwin.store.regulator_network import graph_name

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, max_seeds=50)
REGULON = {str(g): 1.0 for g in range(3, 10)} | {str(g): -1.0 for g in range(10, 13)}


def regulon_rows(tf: str, regulon: dict[str, float]) -> list[RegulationRow]:
    """DoRothEA rows of TF ``G<tf>`` over ``regulon`` (target -> mode of regulation)."""
    return [
        RegulationRow(
            tf_entrez=tf,
            target_entrez=t,
            tf_symbol=f"G{tf}",
            target_symbol=f"G{t}",
            confidence="A",
            mor=m,
            source="dorothea_hs",
            source_version="test",
        )  # fmt: skip
        for t, m in regulon.items()
    ]


def _layers(store) -> None:
    store.start_dataset("dorothea_hs", {"sha256": "t", "version": "test"})
    store.merge_rows(regulon_rows("2", REGULON))
    store.finish_dataset("dorothea_hs", {"RegulationRow": len(REGULON)}, 0.0)
    store.start_dataset("progeny_2018", {"sha256": "t", "version": "test"})
    store.merge_rows(
        FootprintRow(
            pathway="MAPK",
            entrez=str(g),
            symbol=f"G{g}",
            weight=1.0 + g / 10,
            source="progeny_2018",
            source_version="test",
        )  # fmt: skip
        for g in range(30, 40)
    )
    store.finish_dataset("progeny_2018", {"FootprintRow": 10}, 0.0)
    reference_context().clear()


def _stats() -> dict[str, float]:
    rng = np.random.default_rng(4)
    y = {str(g): float(v) for g, v in zip(range(1, 61), rng.normal(0, 0.5, 60), strict=True)}
    for g, mor in REGULON.items():
        y[g] += 4.0 * mor
    return y


# The profiles below list every gene as a change and keep that vector too (activity_stats): the
# twin-level activities read only a vector of every measured gene (activity_inputs), never the
# thresholded changes; test_no_vector_no_twin_level_regulators checks the other case.


def test_regulators_words_and_regulator_ranking(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _layers(store)
    stats = _stats()
    profile = PatientProfile(
        patient_id="PU",
        changes=tuple(
            GeneChange(entrez=g, log2fc=v, zscore=v, padj=0.01 if abs(v) > 2 else 0.5)
            for g, v in stats.items()
        ),
        symptoms=(), exposures=(), metadata={}, input_checksums={"pu.tsv": "0" * 64}, unmapped=(),
        activity_stats=(ActivityStats(statistic="z", stats=stats),),  # every gene
    )  # fmt: skip
    patients.add_patient(store, profile)
    twins.build_twin(store, "PU", FAST)
    report = twin_regulators.twin_regulators(store, "PU")
    expected = footprint_activity(stats, {"2": REGULON})["2"]
    assert report.n_genes_with_statistic == 60
    assert report.n_tfs_scored == 1
    top = report.regulators[0]
    assert (top.entrez, top.symbol, top.rank) == ("2", "G2", 1)
    assert top.activity == pytest.approx(expected.score)
    assert top.q == pytest.approx(expected.q)
    assert top.words.startswith(f"G2 active (t {expected.score:.1f}, q ")
    assert top.community_size is not None
    assert top.network_size is not None
    assert 0 < top.community_size <= top.network_size
    assert top.words.endswith(
        f"1st most central; Louvain community 1 of the network ({top.community_size:,} of "
        f"{top.network_size:,} proteins), no other regulator in it"
    )
    # ranked in GDS at the build, stored on the twin and read back
    assert (report.engine, report.stored, top.kind, top.community) == ("gds", True, "tf", 1)
    got = CliRunner().invoke(cli, ["twin", "regulators", "PU", "--json", "--top", "1"])
    assert got.exit_code == 0, got.output
    body = json.loads(got.output)
    assert (body["engine"], body["stored"], body["n_regulators"]) == ("gds", True, 1)
    assert body["regulators"][0]["community"] == 1
    assert body["regulators"][0]["words"] == top.words
    text = CliRunner().invoke(cli, ["twin", "regulators", "PU"]).output
    assert "stored, centrality in GDS" in text
    assert top.words in text
    live = twin_regulators.twin_regulators(store, "PU", engine="in_process")
    assert (live.engine, live.stored) == ("in_process", False)
    assert [u.entrez for u in live.regulators] == [u.entrez for u in report.regulators]
    assert live.regulators[0].pagerank == pytest.approx(top.pagerank, rel=1e-6)
    assert set(report.pathways) == {"MAPK"}
    # DB00001 inhibits G2 (the over-active UR) and G3: regulator = +a(G2) (G3 is not a TF)
    params = RankParams(
        methods=("proximity", "regulator", "pathway", "pathway_proximity"), n_samples=50
    )
    rankings.rank_drugs(store, "PU", params, cache_dir=tmp_path)
    full = {s.drug_id: s for s in rankings.full_ranking(store, "PU").drugs}
    assert full["DB00001"].regulator == pytest.approx(expected.score)
    assert full["DB00002"].regulator is None
    # pathway_proximity reaches the stored ranking through the product path (every drug with a
    # network target is scored once the twin has pathway activity)
    assert full["DB00001"].pathway_proximity is not None


def test_the_stored_report_equals_the_one_computed_from_the_inputs(tiny_reference):
    """`twin regulators` reads the build's activity and counts instead of recomputing them
    (~0.5 s of imports); without the counts (a twin built before) it computes, as before: the
    two reports are the same but for the seconds."""
    from medtwin.platform.regulator_views import ACTIVITY_COUNTS, stored_regulator_report

    store, _ = tiny_reference
    _layers(store)
    stats = _stats()
    drivers = (GeneChange(entrez="40", log2fc=0.0, consequence="Amp8", layer="variant"),)
    profile = PatientProfile(
        patient_id="PS",
        changes=tuple(
            GeneChange(entrez=g, log2fc=v, zscore=v, padj=0.01 if abs(v) > 2 else 0.5)
            for g, v in stats.items()
        ) + drivers,
        symptoms=(), exposures=(), metadata={}, input_checksums={"ps.tsv": "0" * 64}, unmapped=(),
        activity_stats=(ActivityStats(statistic="z", stats=stats),),  # every gene
    )  # fmt: skip
    patients.add_patient(store, profile)
    twin_id = twins.build_twin(store, "PS", FAST).id
    assert {k: store.twins.twin("PS")[k] for k in ACTIVITY_COUNTS} == {
        "activity_genes": 60,
        "activity_tfs": 1,
        "regulators_q_max": twin_regulators.Q_MAX,
        "regulators_restart": 0.3,
        "activity_vector": True,
    }
    read = stored_regulator_report(store, "PS", q=twin_regulators.Q_MAX)
    assert read is not None
    assert twin_regulators.twin_regulators(store, "PS", top=1) == read.model_copy(
        update={"regulators": read.regulators[:1], "seconds": ANY}
    )
    # built before the rule of a vector of every measured gene: re-checked from the inputs
    store.twins.set_props(twin_id, {"activity_vector": None})
    assert stored_regulator_report(store, "PS", q=twin_regulators.Q_MAX) is None
    store.twins.set_props(twin_id, dict.fromkeys(ACTIVITY_COUNTS))  # as built before
    assert stored_regulator_report(store, "PS", q=twin_regulators.Q_MAX) is None
    computed = twin_regulators.twin_regulators(store, "PS")
    assert computed.stored
    assert {u.kind for u in computed.regulators} == {"tf", "driver"}
    skip = {"seconds"}
    assert computed.model_dump(exclude=skip) == read.model_dump(exclude=skip)
    # another q is computed from the inputs, never read
    assert stored_regulator_report(store, "PS", q=0.5) is None
    # a build that found no UR (no active TF, no driver): "0 upstream regulators" either way
    quiet = tuple(GeneChange(entrez=g, log2fc=0.1, zscore=0.1, padj=0.5) for g in stats)
    quiet_vec = (ActivityStats(statistic="z", stats=dict.fromkeys(stats, 0.1)),)
    patients.add_patient(store, profile.model_copy(
        update={"patient_id": "PQ", "changes": quiet, "activity_stats": quiet_vec}))  # fmt: skip
    quiet_id = twins.build_twin(store, "PQ", FAST.model_copy(update={"min_seeds": 1})).id
    none_read = stored_regulator_report(store, "PQ", q=twin_regulators.Q_MAX)
    assert none_read is not None
    assert (none_read.regulators, none_read.stored, none_read.engine) == ((), False, "none")
    store.twins.set_props(quiet_id, dict.fromkeys(ACTIVITY_COUNTS))
    none_computed = twin_regulators.twin_regulators(store, "PQ")
    assert none_computed.model_dump(exclude=skip) == none_read.model_dump(exclude=skip)


def test_cli_json_and_missing_layers(tiny_reference):
    store, _ = tiny_reference
    profile = PatientProfile(
        patient_id="PV",
        changes=tuple(GeneChange(entrez=str(g), log2fc=1.0, padj=0.01) for g in range(2, 12)),
        symptoms=(), exposures=(), metadata={}, input_checksums={"pv.tsv": "0" * 64}, unmapped=(),
        activity_stats=(ActivityStats(statistic="z", stats={str(g): 1.0 for g in range(2, 12)}),),
    )  # fmt: skip
    patients.add_patient(store, profile)
    twins.build_twin(store, "PV", FAST)
    runner = CliRunner()
    missing = runner.invoke(cli, ["twin", "regulators", "PV"])
    assert missing.exit_code != 0
    assert "medtwin load" in missing.output
    _layers(store)
    got = runner.invoke(cli, ["twin", "regulators", "PV", "--json"])
    assert got.exit_code == 0, got.output
    body = json.loads(got.output)
    assert body["twin_id"].startswith("PV@")
    assert body["n_genes_with_statistic"] == 10
    # built before the layers were loaded: nothing stored, computed now (GDS, or nothing to rank)
    assert body["stored"] is False
    assert body["engine"] == ("gds" if body["regulators"] else "none")


def test_activity_layer_is_versioned_and_deleted_with_the_patient(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    stats = _stats()
    profile = PatientProfile(
        patient_id="PW",
        changes=tuple(GeneChange(entrez=g, log2fc=v, zscore=v) for g, v in stats.items()),
        symptoms=(), exposures=(), metadata={}, input_checksums={"pw.tsv": "0" * 64}, unmapped=(),
        activity_stats=(ActivityStats(statistic="z", stats=stats),),  # every gene
    )  # fmt: skip
    patients.add_patient(store, profile)
    v1 = twins.build_twin(store, "PW", FAST)
    v2 = twins.build_twin(store, "PW", FAST)
    rows = twin_regulators.twin_activity(store, "PW", version=1)
    expected = footprint_activity(stats, {"2": REGULON})["2"]
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["tf"]["id"] == "2"
    assert by_kind["tf"]["score"] == pytest.approx(expected.score)
    assert by_kind["tf"]["method"] == "ulm"
    assert by_kind["pathway"]["name"] == "MAPK"
    assert by_kind["pathway"]["method"] == "mlm"
    n_edges = store.driver.execute_query(
        "MATCH (t:Twin)-[a:ACTIVITY]->() WHERE t.id IN [$a, $b] RETURN count(a) AS n",
        a=v1.id, b=v2.id, database_=store.database,
    ).records[0]["n"]  # fmt: skip
    assert n_edges == 2 * len(rows)
    urs = store.driver.execute_query(
        "MATCH (t:Twin)-[u:UPSTREAM_REGULATOR]->(p:Protein) WHERE t.id IN [$a, $b] "
        "RETURN t.id AS twin, p.id AS id, u.rank AS rank, u.engine AS engine, "
        "u.community AS community, u.network AS network ORDER BY twin",
        a=v1.id, b=v2.id, database_=store.database,
    ).records  # fmt: skip
    assert [(r["twin"], r["id"], r["rank"], r["engine"], r["community"]) for r in urs] == [
        (v1.id, "2", 1, "gds", 1),
        (v2.id, "2", 1, "gds", 1),
    ]
    assert {r["network"] for r in urs} == {graph_name(reference_key(store))}
    report = patients.delete_patient(store, "PW")
    assert report.remaining_patient_nodes == 0
    left = store.driver.execute_query(
        "MATCH ()-[a:ACTIVITY|UPSTREAM_REGULATOR]->() RETURN count(a) AS n",
        database_=store.database,
    ).records[0]["n"]
    assert left == 0
    assert store.counts()["nodes"]["Pathway"]["total"] == 1  # the reference stays


def test_no_vector_no_twin_level_regulators(tiny_reference, tmp_path):
    """Thresholded, all-positive changes (an h5ad marker programme) and no vector of every gene:
    no twin-level activity or UR, and every surface says why (before: ULM on the changes)."""
    from medtwin.platform import reports

    store, _ = tiny_reference
    _layers(store)
    stats = _stats()
    up = tuple(GeneChange(entrez=g, log2fc=v, padj=1e-6, cell_type="B")
               for g, v in stats.items() if v > 2)  # fmt: skip
    profile = PatientProfile(patient_id="PH", changes=up, input_checksums={"ph.h5ad": "0" * 64})
    patients.add_patient(store, profile, kind="h5ad")
    built = twins.build_twin(store, "PH", FAST)
    assert built.activity_note is not None
    assert built.activity_note.startswith("no vector of every measured gene: input ph.h5ad (h5ad)")
    assert twin_regulators.twin_activity(store, "PH") == []
    assert store.twins.upstream_regulators(built.id) == []
    report = twin_regulators.twin_regulators(store, "PH")
    assert (report.regulators, report.pathways, report.n_tfs_scored) == ((), {}, 0)
    assert report.note is not None
    assert 'context_regulators(store, "PH", "cell-type")' in report.note  # the Python call
    text = CliRunner().invoke(cli, ["twin", "regulators", "PH"])
    assert text.exit_code == 0, text.output
    assert "no twin-level regulators: no vector of every measured gene" in text.output
    shown = CliRunner().invoke(cli, ["twin", "show", "PH"])
    assert "no twin-level TF/pathway activity: no vector" in shown.output
    html = reports.patient_report(store, "PH")
    assert "no twin-level regulators: no vector of every measured gene" in html
    assert "context_regulators(store, &quot;PH&quot;, &quot;cell-type&quot;)" in html
    assert graph_of_twin(store, store.twins.twin("PH")).regulator_note == report.note
    ranked = rankings.rank_drugs(
        store, "PH", RankParams(n_samples=50, methods=("proximity", "target_expression",
                                                       "regulator")), cache_dir=tmp_path,
    )  # fmt: skip
    assert all(d.target_expression is None and d.regulator is None for d in ranked.drugs)
    assert set(ranked.no_score) == {"target_expression", "regulator"}
