"""A p or q that underflowed to 0 is printed as ``< 1e-300``, never ``q 0`` (JSON keeps 0).

The reviewer's STAT1 (ULM t 63.7 over ~11,000 genes) read "STAT1 active (t 63.7, q 0)": the
two-sided p of the footprint model is below the smallest double and is stored as 0.
"""

from __future__ import annotations

from medtwin.platform.regulator_views import StoredRegulators, regulator_models
from medtwin.platform.report_regulators import regulator_section

ROW = {"id": "6772", "rank": 1, "centrality": 0.2, "community": None, "activity": 63.7,
       "q": 0.0, "driver": None}  # fmt: skip


def test_words_say_below_the_smallest_printed_value():
    (ur,) = regulator_models([ROW], {"6772": "STAT1"}, {"6772": (0.0, 120)})
    assert ur.words == "STAT1 active (t 63.7, q < 1e-300), 1st most central"
    assert (ur.q, ur.p) == (0.0, 0.0)  # the JSON keeps the number
    assert ur.model_dump(mode="json")["q"] == 0.0


def test_report_table_prints_the_bound_for_regulators_and_pathways():
    (ur,) = regulator_models([ROW], {"6772": "STAT1"})
    view = StoredRegulators(
        twin_id="P@1",
        regulators=(ur,),
        pathways=({"name": "JAK-STAT", "score": 55.0, "p": 0.0, "q": 0.0},),
        engine="in_process",
    )
    html = regulator_section(view, patient_id="P")
    assert "<td>&lt; 1e-300</td>" in html
    assert "<td>0</td>" not in html
    assert html.count("&lt; 1e-300") >= 3  # the UR's q and words, the pathway's p and q
