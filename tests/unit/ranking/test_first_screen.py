"""The first screen: same-target grouping, its tie rule, evidence words, target categories,
the personal_evidence label, and the demo's printed text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from medtwin.cli.demo import print_screen
from medtwin.platform.evidence import (
    MIN_CASES,
    NO_PERSONAL_GAIN,
    NONE_BEYOND_PRIORS,
    load_evidence,
    personal_evidence,
)
from medtwin.platform.first_screen import (
    METHOD_VALUE_FIELD,
    evidence_words,
    first_screen,
    scope_note,
    why_line,
)
from medtwin.platform.models import (
    DrugExplanation,
    DrugScore,
    ExplanationPath,
    RankingResult,
    RankParams,
)


def _row(rank: int, drug_id: str, name: str, z: float, q: float = 1.0, **kw: object) -> DrugScore:
    data: dict[str, object] = {
        "rank": rank,
        "drug_id": drug_id,
        "drug_name": name,
        "n_targets": 1,
        "n_targets_in_network": 1,
        "approved": True,
        "z": z,
        "q": q,
        "combined": 0.5,
        "d_c": 1.0,
        "degree_baseline_rank": rank,  # every drug with a network target has one
    }
    data.update(kw)
    return DrugScore.model_validate(data)


# the demo's RA patient: dexamethasone, then local anaesthetics tied through SCN10A
PAGE = [
    _row(1, "DB01234", "Dexamethasone", -2.48, direction=-0.5),
    _row(2, "DB00296", "Ropivacaine", -2.39),
    _row(3, "DB00645", "Dyclonine", -2.39),
    _row(4, "DB00807", "Proparacaine", -2.39),
    _row(5, "DB00007", "Leuprolide", -2.30),
    _row(6, "DB00106", "Abarelix", -2.30),
    _row(7, "DB00001", "Lepirudin", -2.0, q=0.01),
]
TARGETS = {
    "DB01234": ("2908", "301"),
    "DB00296": ("6336",),
    "DB00645": ("6336",),
    "DB00807": ("6336",),
    "DB00007": ("2798",),
    "DB00106": ("2798",),
    "DB00001": ("2147",),
}


def test_same_targets_are_one_line_led_by_the_first_in_rank_order() -> None:
    lines = first_screen(PAGE, TARGETS, RankParams(), lines=3)
    assert [x.drug.drug_id for x in lines] == ["DB01234", "DB00296", "DB00007"]
    assert lines[1].same_targets_text == "+2 with the same targets: Dyclonine, Proparacaine"
    assert lines[2].same_targets_text == "+1 with the same targets: Abarelix"
    assert lines[0].same_targets_text == ""


def test_tie_rule_follows_the_ranking_order_not_the_page_order() -> None:
    # the leader is the lowest rank among drugs with the same targets, as the ranking sorted them
    # (combined, then proximity z, then drug id): a page given out of order changes nothing
    shuffled = [PAGE[3], PAGE[1], PAGE[2], PAGE[0]]
    lines = first_screen(sorted(shuffled, key=lambda d: d.rank), TARGETS, RankParams(), lines=0)
    assert lines[1].drug.drug_id == "DB00296"


def test_without_targets_every_drug_is_its_own_line() -> None:
    lines = first_screen(PAGE, None, RankParams(), lines=0)
    assert len(lines) == len(PAGE)
    assert all(not x.same_targets for x in lines)


def test_evidence_words_keep_priors_apart_from_findings() -> None:
    params = RankParams()  # the default order: degree (a prior), proximity, target_expression
    assert evidence_words(PAGE[1], params) == (
        "approval tier (prior); target degree rank 2 (prior); proximity z -2.39 "
        "(q 1, not significant); target_expression: no score"
    )
    assert "(q 0.01, significant)" in evidence_words(PAGE[6], params)
    assert "approval tier" not in evidence_words(PAGE[1], RankParams(approved_only=True))
    assert "approval tier" not in evidence_words(PAGE[1], RankParams(tier="none"))
    two = RankParams(methods=("proximity", "direction"), order=("proximity", "direction"))
    assert evidence_words(PAGE[0], two).endswith("; direction -0.50")


def test_a_drug_without_network_targets_is_unranked_only_when_no_order_method_scored_it() -> None:
    lincs = _row(3, "DB00400", "x", 0.0).model_copy(
        update={"n_targets_in_network": 0, "z": None, "q": None, "d_c": None,
                "degree_baseline_rank": None, "activity_reversal": 0.28}
    )  # fmt: skip
    params = RankParams(
        methods=("proximity", "activity_reversal"), order=("activity_reversal",), tier="none"
    )
    # placed by its score (combine, step 3), so not "unranked"; its network columns are empty
    assert evidence_words(lincs, params) == "activity_reversal +0.28; no target in the network"
    bare = lincs.model_copy(update={"activity_reversal": None})
    assert evidence_words(bare, params) == (
        "activity_reversal: no score; no target in the network (unranked)"
    )
    assert evidence_words(lincs, RankParams()).endswith("no target in the network (unranked)")


def _explanation() -> DrugExplanation:
    return DrugExplanation(
        patient_id="P",
        twin_id="P@v1",
        drug_id="DB01234",
        drug_name="Dexamethasone",
        score=None,
        targets=(
            {"symbol": "NR3C1", "role": "target"},
            {"symbol": "ANXA1", "role": "target"},
            {"symbol": "CYP3A4", "role": "enzyme"},
            {"symbol": "ABCB1", "role": "transporter"},
            {"symbol": "ALB", "role": "carrier"},
            {"symbol": "FCGR3A", "role": "fc/complement"},
        ),
        central_genes_reached=("CREB1",),
        paths=(ExplanationPath(nodes=("2908", "1385"), symbols=("NR3C1", "CREB1"), length=1),),
        cell_types=(),
        cypher="",
    )


def test_why_line_names_pharmacological_targets_apart() -> None:
    text = why_line(_explanation())
    head, tail = text.split("; not used for ranking: ")
    assert head.startswith("why Dexamethasone: targets NR3C1, ANXA1; reaches CREB1")
    assert "CYP3A4" not in head
    assert "ABCB1" not in head
    assert tail == (
        "enzymes CYP3A4, transporters ABCB1, carriers ALB, Fc/complement (effector binding) FCGR3A"
    )


def _evidence(tmp_path: Path, gain_ci: str) -> Path:
    path = tmp_path / "e.json"
    path.write_text(
        json.dumps(
            {
                "provenance": {"date": "2026-12-02 10:00 UTC", "commit": "abcdef1234567"},
                "parts": {
                    "b: STARGEO": {
                        "default": {
                            "gain": 0.014,
                            "gain_ci": "[-0.003, 0.03]",
                            "gain_p_signflip_adj": 0.4,
                            "gain_family": 19,
                            "gain_approved": 0.05,
                            "gain_approved_ci": "[0.01, 0.1]",
                            "gain_approved_p_signflip_adj": 0.02,
                            "gain_approved_family": 19,
                        },
                        "method: proximity": {
                            "gain": 0.061,
                            "gain_ci": gain_ci,
                            "gain_p_signflip_adj": 0.012,
                            "gain_family": 19,
                        },
                    },
                    "c: PDXE": {"default": {"gain": -0.01, "gain_ci": "[-0.08, 0.07]"}},
                },
            }
        )
    )
    load_evidence.cache_clear()
    return path


def test_personal_evidence_none_and_gain(tmp_path: Path) -> None:
    path = _evidence(tmp_path, "[0.005, 0.113]")
    default = personal_evidence(("proximity",), "approved", path=path)
    assert default.startswith(NONE_BEYOND_PRIORS)
    assert "b: STARGEO: +0.014 [-0.003, 0.030]" in default  # 3 decimals, as the gain (was 0.03)
    assert "commit abcdef1234" in default
    approved = personal_evidence(("proximity",), "approved", approved_only=True, path=path)
    assert approved.startswith("gain over another patient's ranking: +0.050 AUROC [0.010, 0.100]")
    assert "within approved drugs" in approved
    alone = personal_evidence(("proximity",), "none", path=path)
    assert alone.startswith("gain over another patient's ranking: +0.061 AUROC [0.005, 0.113] on b")
    assert "on b: STARGEO, CI above 0 after Holm over 19 rankers (sign-flip p 0.012)" in alone
    path = _evidence(tmp_path, "[0.0, 0.113]")  # CI touching 0 is no gain
    assert personal_evidence(("proximity",), "none", path=path).startswith(NO_PERSONAL_GAIN)
    assert personal_evidence(("disruption",), "none", path=path).startswith("not measured")
    load_evidence.cache_clear()


def test_a_gain_over_fewer_than_min_cases_is_not_called_a_gain(tmp_path: Path) -> None:
    # stop 48: (c) within approved drugs has 10 tumours; two exploratory combinations and
    # reversal alone had a CI above 0 there, and --approved-only rankings named (c) as a gain
    path = tmp_path / "e.json"
    row = {"cases": 52, "gain": -0.02, "gain_ci": "[-0.066, 0.024]"}
    row |= {"cases_approved": 10, "gain_approved": 0.188, "gain_approved_ci": "[0.02, 0.332]"}
    row |= {"gain_approved_p_signflip_adj": 0.001, "gain_approved_family": 20}
    path.write_text(json.dumps({"provenance": {}, "parts": {"c: PDXE": {"default": row}}}))
    load_evidence.cache_clear()
    label = personal_evidence(("proximity",), "approved", approved_only=True, path=path)
    assert label.startswith(NONE_BEYOND_PRIORS), label
    assert f"10 cases (fewer than {MIN_CASES}: not counted as a gain)" in label
    row["cases_approved"] = MIN_CASES
    path.write_text(json.dumps({"provenance": {}, "parts": {"c: PDXE": {"default": row}}}))
    load_evidence.cache_clear()
    label = personal_evidence(("proximity",), "approved", approved_only=True, path=path)
    assert label.startswith("gain over another patient's ranking: +0.188 AUROC [0.020, 0.332]")
    assert f"on c: PDXE, {MIN_CASES} cases" in label
    load_evidence.cache_clear()


def test_an_order_without_a_prior_is_not_said_to_rest_on_priors(tmp_path: Path) -> None:
    # the reviewer's `rank P --method regulator --order regulator --tier none` read "none beyond
    # population priors (…)" and "order: then ordered by regulator"
    path = _evidence(tmp_path, "[0.0, 0.113]")  # no part shows a gain
    alone = personal_evidence(("proximity",), "none", path=path)
    assert alone.startswith(f"{NO_PERSONAL_GAIN} (own - swapped patient AUROC")
    assert "prior" not in alone
    assert personal_evidence(("proximity",), "approved", path=path).startswith(NONE_BEYOND_PRIORS)
    load_evidence.cache_clear()
    params = RankParams(methods=("regulator",), order=("regulator",), tier="none")
    assert scope_note(params) == "ordered by regulator on this patient's twin"
    assert scope_note(RankParams()).startswith("approved drugs first (")
    assert "; then ordered by " in scope_note(RankParams())


def test_demo_text(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's first screen as printed: groups, evidence words, why line, no prior finding."""
    params = RankParams(approved_only=True)
    ranking = RankingResult(
        id="P@v1/x",
        twin_id="P@v1",
        params=params,
        created_at=datetime(2026, 12, 2, tzinfo=UTC),
        n_drugs=len(PAGE),
        seconds=1.0,
        drugs=tuple(PAGE),
        module_z=-0.59,
        module_p=0.76,
    )
    screen = first_screen(PAGE, TARGETS, params, lines=0)
    print_screen(ranking, [_explanation()], screen, 10)
    out = capsys.readouterr().out
    assert "order: approved DrugBank drugs only (a filter, the same for every patient)" in out
    assert "personal evidence: " in out
    assert "+2 with the same targets: Dyclonine, Proparacaine" in out
    assert out.count("Dyclonine") == 1  # not a line of its own
    assert (
        "placed by: target degree rank 2 (prior); proximity z -2.39 (q 1, not significant)" in out
    )
    assert "not used for ranking: enzymes CYP3A4" in out
    for line in out.splitlines():  # a prior or filter is never called a finding
        for clause in line.lower().split(";"):  # "placed by" names each evidence in a clause
            if "prior" in clause or "filter" in clause:
                assert "finding" not in clause or "not a finding" in clause
                assert " significant" not in clause.replace("not significant", "")


