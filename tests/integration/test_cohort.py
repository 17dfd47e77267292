"""Cohort runs on Dask against the real server (tiny reference graph): once, resumable, failures."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from medtwin.domain import RANKING_RULES, TWIN_RULES
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import cohort, cohort_plan, patients, stratify, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.neo4j import Neo4jStore
from tests.ranking_orders import NETWORK_ORDER

pytestmark = pytest.mark.neo4j

TWIN = TwinParams(module_samples=50, expand=0)
RANK = RankParams(targets="drugbank", n_samples=100, seed=7, order=NETWORK_ORDER)


def _profile(pid: str, genes: range | list[int], name: str = "C1") -> PatientProfile:
    return PatientProfile(
        patient_id=pid,
        changes=tuple(GeneChange(entrez=str(i), log2fc=2.0 if i % 2 else -1.5) for i in genes),
        symptoms=(),
        exposures=(),
        metadata={"cohort": name},
        input_checksums={},
        unmapped=(),
    )


def _run(store, settings, ids, *, twin=TWIN, rank=RANK, workers=0, progress=None):
    """``cohort.run_cohort`` of ``ids``, its workers opening the real server's store."""
    return cohort.run_cohort(
        store, settings, ids, open_store=Neo4jStore.open, twin_params=twin, rank_params=rank,
        workers=workers, progress=progress,
    )  # fmt: skip


def _add(store, n: int, name: str = "C1") -> list[str]:
    ids = []
    for k in range(n):
        start = 1 + 20 * (k % 3)  # one of the three 20-cliques
        patients.add_patient(store, _profile(f"{name}P{k}", range(start + k % 4, start + 14), name))
        ids.append(f"{name}P{k}")
    return ids


def _stored(store) -> dict[str, tuple[int, int, int]]:
    """Per patient: twins, rankings, SCORES relationships."""
    rows = store.driver.execute_query(
        "MATCH (p:Patient) OPTIONAL MATCH (p)-[:HAS_TWIN]->(t:Twin) "
        "OPTIONAL MATCH (t)-[:HAS_RANKING]->(r:Ranking) OPTIONAL MATCH (r)-[s:SCORES]->() "
        "RETURN p.id AS id, count(DISTINCT t) AS t, count(DISTINCT r) AS r, count(s) AS s",
        database_=store.database,
    ).records
    return {r["id"]: (r["t"], r["r"], r["s"]) for r in rows}


def _ranking_times(store) -> dict[str, object]:
    # Published rankings only: a kill between a ranking's writes leaves it 'building', which a
    # resumed run must (and does) rank again.
    rows = store.driver.execute_query(
        "MATCH (r:Ranking {status: 'complete'}) RETURN r.patient_id AS id, r.created_at AS at",
        database_=store.database,
    ).records
    return {r["id"]: r["at"] for r in rows}


def _run_events(store, pid: str) -> list[tuple[str, str, str, int]]:
    """The Python API's audit events of ``pid`` (not the additions'), oldest first."""
    events = reversed(store.audit_events(pid))  # newest first
    return [
        (e.actor, e.action, e.route, e.status)
        for e in events
        if e.route in {"python: build_twin", "python: rank_drugs"}
    ]


