"""``dumps_indented`` writes exactly the text of ``json.dumps(..., indent=2, sort_keys=True)``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtwin.cli.json_text import dumps_indented


def _reference(data: Any, indent: int = 2) -> str:
    return json.dumps(data, indent=indent, sort_keys=True, default=str)


_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)  # any code point: escapes, surrogates, line breaks, braces
    | st.sampled_from(["}", "},\n  {", '"', "\\", "{}", "[]", "\u2028", "é"])
)
_ROW = st.dictionaries(st.text(max_size=6), _SCALAR, min_size=0, max_size=6)
_JSON = st.recursive(
    _SCALAR | _ROW,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(_ROW, max_size=5)  # lists of flat dicts: the C path for whole lists
        | st.dictionaries(st.text(max_size=6), children, max_size=5)
        | st.tuples(children, children)
    ),
    max_leaves=40,
)


@settings(max_examples=100, deadline=None)
@given(_JSON)
def test_same_text_as_json_dumps(data: Any) -> None:
    assert dumps_indented(data) == _reference(data)


@settings(max_examples=30, deadline=None)
@given(_JSON, st.integers(min_value=1, max_value=5))
def test_same_text_for_other_indents(data: Any, indent: int) -> None:
    assert dumps_indented(data, indent=indent) == _reference(data, indent)


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        [{}],
        [{}, {"a": 1}],  # an empty dict among rows: not the whole-list C path
        [{"a": 1}, {}],
        [{"a": 1}, {"b": [1]}],  # a row with a container
        [{"a": {"b": 1}}, {"a": 2}],
        {"b": {"x": 1}, "a": {"y": 2}},  # a dict of flat dicts
        [[1, 2], [3]],
        [{"a": 1}, [1]],
        {1: "int key", 2.5: "float key"},
        {True: "bool key"},
        {None: "none key"},
        {"1": 1, "10": 2, "9": 3},
        {2: "b", 1: "a", 10: "c"},
        {1.5: "x", 0.5: "y"},
        [{3: "x", 1: "y"}, {2: "z"}],
        {"when": dt.date(2026, 12, 2), "rows": [{"at": dt.datetime(2026, 1, 1, 3)}]},
        {"q": [float("nan"), float("inf"), -float("inf"), 1e-5, 1e16, -0.0]},
        "just a string",
        3.25,
        None,
        [{"drug_id": "DB00001", "q": 0.01, "rank": 1}, {"drug_id": "DB2", "q": None, "rank": 2}],
    ],
)
def test_edge_cases(data: Any) -> None:
    assert dumps_indented(data) == _reference(data)


def test_default_is_used_for_other_types() -> None:
    class Thing:
        def __repr__(self) -> str:
            return "Thing()"

    data = {"x": [Thing(), {"y": Thing()}], "z": [{"t": Thing()}, {"t": 1}]}
    assert dumps_indented(data) == _reference(data)
    assert '"Thing()"' in dumps_indented(data)


def test_errors_match_json_dumps() -> None:
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): "tuple key"})
    with pytest.raises(TypeError):
        dumps_indented({1: "a", "b": "mixed keys cannot be sorted"})
    with pytest.raises(ValueError, match="indent must be >= 1"):
        dumps_indented({}, indent=0)


@settings(max_examples=30, deadline=None)
@given(_JSON)
def test_same_text_without_the_c_encoder(data: Any) -> None:
    # a Python without the _json accelerator: every container on the Python path
    import json.encoder

    saved = json.encoder.c_make_encoder  # type: ignore[attr-defined]
    json.encoder.c_make_encoder = None  # type: ignore[attr-defined]
    try:
        assert dumps_indented(data) == _reference(data)
    finally:
        json.encoder.c_make_encoder = saved  # type: ignore[attr-defined]
