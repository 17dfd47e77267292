"""Concurrent operations on one patient and on many (issue 10, items 3, 4 and 7): never a 5xx,
never two rankings merged, never a half-built twin or an empty page seen by a reader."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from medtwin.store.gds import projection_name
from tests.api.conftest import FAST_TWIN, READ, WRITE
from tests.reliability.test_faults import _add

pytestmark = pytest.mark.neo4j

RANK = {"n_samples": 20}


class _Reader:
    """Reads the latest ranking page in a loop; records anything incomplete."""

    def __init__(self, client: Any, pid: str) -> None:
        self.client, self.pid = client, pid
        self.stop = threading.Event()
        self.bad: list[str] = []
        self.reads = 0
        self.thread = threading.Thread(target=self.run)

    def run(self) -> None:
        while not self.stop.is_set():
            r = self.client.get(f"/v1/patients/{self.pid}/rankings/latest?limit=500", headers=READ)
            self.reads += 1
            if r.status_code >= 500:
                self.bad.append(f"{r.status_code}: {r.text}")
            elif r.status_code == 200:
                body = r.json()
                ids = [d["drug_id"] for d in body["drugs"]]
                if not ids or len(ids) != body["total"] or len(set(ids)) != len(ids):
                    self.bad.append(f"page of {len(ids)} rows, total {body['total']}")

    def __enter__(self) -> _Reader:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def test_parallel_rankings_of_one_patient(seeded):
    _, client = seeded
    assert client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK).status_code == 201
    with _Reader(client, "PA") as reader, ThreadPoolExecutor(10) as pool:
        statuses = list(
            pool.map(
                lambda _: (
                    client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK).status_code
                ),
                range(10),
            )
        )
    assert set(statuses) <= {201, 409}, statuses
    assert 201 in statuses
    assert reader.reads > 0
    assert reader.bad == []
    body = client.get("/v1/patients/PA/rankings/latest?limit=500", headers=READ).json()
    ids = [d["drug_id"] for d in body["drugs"]]
    assert len(ids) == body["total"] == len(set(ids)) == 3  # every drug once


def test_parallel_builds_of_one_patient(seeded):
    _, client = seeded
    with ThreadPoolExecutor(10) as pool:
        statuses = list(
            pool.map(
                lambda _: (
                    client.post("/v1/patients/PA/twins", headers=WRITE, json=FAST_TWIN).status_code
                ),
                range(10),
            )
        )
    assert set(statuses) <= {201, 409}, statuses
    built = statuses.count(201)
    assert built >= 1
    versions = [t["version"] for t in client.get("/v1/patients/PA/twins", headers=READ).json()]
    assert sorted(versions) == list(range(1, built + 2))  # v1 from the fixture, no gaps


def test_409_names_the_running_operation(seeded):
    store, client = seeded
    from medtwin.store.locks import patient_lock

    with patient_lock(store, "PA", "twin build"):
        r = client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK)
        assert r.status_code == 409
        assert r.json()["error"] == "ConflictError"
        assert "twin build" in r.json()["detail"]
        assert client.delete("/v1/patients/PA", headers=WRITE).status_code == 409
    assert client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK).status_code == 201


def test_twenty_patients_at_once_including_colliding_names(tiny_reference, client):
    ids = ["p.gx", "p_gx", "p-gx"] + [f"Q{i}" for i in range(17)]
    for pid in ids:
        _add(client, pid)

    def build_and_rank(pid: str) -> tuple[int, int, Any]:
        b = client.post(f"/v1/patients/{pid}/twins", headers=WRITE, json=FAST_TWIN)
        r = client.post(f"/v1/patients/{pid}/rankings", headers=WRITE, json=RANK)
        return b.status_code, r.status_code, r.json()

    with ThreadPoolExecutor(20) as pool:
        results = dict(zip(ids, pool.map(build_and_rank, ids), strict=True))
    for pid, (built, ranked, body) in results.items():
        assert (built, ranked) == (201, 201), (pid, body)
        assert body["twin_id"] == f"{pid}@v1"
        assert body["total"] == len(body["drugs"]) == 3
    for pid in ids:
        latest = client.get(f"/v1/patients/{pid}/twins/latest", headers=READ).json()
        assert all(g["pagerank"] is not None for g in latest["top_genes"]), pid


def test_projection_names_are_unique_per_exact_id():
    names = {projection_name("twin", f"{p}@v1", {"kind": "ppi"}) for p in ("p.gx", "p_gx", "p-gx")}
    assert len(names) == 3
    assert projection_name("twin", "a@v1", {}) != projection_name("twin", "a@v2", {})
