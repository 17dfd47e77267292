"""A tissue's activities need its vector of every measured gene (activity_inputs.tissue_statistics).

Before, each tissue of a multi-tissue twin was scored from its thresholded changes, the invalid
null that stop 45 removed for the twin-level activities.
"""

from __future__ import annotations

import json

from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform.activity_inputs import (
    NO_VECTOR,
    full_statistics,
    stored_activity_stats,
    tissue_statistics,
)


def _input(name: str, changes: list[GeneChange], vectors: list[ActivityStats] = ()) -> dict:
    profile = PatientProfile(
        patient_id="MT", changes=tuple(changes), activity_stats=tuple(vectors),
        input_checksums={name: "0" * 64},
    )  # fmt: skip
    return {
        "name": name,
        "kind": "demo",
        "changes_json": json.dumps({"changes": [c.model_dump(mode="json") for c in changes]}),
        **stored_activity_stats(profile),
    }


BLOOD = [GeneChange(entrez="1", log2fc=2.0, tissue="blood", cell_type="T")]
JOINT = [GeneChange(entrez="2", log2fc=1.5, tissue="synovium")]
JOINT_T = ActivityStats(statistic="t", tissue="synovium", stats={"2": 4.0, "3": -0.3})


def test_a_tissue_with_its_vector_has_statistics_the_other_a_reason():
    """The multi-tissue demo's shape: one input, blood thresholded, synovium with its t."""
    both = _input("demo", [*BLOOD, *JOINT], [JOINT_T])
    got = tissue_statistics([both], TwinParams())
    assert got["synovium"] == ({"2": 4.0, "3": -0.3}, None)
    vector, why = got["blood"]
    assert vector is None
    assert why is not None
    assert why.startswith(f"{NO_VECTOR} in tissue blood: input demo (demo) keeps only its")
    assert "--by cell-type" in why
    # the synovium's vector stands behind the synovium only: no twin-level vector either
    assert full_statistics([both], TwinParams())[0] is None


def test_an_untagged_vector_is_its_input_s_tissue_only_when_the_input_has_one_tissue():
    joint = _input("j.tsv", JOINT, [ActivityStats(statistic="t", stats={"2": 4.0})])
    assert tissue_statistics([joint], TwinParams()) == {"synovium": ({"2": 4.0}, None)}
    mixed = _input("m.tsv", [*BLOOD, *JOINT], [ActivityStats(statistic="t", stats={"2": 4.0})])
    got = tissue_statistics([mixed], TwinParams())
    assert got["blood"][0] is None
    assert got["synovium"][0] is None
    assert (
        tissue_statistics([_input("bulk.tsv", [GeneChange(entrez="1", log2fc=1.0)])], TwinParams())
        == {}
    )


def test_every_input_of_a_tissue_needs_its_vector():
    a = _input("a", JOINT, [JOINT_T])
    b = _input("b", [GeneChange(entrez="5", log2fc=1.0, tissue="synovium")])
    vector, why = tissue_statistics([a, b], TwinParams())["synovium"]
    assert vector is None
    assert why is not None
    assert "input b (demo) keeps only its" in why


def test_an_untagged_vector_is_stored_as_before():
    profile = PatientProfile(
        patient_id="P", changes=tuple(JOINT),
        activity_stats=(ActivityStats(statistic="t", stats={"2": 1.0}), JOINT_T),
        input_checksums={"x": "0" * 64},
    )  # fmt: skip
    rows = json.loads(stored_activity_stats(profile)["activity_stats_json"])
    assert "tissue" not in rows[0]
    assert rows[1]["tissue"] == "synovium"
