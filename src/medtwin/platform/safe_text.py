"""Text that is safe to hand to a spreadsheet or a terminal.

- **Formula cells** (OWASP "CSV injection"): a spreadsheet opens a cell that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return as a formula. :func:`neutralise_cell` prefixes
  such a *text* cell with ``'`` (shown by spreadsheets as the plain text); numbers are written as
  they are, so a negative z (``-2.39``) stays a number.
- **Long names** (a client's file name may have 255 characters): :func:`shortened` shows the start
  and the end (the suffix) around an ellipsis in a message or a note, whole characters only.
- **Bidirectional controls** (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) reorder what a
  terminal shows (Trojan Source, CVE-2021-42574); :func:`printable` drops them from CLI output.
- **Lone surrogates** (an escaped one in a JSON body, undecodable bytes of a command line) are no
  UTF-8 text: :func:`utf8_text` writes them as escapes, so a message quoting them can be sent.
"""

from __future__ import annotations

import re

__all__ = [
    "FORMULA_START",
    "at_word",
    "neutralise_cell",
    "printable",
    "shortened",
    "table_text",
    "utf8_text",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula."""
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_cell(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(1)"), neutralise_cell("-2+3"), neutralise_cell("DB00945")
    ("'=HYPERLINK(1)", "'-2+3", 'DB00945')
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def table_text(text: str) -> str:
    r"""A text cell for a TSV/CSV export: formula-neutralised, line breaks made spaces.

    A CR or LF inside a cell would end the row for most readers (``csv`` quotes only the
    delimiter, the quote and its own line terminator).

    Examples
    --------
    >>> table_text("\rCR"), table_text("two\nlines")
    ("' CR", 'two lines')
    """
    return neutralise_cell(text).replace("\r", " ").replace("\n", " ")


def printable(text: str) -> str:
    """``text`` without bidirectional control characters.

    Examples
    --------
    >>> printable("abc\u202edef")
    'abcdef'
    """
    return _BIDI.sub("", text)


def utf8_text(text: str) -> str:
    r"""``text`` with each lone surrogate written as its ``\udXXX`` escape (valid UTF-8).

    JSON allows ``"\ud800"`` and Python decodes it, but such a string has no UTF-8 form: an
    error answer quoting it (``unknown ranking method(s) \ud800``) failed to render and the
    client got a 500 instead of the 422.

    Examples
    --------
    >>> utf8_text("m\ud800"), utf8_text("ünï")
    ('m\\ud800', 'ünï')
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def at_word(text: str, limit: int) -> str:
    """``text``, or its start cut at a word's end and ``…``, in ``limit`` characters.

    The cut falls at the last space within the limit when one is past the third character
    ("PI3K…", not "PI3K (activ…"); a first word longer than that is cut where the limit falls
    (a caption must end somewhere). The viewer's ``cutAtWord`` (``viewer.js``) cuts the same way.

    >>> at_word("CD4+/CD45RA+/CD25- Naive T (blood)", 32)
    'CD4+/CD45RA+/CD25- Naive T…'
    >>> at_word("STAT1", 32), at_word("A" * 40, 10)
    ('STAT1', 'AAAAAAAAA…')
    """
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    space = kept.rfind(" ")
    return (kept[:space] if space > 3 else kept).rstrip() + "\u2026"


def shortened(text: str, limit: int = 80, *, tail: int = 20) -> str:
    """``text``, or its start and its end (``tail`` characters) around ``…`` in ``limit``.

    The end is kept because a file name's suffix says what it is (``….vcf.gz``); a name in a
    table or a chart (``tail=0``) keeps only its start. Python strings are code points, so a cut
    never splits a UTF-8 sequence or an emoji.

    Examples
    --------
    >>> shortened("p1.tsv")
    'p1.tsv'
    >>> shortened("a" * 100 + ".vcf.gz", limit=30)
    'aaaaaaaaa…aaaaaaaaaaaaa.vcf.gz'
    >>> shortened("abcdef", 4, tail=0), shortened("abc", 4, tail=0)
    ('abc…', 'abc')
    """
    if len(text) <= limit:
        return text
    end = text[len(text) - tail :] if tail else ""
    return f"{text[: limit - 1 - len(end)]}…{end}"