def test_unknown_approval_status_is_not_called_a_tier() -> None:
    own = PAGE[1].model_copy(update={"approved": None})  # a drug of a user's targets file
    assert evidence_words(own, RankParams()) == (
        "target degree rank 2 (prior); proximity z -2.39 (q 1, not significant); "
        "target_expression: no score"
    )


def test_method_value_fields_follow_the_registry():
    """The first screen's light copy of each method's value column equals the registry's."""
    from medtwin.platform.ranking import REGISTRY

    expected = {
        name: fields[0]
        for name, m in REGISTRY.items()
        if (fields := [f for f, attr in m.columns.items() if attr == "value"])
    }
    assert dict(METHOD_VALUE_FIELD) == expected


def test_screen_of_reads_the_page_drugs_only_and_groups_as_with_every_drug() -> None:
    """A stored ranking's screen read every drug's targets (~0.35 s on the full reference);
    now only the page's, with the same lines as :func:`first_screen` on the full table."""
    from medtwin.platform.first_screen import screen_of
    from medtwin.store.memory import MemoryStore

    store = MemoryStore()
    genes = sorted({g for t in TARGETS.values() for g in t} | {"999"})
    drugs = {d: (d.lower(), [(g, "inhibit") for g in t]) for d, t in TARGETS.items()}
    drugs["DB09999"] = ("off the page", [("6336", "inhibit")])  # same targets, not on the page
    store.add_reference(genes={g: f"G{g}" for g in genes}, drugs=drugs)
    asked: list[list[str] | None] = []
    read = store.reference.drug_targets

    def spy(*args: object, **kw: object) -> list[dict[str, object]]:
        asked.append(kw.get("drug_ids"))  # type: ignore[arg-type]
        return read(*args, **kw)  # type: ignore[arg-type]

    store.reference.drug_targets = spy  # type: ignore[method-assign]
    params = RankParams(targets="drugbank_dhimmel")
    ranking = RankingResult(
        id="P@v1/x",
        twin_id="P@v1",
        params=params,
        created_at=datetime(2026, 12, 2, tzinfo=UTC),
        n_drugs=len(PAGE) + 1,
        seconds=1.0,
        drugs=tuple(PAGE),
        module_z=-0.59,
        module_p=0.76,
    )
    got = screen_of(store, ranking, lines=0)
    assert asked == [[d.drug_id for d in PAGE]]
    assert got == first_screen(PAGE, TARGETS, params, lines=0)
    tied = "+2 with the same targets: Dyclonine, Proparacaine"
    assert [x.same_targets_text for x in got][1] == tied
