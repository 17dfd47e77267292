"""`medtwin rank --help` names the default methods and the default order as the code has them."""

from __future__ import annotations

import re

from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.platform.ranking_models import DEFAULT_METHODS, DEFAULT_ORDER


def _help() -> str:
    out = CliRunner().invoke(cli, ["rank", "--help"], terminal_width=400).output
    return re.sub(r"\s+", " ", out)


def test_rank_help_names_the_default_set_and_order() -> None:
    text = _help()
    assert "default " + ", ".join(DEFAULT_METHODS) + ";" in text
    order = ", ".join(f"{m} (a prior)" if m == "degree" else m for m in DEFAULT_ORDER)
    assert "default " + order + ":" in text
