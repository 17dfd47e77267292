"""HTML building blocks shared by the report's sections (escaping, numbers, tables)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

from medtwin.command_lines import next_step, patient_command
from medtwin.platform.safe_text import printable, shortened

__all__ = ["MAX_NAME", "esc", "html_table", "name", "number", "patient_step"]

MAX_NAME = 60
"""Characters of a name shown in a table cell or heading; the whole name is its tooltip."""


def esc(value: object) -> str:
    """``value`` as HTML text (``None`` as the empty string), without bidirectional controls.

    A U+202E in a file name reversed the rest of the report's regulator note (Trojan Source);
    :func:`medtwin.platform.safe_text.printable` drops the same characters from the CLI's output.

    Examples
    --------
    >>> esc("<b>") + esc(None) + esc("a\u202eb")
    '&lt;b&gt;ab'
    """
    return html.escape("" if value is None else printable(str(value)))


def name(value: object, limit: int = MAX_NAME) -> str:
    """``value`` as escaped HTML, cut to ``limit`` characters with the whole text as tooltip.

    A 200-character drug name made the top-drugs table's name column 12 lines high.

    Examples
    --------
    >>> name("TNF"), name("x" * 5 + "<", limit=4)
    ('TNF', '<span title="xxxxx&lt;">xxx…</span>')
    """
    text = printable("" if value is None else str(value))
    if len(text) <= limit:
        return html.escape(text)
    return f'<span title="{html.escape(text)}">{html.escape(shortened(text, limit, tail=0))}</span>'


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
    """A ``<table>``: ``headers`` escaped, cells inserted as given (already HTML).

    All headers blank (a key/value table): no header row, which drew as an empty grey bar.

    >>> html_table(("", ""), [("a", "1")])
    '<table><tbody><tr><td>a</td><td>1</td></tr></tbody></table>'
    """
    names = tuple(headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if not any(names):
        return f"<table><tbody>{body}</tbody></table>"
    head = "".join(f"<th>{esc(h)}</th>" for h in names)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def patient_step(command: str, patient_id: str, *options: str) -> str:
    """The step ``medtwin <command> <patient_id> <options>`` as HTML, in the reader's words.

    ``options``: e.g. :func:`~medtwin.command_lines.version_option`'s (the twin version asked).

    :func:`~medtwin.command_lines.next_step`: ``run <code>medtwin …</code>`` for the CLI's
    ``report``, ``call <code>POST /v1/…</code>`` for the API's, the Python call for a notebook's;
    an id starting with ``-`` after ``--`` (:func:`~medtwin.command_lines.patient_command`).

    >>> from medtwin.command_lines import speaking_to
    >>> with speaking_to("cli"):
    ...     print(patient_step("twin diseases", "-P1"))
    run <code>medtwin twin diseases -- -P1</code>
    >>> with speaking_to("api"):
    ...     print(patient_step("twin diseases", "P1"))
    call <code>POST /v1/patients/P1/twins/latest/diseases</code>
    >>> with speaking_to("api"):
    ...     print(patient_step("rank", "P1", "--version 1"))  # doctest: +NORMALIZE_WHITESPACE
    call <code>POST /v1/patients/P1/rankings</code> (of the latest twin: no route does this for
    twin version 1; medtwin rank P1 --version 1 does, where the server runs)
    """
    verb, _, what = next_step(patient_command(command, patient_id, *options)).partition(" ")
    # a route's or a call's note (" (of the latest twin: ...)") is words, not code
    code, sep, note = what.partition(" (")
    return f"{verb} <code>{esc(code.strip('`'))}</code>{esc(sep + note)}"
