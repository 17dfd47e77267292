"""``nan`` and ``inf`` given to any decimal option are a usage error naming the option and value.

Click's float types take them and a range does not stop NaN (no comparison holds), so before
(stop 59's CLI probe) ``patient add P --symptoms … --padj-max nan`` was accepted with exit 0, as
were ``twin build --seed-fdr``, ``twin regulators --q``, ``patient add-cohort --z-min/--p-max
/--wait``. Every command's decimal options are found by walking the click tree.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from tests.cli_tree import command_tree, leaf_options


def _decimal_options() -> list[tuple[tuple[str, ...], click.Option]]:
    return leaf_options(click.types.FloatParamType)


def test_there_are_decimal_options_to_check() -> None:
    names = {(" ".join(path), p.opts[0]) for path, p in _decimal_options()}
    assert {("patient add", "--padj-max"), ("twin build", "--seed-fdr")} <= names
    assert len(names) >= 6


@pytest.mark.parametrize("word", ["nan", "NaN", "inf", "-inf"])
def test_each_decimal_option_refuses_a_non_finite_number(word: str) -> None:
    for path, option in _decimal_options():
        args = [*path, *(["P1"] if any(p.name == "patient_id" for p in _params(path)) else [])]
        result = CliRunner().invoke(cli, [*args, option.opts[0], word])
        assert result.exit_code == 2, (path, option.opts[0], result.output)
        assert f"invalid value for '{option.opts[0]}': '{word}' is not a finite number" in (
            result.output
        ), result.output
        assert "Traceback" not in result.output


def _params(path: tuple[str, ...]) -> list[click.Parameter]:
    return command_tree()[path].params


def test_a_finite_number_still_parses() -> None:
    cmd = command_tree()[("twin", "regulators")]
    ctx = cmd.make_context("regulators", ["P1", "--q", "0.1"])
    assert 0.1 in ctx.params.values()
