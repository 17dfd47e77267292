"""``cohort.run_cohort`` called as a notebook calls the other use cases.

Before, ``rank_params={"n_samples": 200}`` (accepted by ``rank_drugs``) raised ``AttributeError:
'dict' object has no attribute 'targets'`` deep in the plan, a bare ``"P1"`` was read as the
patients ``P`` and ``1``, and the store's own settings and ``open`` had to be passed again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.errors import InputError
from medtwin.platform import cohort, cohort_plan, patients, rankings
from medtwin.platform.cohort_arguments import store_opener
from medtwin.platform.cohort_plan import PatientPlan
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile, reference_store
from tests.unit.services.test_cohort_audit import _Client, dask  # noqa: F401 -- the fixture


class _ConnectedStore(MemoryStore):
    """A store that keeps its settings and opens another from them, as ``Neo4jStore`` does."""

    opened: list[Settings] = []  # noqa: RUF012 -- one test's record

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings

    @classmethod
    def open(cls, settings: Settings) -> MemoryStore:
        cls.opened.append(settings)
        return SHARED[0]


SHARED: list[MemoryStore] = []


def _store(tmp_path: Path) -> _ConnectedStore:
    store = _ConnectedStore(Settings(cache_dir=tmp_path))
    seeded = reference_store()
    store.genes, store.ppi, store.datasets_ = seeded.genes, seeded.ppi, seeded.datasets_
    store.drugs = seeded.drugs
    for pid in ("P1", "P2"):
        patients.add_patient(store, profile(pid))
    SHARED[:] = [store]
    return store


TWIN = {"module_samples": 20, "min_seeds": 2}
RANK = {"n_samples": 30, "methods": ["proximity"]}


def test_dict_parameters_and_the_stores_settings_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every patient to build and rank (the memory store does not read cohort states)
    monkeypatch.setattr(
        cohort_plan,  # run_cohort plans through cohort_plan.plan_run
        "plan_patients",
        lambda _store, ids, *_: [
            PatientPlan(patient_id=pid, build=True, rank=True, reason="missing") for pid in ids
        ],
    )
    store = _store(tmp_path)
    run = cohort.run_cohort(
        store, None, ["P1", "P2"], twin_params=TWIN, rank_params=RANK, workers=0
    )
    assert run.count("done") == 2, run.failed
    assert rankings.get_ranking(store, "P1").params.n_samples == 30


def test_on_dask_the_worker_opens_a_store_of_the_same_class(
    tmp_path: Path,
    dask: _Client,  # noqa: F811 -- the fixture
) -> None:
    store = _store(tmp_path)
    _ConnectedStore.opened.clear()
    run = cohort.run_cohort(store, None, ["P1"], twin_params=TWIN, rank_params=RANK, workers=2)
    assert run.count("done") == 1, run.failed
    assert _ConnectedStore.opened == [store.settings]  # the worker's store, from its settings


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"ids": "P1"}, "ids must be a list, not the string 'P1'"),
        ({"workers": "2"}, "workers must be a whole number (int), got '2' (str)"),
        ({"workers": -1}, "workers must be >= 0, got -1"),
        (
            {"rank_params": {"n_sample": 3}},
            "rank_params: RankParams has no field 'n_sample' (did you mean 'n_samples'?)",
        ),
        ({"settings": "bolt://x"}, "settings must be a medtwin.settings.Settings, got str"),
    ],
)
def test_wrong_arguments_are_one_input_error(tmp_path: Path, kwargs: dict, words: str) -> None:
    store = _store(tmp_path)
    args = {"settings": None, "ids": ["P1"], **kwargs}
    with pytest.raises(InputError) as e:
        cohort.run_cohort(store, args.pop("settings"), args.pop("ids"), **args)
    assert e.value.message == words


def test_a_store_without_settings_or_open_is_named() -> None:
    with pytest.raises(InputError, match="this store has none"):
        cohort.run_cohort(reference_store(), None, ["P1"], workers=0)
    with pytest.raises(InputError, match="MemoryStore cannot be opened in a Dask worker"):
        store_opener(MemoryStore())


@pytest.mark.parametrize("blank", ["", " "])
def test_a_blank_scheduler_is_refused_before_any_work(tmp_path: Path, blank: str) -> None:
    """Stop 60's CLI probe: ``cohort run --scheduler ''`` ran on a local cluster without a word
    (``Client("")`` is ``Client(None)``, which starts one), and said nothing when every patient
    was done already. Now the blank address is an error naming it, before anything is read."""
    store = _store(tmp_path)
    with pytest.raises(InputError, match=f"--scheduler {blank!r} names no address") as got:
        cohort.run_cohort(store, None, ["P1"], scheduler=blank)
    assert "tcp://10.0.0.5:8786" in (got.value.hint or "")
    assert store.twins.twins("P1") == []  # nothing built
