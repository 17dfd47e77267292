"""Click option classes shared by the commands."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["Once"]


class Once(click.Option):
    """A single-valued option that refuses to be given twice.

    ``--de a.tsv --de b.tsv`` is a usage error naming ``--de`` and both values, where click keeps
    the last value and silently drops the first. Every command of the CLI refuses a repeated
    single-valued option anyway (:func:`medtwin.cli.refuse_repeats`, which names no values);
    ``Once`` is for the input files of ``patient add``, where the values tell which file is which.

    Use it as ``@click.option("--de", cls=Once, type=..., help=...)``; the command receives one
    value (or the default, or ``None``), as from a plain option. Click has no such check and its
    parser keeps only the last value of a plain option, so the option is declared ``multiple``
    underneath (the parser then collects every value) and :meth:`type_cast_value` refuses more
    than one before converting. The default becomes a one-value tuple, so ``--help``'s
    ``[default: ...]`` and a type inferred from the default stay as they were.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("multiple") or kwargs.get("is_flag") or kwargs.get("count"):
            raise TypeError(f"{type(self).__name__} is for single-valued options")
        default = kwargs.pop("default", None)
        if kwargs.get("type") is None and default is not None:
            kwargs["type"] = click.types.convert_type(None, default)
        # An explicit empty default (not click's "unset"), so that type_cast_value sees it too.
        kwargs["default"] = () if default is None else (default,)
        kwargs["multiple"] = True
        super().__init__(*args, **kwargs)

    def type_cast_value(self, ctx: click.Context, value: Any) -> Any:
        """The one value given (converted), the default, or ``None``; a second value is refused."""
        values = () if value is None else tuple(value)
        if len(values) > 1:
            given = ", ".join(str(v) for v in values)
            raise click.BadParameter(
                f"given {len(values)} times ({given}); give it once", ctx=ctx, param=self
            )
        cast = super().type_cast_value(ctx, values)
        return cast[0] if cast else None

    def value_is_missing(self, value: Any) -> bool:
        """``None`` is missing (a ``required=True`` option not given)."""
        return value is None or super().value_is_missing(value)
