"""Every command of the CLI, for tests that check all of them (names, options, reads, start-up)."""

from __future__ import annotations

import click

from medtwin.cli import cli


def command_tree() -> dict[tuple[str, ...], click.Command]:
    """Every command path -> its click command, groups included: ``()`` is ``medtwin`` itself,
    ``("twin", "build")`` a sub-command; in the CLI's order, each group before its commands.
    Loads every command's module (the CLI imports them lazily).

    >>> tree = command_tree()
    >>> tree[()] is cli, isinstance(tree[("twin",)], click.Group), ("twin", "build") in tree
    (True, True, True)
    """
    tree: dict[tuple[str, ...], click.Command] = {}

    def walk(cmd: click.Command, path: tuple[str, ...], ctx: click.Context) -> None:
        tree[path] = cmd
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None, name
                walk(sub, (*path, name), click.Context(sub, parent=ctx, info_name=name))

    walk(cli, (), click.Context(cli, info_name="medtwin"))
    return tree


def leaf_options(of_type: type[click.ParamType]) -> list[tuple[tuple[str, ...], click.Option]]:
    """Every (command path, option) of a command (not a group) whose type is an ``of_type``.

    >>> ints = leaf_options(click.types.IntParamType)
    >>> ("rank", "--top") in {(" ".join(path), o.opts[0]) for path, o in ints}
    True
    """
    return [
        (path, p)
        for path, cmd in command_tree().items()
        if not isinstance(cmd, click.Group)
        for p in cmd.params
        if isinstance(p, click.Option) and isinstance(p.type, of_type)
    ]
