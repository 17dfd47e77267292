"""The Browser query and the Bloom phrase of a patient's ranking say what ``rank`` says.

Before, a ranking of the user's own targets file (``rank --targets FILE``, whose drugs are
``CustomDrug`` nodes, not ``Drug``) gave ``drugs_ranked_for_patient`` no row and the Bloom
phrase ``drugs ranked for patient $id`` no path; and the query's ``direction`` was the stored
score, absent (``None``) for every drug the ``direction`` method did not score, where ``rank``
prints "unknown" (no target with a known action and a change) or "not computed".
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.platform import rankings
from medtwin.platform.library import run_library_query
from medtwin.platform.models import RankParams
from tests.integration.test_ranking_storage import (  # noqa: F401 -- twin: the fixture
    PARAMS,
    trial_targets,
    twin,
)
from tests.unit.report.test_bloom import TEMPLATES

pytestmark = pytest.mark.neo4j

QUERY = "drugs_ranked_for_patient"
ASKED = {"patient_id": "PR1", "limit": "10"}  # as `medtwin query … -p patient_id=PR1 -p limit=10`


def _bloom_drugs(store: Any) -> dict[str, list[str]]:
    """Drug id -> labels of the drugs at the end of the ranking phrase's paths."""
    phrase = next(t for t in TEMPLATES if t["text"] == "drugs ranked for patient $id")
    records = store.driver.execute_query(
        phrase["cypher"], {"id": "PR1"}, database_=store.database
    ).records
    ends = [r["path"].end_node for r in records]
    return {n.get("drug_id") or n.get("id"): sorted(n.labels) for n in ends}


def test_the_query_words_direction_as_rank_does(twin):  # noqa: F811 -- the fixture
    store, cache = twin
    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)
    rows = run_library_query(store, QUERY, dict(ASKED))
    shown = rankings.get_ranking(store, "PR1").drugs
    assert [(r["drug_id"], r["direction"], r["direction_score"]) for r in rows] == [
        (d.drug_id, d.direction_word, d.direction) for d in shown
    ]
    # DB00001 inhibits two up-regulated genes of the twin, DB00003 a gene without a change
    words = {r["drug_id"]: r["direction"] for r in rows}
    assert words["DB00001"] == "counteracts"  # before: 1.0
    assert words["DB00003"] == "unknown"  # before: None
    assert {(r["targets"], r["targets_file"]) for r in rows} == {("drugbank_dhimmel", False)}

    ran = ("degree", "proximity")
    without = PARAMS.model_copy(update={"methods": ran, "order": ran})
    rankings.rank_drugs(store, "PR1", without, cache_dir=cache)  # the latest ranking now
    rows = run_library_query(store, QUERY, dict(ASKED))
    assert {r["direction"] for r in rows} == {"not computed (add --method direction)"}


def test_a_targets_file_ranking_is_in_the_query_and_the_bloom_phrase(twin):  # noqa: F811
    store, cache = twin
    path = trial_targets(cache, "NONAME")
    rankings.rank_drugs(store, "PR1", RankParams(targets=str(path), n_samples=50), cache_dir=cache)
    rows = run_library_query(store, QUERY, dict(ASKED))
    assert {r["drug_id"]: (r["drug"], r["targets_file"]) for r in rows} == {
        "NEAR": ("near inhibitor", True),
        "FAR": ("far drug", True),
        "NONAME": ("NONAME", True),  # no name in the file: its id
    }  # before: no row
    assert {str(r["targets"]).partition(" ")[0] for r in rows} == {"trial.tsv"}
    assert all(str(r["path"]).endswith(str(r["drug"])) for r in rows)  # not a random node id
    assert _bloom_drugs(store) == {d: ["CustomDrug"] for d in ("NEAR", "FAR", "NONAME")}

    rankings.rank_drugs(store, "PR1", PARAMS, cache_dir=cache)  # a loaded source again
    drawn = _bloom_drugs(store)
    assert drawn
    assert all(labels == ["Drug"] for labels in drawn.values())
