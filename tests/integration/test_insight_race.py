"""Racing computes of a twin's disease resemblance store each disease once (issue 19, finding 2)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from medtwin.errors import ConflictError, QueryFailed
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform import insights, patients, rankings, twins
from medtwin.platform.models import TwinParams
from tests.integration.test_insights import _diseases, _profile

pytestmark = pytest.mark.neo4j


def test_eight_racing_computes_store_each_disease_once(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _diseases(store)
    changes = [GeneChange(entrez=str(i), log2fc=2.0, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(store, _profile("PRACE", changes))
    twins.build_twin(store, "PRACE", TwinParams(module_samples=50))

    def compute(_: int) -> str:
        try:
            insights.twin_diseases(store, "PRACE", tmp_path, n_samples=100, seed=1)
        except ConflictError:
            return "busy"
        return "done"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(compute, range(8)))
    assert "done" in outcomes
    stored = [m.disease_id for m in insights.stored_diseases(store, "PRACE")]
    assert sorted(stored) == ["mesh:one", "mesh:three"]  # never twice


def test_uniqueness_constraint_refuses_a_second_row(tiny_reference, tmp_path):
    store, _ = tiny_reference
    _diseases(store)
    changes = [GeneChange(entrez=str(i), log2fc=2.0, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(store, _profile("PUNIQ", changes))
    twins.build_twin(store, "PUNIQ", TwinParams(module_samples=50))
    rows = insights.twin_diseases(store, "PUNIQ", tmp_path, n_samples=50, seed=1)
    row = {**rows[0].model_dump(exclude={"twin_id", "name"}), "source": "x"}
    # The same disease twice in one write: the constraint on RESEMBLES.key refuses it.
    with pytest.raises(QueryFailed):
        store.insights.replace_resemblances("PUNIQ@v1", [row, row])
    assert len(insights.stored_diseases(store, "PUNIQ")) == 2


def test_biomarker_read_never_computes(tiny_reference, tmp_path):
    from medtwin.errors import NotFoundError
    from medtwin.platform import insight_reads
    from medtwin.platform.models import RankParams

    store, _ = tiny_reference
    changes = [GeneChange(entrez=str(i), log2fc=1.0 + i / 10, padj=1e-4) for i in range(1, 15)]
    patients.add_patient(store, _profile("PB9", changes))
    twins.build_twin(store, "PB9", TwinParams(module_samples=50))
    rankings.rank_drugs(store, "PB9", RankParams(n_samples=100), cache_dir=tmp_path)
    with pytest.raises(NotFoundError, match="not computed"):
        insight_reads.computed_biomarkers(store, "PB9")
    twin_id = twins.show_twin(store, "PB9").twin.id
    assert store.insights.biomarkers(twin_id) == []  # the read stored nothing
    first = insights.twin_biomarkers(store, "PB9")  # the write path
    assert insight_reads.computed_biomarkers(store, "PB9") == first
    one = insight_reads.computed_biomarkers(store, "PB9", top=1)
    assert one.suggestions == first.suggestions[:1]
    with pytest.raises(NotFoundError):  # other drugs considered: not what was stored
        insight_reads.computed_biomarkers(store, "PB9", top_drugs=3)
