"""Time ``medtwin patient delete`` on the demo database and the deletion of bench copies.

Each run copies a demo patient whole (:data:`PATIENT` by default, a showcase patient with inputs,
a twin and a stored ranking: every node ``patient delete`` finds, with its relationships,
``bench/copy_patient``) and deletes the copy, so every deletion starts from a fresh copy and the
demo stays as it was. After one untimed run (the server plans each statement once and keeps the
plan), per run: the ``PROFILE`` database hits and the server's milliseconds (to the first row,
then to the last) of the deletion statement (in a transaction rolled back, on the copy) and of
the check that follows it (on the deleted copy: what the command reads), then the wall time of
``medtwin patient delete COPY --yes --json`` in a new process. Figures are medians over
``--runs``. ``--before REF`` runs the same with the statements and the code of that git commit,
run by run in turn with this checkout's (a load that changes during the run weighs on both
alike), prints the ratios and checks that both deleted the same numbers of nodes and
relationships. Then ``--copies`` bench copies (``bench/clone_patients``, as ``make
bench-cohort``'s scale part makes them) are made and deleted, once per version: by the version's
own batched deletion (its ``patient/delete_patients``, 100 whole patients per transaction; the
seconds of its statements and of their commits apart, and on the local server the megabytes of
transaction log the making and the deletion wrote), or by
its ``bench/delete_clones`` statement where it has no batched one (the code before the batched
deletion: one subquery per patient, 100 patients per transaction); ``--stratified`` gives the
copies one stratification run first, as ``cohort stratify`` leaves a cohort;
then, for a version with the batched deletion, copies are made again and deleted by the command a
user runs, ``medtwin patient delete --cohort bench-delete --yes --json`` (its start included).
Run from the repository root (``make bench-delete`` starts the test server;
``medtwin demo`` is run first when its patients are missing: ~3-10 min)::

    uv run python -m benchmarks.bench_delete [--runs 5] [--before GIT_REF] [--copies 500]
        [--stratified] [--json F]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench_cli import ROOT, _env, _export, timing_parser
from benchmarks.bench_views import _ensure_demo
from medtwin.cypher.catalog import query
from medtwin.settings import get_settings
from medtwin.store.bench import BenchStore
from medtwin.store.locks import new_holder
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.twin_verbs import DELETE_BATCH

PATIENT = "GSM389703"  # a showcase patient of the demo: inputs, twin, stored ranking
COPY = "DELBENCH"
CLONE = "DELSCALE"
_FIGURES = ("delete_db_hits", "delete_ms", "count_db_hits", "count_ms", "command_s")
STATEMENTS = ("patient/delete_patient", "patient/count_patient_data")
OLD_CLONES = "bench/delete_clones"  # the bench copies' own deletion, before the batched one
BATCHED = "patient/delete_patients"  # the batched deletion, where a version has it


@dataclass(frozen=True)
class Version:
    """One side of the comparison: its name, its ``src`` (None: this checkout), its statements."""

    name: str
    src: Path | None
    texts: dict[str, str]


def _texts_at(ref: str | None) -> dict[str, str]:
    """The statements of :data:`STATEMENTS` in git commit ``ref`` (None: this checkout), and
    :data:`OLD_CLONES` and :data:`BATCHED` when ``ref`` has them."""
    if ref is None:
        return {name: query(name) for name in (*STATEMENTS, BATCHED)}
    texts = {}
    for name in (*STATEMENTS, OLD_CLONES, BATCHED):
        got = subprocess.run(
            ["git", "show", f"{ref}:src/medtwin/cypher/{name}.cypher"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=name in STATEMENTS,
        )
        if got.returncode == 0:
            texts[name] = got.stdout.strip()
    return texts


def _db_hits(store: Neo4jStore, text: str, **params: Any) -> int:
    """Database hits of one ``PROFILE`` of ``text`` (planned afresh), then rolled back."""
    with (
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        summary = tx.run("CYPHER replan=force PROFILE " + text, params).consume()  # type: ignore[arg-type]
        tx.rollback()

    def total(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(total(c) for c in plan.get("children", []))

    return total(summary.profile or {})


def _server_ms(store: Neo4jStore, text: str, **params: Any) -> float:
    """The server's milliseconds for ``text`` (to its first row, then to its last), rolled back."""
    with (
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        summary = tx.run(text, params).consume()  # type: ignore[arg-type]
        tx.rollback()
    return float((summary.result_available_after or 0) + (summary.result_consumed_after or 0))


def _delete_command(what: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Wall seconds and ``--json`` report of ``medtwin patient delete WHAT… --yes``."""
    argv = [sys.executable, "-m", "medtwin", "patient", "delete", *what, "--yes", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr[-2000:]}")
    return elapsed, json.loads(proc.stdout)


def _left(store: Neo4jStore, prefix: str) -> int:
    """Nodes of patients whose id starts with ``prefix``, by reading every node (the proof)."""
    got = store.driver.execute_query(
        "MATCH (n) WHERE n.patient_id STARTS WITH $prefix AND NOT n:AuditEvent "
        "RETURN count(n) AS n",
        prefix=prefix,
        database_=store.database,
    )
    return int(got.records[0]["n"])


def patient_delete(
    store: Neo4jStore, versions: list[Version], source: str, runs: int
) -> dict[str, dict[str, float]]:
    """Per version: median db hits of the deletion and of its check, median command seconds."""
    bench = BenchStore(store)
    samples: dict[str, dict[str, list[float]]] = {
        v.name: {k: [] for k in _FIGURES} for v in versions
    }
    deleted: dict[str, set[tuple[int, int]]] = {v.name: set() for v in versions}
    copied = (0, 0)
    for i in range(runs + 1):
        for version in versions if i % 2 == 0 else versions[::-1]:
            copy = f"{COPY}{i}{version.name}"
            copied = bench.copy_patient(source, copy)
            # run 0 warms up: the server plans each statement once, then takes it from its cache
            got = samples[version.name] if i else {k: [] for k in samples[version.name]}
            got["delete_db_hits"].append(
                _db_hits(store, version.texts["patient/delete_patient"], patient_id=copy)
            )
            got["delete_ms"].append(
                _server_ms(store, version.texts["patient/delete_patient"], patient_id=copy)
            )
            seconds, report = _delete_command([copy], _env(version.src))
            got["command_s"].append(seconds)
            got["count_db_hits"].append(
                _db_hits(store, version.texts["patient/count_patient_data"], patient_id=copy)
            )
            got["count_ms"].append(
                _server_ms(store, version.texts["patient/count_patient_data"], patient_id=copy)
            )
            assert report["remaining_patient_nodes"] == 0, report
            deleted[version.name].add((report["nodes_deleted"], report["relationships_deleted"]))
    left = _left(store, COPY)
    print(
        f"patient delete: {runs} fresh copies of {source} per version "
        f"({copied[0]} nodes, {copied[1]} relationships each); nodes left by all: {left}"
    )
    assert left == 0
    assert len({frozenset(d) for d in deleted.values()}) == 1, deleted  # the same deletions
    for name, got in samples.items():
        seconds = ", ".join(f"{x:.2f}" for x in got["command_s"])
        print(f"   {name}: command seconds per run {seconds}")
    return {
        name: {k: statistics.median(v) for k, v in got.items()} for name, got in samples.items()
    }


def _delete_batched(store: Neo4jStore, text: str, ids: list[str]) -> tuple[float, float]:
    """Delete ``ids`` with a version's ``patient/delete_patients`` text, :data:`DELETE_BATCH` a
    transaction, as ``TwinVerbs.delete_patients`` sends it (before, every version ran this
    checkout's statement here, so the copies' figures compared nothing).

    Returns the seconds of the statements (to their last row) and of their commits, apart: the
    commit was 85-95 % of a deletion (docs/design.md, reads3).
    """
    statement = commit = 0.0
    for i in range(0, len(ids), DELETE_BATCH):
        with store.driver.session(database=store.database) as session:
            tx = session.begin_transaction()
            t0 = time.perf_counter()
            got = list(
                tx.run(text, patient_ids=ids[i : i + DELETE_BATCH], **new_holder("patient delete"))  # type: ignore[arg-type]
            )
            t1 = time.perf_counter()
            tx.commit()
            statement, commit = statement + t1 - t0, commit + time.perf_counter() - t1
        assert not [r["patient_id"] for r in got if r["busy"]], got
    return statement, commit


def _log_bytes() -> int | None:
    """Bytes written to the local server's transaction logs so far (None: not a local server).

    The files are preallocated with zeros, so a file's bytes are those up to its last non-zero
    byte. Compared before and after a step: what its commits wrote (a deletion logs each deleted
    record's before-image, about as much as creating it: docs/design.md, reads3).
    """
    settings = get_settings()
    logs = settings.home.resolve() / "neo4j" / "data" / "transactions" / settings.neo4j_database
    if not settings.is_local or not logs.is_dir():
        return None
    total = 0
    for path in logs.glob("neostore.transaction.db.*"):
        with path.open("rb") as fh:
            end = path.stat().st_size
            while end > 0:
                start = max(0, end - (1 << 20))
                fh.seek(start)
                kept = fh.read(end - start).rstrip(b"\0")
                if kept:
                    total += start + len(kept)
                    break
                end = start
    return total


def clone_delete(
    store: Neo4jStore,
    versions: list[Version],
    source: str,
    copies: int,
    *,
    command: bool = True,
    stratified: bool = False,
) -> dict[str, dict[str, float]]:
    """Per version: seconds to make ``copies`` bench copies and to delete them (and to delete
    them with ``patient delete --cohort``, when the version has the batched deletion)."""
    bench = BenchStore(store)
    ids = [f"{CLONE}{i:06d}" for i in range(copies)]
    out: dict[str, dict[str, float]] = {}

    def make() -> float:
        t0 = time.perf_counter()
        made = bench.clone_patients([source], ids, "bench-delete")
        assert made.patients == copies, made
        if stratified:  # as `cohort stratify` leaves them: one run, told of each deletion
            store.driver.execute_query(
                "MATCH (p:Patient) WHERE p.id STARTS WITH $prefix "
                "SET p.endotype_method = 'bench', p.endotype_run = 'bench-delete'",
                prefix=CLONE,
                database_=store.database,
            )
        return time.perf_counter() - t0

    for version in versions:
        log0 = _log_bytes()
        insert_s = make()
        log1 = _log_bytes()
        t0 = time.perf_counter()
        split: tuple[float, float] | None = None
        if BATCHED in version.texts:
            split = _delete_batched(store, version.texts[BATCHED], ids)
        else:
            with store.driver.session(database=store.database) as session:
                session.run(version.texts[OLD_CLONES], prefix=CLONE).consume()  # type: ignore[arg-type]
        got = {"insert_s": insert_s, "delete_s": time.perf_counter() - t0}
        log2 = _log_bytes()
        if split is not None:
            got["statements_s"], got["commits_s"] = split
        if log0 is not None and log1 is not None and log2 is not None:
            got["insert_log_mb"], got["delete_log_mb"] = (log1 - log0) / 1e6, (log2 - log1) / 1e6
        left = _left(store, CLONE)
        assert left == 0, left
        if command and BATCHED in version.texts:  # the command a user runs, copies again
            got["insert_again_s"] = make()
            got["command_s"], report = _delete_command(
                ["--cohort", "bench-delete"], _env(version.src)
            )
            assert len(report["deleted"]) == copies, report["failed"]
            assert report["remaining_patient_nodes"] == 0
            assert _left(store, CLONE) == 0
        print(
            f"bench copies ({version.name}{', stratified' if stratified else ''}): {copies} each "
            "time, nodes left 0; " + ", ".join(f"{k} {v:.1f}" for k, v in got.items())
        )
        out[version.name] = got
    return out


def main() -> None:
    parser = timing_parser(__doc__, runs=5)
    parser.add_argument("--copies", type=int, default=500, help="Bench copies deleted (0: none).")
    parser.add_argument("--source", default=PATIENT, help="The demo patient copied.")
    parser.add_argument(
        "--no-command",
        dest="command",
        action="store_false",
        help="Do not time `patient delete --cohort` on the copies (saves making them again).",
    )
    parser.add_argument(
        "--stratified",
        action="store_true",
        help="Give the copies one stratification run, as `cohort stratify` does: each deletion "
        "then tells the run's other patients.",
    )
    args = parser.parse_args()
    _ensure_demo(_env(None))
    settings = get_settings()
    store = Neo4jStore.open(settings)
    BenchStore(store).delete_clones(COPY)  # what a killed run left
    BenchStore(store).delete_clones(CLONE)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
        versions = [Version("after", None, _texts_at(None))]
        if args.before:
            versions.append(
                Version("before", _export(args.before, Path(tmp)), _texts_at(args.before))
            )
        figures: dict[str, Any] = {
            "patient_delete": patient_delete(store, versions, args.source, args.runs)
        }
        if args.copies:
            figures["clone_delete"] = clone_delete(
                store,
                versions,
                args.source,
                args.copies,
                command=args.command,
                stratified=args.stratified,
            )
    store.close()
    figures |= {"runs": args.runs, "copies": args.copies, "before": args.before}
    figures["stratified"] = args.stratified
    figures["load"] = [list(load), list(os.getloadavg())]
    for part, rows in figures.items():
        if not isinstance(rows, dict) or "after" not in rows:
            continue
        for key, after in rows["after"].items():
            line = f"  {part:<15} {key:<15} after {after:12.3f}"
            if key in rows.get("before", {}):
                before = rows["before"][key]
                # a server's 0 ms (a sub-millisecond run) has no ratio; before, it raised
                ratio = f"{after / before:.3f}" if before else "n/a"
                line += f"  before {before:12.3f}  ratio after/before {ratio}"
            print(line)
    print(f"load {figures['load'][0]} before, {figures['load'][1]} after")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
