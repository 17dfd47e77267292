"""store/bench.py: bulk copies of a ranked patient (``make bench-cohort``'s scale part).

A rerun of the copy adds only the copies still missing (before, it stopped at the first id that
existed: the patient id's unique constraint), and a batch that fails leaves none of its copies.
"""

from __future__ import annotations

import pytest

from medtwin.errors import QueryFailed
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.bench import BenchStore
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j

_COUNTS = """
MATCH (p:Patient) WHERE p.id STARTS WITH $prefix
OPTIONAL MATCH (p)-[:HAS_TWIN]->(t:Twin)
OPTIONAL MATCH (t)-[:HAS_RANKING]->(r:Ranking)
RETURN count(DISTINCT p) AS patients, count(DISTINCT t) AS twins, count(DISTINCT r) AS rankings,
  sum(COUNT { (t)-[:INCLUDES]->() }) AS includes, sum(COUNT { (r)-[:SCORES]->() }) AS scores
"""


def _counts(store, prefix: str) -> dict[str, int]:
    got = store.driver.execute_query(_COUNTS, prefix=prefix, database_=store.database)
    return dict(got.records[0])


@pytest.fixture
def ranked(tiny_reference, tmp_path):
    """The tiny reference's store with patient SRC added, its twin built and ranked."""
    store, _ = tiny_reference
    patients.add_patient(store, up_in_first_clique("SRC"))
    twins.build_twin(store, "SRC", TwinParams(module_samples=50, expand=0))
    rankings.rank_drugs(store, "SRC", RankParams(n_samples=50, seed=3), cache_dir=tmp_path)
    return store


def test_a_rerun_adds_only_the_missing_copies(ranked):
    bench = BenchStore(ranked)
    first = bench.clone_patients(["SRC"], ["COPY1", "COPY2"], "c", batch=1)
    assert (first.patients, len(first.batch_seconds)) == (2, 2)
    two = _counts(ranked, "COPY")
    assert two["patients"] == two["twins"] == two["rankings"] == 2
    assert two["includes"] > 0
    assert two["scores"] > 0

    again = bench.clone_patients(["SRC"], ["COPY1", "COPY2", "COPY3"], "c", batch=2)
    assert again.patients == 1
    assert _counts(ranked, "COPY") == {k: v * 3 // 2 for k, v in two.items()}  # one more copy


def test_a_failed_batch_leaves_none_of_its_copies(ranked):
    bench = BenchStore(ranked)
    with pytest.raises(QueryFailed, match="ConstraintValidationFailed"):
        # the same new id twice in one batch: the patient id's unique constraint fails it
        bench.clone_patients(["SRC"], ["OK1", "TWICE", "TWICE"], "c", batch=3)
    assert _counts(ranked, "OK")["patients"] == _counts(ranked, "TWICE")["patients"] == 0
    left = ranked.driver.execute_query(
        "MATCH (n) WHERE n.patient_id IN ['OK1', 'TWICE'] RETURN count(n) AS n",
        database_=ranked.database,
    ).records[0]["n"]
    assert left == 0  # no twin or ranking of theirs either
