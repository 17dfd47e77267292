"""`patient delete` on the real server: whole, through the indexes, kept audit trail.

The deletion and its check find the patient's nodes label by label through each label's
``patient_id`` index (before: ``MATCH (n) WHERE n.patient_id = $id``, every node of the database
read twice per delete). That it still leaves nothing is checked here the old way, by reading every
node: a patient with every kind of data the product writes (inputs of two time points, a twin per
time point with cell types, tissues and their cell types, a phenotype module, activities, a
ranking of a targets file with its custom drugs, an endotype, an unfinished twin) is deleted and
no node with its ``patient_id`` is left. tests/unit/test_patient_deletion_labels.py checks that
every label a .cypher writer gives a ``patient_id`` is looked in.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.cypher.catalog import query
from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import patients, rankings, stratify, twins
from medtwin.platform.models import RankParams
from medtwin.store import audit
from medtwin.store.neo4j import Neo4jStore
from tests.integration.test_cohort import TWIN, _add
from tests.integration.test_ranking_io import TARGETS
from tests.integration.test_tissues_phenotypes import FAST, _phenotype_reference
from tests.integration.test_twin_regulators import _layers, _stats
from tests.unit.test_patient_deletion_labels import looked_in

pytestmark = pytest.mark.neo4j

OTHERS = 300
_SCAN = "MATCH (n) WHERE n.patient_id = $id RETURN labels(n) AS labels, count(*) AS n"


def _by_full_scan(store: Neo4jStore, pid: str) -> dict[str, int]:
    """Nodes whose ``patient_id`` is ``pid``, per label, read from every node (the proof)."""
    got = store.driver.execute_query(_SCAN, id=pid, database_=store.database).records
    out: dict[str, int] = {}
    for r in got:
        for label in r["labels"]:
            out[label] = out.get(label, 0) + r["n"]
    return out


def _db_hits(store: Neo4jStore, name: str, **params: Any) -> int:
    """Database hits of one ``PROFILE`` of catalog statement ``name``, rolled back."""
    with (
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        # planned afresh from the counts of now (a plan cached while a label was empty scans it)
        summary = tx.run("CYPHER replan=force PROFILE " + query(name), params).consume()
        tx.rollback()

    def total(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(total(c) for c in plan.get("children", []))

    return total(summary.profile or {})


def _every_kind(pid: str) -> list[PatientProfile]:
    """Two inputs: week 0 single-cell (cell types, symptoms, the vector activities read) and
    week 12 of two tissues (tissue layer)."""
    stats = _stats()
    cells = ("Mono", "T")
    week0 = tuple(
        GeneChange(entrez=g, log2fc=v, zscore=v, cell_type=cells[int(g) % 2], time_point="w0")
        for g, v in stats.items()
    )
    week12 = tuple(
        GeneChange(entrez=str(g), log2fc=1.2, padj=0.01, tissue=t, cell_type=c, time_point="w12")
        for g, t, c in ((2, "blood", "Mono"), (3, "blood", "T"), (4, "blood", "Mono"))
        + ((5, "synovium", "Fibro"), (6, "synovium", "Fibro"), (7, "synovium", "Macro"))
    )
    return [
        PatientProfile(
            patient_id=pid,
            changes=week0,
            symptoms=("HP:0001370",),
            input_checksums={"w0.h5ad": "0" * 64},
            activity_stats=(ActivityStats(statistic="z", stats=stats),),
        ),
        PatientProfile(patient_id=pid, changes=week12, input_checksums={"w12.tsv": "1" * 64}),
    ]


def test_a_patient_of_every_kind_is_deleted_whole(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _layers(store)
    _phenotype_reference(store)
    for profile in _every_kind("DEL"):
        patients.add_patient(store, profile)
    early = twins.build_twin(store, "DEL", FAST.model_copy(update={"time_point": "w0"}))
    twins.build_twin(store, "DEL", FAST.model_copy(update={"time_point": "w12"}))
    targets = tmp_path / "trial.tsv"
    targets.write_text(TARGETS)
    rankings.rank_drugs(
        store, "DEL", RankParams(targets=str(targets), n_samples=50, seed=1),
        cache_dir=tmp_path,
    )  # fmt: skip
    others = _add(store, 3, name="O")
    for pid in others:
        twins.build_twin(store, pid, TWIN)
    stratify.stratify_cohort(store, ["DEL", *others], k=1, cohort="O", permutations=10)
    audit.record_event(store, actor="os:a", action="read", patient_id="DEL", route="r", status=0)
    store.driver.execute_query(  # a build killed halfway: hidden from every read, still its data
        "MATCH (t:Twin {id: $t}) SET t.status = 'building'", t=early.id, database_=store.database
    )

    stored = _by_full_scan(store, "DEL")
    # every label the deletion looks in holds some of this patient's data, and nothing else does
    assert set(stored) - {"AuditEvent"} == looked_in("patient/delete_patient.cypher")
    assert stored["Tissue"] == 2
    assert stored["CellType"] >= 5  # week 0: Mono, T; week 12: blood Mono, T; synovium ...
    endotyped = store.driver.execute_query(
        "MATCH (p:Patient {id: 'DEL'}) RETURN p.endotype_method AS m", database_=store.database
    ).records[0]["m"]
    assert endotyped is not None

    report = patients.delete_patient(store, "DEL")

    assert report.nodes_deleted == sum(n for k, n in stored.items() if k != "AuditEvent")
    assert report.remaining_patient_nodes == 0
    left = _by_full_scan(store, "DEL")
    assert set(left) == {"AuditEvent"}  # the audit trail stays, nothing else of the patient
    assert left["AuditEvent"] >= stored["AuditEvent"]
    flagged = store.driver.execute_query(
        "MATCH (p:Patient) WHERE p.id IN $ids RETURN p.endotype_deleted AS n",
        ids=others,
        database_=store.database,
    ).records
    assert [r["n"] for r in flagged] == [1, 1, 1]
    # a rerun deletes nothing and flags no one again
    assert store.twins.delete_patient("DEL") == (0, 0)
    with pytest.raises(NotFoundError):
        patients.delete_patient(store, "DEL")
    assert store.twins.count_patient_data("DEL") == (0, 0)


_ONE_PATIENT = """
UNWIND $ids AS id
CREATE (p:Patient {id: id, patient_id: id, metadata_json: '{}'})
CREATE (p)-[:HAS_INPUT]->(:PatientInput {id: id + '/i', patient_id: id})
CREATE (p)-[:HAS_TWIN]->(t:Twin {id: id + '@v1', patient_id: id, status: 'complete'})
CREATE (t)-[:HAS_TISSUE]->(ts:Tissue {id: id + '@v1/tissue:b', patient_id: id, twin_id: id + '@v1'})
CREATE (ts)-[:HAS_CELL_TYPE]->(:CellType {id: id + '@v1/b/T', patient_id: id, twin_id: id + '@v1'})
CREATE (t)-[:HAS_PHENOTYPE_MODULE]->(:PhenotypeModule {id: id + '@v1/pm', patient_id: id})
CREATE (t)-[:HAS_RANKING]->(r:Ranking {id: id + '@v1/r', patient_id: id, status: 'complete'})
CREATE (r)-[:SCORES]->(:CustomDrug {id: id + '/d', patient_id: id})
"""


def test_delete_and_its_check_read_no_other_patient(clean_db, test_settings):
    store = Neo4jStore(clean_db, test_settings)
    store.ensure_schema()
    store.driver.execute_query("CALL db.awaitIndexes(300)", database_=store.database)

    def create(ids: list[str]) -> None:
        store.driver.execute_query(_ONE_PATIENT, ids=ids, database_=store.database)

    create(["P1"])
    alone = (
        _db_hits(store, "patient/delete_patient", patient_id="P1"),
        _db_hits(store, "patient/count_patient_data", patient_id="P1"),
    )
    create([f"Q{i}" for i in range(OTHERS)])  # 8 nodes each, of every label the delete reads
    among = (
        _db_hits(store, "patient/delete_patient", patient_id="P1"),
        _db_hits(store, "patient/count_patient_data", patient_id="P1"),
    )
    # before: + 2 db hits per node of the database in each (every node read, its patient_id too)
    assert among[0] - alone[0] < OTHERS // 10
    assert among[1] - alone[1] < OTHERS // 10
    assert store.twins.count_patient_data("P1") == (8, 7)
    assert store.twins.delete_patient("P1") == (8, 7)
    assert _by_full_scan(store, "P1") == {}
    assert store.twins.count_patient_data("Q1") == (8, 7)  # the others are untouched


def test_many_patients_go_in_batches_as_one_by_one_would_delete_them(clean_db, test_settings):
    """`patient delete P1 P2 …` / `--cohort`: one statement per batch (patient/delete_patients),
    each patient whole, the same nodes and endotype counts as deleting them one by one, a busy
    patient left whole, no lock left behind, and no other patient read."""
    store = Neo4jStore(clean_db, test_settings)
    store.ensure_schema()
    store.driver.execute_query("CALL db.awaitIndexes(300)", database_=store.database)
    ids = [f"B{i}" for i in range(5)]
    store.driver.execute_query(_ONE_PATIENT, ids=[*ids, "KEEP"], database_=store.database)
    store.driver.execute_query(  # one stratification: B0…B4 and KEEP
        "MATCH (p:Patient) SET p.endotype_method = 'jaccard', p.endotype_run = 'r1'",
        database_=store.database,
    )
    alone = _db_hits(store, "patient/delete_patients", patient_ids=ids[:3], **_HOLDER)
    store.driver.execute_query(
        _ONE_PATIENT, ids=[f"Q{i}" for i in range(OTHERS)], database_=store.database
    )
    among = _db_hits(store, "patient/delete_patients", patient_ids=ids[:3], **_HOLDER)
    assert among - alone < OTHERS // 10  # before a statement of its own: none; no scan either

    with store.patient_lock("B3", "rank"):
        report = patients.delete_patients(store, [*ids, "NOPE"], batch=2)

    assert [d.patient_id for d in report.deleted] == ["B0", "B1", "B2", "B4"]
    assert [(d.nodes_deleted, d.relationships_deleted) for d in report.deleted] == [(8, 7)] * 4
    assert [(f.patient_id, f.error) for f in report.failed] == [
        ("B3", "ConflictError"),
        ("NOPE", "NotFoundError"),
    ]
    assert report.remaining_patient_nodes == 0
    for pid in ("B0", "B1", "B2", "B4"):
        assert _by_full_scan(store, pid) == {}
    assert store.twins.count_patient_data("B3") == (8, 7)  # busy: untouched
    assert store.twins.count_patient_data("Q7") == (8, 7)
    counts = store.driver.execute_query(
        "MATCH (p:Patient) WHERE p.id IN ['B3', 'KEEP'] RETURN p.endotype_deleted AS n",
        database_=store.database,
    ).records
    assert [r["n"] for r in counts] == [4, 4]  # one per deleted patient, as one by one
    locks = store.driver.execute_query(
        "MATCH (l:Lock) RETURN count(l) AS n", database_=store.database
    ).records
    assert locks[0]["n"] == 0  # the deletion's locks went with its commit; B3's was released
    rerun = patients.delete_patients(store, ["B0", "B3"])
    assert [d.patient_id for d in rerun.deleted] == ["B3"]
    assert [f.patient_id for f in rerun.failed] == ["B0"]  # deleted already: no patient


_HOLDER = {"owner": "test", "host": "h", "pid": 1, "operation": "patient delete"}


def test_a_batch_whose_commit_lost_its_answer_is_read_back_on_the_server(
    clean_db, test_settings, monkeypatch
):
    """The connection drops while the COMMIT's answer is on its way (the driver's
    IncompleteCommit, which it does not retry): the batch committed, and the read back
    (patient/patients_present) reports its patients deleted; before: ``not_done``."""
    from neo4j import exceptions as nx

    from medtwin.store.connection import translate_errors

    store = Neo4jStore(clean_db, test_settings)
    store.ensure_schema()
    store.driver.execute_query(_ONE_PATIENT, ids=["C0", "C1", "C2"], database_=store.database)
    write = store.write

    def commit_then_lose(name: str, **params: Any) -> list[dict[str, Any]]:
        got = write(name, **params)
        if name == "patient/delete_patients" and params["patient_ids"] == ["C0", "C1"]:
            with translate_errors(store.settings.neo4j_uri):
                raise nx.IncompleteCommit("connection lost while waiting for the COMMIT's answer")
        return got

    monkeypatch.setattr(store, "write", commit_then_lose)
    report = patients.delete_patients(store, ["C0", "C1", "NOPE", "C2"], batch=2)
    assert report.deleted_uncounted == ("C0", "C1")
    assert report.not_done == ("NOPE", "C2")  # the next batch, never tried
    assert report.unknown == ()
    assert "IncompleteCommit" in (report.stopped or "")
    assert _by_full_scan(store, "C0") == {}
    assert store.twins.count_patient_data("C2") == (8, 7)
    monkeypatch.undo()
    rerun = patients.delete_patients(store, ["C0", "C1", "NOPE", "C2"], batch=2)
    assert [d.patient_id for d in rerun.deleted] == ["C2"]
    assert [f.patient_id for f in rerun.failed] == ["C0", "C1", "NOPE"]


def test_a_batch_tells_its_stratification_once_not_once_per_deleted_patient(
    clean_db, test_settings
):
    """A batch of k patients of one stratification run of n writes each other patient of the run
    once (+ k), and its own deleted patients not at all: k writes instead of k * (n - 1), which
    made a `--cohort` deletion of a stratified cohort quadratic (fails before: 33 properties set,
    each of B0…B2 writing the 5 others)."""
    store = Neo4jStore(clean_db, test_settings)
    store.ensure_schema()
    store.driver.execute_query("CALL db.awaitIndexes(300)", database_=store.database)
    ids = [f"B{i}" for i in range(5)]
    store.driver.execute_query(_ONE_PATIENT, ids=[*ids, "KEEP", "OTHER"], database_=store.database)
    store.driver.execute_query(  # one stratification of B0…B4 and KEEP; OTHER in another run
        "MATCH (p:Patient) SET p.endotype_method = 'jaccard', "
        "p.endotype_run = CASE p.id WHEN 'OTHER' THEN 'r2' ELSE 'r1' END",
        database_=store.database,
    )
    with store.driver.session(database=store.database) as session:
        summary = session.execute_write(
            lambda tx: (
                tx.run(query("patient/delete_patients"), patient_ids=ids[:3], **_HOLDER)
                .consume()
                .counters
            )
        )
    assert summary.nodes_deleted == 3 * 8 + 3  # the patients and their locks
    # 6 lock properties per patient (id and its holder), then one endotype write per other patient
    # of the run
    assert summary.properties_set == 3 * 6 + 3
    counts = store.driver.execute_query(
        "MATCH (p:Patient) RETURN p.id AS id, p.endotype_deleted AS n ORDER BY id",
        database_=store.database,
    ).records
    assert {r["id"]: r["n"] for r in counts} == {"B3": 3, "B4": 3, "KEEP": 3, "OTHER": None}
