"""A parameter name that is no field is refused with the field meant; stored extras still load.

Before, pydantic dropped unknown keywords: ``RankParams(n_permutation=10)`` ranked with the
default 1,000 samples and ``TwinParams(padj_maxx=1)`` built the default twin, silently.
"""

from __future__ import annotations

import json

import pytest

from medtwin.errors import InputError
from medtwin.platform import patients, rankings, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import RankParams, TwinParams
from tests.unit.services.test_rankings_memory import FAST, FAST_TWIN, built  # noqa: F401


@pytest.mark.parametrize(
    ("make", "named", "meant"),
    [
        (lambda: RankParams(n_permutation=10), "'n_permutation'", "'n_samples'"),
        (lambda: RankParams(aproved_only=True), "'aproved_only'", "'approved_only'"),
        (lambda: RankParams(method=("proximity",)), "'method'", "'methods'"),
        (lambda: TwinParams(padj_maxx=1), "'padj_maxx'", "'seed_fdr'"),
        (lambda: TwinParams(maxseeds=10), "'maxseeds'", "'max_seeds'"),
    ],
)
def test_an_unknown_field_is_one_line_naming_it_and_the_field_meant(make, named, meant):
    with pytest.raises(InputError) as got:
        make()
    message = str(got.value)
    assert "\n" not in message
    assert f"has no field {named} (did you mean {meant}?)" in message
    assert got.value.hint.startswith("its fields: ")


def test_an_unknown_field_with_nothing_close_lists_the_fields():
    with pytest.raises(InputError) as got:
        TwinParams(colour="red")
    assert str(got.value) == "TwinParams has no field 'colour'"
    assert "module_samples" in got.value.hint


def test_a_dict_of_params_gets_the_same_suggestion(built):  # noqa: F811
    with pytest.raises(InputError, match=r"params: RankParams has no field 'n_sampels' \(did"):
        rankings.rank_drugs(built, "P1", {"n_sampels": 30})


def test_params_stored_by_another_version_still_load(built, tmp_path):  # noqa: F811
    ctx = ReferenceContext()
    rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ctx)
    twin = built.patients["P1"].twins[1]
    (ranking,) = twin.rankings.values()
    # A field this medtwin does not have (a later version's, or one since removed) and fields
    # it added since (absent: their defaults) — as a twin and a ranking of another version.
    old_twin = {k: v for k, v in json.loads(twin.props["params_json"]).items() if k != "expansion"}
    twin.props["params_json"] = json.dumps({**old_twin, "hops": 2})
    old_rank = json.loads(ranking.props["params_json"])
    ranking.props["params_json"] = json.dumps({**old_rank, "n_permutations": 10})

    (version,) = twins.twin_versions(built, "P1")
    assert version.params == FAST_TWIN
    assert rankings.get_ranking(built, "P1", ctx=ctx).params == FAST
    assert patients.get_patient(built, "P1").twin_versions == (1,)


def test_the_api_request_models_keep_pydantic_answer():
    from pydantic import ValidationError

    from medtwin.api.schemas import RankRequest, TwinBuildRequest

    for model in (RankRequest, TwinBuildRequest):
        with pytest.raises(ValidationError, match="extra_forbidden"):
            model.model_validate({"n_permutation": 10})
