"""Every public use case taking a twin version refuses one outside 1..MAX_TWIN_VERSION, unread.

The CLI's ``--version`` and the API's ``version`` stopped at
:data:`~medtwin.command_lines.MAX_TWIN_VERSION`, but a notebook's ``show_twin(store, "P1", 0)``
read the store and said "patient P1 has no twin version 0", ``10**20`` reached the database
driver, and ``1.5`` got the store's own words. The use cases are found from the guide's Python
table in docs/python.md (every exported function with a ``version``, ``from_version`` or
``to_version`` parameter), so a new one is checked without editing this file.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from medtwin.command_lines import MAX_TWIN_VERSION
from medtwin.errors import InputError
from medtwin.platform import twins
from tests.unit.services.conftest import two_twin_versions
from tests.unit.test_public_api import TABLE, _module

VERSION_NAMES = ("version", "from_version", "to_version")

USE_CASES = sorted(
    {
        (f.__module__, f.__qualname__): f
        for name in TABLE
        for f in (getattr(_module(name), n) for n in _module(name).__all__)
        if inspect.isfunction(f) and set(VERSION_NAMES) & set(inspect.signature(f).parameters)
    }.items()
)


class Untouchable:
    """A store that records every attribute asked of it and has none."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.asked.append(name)
        raise AttributeError(name)


def _required(f: Callable[..., Any], tmp_path: Path) -> dict[str, Any]:
    given = {"patient_id": "P1", "drug_id": "DB1", "drug_ids": ["DB1"], "by": "cell-type"}
    given |= {"out": tmp_path / "r.tsv", "from_version": 1, "to_version": 1}
    return {
        name: given[name]
        for name, p in inspect.signature(f).parameters.items()
        if p.default is inspect.Parameter.empty and name != "store"
    }


def test_the_survey_sees_the_use_cases() -> None:
    names = {q for (_, q), _ in USE_CASES}
    assert {"show_twin", "diff_twins", "rank_drugs", "patient_report", "twin_activity"} <= names
    assert len(USE_CASES) >= 15, names


BAD = {
    0: "version 0 is below 1",
    -1: "version -1 is below 1",
    MAX_TWIN_VERSION + 1: f"version {MAX_TWIN_VERSION + 1} is above {MAX_TWIN_VERSION}",
    10**20: f"version {10**20} is above {MAX_TWIN_VERSION}",
    1.5: "version 1.5 (float) is not a whole number",
    "1": "version '1' (str) is not a whole number",
    True: "version True (bool) is not a whole number",
}


@pytest.mark.parametrize(("value", "said"), list(BAD.items()), ids=[repr(v) for v in BAD])
@pytest.mark.parametrize("use_case", USE_CASES, ids=[q for (_, q), _ in USE_CASES])
def test_a_version_out_of_bounds_is_refused_before_any_read(
    use_case: tuple[tuple[str, str], Callable[..., Any]], value: object, said: str, tmp_path: Path
) -> None:
    _, f = use_case
    args = _required(f, tmp_path)
    for name in VERSION_NAMES:
        if name not in inspect.signature(f).parameters:
            continue
        store = Untouchable()
        wrong = dict(args, **{name: value})
        with pytest.raises(InputError) as e:
            f(store, **wrong)
        words = said.replace("version", name, 1)
        assert e.value.message == f"{words}: a twin version is a whole number from 1 to 1000000"
        assert e.value.hint == '`twins.twin_versions(store, "P1")` lists the patient\'s versions'
        # nothing asked of the store but the audit's look for an actor
        assert set(store.asked) <= {"audit_actor"}, store.asked


def test_a_version_in_bounds_still_reads() -> None:
    store = two_twin_versions()
    assert twins.show_twin(store, "P1", np.int64(1)).twin.version == 1
    assert twins.diff_twins(store, "P1", 1, 2).to_version == 2
    with pytest.raises(InputError, match="patient P1 has no twin version 3"):
        twins.show_twin(store, "P1", 3)
