"""A read of twin version N that finds nothing computed names the command for version N.

Round 4 of the resilience sweeps: ``medtwin biomarkers P --version 1`` of a patient whose v1 was
never ranked said ``twin P@v1 has not been ranked`` with the hint ``run `medtwin rank P```, which
ranks the latest twin (v2): following the hint, the same error came back. The disease resemblance
and the biomarker suggestions of a version (Python's ``insight_reads``) said the same of the
latest twin, and so did the report of a version. Memory store, the toy ring of
``test_rankings_memory``.
"""

from __future__ import annotations

import re

import pytest

from medtwin.command_lines import speaking_to
from medtwin.errors import NotFoundError
from medtwin.platform import insight_reads, patients, rankings, reports, twins
from medtwin.platform.context import ReferenceContext
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile
from tests.unit.services.test_rankings_memory import FAST, FAST_TWIN, _store


@pytest.fixture
def two_versions(tmp_path) -> MemoryStore:
    """Patient P1 with twins v1 and v2, only v2 ranked."""
    store = _store()
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    rankings.rank_drugs(store, "P1", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    return store


def test_an_unranked_version_names_rank_of_that_version(two_versions) -> None:
    with pytest.raises(NotFoundError) as got:
        rankings.get_ranking(two_versions, "P1", version=1, ctx=ReferenceContext())
    assert got.value.message == "twin P1@v1 has not been ranked"
    assert got.value.hint == "run `medtwin rank P1 --version 1`"


def test_the_latest_unranked_twin_keeps_its_hint() -> None:
    store = _store()
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    with pytest.raises(NotFoundError) as got:
        rankings.get_ranking(store, "P1", ctx=ReferenceContext())
    assert got.value.hint == "run `medtwin rank P1`"


def test_uncomputed_diseases_of_a_version_name_that_version(two_versions) -> None:
    with pytest.raises(NotFoundError) as got:
        insight_reads.computed_diseases(two_versions, "P1", version=1)
    assert "twin version 1 is not computed yet" in got.value.message
    assert got.value.hint == "run `medtwin twin diseases P1 --version 1`"


def test_uncomputed_biomarkers_of_a_version_name_that_version(two_versions, tmp_path) -> None:
    rankings.rank_drugs(
        two_versions, "P1", FAST, cache_dir=tmp_path, version=1, ctx=ReferenceContext()
    )
    with pytest.raises(NotFoundError) as got:
        insight_reads.computed_biomarkers(two_versions, "P1", version=1)
    assert "for the latest ranking of twin version 1 (top 10" in got.value.message
    assert got.value.hint == "run `medtwin biomarkers P1 --top 10 --top-drugs 20 --version 1`"
    with pytest.raises(NotFoundError) as latest:
        insight_reads.computed_biomarkers(two_versions, "P1")
    assert "for its latest ranking (top 10" in latest.value.message
    assert latest.value.hint == "run `medtwin biomarkers P1 --top 10 --top-drugs 20`"


def test_the_report_of_a_version_names_the_steps_of_that_version(two_versions) -> None:
    """``report P --version 1`` said "No ranking yet: run medtwin rank P" (which ranks v2), and
    the same of its resemblance and biomarkers: following them, the v1 report never changed."""
    with speaking_to("cli"):
        old = reports.patient_report(two_versions, "P1", version=1, ctx=ReferenceContext())
        latest = reports.patient_report(two_versions, "P1", ctx=ReferenceContext())
    steps = set(re.findall(r"<code>(medtwin [^<]*)</code>", old))
    assert steps == {
        "medtwin rank P1 --version 1",
        "medtwin twin diseases P1 --version 1",
        "medtwin biomarkers P1 --version 1",
    }, steps
    assert "--version" not in " ".join(re.findall(r"<code>(medtwin [^<]*)</code>", latest))
