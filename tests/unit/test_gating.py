"""The module gate: thresholds, the exact words, and the fields every twin and ranking carries."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from medtwin.platform.gating import module_gate
from medtwin.platform.models import RankingResult, RankParams, TwinParams, TwinSummary


@pytest.mark.parametrize(
    ("z", "p", "significant"),
    [
        (1.6, 0.05, True),  # both bounds inclusive
        (3.0, 0.001, True),
        (1.59, 0.001, False),  # z too small
        (2.5, 0.051, False),  # p too large
        (-0.5, 0.62, False),
        (None, 0.01, False),
        (2.0, None, False),
        (math.nan, 0.01, False),
        (2.0, math.inf, False),
    ],
)
def test_thresholds(z, p, significant):
    gate = module_gate(z, p)
    assert gate.significant is significant
    assert (gate.note is None) is significant


def test_note_word_for_word():
    assert module_gate(-0.4967, 0.6213).note == (
        "exploratory: this twin's module is not more connected than random genes "
        "(module z = -0.50, p = 0.621)"
    )
    assert module_gate(1.2, 0.000123).note.endswith("(module z = 1.20, p = 0.000123)")


def test_undefined_statistics_say_not_assessed():
    note = module_gate(None, None).note
    assert note.startswith("exploratory: this twin's module significance could not be assessed")


def _twin(z, p):
    return TwinSummary(
        id="P@v1",
        patient_id="P",
        version=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        params=TwinParams(),
        params_hash="h",
        input_checksums={},
        n_seeds=1,
        n_genes=1,
        module_size=1,
        module_z=z,
        module_p=p,
        n_symptoms=0,
        n_cell_types=0,
    )


def test_twin_and_ranking_json_carry_the_gate():
    weak = _twin(-0.5, 0.62).model_dump(mode="json")
    assert weak["module_significant"] is False
    assert weak["module_note"].startswith("exploratory: this twin's module is not more connected")
    strong = _twin(3.0, 0.001).model_dump(mode="json")
    assert (strong["module_significant"], strong["module_note"]) == (True, None)
    ranking = RankingResult(
        id="P@v1/x",
        twin_id="P@v1",
        params=RankParams(),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        n_drugs=0,
        seconds=0.0,
        drugs=(),
        module_z=-0.5,
        module_p=0.62,
    ).model_dump(mode="json")
    assert ranking["module_significant"] is False
    assert "module z = -0.50" in ranking["module_note"]
    # a dump reads back (the derived fields are ignored as input)
    assert TwinSummary.model_validate(weak).module_z == -0.5


def test_schema_describes_the_gate_and_the_direction_words():
    from medtwin.platform.models import DrugScore

    schema = RankingResult.model_json_schema(mode="serialization")
    assert "module_note" in schema["properties"]
    score = DrugScore.model_json_schema(mode="serialization")["properties"]
    assert "counteracts" in score["direction"]["description"]
    assert "aggravates" in score["direction"]["description"]
    assert "counteracts" in score["direction_word"]["description"]


def test_an_unassessed_module_is_not_called_undefined():
    # The viewer shows this note under its drug picker: "(module z or p undefined)" read as a
    # script's undefined value. NaN and None alike.
    for z, p in ((None, None), (float("nan"), 0.5), (2.0, None)):
        note = module_gate(z, p).note
        assert note is not None
        assert "undefined" not in note
        assert "(no module z or p)" in note
