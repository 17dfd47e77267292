"""HTML building blocks shared by the report's sections (escaping, numbers, tables)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

__all__ = ["esc", "html_table", "number"]


def esc(value: object) -> str:
    """``value`` as HTML text (``None`` as the empty string).

    Examples
    --------
    >>> esc("<b>") + esc(None)
    '&lt;b&gt;'
    """
    return html.escape("" if value is None else str(value))


def number(value: float | None, fmt: str = ".3g") -> str:
    """``value`` formatted with ``fmt``, an en dash when missing or NaN.

    A NaN score (a stored ranking may hold one) printed ``nan``, ``+nan (unknown)`` in a cell.

    Examples
    --------
    >>> number(0.012345), number(None), number(float("nan"), "+.2f")
    ('0.0123', '–', '–')
    """
    return "–" if value is None or math.isnan(value) else format(value, fmt)


def html_table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A ``<table>``: ``headers`` escaped, cells inserted as given (already HTML)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
