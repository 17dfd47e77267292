"""TwinParams: the layers and their weights are checked; a stored twin is read as stored."""

from __future__ import annotations

import json
import logging
import math
from typing import get_args

import pytest
from pydantic import ValidationError

from medtwin.domain import LAYERS, TwinParams
from medtwin.errors import InputError
from medtwin.loaders.patient_rows import ChangeLayer


def test_the_layers_are_the_layers_of_a_change():
    assert get_args(ChangeLayer) == LAYERS


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"layer_weights": {"expression": math.nan}}, "finite number >= 0, got nan"),
        ({"layer_weights": {"expression": math.inf}}, "finite number >= 0, got inf"),
        ({"layer_weights": {"variant": -0.5}}, "finite number >= 0, got -0.5"),
        ({"layer_weights": {"bogus": 1.0}}, "unknown layer 'bogus' in layer_weights"),
        ({"layers": ("nope",)}, "unknown layer 'nope': the layers are expression, protein"),
        ({"layers": ("protein", "protein")}, "a layer is named twice"),
        ({"layers": ()}, "name at least one layer"),
    ],
)
def test_bad_layers_and_weights_are_refused(given: dict[str, object], said: str) -> None:
    with pytest.raises(ValidationError, match=said):
        TwinParams.model_validate(given)


def test_zero_weights_and_a_subset_of_layers_are_fine():
    p = TwinParams(layers=("variant",), layer_weights={"expression": 0.0, "variant": 2.0})
    assert TwinParams.from_stored(p.model_dump_json(), twin_id="P@v1") == p


def test_a_twin_stored_before_the_check_is_read_as_stored(caplog: pytest.LogCaptureFixture):
    """What pydantic stored for a NaN weight: null. Reads show it; a computation refuses it."""
    stored = json.loads(TwinParams().model_dump_json())
    stored["layer_weights"] = {"expression": None}
    text = json.dumps(stored)
    with caplog.at_level(logging.WARNING):
        got = TwinParams.from_stored(text, twin_id="T7@v5")
    assert got.layer_weights == {"expression": None}
    assert "T7@v5" in caplog.text
    with pytest.raises(InputError, match="twin T7@v5 was stored with parameters") as e:
        TwinParams.from_stored(text, twin_id="T7@v5", strict=True)
    assert e.value.hint == "build a new version of the twin with valid parameters"
