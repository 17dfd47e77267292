"""Old spellings of renamed options: still accepted, with a one-line notice naming the new one.

The CLI gives each option name one meaning (``tests/unit/cli/test_option_names.py``). Where that
renamed an option (``patient add-cohort --samples``, a sample sheet, beside the permutation count
``--samples`` of ``rank``; now ``--sample-sheet``), the old spelling keeps working: the command's
``renamed`` table maps it to the new one, and :func:`renamed_args` rewrites the command line
before click parses it. The old spelling is no option of the command, so ``--help`` and click's
"did you mean" show only the new one.

A name can also have *moved*: ``cohort summary --top`` was the k of top k and is now the rows
printed, as everywhere else (the k is ``--top-drugs``). Read in its new meaning, an old command
line (``--top 10``, and ``--json --top 10``, whose drug counts no row limit touches) would give
other figures without a word. So for one release a moved name keeps its old meaning — it is read
as the name that meaning has now — when the command line does not give that name; given with it
(``--top-drugs 10 --top 5``), it has its new meaning. Either way with no surprise: the old reading
comes with a notice saying how to ask for the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import click

__all__ = ["Moved", "renamed_args"]


class Moved(NamedTuple):
    """An option name whose meaning changed: its old meaning's name now, and its new meaning."""

    to: str
    """The name of its old meaning now (``--top-drugs``)."""
    now: str
    """What it means now, for the notice (``the drugs printed``)."""


def _option_names(takes_value: set[str], args: list[str]) -> list[int]:
    """Indexes of the words of ``args`` that name an option (not a value, not after ``--``)."""
    found: list[int] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            break
        name, eq, _ = word.partition("=")
        if name.startswith("-"):
            found.append(i)
        i += 1
        if not eq and name in takes_value:  # its value is the next word, whatever it looks like
            i += 1
    return found


def renamed_args(
    command: click.Command,
    ctx: click.Context,
    args: list[str],
    renamed: Mapping[str, str],
    moved: Mapping[str, Moved] | None = None,
) -> list[str]:
    """``args`` with each old option name of ``renamed`` written as its new name.

    Each old name used is named once on stderr (``notice: … is now …``). Values are left alone
    (a ``--note --samples`` is a note), as is everything after ``--`` (arguments); ``--old=v``
    becomes ``--new=v``. A name of ``moved`` is written as its ``to`` when ``args`` do not give
    ``to`` (its old meaning, with a notice); else left alone (its new meaning). Names are matched
    in the words as given, so a renamed old name may be a moved name's new spelling. An option
    given under both names (``--limit 3 --top 5``) is a usage error naming both (it read as
    ``--top`` given twice, of a ``--top`` typed once).

    >>> cmd = click.Command("similar", params=[click.Option(["--top"], type=int)])
    >>> renamed_args(cmd, click.Context(cmd), ["P1", "--limit", "5"], {"--limit": "--top"})
    ['P1', '--top', '5']
    """
    if not (renamed or moved) or ctx.resilient_parsing:  # shell completion: no notice
        return args
    takes_value = {
        name
        for p in command.params
        if isinstance(p, click.Option) and not (p.is_flag or p.count)
        for name in p.opts
    }
    positions = _option_names(
        takes_value | {o for o, n in renamed.items() if n in takes_value}, args
    )
    # the options given, each by its name now: an old `--drugs 5` (now `--top 5`) gives `--top`
    typed = [args[i].partition("=")[0] for i in positions]
    given = {renamed.get(n, n) for n in typed}

    def moves_away(name: str) -> bool:  # a moved name read in its old meaning
        move = (moved or {}).get(name)
        return move is not None and move.to not in given

    for old in dict.fromkeys(typed):
        new = renamed.get(old)
        if new is not None and not moves_away(old) and new in typed and not moves_away(new):
            raise click.UsageError(
                f"{old} is the old name of {new}, and both are given; give {new} once", ctx
            )
    out = list(args)
    noticed: set[str] = set()
    for i in positions:
        name, eq, value = args[i].partition("=")
        move = (moved or {}).get(name)
        if moves_away(name) and move is not None:
            new = move.to
            notice = (
                f"{name} without {move.to} is read as before, as {move.to}; {name} will be "
                f"{move.now} (already beside {move.to}): write {move.to} for this meaning"
            )
        elif name in renamed:
            new = renamed[name]
            notice = f"{name} is now {new}; the old name still works for now"
        else:
            continue
        if name not in noticed:
            noticed.add(name)
            click.echo(f"notice: {ctx.command_path} {notice}", err=True)
        out[i] = new + eq + value
    return out
