"""A ranking frame's display has the CLI table's digits; the frame under it is unchanged."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from medtwin.cli.common import number
from medtwin.platform.models import DrugScore, RankingResult, RankParams
from medtwin.platform.ranking_style import styled


def _ranking() -> RankingResult:
    drugs = (
        DrugScore(rank=1, drug_id="DB1", drug_name="one", n_targets=2, n_targets_in_network=2,
                  d_c=1.4285714285714286, z=-2.391846224, p=0.000999000999, q=0.0123456789,
                  combined=0.9),
        DrugScore(rank=2, drug_id="DB2", drug_name="two", n_targets=1, n_targets_in_network=0,
                  combined=0.1),
        DrugScore(rank=3, drug_id="DB3", drug_name=None, n_targets=3, n_targets_in_network=3,
                  d_c=2.0, z=0.0049, p=0.5, q=1.0, combined=0.0),
    )  # fmt: skip
    return RankingResult(
        id="P1@v1/x", twin_id="P1@v1", params=RankParams(), n_drugs=3, seconds=0.1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC), drugs=drugs,
    )  # fmt: skip


def test_z_has_two_decimals_and_p_q_three_significant_digits_as_the_cli_prints_them() -> None:
    r = _ranking()
    df = r.to_frame()
    html = styled(df).to_html()
    heads = {name: int(i) for i, name in re.findall(r"level0 col(\d+)\" >([^<]*)<", html)}
    cells = dict(re.findall(r"data row(\d+ col\d+)\" >([^<]*)<", html))
    for row, d in enumerate(r.drugs):
        # the oracle: medtwin rank's own formatting (cli.treatment.print_ranking)
        assert cells[f"{row} col{heads['z']}"] == number(d.z, ".2f")
        assert cells[f"{row} col{heads['q']}"] == number(d.q, ".3g")
        assert cells[f"{row} col{heads['p']}"] == number(d.p, ".3g")
        assert cells[f"{row} col{heads['d_c']}"] == number(d.d_c, ".2f")
    # before: pandas' six decimals
    assert cells[f"0 col{heads['z']}"] == "-2.39"
    assert cells[f"0 col{heads['q']}"] == "0.0123"
    assert cells[f"1 col{heads['z']}"] == "\u2014"


def test_the_values_under_the_display_are_the_frames_own() -> None:
    df = _ranking().to_frame()
    before = df.copy()
    shown = styled(df[["rank", "drug_id", "z", "q"]].head(2))
    assert shown.data["z"].iloc[0] == -2.391846224  # full precision, not the shown -2.39
    assert df.equals(before)
    assert math.isnan(shown.data["z"].iloc[1])
    # columns it does not know are shown as pandas shows them
    assert "drug_id" in shown.to_string()
