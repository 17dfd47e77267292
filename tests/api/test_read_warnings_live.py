"""Two uploads at once under a real uvicorn: each response has its own file's warnings only.

In-memory store, no Neo4j. The two requests are held inside their readers until both are
there (a barrier on the first warning each logs), so both collect at the same time; the
barrier's timeout is a deadlock guard, not a timing assertion (it fails the test only if the
server did not run the two requests concurrently).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, api_settings
from tests.api.live_uvicorn import serving


class _BothInside(logging.Filter):
    """Holds each request at its reader's missing-gene warning until the other is there too."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier = threading.Barrier(2, timeout=60)

    def filter(self, record: logging.LogRecord) -> bool:
        if "without a gene were skipped" in record.getMessage():
            self.barrier.wait()
        return True


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, _BothInside]]:
    store = MemoryStore()
    store.add_reference(genes={"7124": "TNF", "3569": "IL6"})
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    held = _BothInside()
    reader = logging.getLogger("medtwin.loaders.gene_names")
    reader.addFilter(held)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", lifespan="on")
    try:
        with serving(config) as port:
            yield port, held
    finally:
        reader.removeFilter(held)


def _upload(port: int, pid: str, name: str, unresolved: str) -> Any:
    de = f"gene\tlog2fc\tpadj\nTNF\t2\t0.001\nNA\t1\t0.01\n{unresolved}\t1\t0.01\n"
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=90) as client:
        r = client.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": pid},
            files={"de": (name, de.encode(), "text/tab-separated-values")},
        )
    assert r.status_code == 201, r.text
    return r.json()["warnings"]


def test_concurrent_uploads_see_only_their_own_warnings(live) -> None:
    port, held = live
    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(_upload, port, "PA", "alpha.tsv", "ALPHAGENE")
        b = pool.submit(_upload, port, "PB", "beta.tsv", "BETAGENE")
        said_a, said_b = a.result(), b.result()
    assert not held.barrier.broken  # both were inside their readers at once
    for said, own, gene, other in (
        (said_a, "alpha.tsv", "ALPHAGENE", "beta"),
        (said_b, "beta.tsv", "BETAGENE", "alpha"),
    ):
        assert len(said) == 2, said
        assert all(w.startswith(f"{own}: ") for w in said), said
        assert said[1].endswith(gene)
        assert not any(other in w.lower() for w in said), said
