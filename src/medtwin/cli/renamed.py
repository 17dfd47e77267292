"""Old spellings of renamed options: still accepted, with a one-line notice naming the new one.

The CLI gives each option name one meaning (``tests/unit/cli/test_option_names.py``). Where that
renamed an option (``patient add-cohort --samples``, a sample sheet, beside the permutation count
``--samples`` of ``rank``; now ``--sample-sheet``), the old spelling keeps working: the command's
``renamed`` table maps it to the new one, and :func:`renamed_args` rewrites the command line
before click parses it. The old spelling is no option of the command, so ``--help`` and click's
"did you mean" show only the new one.
"""

from __future__ import annotations

from collections.abc import Mapping

import click

__all__ = ["renamed_args"]


def renamed_args(
    command: click.Command, ctx: click.Context, args: list[str], renamed: Mapping[str, str]
) -> list[str]:
    """``args`` with each old option name of ``renamed`` written as its new name.

    Each old name used is named once on stderr (``notice: … is now …``). Values are left alone
    (a ``--note --samples`` is a note), as is everything after ``--`` (arguments); ``--old=v``
    becomes ``--new=v``. An option given under both names (``--limit 3 --top 5``) is a usage
    error naming both (it read as ``--top`` given twice, of a ``--top`` typed once).

    >>> cmd = click.Command("similar", params=[click.Option(["--top"], type=int)])
    >>> renamed_args(cmd, click.Context(cmd), ["P1", "--limit", "5"], {"--limit": "--top"})
    ['P1', '--top', '5']
    """
    if not renamed or ctx.resilient_parsing:  # shell completion: no notice
        return args
    takes_value = {
        name
        for p in command.params
        if isinstance(p, click.Option) and not (p.is_flag or p.count)
        for name in p.opts
    }
    out: list[str] = []
    old_used: list[str] = []  # the old names given, in order
    new_given: set[str] = set()  # the new names given as such
    words = iter(args)
    for word in words:
        if word == "--":
            out.extend(["--", *words])
            break
        name, eq, value = word.partition("=")
        new = renamed.get(name)
        if new is not None:
            old_used.append(name)
            name, word = new, new + eq + value
        elif name in renamed.values():
            new_given.add(name)
        out.append(word)
        if not eq and name in takes_value:  # its value is the next word, whatever it looks like
            following = next(words, None)
            if following is not None:
                out.append(following)
    for old in dict.fromkeys(old_used):
        new = renamed[old]
        if new in new_given:
            # after the rewrite this read "'--top': given 2 times" of a --top typed once
            raise click.UsageError(
                f"{old} is the old name of {new}, and both are given; give {new} once", ctx
            )
    for old in dict.fromkeys(old_used):
        click.echo(
            f"notice: {ctx.command_path} {old} is now {renamed[old]}; the old name still works "
            "for now",
            err=True,
        )
    return out