def test_two_worker_processes_store_each_twin_and_ranking_once(tiny_reference, test_settings):
    store, _ = tiny_reference
    ids = _add(store, 5)
    patients.add_patient(store, _profile("OTHER", range(1, 10), "C2"))
    # Genes outside the interactome: this patient's twin cannot be built; the others go on.
    patients.add_patient(store, _profile("C1BAD", [90001, 90002, 90003]))
    chosen = cohort.cohort_patients(store, cohort="C1")
    assert sorted(chosen) == sorted([*ids, "C1BAD"])
    # A notebook's run (medtwin.connect() sets the actor): the workers' own stores have none,
    # so the actor travels with each task and their calls are audited as in-process ones.
    store.audit_actor = "python:tester"
    seen: list[tuple[int, int]] = []
    run = _run(store, test_settings, chosen, workers=2, progress=lambda d, t: seen.append((d, t)))
    assert run.count("done") == 5, run.failed
    assert [f.patient_id for f in run.failed] == ["C1BAD"]
    assert run.failed[0].error
    assert "InputError" in run.failed[0].error
    assert all(p.worker_pid != os.getpid() for p in run.patients)  # ran in worker processes
    assert seen[-1] == (6, 6)
    stored = _stored(store)
    for pid in ids:
        assert stored[pid] == (1, 1, 3), pid  # one twin, one ranking of the 3 drugs
    assert stored["OTHER"] == (0, 0, 0)
    assert stored["C1BAD"][1:] == (0, 0)
    done = [("python:tester", "write", "python: build_twin", 0),
            ("python:tester", "write", "python: rank_drugs", 0)]  # fmt: skip
    for pid in ids:
        assert _run_events(store, pid) == done, pid  # before: none (the workers had no actor)
    failed = [("python:tester", "write", "python: build_twin", 1)]
    assert _run_events(store, "C1BAD") == failed
    assert _run_events(store, "OTHER") == []
    # A second run does nothing for the done patients and retries the failed one.
    before = _ranking_times(store)
    again = _run(store, test_settings, chosen)
    assert again.count("skipped") == 5
    assert [f.patient_id for f in again.failed] == ["C1BAD"]
    # in-process, the retried patient gets the event its task got on Dask; the skipped, none
    assert _run_events(store, "C1BAD") == failed * 2
    assert all(_run_events(store, pid) == done for pid in ids)
    assert _ranking_times(store) == before
    assert _stored(store) == stored


def test_stale_twins_and_new_rank_params_are_redone(tiny_reference, test_settings):
    store, _ = tiny_reference
    ids = _add(store, 3)
    _run(store, test_settings, ids)
    # New input for one patient → its twin is stale (rebuilt, ranked); others untouched.
    patients.add_patient(store, _profile(ids[0], range(30, 36)))
    plans = {p.patient_id: p for p in cohort_plan.plan_patients(store, ids, TWIN, RANK)}
    assert plans[ids[0]].build
    assert plans[ids[0]].reason == "inputs changed"
    assert plans[ids[1]].done
    assert plans[ids[2]].done
    # Other twin parameters → every twin stale.
    other = TWIN.model_copy(update={"module_samples": 60})
    assert all(p.build for p in cohort_plan.plan_patients(store, ids, other, RANK))
    # A reference dataset loaded after the twins → every twin stale.
    store.driver.execute_query(
        "MATCH (d:Dataset) WITH d LIMIT 1 SET d.loaded_at = datetime() + duration('PT1S')",
        database_=store.database,
    )
    reloaded = cohort_plan.plan_patients(store, ids[1:], TWIN, RANK)
    assert {p.reason for p in reloaded} == {"reference data loaded after the twin"}
    store.driver.execute_query(
        "MATCH (d:Dataset) SET d.loaded_at = datetime() - duration('PT1H')",
        database_=store.database,
    )
    # Other rank parameters → rank only.
    seeded = RANK.model_copy(update={"seed": 8})
    assert all(
        p.rank and not p.build for p in cohort_plan.plan_patients(store, ids[1:], TWIN, seeded)
    )
    run = _run(store, test_settings, ids)
    assert [p.status for p in run.patients] == ["done", "skipped", "skipped"]
    assert run.patients[0].built_twin
    assert twins.twin_versions(store, ids[0])[0].version == 2


def test_older_rules_redo_the_twin_or_only_the_ranking(tiny_reference, test_settings):
    """``cohort run`` builds again a twin of older twin rules (and ranks it), and only ranks
    again a ranking of older ranking rules, its twin kept (read through patient_states)."""
    store, _ = tiny_reference
    ids = _add(store, 2, name="R")
    _run(store, test_settings, ids)
    assert all(p.done for p in cohort_plan.plan_patients(store, ids, TWIN, RANK))
    store.driver.execute_query(
        "MATCH (:Patient {id: $a})-[:HAS_TWIN]->(:Twin)-[:HAS_RANKING]->(r:Ranking) "
        "SET r.rules = $ranking "
        "WITH 1 AS one MATCH (:Patient {id: $b})-[:HAS_TWIN]->(t:Twin) SET t.rules = $twin",
        a=ids[0], b=ids[1], ranking=RANKING_RULES - 1, twin=TWIN_RULES - 1,
        database_=store.database,
    )  # fmt: skip
    plans = {p.patient_id: p for p in cohort_plan.plan_patients(store, ids, TWIN, RANK)}
    assert (plans[ids[0]].build, plans[ids[0]].rank) == (False, True)
    assert (plans[ids[1]].build, plans[ids[1]].rank) == (True, True)
    assert plans[ids[1]].reason == "twin built under older twin rules"
    run = _run(store, test_settings, ids)
    assert [(p.status, p.built_twin) for p in run.patients] == [("done", False), ("done", True)]
    assert [twins.twin_versions(store, i)[0].version for i in ids] == [1, 2]
    assert all(p.done for p in cohort_plan.plan_patients(store, ids, TWIN, RANK))


