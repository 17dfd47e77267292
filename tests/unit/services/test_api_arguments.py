"""Wrong-but-plausible arguments from a notebook: a clear InputError, or the str taken as a Path.

Before, each of these was a Python error from deep inside (``'str' object has no attribute
'parent'``, ``'<' not supported between 'str' and 'int'``) or, for a str given as a list,
iterated its characters (``cohort_summary(store, "P1")`` asked for patients ``P`` and ``1``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform import arguments, insights, patients, rankings, reports, twins
from medtwin.platform.cohort_summary import cohort_summary
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.reference import load_reference
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

FAST = {"module_samples": 20, "min_seeds": 2}


@pytest.fixture
def ranked(store: MemoryStore, tmp_path: Path) -> MemoryStore:
    patients.add_patient(store, profile())
    twins.build_twin(store, "P1", TwinParams(**FAST))  # type: ignore[arg-type]
    rankings.rank_drugs(store, "P1", RankParams(), cache_dir=tmp_path)
    return store


def test_paths_may_be_strings(ranked: MemoryStore, tmp_path: Path) -> None:
    out = tmp_path / "r.tsv"
    assert rankings.export_ranking(ranked, "P1", str(out)) == 1
    assert out.read_text().count("\n") == 2  # header and one drug
    again = rankings.write_ranking_tsv(rankings.full_ranking(ranked, "P1"), str(out))
    assert again == 1
    got = rankings.rank_drugs(ranked, "P1", cache_dir=str(tmp_path))
    assert got.drugs


def test_parameters_may_be_dicts_of_their_fields(ranked: MemoryStore, tmp_path: Path) -> None:
    built = twins.build_twin(ranked, "P1", {**FAST, "min_seeds": 3})  # type: ignore[arg-type]
    assert built.version == 2
    got = rankings.rank_drugs(ranked, "P1", {"n_samples": 100}, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert got.params.n_samples == 100
    # a misspelt field was ignored by pydantic: {"top_n": 5} ranked with the defaults
    with pytest.raises(InputError, match="RankParams has no field 'top_n'"):
        rankings.rank_drugs(ranked, "P1", {"top_n": 5}, cache_dir=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="params: invalid TwinParams"):
        twins.build_twin(ranked, "P1", {"module_samples": "many"})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="params must be a RankParams or a dict"):
        rankings.rank_drugs(ranked, "P1", ["top_n"], cache_dir=tmp_path)  # type: ignore[arg-type]


CALLS: dict[str, tuple[Callable[[MemoryStore, Path], Any], str]] = {
    "ids as one string": (lambda s, _: cohort_summary(s, "P1"), "ids must be a list, not the"),
    "cohort top": (
        lambda s, _: cohort_summary(s, ["P1"], top_drugs="5"),
        "top_drugs must be a whole number",
    ),
    "ranking limit": (lambda s, _: rankings.get_ranking(s, "P1", limit="10"), "limit must be"),
    "ranking offset": (lambda s, _: rankings.get_ranking(s, "P1", offset=-1), "offset must be"),
    "patients limit": (lambda s, _: patients.list_patients(s, limit="5"), "limit must be"),
    "audit limit": (lambda s, _: patients.audit_trail(s, "P1", limit="5"), "limit must be"),
    "cohort symptoms": (
        lambda s, _: patients.add_cohort(s, [profile("C1")], symptoms="HP:0001370"),
        "symptoms must be a list",
    ),
    "one profile": (
        lambda s, _: patients.add_cohort(s, profile("C1")),
        "profiles must be a list of PatientProfile",
    ),
    "show top": (lambda s, _: twins.show_twin(s, "P1", top="5"), "top must be"),
    "biomarkers top": (lambda s, _: insights.twin_biomarkers(s, "P1", top="5"), "top must be"),
    "diseases n_samples": (
        lambda s, t: insights.twin_diseases(s, "P1", t, n_samples="10"),
        "n_samples must be",
    ),
    "trajectory time points": (
        lambda s, _: insights.twin_trajectory(s, "P1", None, time_points="t1"),
        "time_points must be a list",
    ),
    "report top": (lambda s, _: reports.patient_report(s, "P1", top_drugs="5"), "top_drugs must"),
    "report explain": (lambda s, _: reports.patient_report(s, "P1", explain="2"), "explain must"),
    "reference only": (lambda s, t: load_reference(s, t, only="ppi"), "only must be a list"),
    "cache_dir number": (
        lambda s, _: rankings.rank_drugs(s, "P1", cache_dir=7),
        "cache_dir must be a file path",
    ),
}


@pytest.mark.parametrize("case", sorted(CALLS))
def test_a_wrong_type_is_a_clear_input_error(ranked: MemoryStore, tmp_path: Path, case: str):
    call, message = CALLS[case]
    with pytest.raises(InputError, match=message):
        call(ranked, tmp_path)
    assert [p.id for p in patients.list_patients(ranked)] == ["P1"]  # nothing added


def test_the_helpers() -> None:
    assert arguments.as_path("a/b", "x") == Path("a/b")
    assert arguments.id_list(("P1", "P2"), "ids") == ["P1", "P2"]
    assert arguments.id_list(iter(["P1"]), "ids") == ["P1"]
    with pytest.raises(InputError, match=r"ids must hold ids as strings, got 1 \(int\)"):
        arguments.id_list(["P1", 1], "ids")  # type: ignore[list-item]
    with pytest.raises(InputError, match="a whole number"):
        arguments.count(True, "n")
    with pytest.raises(InputError, match="must be >= 1, got 0"):
        arguments.count(0, "n", minimum=1)
    assert arguments.optional_count(None, "n") is None
    got = arguments.count(np.int64(5), "n")  # a number read from a DataFrame
    assert got == 5
    assert type(got) is int
    with pytest.raises(InputError, match=r"got 5.0 \(float\)"):
        arguments.count(5.0, "n")  # type: ignore[arg-type]
    assert arguments.params_of(None, RankParams, "p") is None


def test_numbers_past_what_the_database_holds_are_input_errors(
    ranked: MemoryStore, tmp_path: Path
) -> None:
    """`list_patients(limit=10**30)`, a seed of 10**30: OverflowError from the driver before."""
    with pytest.raises(InputError, match="limit must be below 2\\*\\*63"):
        patients.list_patients(ranked, limit=10**30)
    with pytest.raises(InputError, match="top_drugs must be below 2\\*\\*63"):
        cohort_summary(ranked, ["P1"], top_drugs=10**30)
    with pytest.raises(InputError, match="invalid TwinParams"):
        twins.build_twin(ranked, "P1", {**FAST, "seed": 10**30})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="invalid RankParams"):
        rankings.rank_drugs(ranked, "P1", {"seed": 10**30}, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert arguments.count(2**63 - 1, "n") == 2**63 - 1


def test_switches_must_be_booleans(ranked: MemoryStore, tmp_path: Path) -> None:
    """`build_twins(..., skip_current="no")` kept twins: a non-empty string is true."""
    from medtwin.platform import twin_batch

    with pytest.raises(InputError, match="skip_current must be True or False, got 'no'"):
        twin_batch.build_twins(ranked, ["P1"], FAST, skip_current="no")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="require_module must be True or False"):
        rankings.rank_drugs(ranked, "P1", cache_dir=tmp_path, require_module="no")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="build must be True or False"):
        insights.twin_trajectory(ranked, "P1", tmp_path, build=1)  # type: ignore[arg-type]
    assert arguments.flag(np.bool_(True), "x") is True
