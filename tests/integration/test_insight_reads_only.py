"""``twin diseases`` and ``biomarkers`` read a stored result without writing, on the real server.

Both compute on a first call and store the result on the twin (under the patient's lock: a write,
as the README says); every later call with the same limits reads it back. Here those later calls
run on a store whose every transaction is a READ one, which the server enforces: a write in it
fails with ``Neo.ClientError.Statement.AccessMode`` ("Writing in read access mode not allowed"),
so any write on the read path (a lock, a repair, a stored copy) fails the test. The first test
shows that the harness catches a write: a compute through it fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j
import pytest

from medtwin.errors import GraphStoreError
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.loaders.rows import DiseaseGeneRow, DiseaseRow
from medtwin.platform import insights, patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.stored_insights import biomarker_inputs, stored_resemblance
from medtwin.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


class _ReadSession:
    """A session whose write transactions are READ transactions (the server refuses writes)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def execute_write(self, work: Any, *args: Any, **kwargs: Any) -> Any:
        return self._session.execute_read(work, *args, **kwargs)

    def __enter__(self) -> _ReadSession:
        self._session.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class _ReadOnlyDriver:
    """The test server's Driver with every query and session in READ access mode."""

    def __init__(self, driver: neo4j.Driver) -> None:
        self._driver = driver

    def execute_query(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["routing_"] = neo4j.RoutingControl.READ
        return self._driver.execute_query(*args, **kwargs)

    def session(self, **kwargs: Any) -> _ReadSession:
        kwargs["default_access_mode"] = neo4j.READ_ACCESS
        return _ReadSession(self._driver.session(**kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


@pytest.fixture
def stored(tiny_reference: Any, test_settings: Any, tmp_path: Path) -> tuple[Neo4jStore, Any]:
    """A ranked twin whose disease resemblance and biomarkers were computed once (the writes)."""
    store, _ = tiny_reference
    store.merge_rows(
        [DiseaseRow(id="mesh:one", name="cluster one", mesh_id=None,
                    source="menche2015_interactome", source_version="test")]
    )  # fmt: skip
    store.merge_rows(
        DiseaseGeneRow(disease_id="mesh:one", entrez=str(g), evidence=None,
                       source="menche2015_interactome", source_version="test")
        for g in range(3, 12)
    )  # fmt: skip
    changes = [GeneChange(entrez=str(i), log2fc=1.0 + i / 10, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(
        store,
        PatientProfile(patient_id="PW", changes=tuple(changes), symptoms=(), exposures=(),
                       metadata={}, input_checksums={}, unmapped=()),
    )  # fmt: skip
    twins.build_twin(store, "PW", TwinParams(module_samples=50))
    rankings.rank_drugs(store, "PW", RankParams(n_samples=100), cache_dir=tmp_path)
    first = (
        insights.twin_diseases(store, "PW", tmp_path, n_samples=200, seed=3),
        insights.twin_biomarkers(store, "PW"),
    )
    read_only = Neo4jStore(_ReadOnlyDriver(store.driver), test_settings)  # type: ignore[arg-type]
    return read_only, first


def test_the_read_only_store_refuses_a_write(stored: Any, tmp_path: Path) -> None:
    read_only, _ = stored
    # another seed is not stored: computing it takes the lock and stores the result (writes)
    with pytest.raises(GraphStoreError, match="read access mode"):
        insights.twin_diseases(read_only, "PW", tmp_path, n_samples=200, seed=4)
    with pytest.raises(GraphStoreError, match="read access mode"):
        insights.twin_biomarkers(read_only, "PW", top=1)


def test_stored_diseases_and_biomarkers_are_read_without_a_write(
    stored: Any, tmp_path: Path
) -> None:
    read_only, (diseases, biomarkers) = stored
    # the use cases (Python API, POST routes) on a stored result
    assert insights.twin_diseases(read_only, "PW", tmp_path, n_samples=200, seed=3) == diseases
    assert insights.twin_biomarkers(read_only, "PW") == biomarkers
    # what the CLI commands read first (`twin diseases`, `biomarkers`) and the GET routes
    assert stored_resemblance(read_only, "PW", n_samples=200, seed=3) == diseases
    assert biomarker_inputs(read_only, "PW", top=10, top_drugs=20).stored == biomarkers
    assert insights.stored_diseases(read_only, "PW") == diseases