def test_a_targets_files_warnings_are_the_runs_said_once(tiny_reference, test_settings, tmp_path):
    """``cohort run --targets FILE --json`` carries what the file's reader said (``warnings``).

    Before, a script reading the run's JSON never learnt that a gene or an action word of the
    file was left out (the log said it once per patient ranked, on stderr).
    """
    store, _ = tiny_reference
    ids = _add(store, 2, name="W")
    trial = tmp_path / "trial drugs.tsv"
    trial.write_text("drug_id\tgene\taction\nNEAR\tG2\tinhibitor\nODD\tNOPE\tfrobnicator\n")
    rank = RANK.model_copy(update={"targets": str(trial)})
    run = _run(store, test_settings, ids, rank=rank)
    assert [p.status for p in run.patients] == ["done", "done"]
    assert [w.split(": ")[0] for w in run.warnings] == ["trial drugs.tsv"] * 2, run.warnings
    assert "frobnicator" in run.warnings[0]
    assert run.warnings[1].endswith("left out: NOPE (1 drug(s) keep no target and are reported "
                                    "with n_targets_in_network = 0)")  # fmt: skip
    assert run.model_dump(mode="json")["warnings"] == list(run.warnings)  # the CLI's --json
    again = _run(store, test_settings, ids, rank=rank)
    assert [p.status for p in again.patients] == ["skipped", "skipped"]
    assert again.warnings == run.warnings  # the plan read the file again: said again


