"""A cohort command reads each thing once: the patients' metadata, the add records, the activities.

``cohort summary`` made 3 reads of every patient's metadata and 2 of the cohort's add records
(choosing the patients, refusing an unfinished add, telling an unknown id, the completeness
note); ``cohort activities`` read its activities twice (columns, then rows). In-memory store
with the store's reads counted; the statements on the server: ``python -m benchmarks.bench_data
--only cohort``.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest

from medtwin.platform import cohort_activities, cohort_summary, patients
from medtwin.platform.kept_reads import kept_cohort_reads
from medtwin.store.cohorts import ACTIVITY_BATCH
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def _counted(store: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    reads: Counter[str] = Counter()
    for verbs, name in ((store.twins, "patient_metadata"), (store.cohorts, "load_states")):
        real = getattr(verbs, name)

        def spy(*args: Any, _real: Any = real, _name: str = name) -> Any:
            reads[_name] += 1
            return _real(*args)

        monkeypatch.setattr(verbs, name, spy)
    return reads


def _summary(store: Any) -> Any:
    ids = cohort_summary.cohort_patients(store, cohort="trial")  # as `cohort summary --cohort`
    return cohort_summary.cohort_summary(store, ids, cohort="trial")


def test_cohort_summary_reads_the_metadata_and_the_add_records_once(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unranked patients (an unknown id is looked for) and a recorded add with files (the
    completeness note compares the patients' inputs): every read the summary can make."""
    patients.add_cohort(
        store,
        [
            profile(f"S{i}", metadata={"cohort": "trial"}, input_checksums={"t.tsv": "c" * 64})
            for i in range(3)
        ],
    )
    patients.add_patient(store, profile("X1", metadata={"cohort": "trial"}))  # no record covers
    reads = _counted(store, monkeypatch)
    before = _summary(store)
    assert reads == {"patient_metadata": 3, "load_states": 2}  # what the CLI did before
    reads.clear()
    after = _summary(kept_cohort_reads(store))
    assert reads == {"patient_metadata": 1, "load_states": 1}
    assert after == before
    assert after.completeness_note is not None
    assert "X1" in after.completeness_note


class _Activities:
    """A store whose ``cohorts.activities`` gives one row per patient, its passes counted."""

    def __init__(self) -> None:
        self.cohorts = self
        self.passes = 0

    def activities(self, ids: list[str]) -> Any:
        self.passes += 1
        for i, pid in enumerate(ids):
            yield {"patient_id": pid, "twin_id": f"T{pid}", "kind": "tf", "names": [f"g{i % 5}"],
                   "scores": [i / 7]}  # fmt: skip


@pytest.mark.parametrize(("n", "passes"), [(3, 1), (ACTIVITY_BATCH, 1), (ACTIVITY_BATCH + 1, 2)])
def test_cohort_activities_reads_a_cohort_of_one_batch_once(n: int, passes: int) -> None:
    """Memory stays bounded by one of the store's batches: a larger cohort is read twice."""
    ids = [f"P{i}" for i in range(n)]
    fake = _Activities()
    out = io.StringIO()
    got = cohort_activities.write_activity_table(fake, ids, out, as_json=True)  # type: ignore[arg-type]
    assert fake.passes == passes
    columns = cohort_activities.activity_columns(fake, ids)  # type: ignore[arg-type]
    rows = list(cohort_activities.activity_rows(fake, ids, columns))  # type: ignore[arg-type]
    assert got == (len(rows), len(columns)) == (n, min(n, 5))
    assert out.getvalue().count('"patient_id"') == n


class _Runner:
    """The store's runner: answers ``cohort/cohort_activity`` (a TF row per patient, a pathway
    row for every third), counting the statements."""

    def __init__(self) -> None:
        self.statements: Counter[str] = Counter()

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        self.statements[name] += 1
        rows = []
        for i, pid in enumerate(params["ids"]):
            row = {"patient_id": pid, "twin_id": f"T{pid}"}
            rows.append({**row, "kind": "tf", "names": [f"g{i % 5}", f"g{i % 7}"],
                         "scores": [i / 7, -i / 3]})  # fmt: skip
            if i % 3 == 0:
                rows.append({**row, "kind": "pathway", "names": [f"p{i % 4}"], "scores": [i / 11]})
        return rows


@pytest.mark.parametrize("features", ["activities", "pathways"])
def test_stratify_features_reads_the_activities_once(features: str) -> None:
    """``cohort stratify --features`` read the activities twice (columns, then rows): 4
    statements for 250 patients (2 batches), now 2, with the same matrix as the two passes."""
    from types import SimpleNamespace

    import numpy as np

    from medtwin.platform.stratify_features import feature_matrix
    from medtwin.store.cohorts import CohortStore

    ids = [f"P{i}" for i in range(ACTIVITY_BATCH + 50)]
    runner = _Runner()
    store = SimpleNamespace(cohorts=CohortStore(runner))  # type: ignore[arg-type]
    got_ids, columns, x = feature_matrix(store, ids, features)  # type: ignore[arg-type]
    assert runner.statements == {"cohort/cohort_activity": 2}  # one pass of 2 batches; was 4
    kind = "tf" if features == "activities" else "pathway"
    two_passes = cohort_activities.activity_columns(store, ids, kind)  # type: ignore[arg-type]
    rows = list(cohort_activities.activity_rows(store, ids, two_passes, kind))  # type: ignore[arg-type]
    assert columns == two_passes
    assert got_ids == [r.patient_id for r in rows]
    expected = np.array([[np.nan if v is None else v for v in r.values] for r in rows])
    np.testing.assert_array_equal(x, expected)
    assert np.isnan(x).any()  # a regulator a twin did not score stays missing
    assert len(got_ids) == (250 if features == "activities" else 67 + 17)  # every 3rd per batch