def test_killed_run_resumes_without_redoing_done_patients(tiny_reference, test_settings):
    store, _ = tiny_reference
    ids = _add(store, 10)
    env = {**os.environ, "MEDTWIN_NEO4J_URI": test_settings.neo4j_uri}
    cmd = [sys.executable, "-m", "medtwin", "cohort", "run", "--cohort", "C1", "--workers", "1"]
    cmd += ["--samples", "100", "--seed", "7"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if len(_ranking_times(store)) >= 3:
                break
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its Dask workers, half-way
        proc.wait()
    # proc.wait() reaps the CLI only: wait until its workers (same group) are gone too, so no
    # lock is still held by a process that is dying but not yet dead.
    gone_by = time.monotonic() + 30
    while time.monotonic() < gone_by:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    done_before = _ranking_times(store)
    assert 3 <= len(done_before) < len(ids), "the run should be killed half-way"
    rank = RankParams(targets="drugbank", n_samples=100, seed=7)
    plans = cohort_plan.plan_patients(store, ids, TwinParams(), rank)
    assert sorted(p.patient_id for p in plans if p.done) == sorted(done_before)
    run = _run(store, test_settings, ids, twin=TwinParams(), rank=rank)
    assert run.count("skipped") == len(done_before)
    assert run.count("done") == len(ids) - len(done_before), run.failed
    after = _ranking_times(store)
    assert {k: after[k] for k in done_before} == done_before  # done ones untouched
    assert set(after) == set(ids)
    stored = _stored(store)
    assert all(stored[p][1:] == (1, 3) for p in ids)  # one complete ranking each


def test_summary_and_stratification(tiny_reference, test_settings):
    store, _ = tiny_reference
    ids = _add(store, 6)
    _run(store, test_settings, ids)
    got = cohort.cohort_summary(store, ids, top_drugs=1)
    assert got.ranked == 6
    assert sum(d.top_k for d in got.drugs) == 6  # one top-1 drug per patient
    by_patient = {p.patient_id: p.drugs[0]["drug_id"] for p in got.per_patient}
    # Patients k=0,3 sit on clique 1 (drug DB00001 targets 2, 3), k=2,5 on clique 3 (DB00002).
    assert by_patient["C1P0"] == by_patient["C1P3"] == "DB00001"
    assert by_patient["C1P2"] == by_patient["C1P5"] == "DB00002"
    first = next(d for d in got.drugs if d.drug_id == "DB00001")
    assert first.top_k == 2
    assert first.counteracting <= first.top_k
    # Stratify: the three cliques are three groups; ARI vs the clique label is 1.
    for k, pid in enumerate(ids):
        store.twins.merge_patient(pid, {"cohort": "C1", "clique": str(k % 3)})
    s = stratify.stratify_cohort(
        store, ids, k=1, cohort="C1", labels_key="clique", permutations=200, seed=1
    )
    assert s.patients == 6
    assert s.similarities == 3
    assert sorted(s.sizes) == [2, 2, 2]
    assert s.ari == 1.0
    # 6 patients in 3 pairs: 1 of the 15 pairings matches exactly, so p ≈ 1/15 at best.
    assert s.p_value is not None
    assert 0.02 < s.p_value < 0.12
    # Network separation (Menche 2015) on the same twins recovers the cliques too.
    sep = stratify.stratify_cohort(
        store,
        ids,
        method="separation",
        k=1,
        cache_dir=test_settings.cache_dir,
        labels_key="clique",
        permutations=50,
    )
    assert sep.method == "separation:twin"
    assert sep.ari == 1.0
    like = stratify.similar_patients(store, "C1P0")
    assert sorted((x.patient_id, x.method) for x in like) == [
        ("C1P3", "jaccard:twin"),
        ("C1P3", "separation:twin"),
    ]
    assert like[0].endotype == sep.communities["C1P3"] == sep.communities["C1P0"]
    # Re-stratifying replaces the relationships; deleting a patient removes its SIMILAR_TO.
    # The CLI over the same data.
    from click.testing import CliRunner

    from medtwin.cli import cli

    out = CliRunner().invoke(
        cli, ["cohort", "summary", "--cohort", "C1", "--top-drugs", "1", "--json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["ranked"] == 6
    out = CliRunner().invoke(cli, ["patient", "similar", "C1P0", "--json"])
    assert out.exit_code == 0, out.output
    assert {x["patient_id"] for x in json.loads(out.output)} == {"C1P3"}
    out = CliRunner().invoke(
        cli, ["cohort", "stratify", "--cohort", "C1", "-k", "1", "--labels", "clique"]
    )
    assert out.exit_code == 0, out.output
    assert "ARI vs clique: 1.000" in out.output
    again = stratify.stratify_cohort(store, ids, k=1)
    assert again.similarities == 3
    n = store.driver.execute_query(
        "MATCH ()-[s:SIMILAR_TO]->() RETURN count(s) AS n", database_=store.database
    ).records[0]["n"]
    assert n == 6  # 3 per method, the jaccard ones replaced, not added
    patients.delete_patient(store, "C1P3")
    # Placed by a stratification, neighbours deleted: none left (not the "not computed" error).
    assert stratify.similar_patients(store, "C1P0") == []
    out = CliRunner().invoke(cli, ["patient", "show", "C1P0"])
    assert out.exit_code == 0, out.output
    assert re.search(r"endotype \d+ of stratification jaccard:twin", out.output), out.output
    out = CliRunner().invoke(cli, ["patient", "similar", "C1P0"])
    assert out.exit_code == 0, out.output
    assert "no similar patient left for C1P0" in out.output


def test_cohort_runs_through_a_routing_uri(tiny_reference, test_settings):
    """``neo4j://`` (routing, as for a cluster or Aura) against the local server, in workers too."""

    store, _ = tiny_reference
    ids = _add(store, 2)
    routed = test_settings.model_copy(
        update={"neo4j_uri": test_settings.neo4j_uri.replace("bolt://", "neo4j://")}
    )
    with Neo4jStore.open(routed) as rstore:
        run = _run(rstore, routed, ids, workers=1)
        assert run.count("done") == 2, run.failed
        assert cohort.cohort_summary(rstore, ids, top_drugs=3).ranked == 2
    assert all(_stored(store)[p] == (1, 1, 3) for p in ids)
